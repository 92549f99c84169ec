"""A sensor of port A with a zone and a credential, for the sensor and alert tests."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from port2port.sensors import actions
from port2port.sensors.models import SensorKind

# A rectangle over Antwerp's Deurganck dock, [longitude, latitude].
QUAY_OUTLINE = [[4.25, 51.27], [4.27, 51.27], [4.27, 51.29], [4.25, 51.29]]
INSIDE_QUAY = (51.28, 4.26)


@dataclass
class Rig:
    sensor: object
    zone: object
    credential: object
    token: str

    @property
    def headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}


@pytest.fixture
def rig(world) -> Rig:
    zone = actions.define_zone(acting_user=world.officer_a, organisation=world.org_a, name="Quay 1700",
                               outline=QUAY_OUTLINE, port=world.port_a)
    sensor = actions.register_sensor(acting_user=world.officer_a, organisation=world.org_a, name="RF detector 1",
                                     kind=SensorKind.DRONE_RF, port=world.port_a, latitude=51.28, longitude=4.26,
                                     expected_interval=10, zones=[zone])
    credential, token = actions.issue_credential(sensor, acting_user=world.officer_a)
    return Rig(sensor=sensor, zone=zone, credential=credential, token=token)


def native_event(number: int, *, kind="drone_detected", at=None, serial="1581F5FJD23A0000001", zone="", **extra) -> dict:
    """One event in our own JSON format (docs/sensor-format.md)."""
    at = at or timezone.now() - timedelta(seconds=30)
    event = {"id": f"evt-{number}", "kind": kind, "time": at.astimezone(UTC).isoformat(),
             "lat": INSIDE_QUAY[0], "lon": INSIDE_QUAY[1], "confidence": 0.9}
    if serial and kind.startswith("drone"):
        event["drone"] = {"serial": serial, "model": "DJI Mavic 3"}
    if zone:
        event["zone"] = zone
    event.update(extra)
    return event


def at_local(hour: int, minute: int = 0) -> datetime:
    """Today (Brussels) at this wall-clock time, or yesterday if that is still to come."""
    now = timezone.localtime()
    moment = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return moment if moment <= now else moment - timedelta(days=1)
