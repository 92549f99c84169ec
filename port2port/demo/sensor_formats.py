"""What a demo sensor sends, in its own format: an `Observation` (something a sensor saw) is
written as one record of the sensor's adapter (Port 2 Port JSON, Remote ID, ONVIF, access
control), and a batch of records as the body of a POST to the ingestion API. The demo's history
(demo/sensors.py) and `port2port simulate` both write through here, so they send exactly what a
real sensor of that kind would.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from port2port.sensors.events import EventKind

if TYPE_CHECKING:  # only named in annotations; demo/sensors.py imports this module
    from .sensors import Drone, SensorSpec


@dataclass(frozen=True)
class Observation:
    """Something a demo sensor saw, before it is written in the sensor's format. `number` is
    the sensor's running number of the event; `prefix` keeps runs apart (the demo's history,
    each `simulate` run)."""

    kind: str
    at: datetime
    number: int
    prefix: str = "h"
    latitude: float | None = None
    longitude: float | None = None
    altitude: float | None = None
    zone: str = ""  # as the sensor names it: a camera's rule, a door
    drone: Drone | None = None
    pilot: tuple[float, float] | None = None
    badge: str = ""
    detail: str = ""  # a reason, a door's state
    track: str = ""


def record(sensor: SensorSpec, seen: Observation) -> dict:
    """One record in the sensor's format, as it would put it in a batch."""
    return RECORD_WRITERS[sensor.adapter](sensor, seen)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _native_record(sensor: SensorSpec, seen: Observation) -> dict:
    """docs/sensor-format.md, "The Port 2 Port format"."""
    item = {"id": f"{sensor.code}-{seen.prefix}-{seen.number:06d}", "kind": seen.kind, "time": _iso(seen.at)}
    if seen.latitude is not None:
        item.update(lat=seen.latitude, lon=seen.longitude)
    if seen.altitude is not None:
        item["alt"] = seen.altitude
    if seen.zone:
        item["zone"] = seen.zone
    item["confidence"] = 0.91 if seen.drone and seen.drone.serial else 0.74
    if seen.drone:
        drone = {"serial": seen.drone.serial, "model": seen.drone.model, "rf_band": "2.4 GHz"}
        item["drone"] = {**drone, "track_id": seen.track} if seen.track else drone
    return item


def _remote_id_record(sensor: SensorSpec, seen: Observation) -> dict:
    """A received frame as opendroneid-core-c names its messages (the remote_id adapter)."""
    if seen.drone is None:
        from .sensors import HOBBY_DRONES  # a frame always names a drone; the sites' list is there

        drone = HOBBY_DRONES[0]
    else:
        drone = seen.drone
    after_hour = seen.at.astimezone(UTC)
    frame = {
        # The receiver's own frame number: Remote ID stamps frames only to a tenth of a second.
        "id": f"{sensor.code}/{seen.prefix}-{seen.number:06d}",
        "receiver": sensor.code,
        "received_at": _iso(seen.at + timedelta(milliseconds=320)),
        "transport": "BT5",
        "mac": drone.mac,
        "rssi": -60 - seen.number % 25,
        "BasicID": {"UAType": 2, "IDType": 1, "UASID": drone.serial},
        "Location": {
            "Status": 2, "Direction": float(seen.number * 7 % 360), "SpeedHorizontal": 6.5, "SpeedVertical": 0.0,
            "Latitude": seen.latitude, "Longitude": seen.longitude,
            "AltitudeGeo": seen.altitude if seen.altitude is not None else -1000.0, "HeightType": 0,
            "HorizAccuracy": 10, "VertAccuracy": 4, "BaroAccuracy": 4, "SpeedAccuracy": 3, "TSAccuracy": 2,
            "TimeStamp": round(after_hour.minute * 60 + after_hour.second + after_hour.microsecond / 1e6, 1),
        },
    }
    if seen.pilot:
        frame["System"] = {"OperatorLocationType": 1, "ClassificationType": 1, "OperatorLatitude": seen.pilot[0],
                           "OperatorLongitude": seen.pilot[1], "CategoryEU": 1, "ClassEU": 1}
    if drone.operator_id:
        frame["OperatorID"] = {"OperatorIdType": 0, "OperatorId": drone.operator_id}
    return frame


ONVIF_TOPICS = {
    EventKind.INTRUSION: ("tns1:RuleEngine/FieldDetector/ObjectsInside", "IsInside"),
    EventKind.LINE_CROSSING: ("tns1:RuleEngine/LineDetector/Crossed", ""),
    EventKind.LOITERING: ("tns1:RuleEngine/LoiteringDetector/ObjectIsLoitering", "State"),
    EventKind.TAMPER: ("tns1:RuleEngine/TamperDetector/Tamper", "IsTamper"),
}


def _onvif_record(sensor: SensorSpec, seen: Observation) -> dict:
    """A NotificationMessage as the onvif adapter reads it (every value text, as in the XML)."""
    topic, state = ONVIF_TOPICS[seen.kind]
    data = {"ObjectId": seen.track or str(seen.number)}
    if state:
        data[state] = "true"
    return {
        "Topic": topic,
        "ProducerReference": f"http://{sensor.code}.cctv.local/onvif/event_service",
        "UtcTime": _iso(seen.at),
        "PropertyOperation": "Changed",
        "Source": {"VideoSourceConfigurationToken": "VideoSourceConfig_1",
                   "VideoAnalyticsConfigurationToken": "VideoAnalyticsConfig_1", "Rule": seen.zone},
        "Data": data,
    }


ACCESS_CONTROL_EVENTS = {EventKind.BADGE_DENIED: "access_denied", EventKind.TAILGATING: "tailgating",
                         EventKind.DOOR_FORCED: "door_forced", EventKind.OTHER: "door_held"}


def _access_control_record(sensor: SensorSpec, seen: Observation) -> dict:
    """A row of the access-control export (id, time, door, reader, badge_id, event, reason)."""
    return {
        "id": f"{sensor.code}-{seen.prefix}-{seen.number:06d}", "time": _iso(seen.at), "door": seen.zone,
        "reader": f"RDR-{sensor.code.upper()}-{1 + seen.number % 2}", "badge_id": seen.badge,
        "event": ACCESS_CONTROL_EVENTS[seen.kind], "reason": seen.detail,
    }


RECORD_WRITERS = {"p2p": _native_record, "remote_id": _remote_id_record, "onvif": _onvif_record,
                  "access_control": _access_control_record}


# Bodies: what goes over the wire, in each format's usual content type.

def _json_body(records: list[dict]) -> bytes:
    return json.dumps(records, ensure_ascii=False).encode()


WSNT, TT, WSA = ("http://docs.oasis-open.org/wsn/b-2", "http://www.onvif.org/ver10/schema",
                 "http://www.w3.org/2005/08/addressing")
SOAP = "http://www.w3.org/2003/05/soap-envelope"


def _onvif_body(records: list[dict]) -> bytes:
    """A SOAP envelope around a wsnt:Notify, one NotificationMessage per record."""
    for prefix, uri in (("env", SOAP), ("wsnt", WSNT), ("tt", TT), ("wsa", WSA)):
        ET.register_namespace(prefix, uri)
    envelope = ET.Element(f"{{{SOAP}}}Envelope")
    notify = ET.SubElement(ET.SubElement(envelope, f"{{{SOAP}}}Body"), f"{{{WSNT}}}Notify")
    for item in records:
        message = ET.SubElement(notify, f"{{{WSNT}}}NotificationMessage")
        ET.SubElement(message, f"{{{WSNT}}}Topic",
                      Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet").text = item["Topic"]
        producer = ET.SubElement(message, f"{{{WSNT}}}ProducerReference")
        ET.SubElement(producer, f"{{{WSA}}}Address").text = item["ProducerReference"]
        inner = ET.SubElement(ET.SubElement(message, f"{{{WSNT}}}Message"), f"{{{TT}}}Message",
                              UtcTime=item["UtcTime"], PropertyOperation=item["PropertyOperation"])
        for part in ("Source", "Data"):
            holder = ET.SubElement(inner, f"{{{TT}}}{part}")
            for name, value in item[part].items():
                ET.SubElement(holder, f"{{{TT}}}SimpleItem", Name=name, Value=value)
    return ET.tostring(envelope, encoding="utf-8", xml_declaration=True)


def _csv_body(records: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", "time", "door", "reader", "badge_id", "event", "reason"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue().encode()


BODY_WRITERS = {  # adapter -> (content type, body writer)
    "p2p": ("application/json", _json_body),
    "remote_id": ("application/json", _json_body),
    "onvif": ("application/soap+xml", _onvif_body),
    "access_control": ("text/csv", _csv_body),
}


def body(sensor: SensorSpec, records: list[dict]) -> tuple[bytes, str]:
    """(the request body, its content type) of a batch from this sensor."""
    content_type, write = BODY_WRITERS[sensor.adapter]
    return write(records), content_type
