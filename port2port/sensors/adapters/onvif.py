"""ONVIF analytics events: the WS-BaseNotification messages a camera or its analytics send.

A body is XML holding one or more wsnt:NotificationMessage elements (a wsnt:Notify, perhaps in
a SOAP envelope, or a tt:MetadataStream of tt:Event elements), or JSON records with the same
fields: 'Topic', 'UtcTime', 'PropertyOperation', 'Source' and 'Data' (each a name -> value
object, as the SimpleItems are), 'ProducerReference', and optionally 'id'. XML messages become
exactly such records, so `raw` is the same whichever way a camera sent them.

XML is untrusted input: it is read with defusedxml, and a document type declaration is refused
outright (ONVIF never needs one), which stops entity expansion bombs and external entities.

Topics read (namespace prefixes ignored): RuleEngine/FieldDetector/ObjectsInside -> intrusion,
RuleEngine/LineDetector/Crossed -> line_crossing, RuleEngine/LoiteringDetector/* -> loitering,
RuleEngine/TamperDetector/Tamper and VideoSource/GlobalSceneChange/* -> tamper. The rule's name
is the zone; the ObjectId, when given, the track.

ONVIF reports states: a rule's state turning true, and later false again. Only the start is an
event; so messages whose state item (IsInside, IsTamper, IsLoitering, State) is false, and the
'Initialized' and 'Deleted' messages that describe states rather than changes, are left out of
the batch by `iter_records`.
"""

import hashlib
import io
import json
from datetime import datetime, timezone

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..events import EventIn, EventKind
from .base import JSON, NDJSON, SOAP_XML, TEXT_XML, XML, Adapter, BatchError, Fields, require_object

TOPIC_KINDS = (
    ("RuleEngine/FieldDetector/ObjectsInside", EventKind.INTRUSION),
    ("RuleEngine/LineDetector/Crossed", EventKind.LINE_CROSSING),
    ("RuleEngine/LoiteringDetector/", EventKind.LOITERING),
    ("RuleEngine/TamperDetector/Tamper", EventKind.TAMPER),
    ("VideoSource/GlobalSceneChange/", EventKind.TAMPER),
)
STATE_ITEMS = ("IsInside", "IsTamper", "IsLoitering", "State")
NOT_CHANGES = frozenset({"Initialized", "Deleted"})


class OnvifAdapter(Adapter):
    name = "onvif"
    label = _("ONVIF analytics events")
    media_types = (XML, TEXT_XML, SOAP_XML, JSON, NDJSON)

    def iter_records(self, body: bytes, media_type: str):
        records = super().iter_records(body, media_type) if media_type in (JSON, NDJSON) else iter_xml(body)
        return (record for record in records if is_a_start(record))

    def convert(self, record) -> EventIn:
        fields = Fields(require_object(record))
        topic = fields.text("Topic", required=True)
        kind = kind_of(topic)
        if topic and kind is None:
            fields.fail("Topic", format_lazy(
                _("is not an analytics topic read here; these are: {topics}"),
                topics=", ".join(prefix for prefix, _kind in TOPIC_KINDS)))
        occurred_at = _utc_time(fields)
        # Source and Data must each be a name -> value object, as their SimpleItems are.
        fields.object("Source")
        fields.object("Data")
        event = EventIn(
            external_id=fields.text("id", numbers=True) or _digest_id(record),
            kind=kind or EventKind.OTHER.value,
            occurred_at=occurred_at,
            zone=_item_text(fields, ("Source", "Rule")),
            track_id=_item_text(fields, ("Data", "ObjectId")),
            raw=record,
        )
        fields.raise_if_failed()
        return event


def kind_of(topic: str) -> str | None:
    path = _without_prefixes(topic)
    return next((kind.value for prefix, kind in TOPIC_KINDS if path.startswith(prefix)), None)


def _without_prefixes(topic: str) -> str:
    """'tns1:RuleEngine/FieldDetector/ObjectsInside' -> 'RuleEngine/FieldDetector/ObjectsInside'."""
    return "/".join(part.rsplit(":", 1)[-1] for part in topic.strip().split("/"))


def is_a_start(record) -> bool:
    """False for messages that end a state or only describe one (see the module docstring)."""
    if not isinstance(record, dict):
        return True  # convert() reports it
    if record.get("PropertyOperation") in NOT_CHANGES:
        return False
    data = record.get("Data")
    if not isinstance(data, dict):
        return True
    state = next((data[name] for name in STATE_ITEMS if name in data), None)
    return state is None or _truthy(state)


def _truthy(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)


def _utc_time(fields):
    """UtcTime is UTC by definition; a value without an offset is read as UTC."""
    value = fields.text("UtcTime", required=True)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fields.fail("UtcTime", _("must be an xs:dateTime, e.g. 2025-06-03T21:14:07.250Z"))
        return None
    if moment.utcoffset() is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _item_text(fields, key) -> str:
    value = fields.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return fields.text(key)


def _digest_id(record) -> str:
    """ONVIF messages carry no id: one is made from what tells a message apart, so a batch sent
    twice gives the same ids."""
    parts = {key: record.get(key) for key in ("ProducerReference", "Topic", "UtcTime", "Source", "Data")}
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return "onvif-" + hashlib.sha256(canonical.encode()).hexdigest()[:40]


# --- XML -------------------------------------------------------------------------------------


def iter_xml(body: bytes):
    """Records from every NotificationMessage of an XML body, read as a stream: each message is
    dropped from memory once read, and reading stops when the caller stops asking."""
    found = False
    try:
        for _event, element in iterparse(io.BytesIO(body), events=("end",), forbid_dtd=True):
            if _local(element.tag) == "NotificationMessage":
                found = True
                yield notification_record(element)
                element.clear()
    except DefusedXmlException:
        raise BatchError(_("The XML has a document type declaration or entities; ONVIF events need neither.")) from None
    except ParseError as error:
        raise BatchError(format_lazy(_("The body is not well-formed XML ({error})."), error=error)) from None
    if not found:
        raise BatchError(_("The XML holds no wsnt:NotificationMessage."))


def notification_record(element) -> dict:
    """One wsnt:NotificationMessage as the JSON record this format also accepts."""
    message = _child(_child(element, "Message"), "Message")
    record = {
        "Topic": _text(_child(element, "Topic")),
        "ProducerReference": _text(_child(_child(element, "ProducerReference"), "Address")),
    }
    if message is not None:
        record["UtcTime"] = message.get("UtcTime", "")
        record["PropertyOperation"] = message.get("PropertyOperation", "")
        for part in ("Source", "Key", "Data"):
            record[part] = _simple_items(_child(message, part))
    return {key: value for key, value in record.items() if value not in ("", None)}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element, name):
    if element is None:
        return None
    return next((child for child in element if _local(child.tag) == name), None)


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


def _simple_items(element) -> dict:
    if element is None:
        return {}
    return {
        item.get("Name"): item.get("Value", "")
        for item in element if _local(item.tag) == "SimpleItem" and item.get("Name")
    }


ADAPTER = OnvifAdapter()
