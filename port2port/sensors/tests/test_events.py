"""The checks every sensor event passes, whatever format it came in."""

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from port2port.sensors.events import MAX_BATCH, MAX_LENGTHS, EventError, EventIn, EventKind, validate

NOW = datetime(2025, 6, 3, 22, 0, tzinfo=timezone.utc)


def drone_event(**changes):
    """A drone seen over the Deurganckdok a quarter of an hour ago, every field filled."""
    event = EventIn(
        external_id="dd-ANR-2025-0603-000412",
        kind=EventKind.DRONE_DETECTED,
        occurred_at=datetime(2025, 6, 3, 23, 45, tzinfo=timezone(timedelta(hours=2))),
        latitude=51.27612,
        longitude=4.33471,
        altitude_m=86.5,
        zone="Deurganckdok north",
        confidence=0.93,
        drone_serial="1581F6BHK2291047RZ3M",
        drone_model="DJI Mavic 3 Classic",
        rf_band="5.8 GHz",
        track_id="T-7731",
        operator_id="BEL8vdc5r2kjq3m7",
        raw={"id": "dd-ANR-2025-0603-000412"},
    )
    return dataclasses.replace(event, **changes)


def errors_of(event, now=NOW):
    with pytest.raises(EventError) as caught:
        validate(event, now=now)
    return {field: str(message) for field, message in caught.value.errors.items()}


def test_the_kinds_are_the_agreed_ones():
    assert EventKind.values == [
        "drone_detected", "drone_pilot_located", "intrusion", "line_crossing", "loitering", "tamper",
        "badge_denied", "tailgating", "door_forced", "other",
    ]
    assert MAX_BATCH == 10_000


def test_it_accepts_a_complete_event_and_gives_its_time_in_utc():
    event = validate(drone_event(), now=NOW)
    assert event.occurred_at == datetime(2025, 6, 3, 21, 45, tzinfo=timezone.utc)
    assert event.occurred_at.utcoffset() == timedelta(0)
    assert (event.latitude, event.zone, event.raw) == (51.27612, "Deurganckdok north", {"id": "dd-ANR-2025-0603-000412"})


def test_it_accepts_an_event_without_position_or_confidence():
    event = drone_event(latitude=None, longitude=None, altitude_m=None, confidence=None)
    assert validate(event, now=NOW).latitude is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("latitude", 90.0001, "must be a number between -90 and 90"),
    ("latitude", -91, "must be a number between -90 and 90"),
    ("longitude", 180.5, "must be a number between -180 and 180"),
    ("longitude", -181.0, "must be a number between -180 and 180"),
    ("altitude_m", 20_000.5, "must be a number between -500 and 20000"),
    ("altitude_m", -501, "must be a number between -500 and 20000"),
])
def test_it_rejects_coordinates_out_of_range(field, value, message):
    assert errors_of(drone_event(**{field: value})) == {field: message}


@pytest.mark.parametrize("value", [90, -90, 0])
def test_it_accepts_the_poles_and_the_equator(value):
    assert validate(drone_event(latitude=value), now=NOW).latitude == value


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), True, "51.2"])
def test_it_rejects_numbers_that_are_not_finite_numbers(value):
    # NaN compares false with both bounds, so a range check alone would let it through.
    assert set(errors_of(drone_event(latitude=value))) == {"latitude"}


def test_it_requires_both_coordinates_or_neither():
    assert errors_of(drone_event(longitude=None)) == {
        "longitude": "is required when the other coordinate is given (both or neither)"}
    assert set(errors_of(drone_event(latitude=None))) == {"latitude"}


@pytest.mark.parametrize("value", [1.01, -0.01, 93])
def test_it_rejects_a_confidence_outside_zero_to_one(value):
    assert errors_of(drone_event(confidence=value)) == {"confidence": "must be a number between 0 and 1"}


def test_it_accepts_a_clock_a_few_minutes_ahead():
    assert validate(drone_event(occurred_at=NOW + timedelta(minutes=5)), now=NOW)


def test_it_rejects_a_time_more_than_five_minutes_in_the_future():
    event = drone_event(occurred_at=NOW + timedelta(minutes=5, seconds=1))
    assert errors_of(event) == {"occurred_at": "is more than 5 minutes in the future; check the sensor's clock"}


def test_it_rejects_events_older_than_thirty_days():
    assert validate(drone_event(occurred_at=NOW - timedelta(days=30)), now=NOW)
    event = drone_event(occurred_at=NOW - timedelta(days=30, seconds=1))
    assert errors_of(event) == {"occurred_at": "is more than 30 days old; older events are not accepted"}


def test_it_reads_the_maximum_age_from_the_settings(settings):
    settings.SENSOR_EVENT_MAX_AGE_DAYS = 7
    assert validate(drone_event(occurred_at=NOW - timedelta(days=6)), now=NOW)
    assert set(errors_of(drone_event(occurred_at=NOW - timedelta(days=8)))) == {"occurred_at"}


def test_it_rejects_a_time_without_a_time_zone():
    event = drone_event(occurred_at=datetime(2025, 6, 3, 21, 45))
    assert errors_of(event) == {"occurred_at": "must be a date and time with a time zone"}


def test_it_rejects_an_unknown_kind():
    assert errors_of(drone_event(kind="motion"))["kind"].startswith("must be one of: drone_detected, drone_pilot_located,")


@pytest.mark.parametrize("external_id", ["", "   "])
def test_it_requires_the_sensors_own_id(external_id):
    assert set(errors_of(drone_event(external_id=external_id))) == {"external_id"}


@pytest.mark.parametrize("field", sorted(MAX_LENGTHS))
def test_it_bounds_the_length_of_every_text_field(field):
    limit = MAX_LENGTHS[field]
    assert validate(drone_event(**{field: "x" * limit}), now=NOW)
    assert errors_of(drone_event(**{field: "x" * (limit + 1)})) == {field: f"must be at most {limit} characters"}


def test_the_external_id_is_bounded_at_200_and_the_zone_at_100():
    assert (MAX_LENGTHS["external_id"], MAX_LENGTHS["zone"]) == (200, 100)


def test_it_rejects_text_fields_holding_nul_characters():
    # PostgreSQL cannot store NUL in text; failing here names the field instead of a 500 later.
    assert errors_of(drone_event(drone_serial="1581F6BHK2291047RZ3M\x00")) == {
        "drone_serial": "must not contain NUL characters"}


@pytest.mark.parametrize(("raw", "message"), [
    ({"alt": float("nan")}, "must be plain JSON (no NaN or infinity)"),
    ({"when": datetime(2025, 6, 3)}, "must be plain JSON (no NaN or infinity)"),
    ({"UASID": "1581F6BHK2291047RZ3M\x00\x00"}, "must not contain NUL characters"),
    ({"deep": [{"key\x00": 1}]}, "must not contain NUL characters"),
    (["not", "an", "object"], "must be a JSON object"),
])
def test_it_refuses_a_raw_record_that_could_not_be_stored(raw, message):
    assert errors_of(drone_event(raw=raw)) == {"raw": message}


def test_a_raw_record_may_hold_the_text_backslash_u0000():
    # Only a real NUL is refused; six printable characters that spell its escape are not one.
    assert validate(drone_event(raw={"note": "\\u0000", "path": "C:\\\\u0000"}), now=NOW)


def test_it_names_every_failing_field_at_once():
    event = drone_event(
        external_id="", kind="unknown", latitude=123.0, confidence=1.5,
        occurred_at=NOW + timedelta(hours=1), zone="z" * 101,
    )
    assert set(errors_of(event)) == {"external_id", "kind", "latitude", "confidence", "occurred_at", "zone"}


def test_an_event_error_reads_as_field_and_message():
    error = EventError({"latitude": "must be a number between -90 and 90"})
    assert str(error) == "latitude: must be a number between -90 and 90"
