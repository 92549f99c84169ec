"""ONVIF analytics events from cameras: WS-BaseNotification XML, or the same fields as JSON."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from port2port.sensors.adapters import REGISTRY, BatchError
from port2port.sensors.events import EventError, validate

FIXTURES = Path(__file__).parent / "fixtures"
ADAPTER = REGISTRY["onvif"]
NOW = datetime(2025, 6, 3, 22, 0, tzinfo=timezone.utc)

INTRUSION = {
    "Topic": "tns1:RuleEngine/FieldDetector/ObjectsInside",
    "ProducerReference": "http://10.20.3.41/onvif/event_service",
    "UtcTime": "2025-06-03T21:14:07.250Z",
    "PropertyOperation": "Changed",
    "Source": {
        "VideoSourceConfigurationToken": "VideoSourceConfig_1",
        "VideoAnalyticsConfigurationToken": "VideoAnalyticsConfig_1",
        "Rule": "Quay 1742 fence",
    },
    "Key": {},
    "Data": {"IsInside": "true"},
}


def records_of(name, media_type):
    return ADAPTER.records((FIXTURES / name).read_bytes(), media_type)


def events_of(name, media_type):
    return [validate(ADAPTER.convert(record), now=NOW) for record in records_of(name, media_type)]


def summary(event):
    return event.kind, event.occurred_at, event.zone, event.track_id


def errors_of(record):
    with pytest.raises(EventError) as caught:
        ADAPTER.convert(record)
    return {field: str(message) for field, message in caught.value.errors.items()}


def test_a_notify_in_a_soap_envelope_gives_an_intrusion_a_line_crossing_and_a_tampering():
    events = events_of("onvif_notify.xml", "application/soap+xml")
    assert [summary(event) for event in events] == [
        ("intrusion", datetime(2025, 6, 3, 21, 14, 7, 250_000, tzinfo=timezone.utc), "Quay 1742 fence", ""),
        ("line_crossing", datetime(2025, 6, 3, 21, 16, 2, 120_000, tzinfo=timezone.utc), "Reefer stack R7 line", "5521"),
        ("tamper", datetime(2025, 6, 3, 21, 18, 44, tzinfo=timezone.utc), "MyTamperDetectorRule", ""),
    ]
    assert all(event.external_id.startswith("onvif-") and event.confidence is None for event in events)


def test_an_xml_message_becomes_the_same_record_the_json_form_has():
    assert records_of("onvif_notify.xml", "text/xml")[0] == INTRUSION


def test_the_end_of_a_state_and_the_state_on_subscription_are_not_events():
    # The fixture's 2nd message (IsInside false) and 5th (Initialized) are left out.
    topics = [record["Topic"] for record in records_of("onvif_notify.xml", "application/xml")]
    assert topics == [
        "tns1:RuleEngine/FieldDetector/ObjectsInside",
        "tns1:RuleEngine/LineDetector/Crossed",
        "tns1:RuleEngine/TamperDetector/Tamper",
    ]


def test_a_metadata_stream_event_gives_loitering_with_its_object():
    [event] = events_of("onvif_metadata_stream.xml", "application/xml")
    assert summary(event) == (
        "loitering", datetime(2025, 6, 3, 21, 31, 15, 4000, tzinfo=timezone.utc), "Gate 2 parking", "318")
    assert event.raw["ProducerReference"] == "uri://2f6e1c1a-77d1-4a5e-b3b1-9c2c0f6e1a10/ProducerReference"


def test_the_json_form_gives_the_same_events_as_the_xml():
    from_json = events_of("onvif_events.json", "application/json")
    from_xml = events_of("onvif_notify.xml", "application/xml")
    assert [summary(event) for event in from_json] == [summary(event) for event in from_xml[:2]]
    assert from_json[1].external_id == "vms-evt-20250603-118"


def test_the_same_message_sent_twice_has_the_same_id_and_another_message_another():
    first = ADAPTER.convert(INTRUSION)
    again = ADAPTER.convert(dict(INTRUSION))
    later = ADAPTER.convert({**INTRUSION, "UtcTime": "2025-06-03T21:20:00Z"})
    assert first.external_id == again.external_id != later.external_id


def test_a_global_scene_change_is_tampering():
    record = {"Topic": "tns1:VideoSource/GlobalSceneChange/ImagingService", "UtcTime": "2025-06-03T21:00:00Z",
              "Source": {"Source": "VideoSourceToken_1"}, "Data": {"State": "true"}}
    assert ADAPTER.convert(record).kind == "tamper"


def test_a_time_without_an_offset_is_utc_as_its_name_says():
    event = ADAPTER.convert({**INTRUSION, "UtcTime": "2025-06-03T21:14:07"})
    assert event.occurred_at == datetime(2025, 6, 3, 21, 14, 7, tzinfo=timezone.utc)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"Topic": None}, "Topic", "is required"),
    ({"UtcTime": None}, "UtcTime", "is required"),
    ({"UtcTime": "0000-00-00T00:00:00Z"}, "UtcTime", "must be an xs:dateTime, e.g. 2025-06-03T21:14:07.250Z"),
    ({"Source": ["Quay 1742 fence"]}, "Source", "must be an object"),
    ({"Data": "true"}, "Data", "must be an object"),
    ({"Source": {"Rule": ["Quay 1742 fence"]}}, "Source.Rule", "must be text"),
])
def test_a_wrong_type_or_missing_field_names_the_field(changes, field, message):
    assert errors_of({**INTRUSION, **changes}) == {field: message}


def test_a_topic_that_is_not_read_here_is_refused_and_the_known_ones_listed():
    errors = errors_of({**INTRUSION, "Topic": "tns1:RuleEngine/CellMotionDetector/Motion"})
    assert errors["Topic"].startswith("is not an analytics topic read here; these are: RuleEngine/FieldDetector/ObjectsInside,")


def test_a_billion_laughs_is_refused_before_any_entity_is_expanded():
    with pytest.raises(BatchError) as caught:
        records_of("xml_billion_laughs.xml", "application/xml")
    assert str(caught.value) == "The XML has a document type declaration or entities; ONVIF events need neither."


def test_an_external_entity_is_refused_and_the_file_never_read():
    with pytest.raises(BatchError) as caught:
        records_of("xml_external_entity.xml", "application/xml")
    assert "root:" not in str(caught.value)
    assert "document type declaration" in str(caught.value)


@pytest.mark.parametrize(("body", "fragment"), [
    (b"<wsnt:Notify xmlns:wsnt='http://docs.oasis-open.org/wsn/b-2'><wsnt:NotificationMessage>", "not well-formed XML"),
    (b"not xml at all", "not well-formed XML"),
    (b"<Envelope><Body/></Envelope>", "holds no wsnt:NotificationMessage"),
    (b'<?xml version="1.0"?><!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a/>', "document type declaration"),
])
def test_an_unreadable_xml_body_is_refused_whole(body, fragment):
    with pytest.raises(BatchError) as caught:
        ADAPTER.records(body, "application/xml")
    assert fragment in str(caught.value)
