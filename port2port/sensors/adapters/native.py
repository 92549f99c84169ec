"""Port 2 Port's own event format ("p2p"): flat JSON fields that map one to one onto EventIn.

Documented for integrators in docs/sensor-format.md. Unknown fields are refused rather than
ignored, so a misspelt 'latitude' for 'lat' is an error instead of a silently lost position;
anything a sensor wants to keep beyond these fields goes in the free-form 'extra' object.
"""

from datetime import datetime, timezone

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..events import EventIn
from .base import Adapter, Fields, require_object

FIELDS = frozenset({
    "id", "kind", "time", "lat", "lon", "alt", "zone", "confidence", "drone", "badge_id",
    "operator_id", "extra",
})
DRONE_FIELDS = frozenset({"serial", "model", "rf_band", "track_id"})


class NativeAdapter(Adapter):
    name = "p2p"
    label = _("Port 2 Port JSON")

    def convert(self, record) -> EventIn:
        return _well_formed(record) or _careful(record)


def _careful(record) -> EventIn:
    """Field by field, gathering every problem (the way for records with something wrong)."""
    fields = Fields(require_object(record))
    _refuse_unknown(fields, record, FIELDS, prefix="")
    _refuse_unknown(fields, fields.object("drone"), DRONE_FIELDS, prefix="drone.")
    fields.object("extra")
    event = EventIn(
        external_id=fields.text("id", required=True, numbers=True),
        kind=fields.text("kind", required=True),
        occurred_at=fields.iso_time("time"),
        latitude=fields.number("lat"),
        longitude=fields.number("lon"),
        altitude_m=fields.number("alt"),
        zone=fields.text("zone"),
        confidence=fields.number("confidence"),
        drone_serial=fields.text(("drone", "serial")),
        drone_model=fields.text(("drone", "model")),
        rf_band=fields.text(("drone", "rf_band")),
        track_id=fields.text(("drone", "track_id"), numbers=True),
        badge_id=fields.text("badge_id", numbers=True),
        operator_id=fields.text("operator_id"),
        raw=record,
    )
    fields.raise_if_failed()
    return event


_TEXT_FIELDS = ("zone", "operator_id")
_NUMBER_FIELDS = ("lat", "lon", "alt", "confidence")


def _well_formed(record) -> EventIn | None:
    """The common case in one pass: known fields, plain types, a time with an offset. Anything
    unusual gives None, and the record goes the careful way, which names each problem. (At
    20,000 events a second the careful way alone cost more than storing the event.)"""
    if type(record) is not dict or not record.keys() <= FIELDS:
        return None
    drone = record.get("drone")
    drone = {} if drone is None else drone
    extra = record.get("extra")
    if type(drone) is not dict or not drone.keys() <= DRONE_FIELDS or (extra is not None and type(extra) is not dict):
        return None
    external_id, badge_id, track_id = _id_text(record.get("id")), _id_text(record.get("badge_id")), _id_text(drone.get("track_id"))
    texts = [_plain_text(record.get(name)) for name in ("kind", *_TEXT_FIELDS)]
    drone_texts = [_plain_text(drone.get(name)) for name in ("serial", "model", "rf_band")]
    numbers = [_plain_number(record.get(name)) for name in _NUMBER_FIELDS]
    when = _aware_time(record.get("time"))
    if None in (external_id, badge_id, track_id, when, *texts, *drone_texts) or not external_id or not texts[0] \
            or any(number is False for number in numbers):
        return None
    kind, zone, operator_id = texts
    serial, model, rf_band = drone_texts
    latitude, longitude, altitude, confidence = numbers
    # Without 'extra', every value of the record has had its type checked above.
    return EventIn(external_id=external_id, kind=kind, occurred_at=when, latitude=latitude, longitude=longitude,
                   altitude_m=altitude, zone=zone, confidence=confidence, drone_serial=serial, drone_model=model,
                   rf_band=rf_band, track_id=track_id, badge_id=badge_id, operator_id=operator_id, raw=record,
                   raw_is_plain=extra is None)


def _plain_text(value) -> str | None:
    if value is None:
        return ""
    return value.strip() if type(value) is str else None


def _id_text(value) -> str | None:
    """Ids may be written as whole numbers."""
    return str(value) if type(value) is int else _plain_text(value)


def _plain_number(value):
    """The number as a float, None when absent, False when it is not a number."""
    if value is None:
        return None
    return float(value) if type(value) in (int, float) else False


def _aware_time(value):
    if type(value) is not str:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.astimezone(timezone.utc) if moment.utcoffset() is not None else None


def _refuse_unknown(fields, record, known, *, prefix):
    for key in sorted(set(record) - known):
        fields.fail(prefix + key, format_lazy(
            _("is not a field of this format; the fields are: {known}"), known=", ".join(sorted(known))))


ADAPTER = NativeAdapter()
