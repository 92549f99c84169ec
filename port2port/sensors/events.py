"""One sensor event in the shape every source format is read into, and the checks it must pass.

Adapters (`sensors.adapters`) turn a source's record into an `EventIn`; `validate()` then applies
the rules every event shares, whatever its source. Nothing here touches the database.
"""

import dataclasses
import json
import math
import re
from datetime import datetime, timedelta, timezone

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from pydantic_core import to_json

# A batch larger than this is refused whole (413); adapters never read more than one past it.
MAX_BATCH = 10_000

# Sensor clocks drift; a few minutes ahead is skew, further ahead is a wrong clock.
MAX_CLOCK_SKEW = timedelta(minutes=5)
DEFAULT_MAX_AGE_DAYS = 30

LATITUDE_RANGE = (-90, 90)
LONGITUDE_RANGE = (-180, 180)
# From below the Dead Sea shore to well above any drone's ceiling, in metres.
ALTITUDE_RANGE = (-500, 20_000)
CONFIDENCE_RANGE = (0, 1)

# The model's column widths follow these, so a valid event always fits.
MAX_LENGTHS = {
    "external_id": 200,
    "zone": 100,
    "drone_serial": 100,
    "drone_model": 100,
    "rf_band": 50,
    "track_id": 100,
    "badge_id": 100,
    "operator_id": 100,
}


class EventKind(models.TextChoices):
    DRONE_DETECTED = "drone_detected", _("Drone detected")
    DRONE_PILOT_LOCATED = "drone_pilot_located", _("Drone pilot located")
    INTRUSION = "intrusion", _("Intrusion")
    LINE_CROSSING = "line_crossing", _("Line crossing")
    LOITERING = "loitering", _("Loitering")
    TAMPER = "tamper", _("Tampering")
    BADGE_DENIED = "badge_denied", _("Badge denied")
    TAILGATING = "tailgating", _("Tailgating")
    DOOR_FORCED = "door_forced", _("Door forced")
    OTHER = "other", _("Other")


KINDS = frozenset(EventKind.values)


@dataclasses.dataclass(slots=True)  # slots: made 20,000 times a second, and a third the cost
class EventIn:
    """One event as a sensor reported it, normalised: times in UTC, positions in WGS 84 degrees.

    `badge_id` is clear text here; the ingest action pseudonymises it before it is stored.
    `raw` is the source record itself, kept for audit and for fields we do not map.
    """

    external_id: str
    kind: str
    occurred_at: datetime
    latitude: float | None = None
    longitude: float | None = None
    altitude_m: float | None = None
    zone: str = ""
    confidence: float | None = None
    drone_serial: str = ""
    drone_model: str = ""
    rf_band: str = ""
    track_id: str = ""
    badge_id: str = ""
    operator_id: str = ""
    raw: dict = dataclasses.field(default_factory=dict)
    # `raw` as JSON text, written by validate() while checking it, so that storing the event
    # does not encode it a second time.
    raw_json: str = dataclasses.field(default="", compare=False, repr=False)
    # Set by an adapter that has itself checked that `raw` holds JSON values only (text,
    # numbers, null, objects): validate() then need not walk it again before writing it.
    raw_is_plain: bool = dataclasses.field(default=False, compare=False, repr=False)


class EventError(Exception):
    """One record cannot be an event. `errors` maps each failing field to a translatable message
    saying what is expected; all failing fields are listed, not only the first."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = dict(errors)

    def __str__(self):
        return "; ".join(f"{field}: {message}" for field, message in self.errors.items())


def must_be_between(low, high):
    return format_lazy(_("must be a number between {low} and {high}"), low=low, high=high)


def max_age() -> timedelta:
    return timedelta(days=getattr(settings, "SENSOR_EVENT_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS))


def validate(event: EventIn, *, now: datetime, oldest: datetime | None = None) -> EventIn:
    """The checks every event passes, whatever its source. Returns the event with its time in
    UTC; raises EventError naming every failing field. `oldest` (now - max_age(), worked out
    once per batch by the caller) saves reading the setting for every event."""
    oldest = oldest or now - max_age()
    raw_json = (_plain_json_text(event.raw, walked=event.raw_is_plain)
                if _plainly_valid(event, now + MAX_CLOCK_SKEW, oldest) else "")
    if not raw_json:
        errors, raw_json = _errors(event, now, oldest)
        if errors:
            raise EventError(errors)
    event.raw_json = raw_json
    event.occurred_at = event.occurred_at.astimezone(timezone.utc)
    return event


def _errors(event: EventIn, now: datetime, oldest: datetime) -> tuple[dict, str]:
    """The checks one by one: every failing field with what is expected, and the payload as
    JSON text."""
    errors = {}
    errors.update(_identity_errors(event))
    errors.update(_time_errors(event.occurred_at, now, oldest))
    errors.update(_position_errors(event))
    errors.update(_measure_errors("confidence", event.confidence, CONFIDENCE_RANGE))
    errors.update(_text_errors(event))
    raw_errors, raw_json = _checked_raw(event.raw)
    errors.update(raw_errors)
    return errors, raw_json


def _plainly_valid(event: EventIn, latest: datetime, oldest: datetime) -> bool:
    """True when the event plainly passes every check of validate() (the usual event, from a
    working sensor): one expression instead of the checks one by one, which cost more than
    storing the event. False only sends the event through those checks, which name what is
    wrong; so this may say False for a valid event, never True for an invalid one."""
    when, latitude, longitude = event.occurred_at, event.latitude, event.longitude
    return (type(event.external_id) is str and event.external_id.strip() != "" and type(event.kind) is str
            and event.kind in KINDS
            and type(when) is datetime and when.utcoffset() is not None and oldest <= when <= latest
            and ((latitude is None and longitude is None)
                 or (type(latitude) is float and type(longitude) is float
                     and LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]
                     and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]))
            and _plainly_between(event.altitude_m, ALTITUDE_RANGE)
            and _plainly_between(event.confidence, CONFIDENCE_RANGE)
            and _plain_texts(event))


def _plainly_between(value, bounds) -> bool:
    # NaN and infinity fail the range comparison, and a bool is not a float.
    return value is None or (type(value) is float and bounds[0] <= value <= bounds[1])


def _identity_errors(event):
    errors = {}
    if not isinstance(event.external_id, str) or not event.external_id.strip():
        errors["external_id"] = _("is required: the sensor's own identifier of the event")
    if event.kind not in KINDS:
        errors["kind"] = format_lazy(_("must be one of: {kinds}"), kinds=", ".join(EventKind.values))
    return errors


def _time_errors(occurred_at, now, oldest):
    if not isinstance(occurred_at, datetime) or occurred_at.utcoffset() is None:
        return {"occurred_at": _("must be a date and time with a time zone")}
    if occurred_at > now + MAX_CLOCK_SKEW:
        return {"occurred_at": format_lazy(
            _("is more than {minutes} minutes in the future; check the sensor's clock"),
            minutes=int(MAX_CLOCK_SKEW.total_seconds() // 60))}
    if occurred_at < oldest:
        return {"occurred_at": format_lazy(
            _("is more than {days} days old; older events are not accepted"), days=max_age().days)}
    return {}


def _position_errors(event):
    latitude, longitude = event.latitude, event.longitude
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        return {missing: _("is required when the other coordinate is given (both or neither)")}
    errors = {}
    errors.update(_measure_errors("latitude", latitude, LATITUDE_RANGE))
    errors.update(_measure_errors("longitude", longitude, LONGITUDE_RANGE))
    errors.update(_measure_errors("altitude_m", event.altitude_m, ALTITUDE_RANGE))
    return errors


def _measure_errors(field, value, bounds):
    if value is None:
        return {}
    low, high = bounds
    # NaN compares false with everything, so it must be refused before the range check.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return {field: must_be_between(low, high)}
    if not low <= value <= high:
        return {field: must_be_between(low, high)}
    return {}


_TEXT_FIELDS = tuple(MAX_LENGTHS)
_SHORTEST_LIMIT = min(MAX_LENGTHS.values())


def _plain_texts(event) -> bool:
    """All text, all shorter than the shortest limit, no NUL: one pass says so."""
    values = [event.external_id, event.zone, event.drone_serial, event.drone_model, event.rf_band, event.track_id,
              event.badge_id, event.operator_id]  # MAX_LENGTHS's fields, spelt out: read for every event
    for value in values:
        if type(value) is not str or len(value) > _SHORTEST_LIMIT:
            return False
    return "\x00" not in "".join(values)


def _text_errors(event):
    if _plain_texts(event):
        return {}
    errors = {}
    for field, limit in MAX_LENGTHS.items():
        value = getattr(event, field)
        if not isinstance(value, str):
            errors[field] = _("must be text")
        elif len(value) > limit:
            errors[field] = format_lazy(_("must be at most {limit} characters"), limit=limit)
        elif "\x00" in value:
            errors[field] = _("must not contain NUL characters")
    return errors


def _plain_json_text(raw, *, walked: bool = False) -> str:
    """The payload as JSON text when it is a JSON object of JSON values only (no NaN, no
    infinity, no NUL, no other Python types), written by pydantic-core's encoder, a quarter of
    the standard library's time; "" leaves the payload to _checked_raw, which says what is
    wrong. The type check comes first because pydantic-core would also write a datetime or a
    set, which are not JSON and are refused. `walked`: the adapter has checked the types (a
    float may still be NaN or infinite: the event's own checks have refused those by then, as
    an adapter only takes floats for the event's numbers)."""
    if type(raw) is not dict or not (walked or _json_values(raw)):
        return ""
    try:
        text = to_json(raw).decode()
    except ValueError:  # a lone surrogate, a number too large: the careful way decides
        return ""
    return "" if "\\u0000" in text else text


_JSON_ATOMS = frozenset((str, int, bool, type(None)))


def _json_values(value) -> bool:
    """True when `value` holds JSON values only: text, whole numbers, finite floats, true,
    false, null, and lists and objects (with text keys) of them."""
    kind = type(value)
    if kind in _JSON_ATOMS:
        return True
    if kind is float:
        return value - value == 0  # NaN and infinity give NaN
    # Loops rather than all(): this runs for every event, and a generator costs a third more.
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or not (type(item) in _JSON_ATOMS or _json_values(item)):
                return False
        return True
    if kind is list:
        for item in value:
            if not (type(item) in _JSON_ATOMS or _json_values(item)):
                return False
        return True
    return False


def _checked_raw(raw) -> tuple[dict, str]:
    """(errors, the payload as JSON text)."""
    if not isinstance(raw, dict):
        return {"raw": _("must be a JSON object")}, ""
    try:
        text = _ENCODER.encode(raw)
    except (TypeError, ValueError, RecursionError):
        return {"raw": _("must be plain JSON (no NaN or infinity)")}, ""
    # PostgreSQL's jsonb refuses \u0000, so such a record could be read but never stored.
    if "\\u0000" in text and _ESCAPED_NUL.search(text):
        return {"raw": _("must not contain NUL characters")}, ""
    return {}, text


# Built once: json.dumps with options builds a new encoder at every call.
_ENCODER = json.JSONEncoder(allow_nan=False, ensure_ascii=False, separators=(",", ":"))

# A NUL written by json.dumps: \u0000 not itself escaped (an odd run of backslashes before "u").
_ESCAPED_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
