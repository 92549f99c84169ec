"""Remote ID frames (ASTM F3411 / EN 4709-002) as a receiver decodes and sends them."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from port2port.sensors.adapters import REGISTRY
from port2port.sensors.events import EventError, EventIn, validate

FIXTURES = Path(__file__).parent / "fixtures"
ADAPTER = REGISTRY["remote_id"]
NOW = datetime(2025, 6, 3, 22, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def frames():
    records = ADAPTER.records((FIXTURES / "remote_id_frames.json").read_bytes(), "application/json")
    return records, [validate(ADAPTER.convert(record), now=NOW) for record in records]


def errors_of(record):
    with pytest.raises(EventError) as caught:
        ADAPTER.convert(record)
    return {field: str(message) for field, message in caught.value.errors.items()}


def test_a_full_bluetooth_5_frame_is_a_drone_at_its_position(frames):
    records, events = frames
    assert events[0] == EventIn(
        external_id="rx-zeebrugge-01:1581F6BHK2291047RZ3M:20250603T211407.500Z",
        kind="drone_detected",
        # 847.5 s after 21:00, in the hour of reception (21:14:07.830).
        occurred_at=datetime(2025, 6, 3, 21, 14, 7, 500_000, tzinfo=timezone.utc),
        latitude=51.3362107, longitude=3.1908745, altitude_m=148.0,
        drone_serial="1581F6BHK2291047RZ3M", rf_band="2.4 GHz", track_id="6C:3E:9A:21:4F:0B",
        operator_id="BEL8vdc5r2kjq3m7", raw=records[0],
    )
    # The pilot's position in the same frame is kept, not lost.
    assert events[0].raw["System"]["OperatorLatitude"] == 51.3301244


def test_the_core_c_export_shape_is_read_and_a_frame_near_the_hour_keeps_its_own_hour(frames):
    _records, events = frames
    event = events[1]
    # Stamped 3599.5 s after the hour, received at 22:00:01.2: it was sent at 21:59:59.5.
    assert event.occurred_at == datetime(2025, 6, 3, 21, 59, 59, 500_000, tzinfo=timezone.utc)
    assert (event.kind, event.drone_serial, event.latitude, event.longitude) == (
        "drone_detected", "1596A7KQ2X9M", 51.3275501, 3.1822404)
    # The geodetic altitude is unknown (-1000 m): the barometric one stands in.
    assert event.altitude_m == 63.0
    assert (event.rf_band, event.operator_id) == ("5 GHz", "")
    assert event.external_id == "rx-zeebrugge-02:1596A7KQ2X9M:20250603T215959.500Z"


def test_a_system_message_alone_locates_the_pilot(frames):
    _records, events = frames
    event = events[2]
    assert (event.kind, event.latitude, event.longitude, event.altitude_m) == (
        "drone_pilot_located", 51.3301251, 3.2071809, 52.5)
    assert event.occurred_at == datetime(2025, 6, 3, 21, 14, 9, 20_000, tzinfo=timezone.utc)
    # No UAS ID in this frame: the transmitter's address tells the aircraft apart.
    assert event.external_id == "rx-zeebrugge-01:6C:3E:9A:21:4F:0B:20250603T211409.020Z"


def test_a_frame_with_an_unknown_position_is_a_drone_without_one(frames):
    records, events = frames
    event = events[3]
    assert (event.kind, event.latitude, event.longitude, event.altitude_m) == ("drone_detected", None, None, None)
    # The frame's time is 0xFFFF (unknown): the reception time stands in.
    assert event.occurred_at == datetime(2025, 6, 3, 21, 40, 12, tzinfo=timezone.utc)
    assert event.external_id == "rx-ghent-07/000981"
    # No serial number; the UTM-assigned id is the track, without its NUL padding.
    assert (event.drone_serial, event.track_id) == ("", "6b1f0c1e-2a9d-4c3e-9f5a-0e8d7c6b5a41")


def test_raw_is_the_frame_less_its_nul_padding(frames):
    records, events = frames
    sent = json.loads((FIXTURES / "remote_id_frames.json").read_text())
    assert [event.raw for event in events[:3]] == sent[:3]
    assert events[3].raw["BasicID"][0]["UASID"] == "6b1f0c1e-2a9d-4c3e-9f5a-0e8d7c6b5a41"
    assert sent[3]["BasicID"][0]["UASID"].endswith("\x00")


FRAME = {
    "receiver": "rx-zeebrugge-01",
    "received_at": "2025-06-03T21:14:07.830Z",
    "BasicID": {"UAType": 2, "IDType": 1, "UASID": "1581F6BHK2291047RZ3M"},
    "Location": {"Latitude": 51.3362107, "Longitude": 3.1908745, "TimeStamp": 847.5},
}


def test_a_frame_just_after_the_hour_received_a_little_late_is_placed_correctly():
    frame = {**FRAME, "received_at": "2025-06-03T22:00:00.400Z", "Location": {**FRAME["Location"], "TimeStamp": 0.2}}
    assert ADAPTER.convert(frame).occurred_at == datetime(2025, 6, 3, 22, 0, 0, 200_000, tzinfo=timezone.utc)


def test_a_given_id_is_kept():
    assert ADAPTER.convert({**FRAME, "id": 981}).external_id == "981"


def test_without_a_receiver_name_the_id_still_names_aircraft_and_time():
    frame = {key: value for key, value in FRAME.items() if key != "receiver"}
    assert ADAPTER.convert(frame).external_id == "rid:1581F6BHK2291047RZ3M:20250603T211407.500Z"


@pytest.mark.parametrize(("frame", "field", "message"), [
    ({**FRAME, "received_at": None}, "received_at", "is required"),
    ({**FRAME, "received_at": "2025-06-03 21:14:07"}, "received_at",
     "must be an ISO 8601 date and time with a UTC offset, e.g. 2025-06-03T21:14:07+02:00"),
    ({**FRAME, "Location": {"Latitude": "51.33", "Longitude": 3.19}}, "Location.Latitude", "must be a number"),
    ({**FRAME, "Location": [51.33, 3.19]}, "Location", "must be an object"),
    ({**FRAME, "BasicID": {"IDType": "1", "UASID": "1581F6BHK2291047RZ3M"}}, "BasicID.IDType", "must be a whole number"),
    ({**FRAME, "BasicID": [{"IDType": 1, "UASID": 1581}]}, "BasicID[0].UASID", "must be text"),
    ({**FRAME, "OperatorID": {"OperatorId": ["BEL"]}}, "OperatorID.OperatorId", "must be text"),
    ({**FRAME, "channel": "149"}, "channel", "must be a whole number"),
])
def test_a_wrong_type_or_missing_field_names_the_field(frame, field, message):
    assert errors_of(frame) == {field: message}


def test_a_frame_that_tells_no_aircraft_apart_is_refused():
    frame = {"received_at": "2025-06-03T21:14:07Z", "Location": FRAME["Location"]}
    assert errors_of(frame) == {
        "BasicID": "needs a UAS ID (or the frame a transmitter 'mac') to tell the aircraft apart"}


def test_a_frame_that_is_not_an_object_is_refused():
    assert errors_of("1581F6BHK2291047RZ3M") == {"record": "must be a JSON object"}


def test_frames_go_through_the_common_checks_like_any_event():
    event = ADAPTER.convert({**FRAME, "Location": {"Latitude": 95.0, "Longitude": 3.19, "TimeStamp": 847.5}})
    with pytest.raises(EventError) as caught:
        validate(event, now=NOW)
    assert set(caught.value.errors) == {"latitude"}
