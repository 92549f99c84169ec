"""Port 2 Port's own format ("p2p"), as docs/sensor-format.md describes it."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from port2port.sensors.adapters import REGISTRY
from port2port.sensors.events import EventError, EventIn, validate

FIXTURES = Path(__file__).parent / "fixtures"
ADAPTER = REGISTRY["p2p"]
NOW = datetime(2025, 6, 3, 22, 0, tzinfo=timezone.utc)


def convert_file(name, media_type):
    records = ADAPTER.records((FIXTURES / name).read_bytes(), media_type)
    return [validate(ADAPTER.convert(record), now=NOW) for record in records], records


def errors_of(record):
    with pytest.raises(EventError) as caught:
        ADAPTER.convert(record)
    return {field: str(message) for field, message in caught.value.errors.items()}


def test_it_converts_a_drone_an_intrusion_and_a_denied_badge():
    events, records = convert_file("p2p_batch.json", "application/json")
    assert events == [
        EventIn(
            external_id="dd-ANR-2025-0603-000412", kind="drone_detected",
            occurred_at=datetime(2025, 6, 3, 21, 14, 7, 500_000, tzinfo=timezone.utc),
            latitude=51.27612, longitude=4.33471, altitude_m=86.5, zone="Deurganckdok north",
            confidence=0.93, drone_serial="1581F6BHK2291047RZ3M", drone_model="DJI Mavic 3 Classic",
            rf_band="5.8 GHz", track_id="T-7731", operator_id="BEL8vdc5r2kjq3m7", raw=records[0],
        ),
        EventIn(
            external_id="vca-0388", kind="intrusion", occurred_at=datetime(2025, 6, 3, 21, 20, 41, tzinfo=timezone.utc),
            zone="Quay 1742 fence", confidence=0.81, raw=records[1],
        ),
        EventIn(
            external_id="99120", kind="badge_denied", occurred_at=datetime(2025, 6, 3, 21, 2, 13, tzinfo=timezone.utc),
            zone="Gate 4 turnstile", badge_id="04A1B2C3D4E5F6", raw=records[2],
        ),
    ]


def test_raw_is_the_record_as_sent_with_its_extra_object():
    events, _records = convert_file("p2p_batch.json", "application/json")
    original = json.loads((FIXTURES / "p2p_batch.json").read_text())
    assert [event.raw for event in events] == original
    assert events[1].raw["extra"] == {"camera": "CAM-Q1742-03", "object_class": "person"}


def test_it_reads_ndjson_skipping_blank_lines():
    events, _records = convert_file("p2p_batch.ndjson", "application/x-ndjson")
    assert [(event.external_id, event.kind, event.latitude, event.rf_band) for event in events] == [
        ("rf-0001", "drone_detected", 51.33301, "2.4 GHz"),
        ("rf-0002", "drone_pilot_located", 51.3299, ""),
    ]


def test_the_documented_examples_convert():
    # docs/sensor-format.md shows these bodies; if they stop converting, the document is wrong.
    document = (Path(__file__).parents[3] / "docs" / "sensor-format.md").read_text()
    example = document.split("```json\n", 1)[1].split("```", 1)[0]
    records = ADAPTER.records(example.encode(), "application/json")
    assert [ADAPTER.convert(record).kind for record in records] == ["drone_detected", "intrusion", "badge_denied"]
    ndjson_example = document.split("```\n{", 1)[1].split("```", 1)[0]
    records = ADAPTER.records(("{" + ndjson_example).encode(), "application/x-ndjson")
    assert len(records) == 2 and all(ADAPTER.convert(record).external_id for record in records)


MINIMAL = {"id": "vca-0388", "kind": "intrusion", "time": "2025-06-03T21:20:41Z"}


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"lat": "51.27"}, "lat", "must be a number"),
    ({"lon": True}, "lon", "must be a number"),
    ({"confidence": [0.9]}, "confidence", "must be a number"),
    ({"zone": 12}, "zone", "must be text"),
    ({"id": 1.5}, "id", "must be text"),
    ({"time": "2025-06-03T21:20:41"}, "time", "must be an ISO 8601 date and time with a UTC offset, e.g. 2025-06-03T21:14:07+02:00"),
    ({"time": "yesterday"}, "time", "must be an ISO 8601 date and time with a UTC offset, e.g. 2025-06-03T21:14:07+02:00"),
    ({"time": 1748985247}, "time", "must be an ISO 8601 date and time with a UTC offset, e.g. 2025-06-03T21:14:07+02:00"),
    ({"drone": "1581F6BHK2291047RZ3M"}, "drone", "must be an object"),
    ({"drone": {"serial": 1581}}, "drone.serial", "must be text"),
    ({"extra": ["camera"]}, "extra", "must be an object"),
])
def test_a_wrong_type_names_the_field(changes, field, message):
    assert errors_of({**MINIMAL, **changes}) == {field: message}


@pytest.mark.parametrize("field", ["id", "kind", "time"])
def test_a_missing_required_field_is_named(field):
    record = {key: value for key, value in MINIMAL.items() if key != field}
    assert errors_of(record) == {field: "is required"}


def test_it_refuses_unknown_fields_so_a_misspelling_does_not_lose_data():
    errors = errors_of({**MINIMAL, "latitude": 51.27, "drone": {"serial_number": "X"}})
    assert set(errors) == {"latitude", "drone.serial_number"}
    assert errors["latitude"].startswith("is not a field of this format; the fields are: alt, badge_id, confidence,")


def test_it_names_every_failing_field_of_a_record_at_once():
    assert set(errors_of({"kind": 3, "time": "soon", "lat": "x", "alt": None})) == {"id", "kind", "time", "lat"}


def test_a_record_that_is_not_an_object_is_an_error_of_that_record():
    assert errors_of(["vca-0388", "intrusion"]) == {"record": "must be a JSON object"}


def test_the_kind_is_checked_by_validate_not_guessed():
    event = ADAPTER.convert({**MINIMAL, "kind": "motion"})
    with pytest.raises(EventError) as caught:
        validate(event, now=NOW)
    assert set(caught.value.errors) == {"kind"}


def _records_to_compare():
    """The fixtures' records, and variations of them that must take the careful way."""
    base = json.loads((FIXTURES / "p2p_batch.json").read_text())
    odd = [
        {**base[0], "id": 17}, {**base[0], "id": True}, {**base[0], "id": ""}, {**base[0], "kind": ""},
        {**base[0], "lat": "51.2"}, {**base[0], "lat": True}, {**base[0], "lat": None, "lon": None},
        {**base[0], "time": "2025-06-03T21:14:07"}, {**base[0], "time": 1748985247}, {**base[0], "time": "soon"},
        {**base[0], "drone": None}, {**base[0], "drone": []}, {**base[0], "drone": {"serial": 5}},
        {**base[0], "drone": {"colour": "red"}}, {**base[0], "extra": []}, {**base[0], "extra": {"a": 1}},
        {**base[0], "latitude": 51.0}, {**base[0], "zone": "  Quay 5  "}, {**base[0], "badge_id": 1234},
        [], "text", None,
    ]
    return base + odd


@pytest.mark.parametrize("record", _records_to_compare())
def test_the_quick_reading_gives_what_the_careful_reading_gives(record):
    from port2port.sensors.adapters import native

    quick = native._well_formed(record)
    try:
        careful = native._careful(record)
    except EventError:
        assert quick is None  # a record with a problem never takes the quick way
        return
    assert quick is None or quick == careful
