"""What every source format does alike: the registry, batch limits, unreadable bodies."""

import json
from functools import partial

import pytest

from port2port.sensors.adapters import REGISTRY, Adapter, BatchError
from port2port.sensors.events import MAX_BATCH

# One small valid record per format and body type, to build batches of any size from.
P2P = {"id": "e-1", "kind": "intrusion", "time": "2025-06-03T21:20:41Z"}
ONVIF_XML_MESSAGE = (
    '<wsnt:NotificationMessage><wsnt:Topic>tns1:RuleEngine/LineDetector/Crossed</wsnt:Topic>'
    '<wsnt:Message><tt:Message UtcTime="2025-06-03T21:16:02Z"><tt:Source>'
    '<tt:SimpleItem Name="Rule" Value="Reefer stack R7 line"/></tt:Source></tt:Message></wsnt:Message>'
    '</wsnt:NotificationMessage>'
)


def json_array(record, count, tail="]"):
    return ("[" + ",".join([json.dumps(record)] * count) + tail).encode()


def ndjson(record, count, tail=""):
    return ("\n".join([json.dumps(record)] * count) + "\n" + tail).encode()


def onvif_xml(count, tail="</wsnt:Notify>"):
    return (
        '<wsnt:Notify xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema">'
        + ONVIF_XML_MESSAGE * count + tail
    ).encode()


def access_csv(count, tail=""):
    return ("id,time,door,event\n" + "AC-1,2025-06-03T21:02:13Z,Gate 4,access_denied\n" * count + tail).encode()


REMOTE_ID = {"received_at": "2025-06-03T21:14:07Z", "BasicID": {"IDType": 1, "UASID": "1581F6BHK2291047RZ3M"}}
OCSF = {"class_uid": 8001, "time": 1748985247500, "metadata": {"uid": "x"}}
ONVIF_JSON = {"Topic": "tns1:RuleEngine/LineDetector/Crossed", "UtcTime": "2025-06-03T21:16:02Z"}
ACCESS = {"id": "AC-1", "time": "2025-06-03T21:02:13Z", "event": "access_denied"}

# (format, media type) -> (batch of `count` records, what would break the body if it were read)
BATCHES = {
    ("p2p", "application/json"): (partial(json_array, P2P), ', {"broken'),
    ("p2p", "application/x-ndjson"): (partial(ndjson, P2P), "{broken\n"),
    ("remote_id", "application/json"): (partial(json_array, REMOTE_ID), ", nonsense"),
    ("ocsf", "application/x-ndjson"): (partial(ndjson, OCSF), "][\n"),
    ("onvif", "application/xml"): (onvif_xml, "<wsnt:NotificationMessage><unclosed"),
    ("onvif", "application/json"): (partial(json_array, ONVIF_JSON), ", {"),
    ("access_control", "text/csv"): (access_csv, '"' + "x" * 200_000 + '"\n'),
    ("access_control", "application/json"): (partial(json_array, ACCESS), "]]]"),
}


def test_the_registry_holds_one_adapter_per_format_by_name():
    assert set(REGISTRY) == {"p2p", "remote_id", "ocsf", "onvif", "access_control"}
    for name, adapter in REGISTRY.items():
        assert isinstance(adapter, Adapter) and adapter.name == name and str(adapter.label)
        assert adapter.media_types


@pytest.mark.parametrize(("name", "media_type"), sorted(BATCHES))
def test_a_small_batch_gives_every_record_and_each_converts(name, media_type):
    adapter = REGISTRY[name]
    build, _broken = BATCHES[name, media_type]
    records = adapter.records(build(3), media_type)
    assert len(records) == 3
    assert all(adapter.convert(record).external_id for record in records)


@pytest.mark.parametrize(("name", "media_type"), sorted(BATCHES))
def test_an_oversized_batch_yields_one_record_past_the_limit_and_no_more(name, media_type):
    build, _broken = BATCHES[name, media_type]
    body = build(MAX_BATCH + 50)
    assert len(REGISTRY[name].records(body, media_type)) == MAX_BATCH + 1


@pytest.mark.parametrize(("name", "media_type"), sorted(BATCHES))
def test_reading_stops_at_the_limit_and_never_reaches_the_rest(name, media_type):
    build, broken = BATCHES[name, media_type]
    with pytest.raises(BatchError):  # the broken tail is a BatchError when it is reached...
        REGISTRY[name].records(build(2, broken), media_type)
    # ...and is never reached behind more records than a batch may hold.
    assert len(REGISTRY[name].records(build(MAX_BATCH + 1, broken), media_type)) == MAX_BATCH + 1


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_it_refuses_a_content_type_the_format_does_not_take(name):
    with pytest.raises(BatchError) as caught:
        REGISTRY[name].records(b"{}", "application/pdf")
    assert "application/pdf" in str(caught.value) and name in str(caught.value)


def test_it_reads_the_content_type_without_its_parameters():
    assert len(REGISTRY["p2p"].records(json_array(P2P, 2), "Application/JSON; charset=utf-8")) == 2


@pytest.mark.parametrize(("body", "fragment"), [
    (b'[{"id": "e-1"}, {"id": ', "not valid JSON near character"),
    (b'[{"id": "e-1"} {"id": "e-2"}]', "a comma or ] is expected"),
    (b'"just a string"', "A JSON array of events is expected"),
    (b"[1, 2] [3]", "more after the JSON value"),
    (b"", "A JSON array of events is expected"),
    (b'[{"alt": NaN}]', "not valid JSON"),
    (b"[" * 100_000, "not valid JSON"),
    ('[{"zone": "Zeebrügge"}]'.encode("latin-1"), "not valid UTF-8"),
])
def test_it_refuses_an_unreadable_json_body(body, fragment):
    with pytest.raises(BatchError) as caught:
        REGISTRY["p2p"].records(body, "application/json")
    assert fragment in str(caught.value)


def test_it_reads_a_json_body_with_a_byte_order_mark_and_an_empty_array():
    assert REGISTRY["p2p"].records(b"\xef\xbb\xbf[ ]", "application/json") == []


def test_a_lone_json_object_is_a_batch_of_one():
    assert REGISTRY["p2p"].records(json.dumps(P2P).encode(), "application/json") == [P2P]


def test_it_names_the_line_of_an_unreadable_ndjson_body():
    body = json.dumps(P2P).encode() + b"\n\n{not json}\n"
    with pytest.raises(BatchError) as caught:
        REGISTRY["p2p"].records(body, "application/x-ndjson")
    assert str(caught.value) == "Line 3 is not valid JSON."
