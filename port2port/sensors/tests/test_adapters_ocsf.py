"""OCSF Drone Flights Activity events (class 8001) from a counter-UAS system."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from port2port.sensors.adapters import REGISTRY
from port2port.sensors.events import EventError, EventIn, validate

FIXTURES = Path(__file__).parent / "fixtures"
ADAPTER = REGISTRY["ocsf"]
NOW = datetime(2025, 6, 3, 22, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def converted():
    records = ADAPTER.records((FIXTURES / "ocsf_drone_flights.json").read_bytes(), "application/json")
    return records, [validate(ADAPTER.convert(record), now=NOW) for record in records]


def errors_of(record):
    with pytest.raises(EventError) as caught:
        ADAPTER.convert(record)
    return {field: str(message) for field, message in caught.value.errors.items()}


def test_a_full_event_is_a_drone_at_the_aircrafts_position(converted):
    records, events = converted
    assert events[0] == EventIn(
        external_id="c-uas-antwerp-5f2e9a70-0001",
        kind="drone_detected",
        occurred_at=datetime(2025, 6, 3, 21, 14, 7, 500_000, tzinfo=timezone.utc),
        latitude=51.2812204, longitude=4.3020317,
        altitude_m=118.5,  # geodetic_altitude, which OCSF types as text
        confidence=0.88,
        drone_serial="1581F6BHK2291047RZ3M", drone_model="Mavic 3 Classic", rf_band="2.4 GHz",
        # uid repeats the serial, so the UTM session id is the track.
        track_id="6b1f0c1e-2a9d-4c3e-9f5a-0e8d7c6b5a41",
        operator_id="BEL8vdc5r2kjq3m7",
        raw=records[0],
    )
    assert events[0].raw == json.loads((FIXTURES / "ocsf_drone_flights.json").read_text())[0]


def test_an_event_placing_only_the_operator_locates_the_pilot(converted):
    _records, events = converted
    event = events[1]
    # GeoJSON order in `coordinates`: longitude first.
    assert (event.kind, event.latitude, event.longitude, event.altitude_m) == (
        "drone_pilot_located", 51.2745102, 4.2950411, None)
    assert (event.drone_serial, event.track_id, event.operator_id, event.confidence) == (
        "", "BEL.RPAS-00417", "BELx7k2mq9r4t1wp", None)
    assert event.occurred_at == datetime(2025, 6, 3, 21, 15, 10, tzinfo=timezone.utc)


EVENT = {
    "class_uid": 8001,
    "time": 1748985247500,
    "metadata": {"uid": "c-uas-antwerp-5f2e9a70-0003", "version": "1.5.0"},
    "unmanned_aerial_system": {"serial_number": "1581F6BHK2291047RZ3M", "location": {"lat": 51.28, "long": 4.30}},
}


def test_an_unknown_altitude_is_no_altitude():
    event = {**EVENT, "unmanned_aerial_system": {"location": {"lat": 51.28, "long": 4.30, "geodetic_altitude": "-1000"}}}
    assert ADAPTER.convert(event).altitude_m is None


def test_the_transmitter_address_is_the_track_when_nothing_else_is():
    assert ADAPTER.convert({**EVENT, "src_endpoint": {"mac": "6C:3E:9A:21:4F:0B"}}).track_id == "6C:3E:9A:21:4F:0B"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"class_uid": 8002}, "class_uid", "must be 8001 (Drone Flights Activity)"),
    ({"class_uid": None}, "class_uid", "must be 8001 (Drone Flights Activity)"),
    ({"class_uid": "8001"}, "class_uid", "must be a whole number"),
    ({"metadata": {"version": "1.5.0"}}, "metadata.uid", "is required"),
    ({"metadata": "c-uas-0003"}, "metadata", "must be an object"),
    ({"time": None}, "time", "is required"),
    ({"time": "2025-06-03T21:14:07Z"}, "time", "must be a number"),
    ({"time": 1e20}, "time", "must be a time in milliseconds since 1970-01-01 UTC"),
    ({"confidence_score": 140}, "confidence_score", "must be a number between 0 and 100"),
    ({"unmanned_aerial_system": {"location": {"lat": "51.28", "long": 4.30}}},
     "unmanned_aerial_system.location.lat", "must be a number"),
    ({"unmanned_aerial_system": {"location": {"lat": 51.28, "long": 4.30, "geodetic_altitude": "high"}}},
     "unmanned_aerial_system.location.geodetic_altitude", "must be a number"),
    ({"unmanned_system_operating_area": {"coordinates": [4.29]}},
     "unmanned_system_operating_area.coordinates", "must be [longitude, latitude], two numbers"),
    ({"unmanned_system_operator": {"uid": 42}}, "unmanned_system_operator.uid", "must be text"),
])
def test_a_wrong_type_or_missing_field_names_the_field(changes, field, message):
    assert errors_of({**EVENT, **changes}) == {field: message}


def test_an_event_that_is_not_an_object_is_refused():
    assert errors_of([8001]) == {"record": "must be a JSON object"}
