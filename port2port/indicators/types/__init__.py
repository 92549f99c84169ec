"""The indicator types, one module each, behind one registry.

Adding a type: copy a sibling module, change `kind`, `label`, `normalise` (and `patterns` if
paste-to-extract should find it), and list the module below.
"""

import functools

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


# Kinds whose result depends on more than the text: a person's pseudonym is keyed by a setting.
_NOT_REMEMBERED = frozenset({person.TYPE.kind})


def normalise(kind: str, raw: str) -> Normalised:
    """Normalise `raw` as an indicator of `kind`; IndicatorError if it is not one."""
    if kind in _NOT_REMEMBERED or type(raw) is not str:
        return REGISTRY[kind].normalise(raw)
    return _remembered(kind, raw)


# The same container, vessel, phone or domain comes back across imports (that is what
# correlation is for), and a normaliser is a pure function of the text: the latest results
# are kept per process. 20,000 results take about 10 MB; errors are not kept.
@functools.lru_cache(maxsize=20_000)
def _remembered(kind: str, raw: str) -> Normalised:
    return REGISTRY[kind].normalise(raw)


__all__ = ["REGISTRY", "IndicatorError", "IndicatorType", "Normalised", "normalise"]
