"""The indicator types, one module each, behind one registry.

Adding a type: copy a sibling module, change `kind`, `label`, `normalise` (and `patterns` if
paste-to-extract should find it), and list the module below.
"""

from . import (
    call_sign, company, container, domain, drone_serial, email, eni, file_hash, imo, ip, mmsi,
    person, phone, plate, seal, text, uas_operator, url, vessel_name,
)
from .base import IndicatorError, IndicatorType, Normalised

_MODULES = (
    container, seal, imo, mmsi, eni, vessel_name, call_sign, plate, company, person, phone,
    email, ip, domain, url, file_hash, drone_serial, uas_operator, text,
)

REGISTRY: dict[str, IndicatorType] = {module.TYPE.kind: module.TYPE for module in _MODULES}


def normalise(kind: str, raw: str) -> Normalised:
    """Normalise `raw` as an indicator of `kind`; IndicatorError if it is not one."""
    return REGISTRY[kind].normalise(raw)


__all__ = ["REGISTRY", "IndicatorError", "IndicatorType", "Normalised", "normalise"]
