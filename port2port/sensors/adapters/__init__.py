"""Source formats of sensor events, one module each behind one registry.

Adding a format: copy a sibling module, change `name`, `label`, `media_types` and `convert`
(and `iter_records` if the body is not JSON or NDJSON), and list the module below.
"""

from . import access_control, native, ocsf, onvif, remote_id
from .base import Adapter, BatchError

_MODULES = (native, remote_id, ocsf, onvif, access_control)

REGISTRY: dict[str, Adapter] = {module.ADAPTER.name: module.ADAPTER for module in _MODULES}

__all__ = ["REGISTRY", "Adapter", "BatchError"]
