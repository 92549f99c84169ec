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


# In _well_formed's list of text fields, the ids (the event's, the badge's, the drone's track)
# may also be written as whole numbers.
_ID_POSITIONS = frozenset((0, 4, 8))


def _well_formed(record) -> EventIn | None:
    """The common case in one pass: known fields, plain types, a time with an offset. Anything
    unusual gives None, and the record goes the careful way, which names each problem. (At
    20,000 events a second the careful way alone cost more than storing the event, and this
    way is written flat, without a call per field, for the same reason.)"""
    if type(record) is not dict or not record.keys() <= FIELDS:
        return None
    get, drone, extra = record.get, record.get("drone"), record.get("extra")
    if drone is None:
        drone = {}
    elif type(drone) is not dict or not drone.keys() <= DRONE_FIELDS:
        return None
    if extra is not None and type(extra) is not dict:
        return None
    texts = [get("id"), get("kind"), get("zone"), get("operator_id"), get("badge_id"),
             drone.get("serial"), drone.get("model"), drone.get("rf_band"), drone.get("track_id")]
    for position, value in enumerate(texts):
        if type(value) is str:
            texts[position] = value.strip()
        elif value is None:
            texts[position] = ""
        elif type(value) is int and position in _ID_POSITIONS:
            texts[position] = str(value)
        else:
            return None
    external_id, kind, zone, operator_id, badge_id, serial, model, rf_band, track_id = texts
    numbers = [get("lat"), get("lon"), get("alt"), get("confidence")]
    for position, value in enumerate(numbers):
        if type(value) is int:
            numbers[position] = float(value)
        elif value is not None and type(value) is not float:
            return None
    latitude, longitude, altitude, confidence = numbers
    when = _aware_time(get("time"))
    if when is None or not external_id or not kind:
        return None
    # EventIn's fields in their order: with keywords, the call costs three times as much.
    # Without 'extra', every value of the record has had its type checked above.
    return EventIn(external_id, kind, when, latitude, longitude, altitude, zone, confidence, serial, model, rf_band,
                   track_id, badge_id, operator_id, record, "", extra is None)


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
