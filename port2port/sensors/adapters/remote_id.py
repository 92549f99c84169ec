"""Direct Remote ID frames (ASTM F3411 / ASD-STAN EN 4709-002) as decoded by a receiver.

A record is one received frame: the receiver's envelope ('receiver', 'received_at', and
optionally 'mac', 'rssi', 'transport', 'channel', 'zone', 'id') around the decoded messages,
named as opendroneid-core-c names its structures (ODID_UAS_Data): 'BasicID' (an object, a list
of up to two, or the 'UAType0'/'IDType0'/'UASID0' keys of core-c's drone_export_gps_data),
'Location', 'SelfID', 'System' and 'OperatorID'. The messages may also sit inside a 'Response'
object in the shape of that export, where the System message is called 'Operator' (the
export's own text is not strict JSON, an unquoted UASID and trailing commas: it must be sent
as valid JSON).

One frame is one event. It is drone_detected, at the aircraft's position when the frame has a
valid one; a frame that carries only the operator's position (a System message alone, as
Bluetooth 4 broadcasts send one message at a time) is drone_pilot_located at that position. The
operator's position in a frame that also places the aircraft stays in `raw` under 'System'.
`raw` is the record as received, less the NUL characters Remote ID pads its text fields with.

The serial number is the UAS ID of ID type 1; the track is a UTM-assigned (3) or specific
session (4) ID, else the transmitter's MAC address; a CAA registration ID (2) stays in `raw`.

Without an 'id', the event's id is 'receiver:identifier:time', the identifier being the serial
number, else the first UAS ID, else the transmitter's MAC address, and the time the frame's
(e.g. 'rx-zeebrugge-01:1581F6BHK2291047RZ3M:20250603T211407.500Z').
"""

import json
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from ..events import EventIn, EventKind
from .base import Adapter, Fields, require_object

# Remote ID's "invalid, no value or unknown" for altitudes and heights.
UNKNOWN_ALTITUDE = -1000.0
# The Location message's time is in seconds after the full hour (0 to 3600).
SECONDS_IN_HOUR = 3600

ID_TYPE_SERIAL_NUMBER = 1
ID_TYPE_UTM_UUID = 3
ID_TYPE_SESSION_ID = 4
# Core-c's export allows two Basic ID messages (ODID_BASIC_ID_MAX_MESSAGES).
MAX_BASIC_IDS = 2


class RemoteIdAdapter(Adapter):
    name = "remote_id"
    label = _("Remote ID receiver (ASTM F3411 / EN 4709-002)")

    def convert(self, record) -> EventIn:
        fields = Fields(require_object(record))
        base, system = _message_paths(record)
        occurred_at = _frame_time(fields, base + ("Location", "TimeStamp"), fields.iso_time("received_at"))
        serial, session, identifier = _identifiers(fields, base + ("BasicID",), fields.text("mac"))
        drone = _position(fields, base + ("Location",), "Latitude", "Longitude", ("AltitudeGeo", "AltitudeBaro"))
        pilot = _position(fields, system, "OperatorLatitude", "OperatorLongitude", ("OperatorAltitudeGeo",))
        kind, (latitude, longitude, altitude) = _kind_and_position(drone, pilot)
        event = EventIn(
            external_id=fields.text("id", numbers=True) or _composed_id(fields.text("receiver"), identifier, occurred_at),
            kind=kind,
            occurred_at=occurred_at,
            latitude=latitude,
            longitude=longitude,
            altitude_m=altitude,
            zone=fields.text("zone"),
            drone_serial=serial,
            rf_band=_rf_band(fields.text("transport"), fields.integer("channel")),
            track_id=session or fields.text("mac"),
            operator_id=_clean(fields.text(base + ("OperatorID", "OperatorId"))),
            raw=_without_padding(record) if _has_nul(record) else record,
        )
        fields.raise_if_failed()
        return event


def _message_paths(record):
    """Where the messages are: at the top, or in core-c's 'Response' (System called 'Operator')."""
    response = record.get("Response")
    if not isinstance(response, dict):
        return (), ("System",)
    return ("Response",), ("Response", "System" if "System" in response else "Operator")


def _identifiers(fields, key, mac):
    """(serial number, UTM or session id, the identifier the event id is made of)."""
    ids = _basic_ids(fields, key)
    serial = next((uas_id for id_type, uas_id in ids if id_type == ID_TYPE_SERIAL_NUMBER), "")
    session = next((uas_id for id_type, uas_id in ids if id_type in (ID_TYPE_UTM_UUID, ID_TYPE_SESSION_ID)), "")
    identifier = serial or next((uas_id for _id_type, uas_id in ids), "") or mac
    if not identifier and not any(name.startswith(".".join(key)) for name in fields.errors):
        fields.fail(key, _("needs a UAS ID (or the frame a transmitter 'mac') to tell the aircraft apart"))
    return serial, session, identifier


def _frame_time(fields, key, received_at):
    """The frame's own time: its seconds after the hour, in the hour nearest the reception.

    The Location message carries only seconds after the full hour, so a frame stamped 3599.5 s
    and received at 21:00:01 belongs to 20:59:59.5. Without a valid stamp, the reception time.
    """
    seconds = fields.number(key)
    if received_at is None or seconds is None or not 0 <= seconds <= SECONDS_IN_HOUR:
        return received_at
    hour = received_at.replace(minute=0, second=0, microsecond=0)
    candidates = (hour + timedelta(hours=offset, seconds=seconds) for offset in (-1, 0, 1))
    return min(candidates, key=lambda moment: abs(moment - received_at))


def _basic_ids(fields, key):
    """(ID type, UAS ID) pairs of the frame's Basic ID messages, in their order."""
    value = fields.get(key)
    if value is None:
        return []
    if isinstance(value, dict) and any(f"UASID{index}" in value for index in range(MAX_BASIC_IDS)):
        value = [
            {"IDType": value.get(f"IDType{index}"), "UASID": value.get(f"UASID{index}")}
            for index in range(MAX_BASIC_IDS) if f"UASID{index}" in value
        ]
    items = value if isinstance(value, list) else [value]
    pairs = []
    for index, item in enumerate(items):
        item_key = key if isinstance(value, dict) else key[:-1] + (f"{key[-1]}[{index}]",)
        item_fields = Fields({"item": item})
        id_type = item_fields.integer(("item", "IDType"))
        uas_id = _clean(item_fields.text(("item", "UASID")))
        for name, message in item_fields.errors.items():
            fields.fail(item_key + tuple(name.split(".")[1:]), message)
        if uas_id:
            pairs.append((id_type, uas_id))
    return pairs


def _position(fields, key, latitude_name, longitude_name, altitude_names):
    """(latitude, longitude, altitude) of a message, or None when it gives no valid position.

    Remote ID sends 0, 0 for an unknown position and -1000 m for an unknown altitude.
    """
    latitude = fields.number(key + (latitude_name,))
    longitude = fields.number(key + (longitude_name,))
    if latitude is None or longitude is None or (latitude == 0 and longitude == 0):
        return None
    altitudes = (fields.number(key + (name,)) for name in altitude_names)
    altitude = next((value for value in altitudes if value is not None and value > UNKNOWN_ALTITUDE), None)
    return latitude, longitude, altitude


def _kind_and_position(drone, pilot):
    if drone:
        return EventKind.DRONE_DETECTED.value, drone
    if pilot:
        return EventKind.DRONE_PILOT_LOCATED.value, pilot
    return EventKind.DRONE_DETECTED.value, (None, None, None)


def _composed_id(receiver, identifier, occurred_at: datetime | None) -> str:
    if not identifier or occurred_at is None:
        return ""
    stamp = occurred_at.strftime("%Y%m%dT%H%M%S.") + f"{occurred_at.microsecond // 1000:03d}Z"
    return f"{receiver or 'rid'}:{identifier}:{stamp}"


def _rf_band(transport: str, channel: int | None) -> str:
    """Bluetooth is always 2.4 GHz; Wi-Fi (beacon or NAN) is told by its channel number."""
    if transport.lower().startswith(("bt", "ble", "bluetooth")):
        return "2.4 GHz"
    if channel is not None and 1 <= channel <= 14:
        return "2.4 GHz"
    if channel is not None and 32 <= channel <= 177:
        return "5 GHz"
    return ""


def _clean(text: str) -> str:
    # Remote ID pads its 20-character fields with NULs; some decoders pass them on.
    return text.replace("\x00", "").strip()


def _has_nul(record) -> bool:
    # One pass in C; may say yes for the text "\\u0000", which only costs the walk below.
    return "\\u0000" in json.dumps(record, default=str)


def _without_padding(value):
    """The record without NUL padding (which is no content, and which PostgreSQL cannot store)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_padding(key): _without_padding(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_padding(item) for item in value]
    return value


ADAPTER = RemoteIdAdapter()
