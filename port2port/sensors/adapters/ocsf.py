"""OCSF Drone Flights Activity events (class_uid 8001, category 8 "Unmanned Systems").

The class exists from OCSF 1.5.0 (read against the 1.5.0 and 1.7.0 schema text); it carries
Remote ID as a counter-UAS system or Remote ID receiver reports it. Mapping:

- `metadata.uid` -> external_id (required here although OCSF makes it optional: without it a
  batch sent twice could not be told from two batches); `time` (epoch milliseconds) -> occurred_at;
- `unmanned_aerial_system.location` (`lat`/`long`, or GeoJSON `coordinates` [long, lat];
  `geodetic_altitude`, else `pressure_altitude`) -> the aircraft's position;
- `unmanned_aerial_system.serial_number` -> drone_serial, `.model` -> drone_model; track_id is
  the first of `.uuid` (a UTM session id), `.uid`, `src_endpoint.mac` that is not the serial;
- `unmanned_system_operator.uid` -> operator_id;
- `unmanned_system_operating_area` (`lat`/`long`) is the operator's position: OCSF keeps there
  what ASTM F3411's System message sends, its `type_id` being the operator location type;
- `confidence_score` (0-100) -> confidence (0-1); `protocol_name` BLE or Bluetooth -> 2.4 GHz.

As for Remote ID frames: drone_detected at the aircraft's position when there is one, else
drone_pilot_located at the operator's, else drone_detected without a position.
"""

from datetime import datetime, timezone

from django.utils.translation import gettext_lazy as _

from ..events import EventIn, EventKind
from .base import Adapter, Fields, require_object

DRONE_FLIGHTS_ACTIVITY = 8001
UNKNOWN_ALTITUDE = -1000.0
UAS = "unmanned_aerial_system"
OPERATING_AREA = "unmanned_system_operating_area"


class OcsfAdapter(Adapter):
    name = "ocsf"
    label = _("OCSF Drone Flights Activity")

    def convert(self, record) -> EventIn:
        fields = Fields(require_object(record))
        if fields.integer("class_uid") != DRONE_FLIGHTS_ACTIVITY and "class_uid" not in fields.errors:
            fields.fail("class_uid", _("must be 8001 (Drone Flights Activity)"))
        drone = _position(fields, (UAS, "location"))
        pilot = _position(fields, (OPERATING_AREA,))
        kind, (latitude, longitude, altitude) = _kind_and_position(drone, pilot)
        serial = fields.text((UAS, "serial_number"))
        tracks = (fields.text((UAS, "uuid")), fields.text((UAS, "uid")), fields.text(("src_endpoint", "mac")))
        event = EventIn(
            external_id=fields.text(("metadata", "uid"), required=True, numbers=True),
            kind=kind,
            occurred_at=_epoch_ms(fields, "time"),
            latitude=latitude,
            longitude=longitude,
            altitude_m=altitude,
            confidence=_confidence(fields),
            drone_serial=serial,
            drone_model=fields.text((UAS, "model")),
            rf_band="2.4 GHz" if fields.text("protocol_name").lower() in ("ble", "bluetooth") else "",
            track_id=next((track for track in tracks if track and track != serial), ""),
            operator_id=fields.text(("unmanned_system_operator", "uid")),
            raw=record,
        )
        fields.raise_if_failed()
        return event


def _position(fields, key):
    """(latitude, longitude, altitude) of an OCSF location, or None without coordinates."""
    latitude, longitude = fields.number(key + ("lat",)), fields.number(key + ("long",))
    if latitude is None and longitude is None:
        latitude, longitude = _coordinates(fields, key + ("coordinates",))
    if latitude is None or longitude is None:
        return None
    # OCSF types these altitudes as strings ("120.5"); numbers are read too.
    altitudes = (fields.number(key + (name,), strings=True) for name in ("geodetic_altitude", "pressure_altitude"))
    altitude = next((value for value in altitudes if value is not None and value > UNKNOWN_ALTITUDE), None)
    return latitude, longitude, altitude


def _coordinates(fields, key):
    """GeoJSON order: [longitude, latitude]."""
    value = fields.get(key)
    if value is None:
        return None, None
    if (not isinstance(value, list) or len(value) != 2
            or any(isinstance(item, bool) or not isinstance(item, (int, float)) for item in value)):
        fields.fail(key, _("must be [longitude, latitude], two numbers"))
        return None, None
    return float(value[1]), float(value[0])


def _kind_and_position(drone, pilot):
    if drone:
        return EventKind.DRONE_DETECTED.value, drone
    if pilot:
        return EventKind.DRONE_PILOT_LOCATED.value, pilot
    return EventKind.DRONE_DETECTED.value, (None, None, None)


def _epoch_ms(fields, key):
    milliseconds = fields.number(key, required=True)
    if milliseconds is None:
        return None
    try:
        return datetime.fromtimestamp(milliseconds / 1000, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        fields.fail(key, _("must be a time in milliseconds since 1970-01-01 UTC"))
        return None


def _confidence(fields):
    score = fields.number("confidence_score")
    if score is None:
        return None
    if not 0 <= score <= 100:
        fields.fail("confidence_score", _("must be a number between 0 and 100"))
        return None
    return score / 100


ADAPTER = OcsfAdapter()
