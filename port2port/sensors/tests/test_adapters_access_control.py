"""Access-control events: denied badges, tailgating, forced and held doors, as CSV or JSON."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from port2port.sensors.adapters import REGISTRY, BatchError
from port2port.sensors.events import EventError, EventIn, validate

FIXTURES = Path(__file__).parent / "fixtures"
ADAPTER = REGISTRY["access_control"]
NOW = datetime(2025, 6, 3, 22, 0, tzinfo=timezone.utc)


def events_of(name, media_type):
    records = ADAPTER.records((FIXTURES / name).read_bytes(), media_type)
    return [validate(ADAPTER.convert(record), now=NOW) for record in records]


def summary(event):
    return event.external_id, event.kind, event.occurred_at, event.zone, event.badge_id


def at(hour, minute, second):
    return datetime(2025, 6, 3, hour, minute, second, tzinfo=timezone.utc)


def errors_of(record):
    with pytest.raises(EventError) as caught:
        ADAPTER.convert(record)
    return {field: str(message) for field, message in caught.value.errors.items()}


def test_a_csv_export_gives_a_denied_badge_and_a_door_held_open():
    events = events_of("access_control.csv", "text/csv")
    assert [summary(event) for event in events] == [
        ("AC-55102", "badge_denied", at(21, 2, 13), "Gate 4 turnstile", "04A1B2C3D4E5F6"),
        ("AC-55117", "other", at(21, 44, 50), "Berth 1742, crew gate", ""),
    ]
    assert events[0] == EventIn(
        external_id="AC-55102", kind="badge_denied", occurred_at=at(21, 2, 13), zone="Gate 4 turnstile",
        badge_id="04A1B2C3D4E5F6",
        raw={"id": "AC-55102", "time": "2025-06-03T21:02:13Z", "door": "Gate 4 turnstile", "reader": "RDR-G4-IN",
             "badge_id": "04A1B2C3D4E5F6", "event": "access_denied", "reason": "outside schedule"},
    )


def test_a_spreadsheet_export_with_semicolons_a_byte_order_mark_and_crlf_is_read():
    events = events_of("access_control_semicolon.csv", "text/csv")
    assert [summary(event) for event in events] == [
        ("118204", "badge_denied", at(21, 2, 13), "Gate 4 turnstile", "04A1B2C3D4E5F6"),
        ("118207", "tailgating", at(21, 5, 40), "Gate 4 turnstile", "04A1B2C3D4E5F7"),
        ("118230", "door_forced", at(21, 40, 2), "Warehouse 12 fire exit", ""),
    ]
    # Only the columns we read are kept: exports add cardholder names and the like.
    assert "site" not in events[0].raw and events[0].raw["reason"] == "Badge expired"


def test_json_records_give_the_same_kinds_and_the_reader_stands_in_for_a_missing_door():
    events = events_of("access_control.json", "application/json")
    assert [summary(event) for event in events] == [
        ("AC-55130", "badge_denied", at(21, 50, 9), "Customs hall B", "7734120"),
        ("AC-55131", "door_forced", at(21, 52, 30), "RDR-CHB-2", ""),
    ]


@pytest.mark.parametrize(("written", "kind"), [
    ("Access Denied", "badge_denied"), ("DENIED", "badge_denied"), ("badge-denied", "badge_denied"),
    ("tailgate", "tailgating"), ("Forced Open", "door_forced"), ("door-forced-open", "door_forced"),
    ("Door Held Open", "other"), ("held", "other"),
])
def test_common_spellings_of_the_event_are_understood(written, kind):
    record = {"id": "AC-1", "time": "2025-06-03T21:02:13Z", "door": "Gate 4", "event": written}
    assert ADAPTER.convert(record).kind == kind


RECORD = {"id": "AC-1", "time": "2025-06-03T21:02:13Z", "door": "Gate 4", "event": "access_denied"}


def test_granted_access_is_refused_because_it_is_not_an_incident():
    errors = errors_of({**RECORD, "event": "access granted"})
    assert errors == {"event": "must be one of: access_denied, tailgating, door_forced, door_held (granted access is not sent)"}


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"id": ""}, "id", "is required"),
    ({"event": None}, "event", "is required"),
    ({"time": "03/06/2025 23:02"}, "time", "must be an ISO 8601 date and time with a UTC offset, e.g. 2025-06-03T21:14:07+02:00"),
    ({"time": "2025-06-03T23:02:13"}, "time", "must be an ISO 8601 date and time with a UTC offset, e.g. 2025-06-03T21:14:07+02:00"),
    ({"badge_id": ["04A1"]}, "badge_id", "must be text"),
    ({"door": {"name": "Gate 4"}}, "door", "must be text"),
])
def test_a_wrong_type_or_missing_field_names_the_field(changes, field, message):
    assert errors_of({**RECORD, **changes}) == {field: message}


def test_a_csv_row_with_more_values_than_columns_is_refused_on_its_own():
    body = b"id,time,door,event\nAC-1,2025-06-03T21:02:13Z,Gate 4,access_denied,surplus\nAC-2,2025-06-03T21:03:00Z,Gate 4,tailgating\n"
    first, second = ADAPTER.records(body, "text/csv")
    assert errors_of(first) == {"row": "has more values than the header has columns"}
    assert ADAPTER.convert(second).kind == "tailgating"


def test_a_short_csv_row_leaves_the_missing_columns_empty():
    [record] = ADAPTER.records(b"id,time,event,door,badge_id\nAC-1,2025-06-03T21:02:13Z,door_forced\n", "text/csv")
    assert (ADAPTER.convert(record).zone, record["badge_id"]) == ("", None)


@pytest.mark.parametrize(("body", "message"), [
    (b"identifier,when,what\nAC-1,2025-06-03T21:02:13Z,access_denied\n",
     "The CSV header row must name the columns id, time, event (also known: id, time, door, reader, badge_id, "
     "event, reason); missing: id, time, event."),
    (b"AC-1,2025-06-03T21:02:13Z,Gate 4,access_denied\n",
     "The CSV header row must name the columns id, time, event (also known: id, time, door, reader, badge_id, "
     "event, reason); missing: id, time, event."),
    (b"", "The CSV header row must name the columns id, time, event (also known: id, time, door, reader, badge_id, "
          "event, reason); missing: id, time, event."),
    (b"id,time,event,door,Door\n", "The CSV header row names a column twice: door."),
])
def test_a_bad_header_refuses_the_whole_body_saying_why(body, message):
    with pytest.raises(BatchError) as caught:
        ADAPTER.records(body, "text/csv")
    assert str(caught.value) == message


def test_a_csv_that_is_not_utf8_is_refused_whole():
    body = "id,time,door,event\nAC-1,2025-06-03T21:02:13Z,Poort Zeebrügge,access_denied\n".encode("cp1252")
    with pytest.raises(BatchError) as caught:
        ADAPTER.records(body, "text/csv")
    assert str(caught.value).startswith("The body is not valid UTF-8")


def test_a_header_only_csv_is_an_empty_batch():
    assert ADAPTER.records(b"id,time,door,event\r\n\r\n", "text/csv") == []
