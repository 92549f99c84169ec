"""The demo's sensors: placed at the real ports, set up through the actions, with an inbox that
is not empty, and records that each sensor's adapter reads as the events they stand for."""

import math
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from port2port.alerts.models import Alert, AlertStatus, AutoShare, Rule, Severity, Subscription
from port2port.core.audit import verify_chain
from port2port.core.permissions import Role
from port2port.demo import generate, sensor_formats, sensors
from port2port.demo.network import ORGANISATIONS
from port2port.organisations.models import Membership
from port2port.sensors.adapters import REGISTRY as ADAPTERS
from port2port.sensors.events import EventKind, validate
from port2port.sensors.models import Event, Sensor, Zone

PORTS = {port.locode: port for spec in ORGANISATIONS for port in spec.ports}


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEMO_MODE = True


@pytest.fixture
def demo(db):
    return generate.load(report_count=0)


def kilometres(latitude_a, longitude_a, latitude_b, longitude_b) -> float:
    # Flat-earth distance: good to a few metres over the width of a port.
    north = (latitude_a - latitude_b) * 111.2
    east = (longitude_a - longitude_b) * 111.2 * math.cos(math.radians(latitude_a))
    return math.hypot(north, east)


def test_every_demo_sensor_and_zone_lies_at_its_own_port(demo):
    assert Sensor.objects.count() == sum(len(spec.sensors) for spec in sensors.SITES) >= 10
    for sensor in Sensor.objects.select_related("port", "organisation"):
        assert sensor.port.organisation_id == sensor.organisation_id
        assert kilometres(sensor.latitude, sensor.longitude, sensor.port.latitude, sensor.port.longitude) < 12, sensor
    for zone in Zone.objects.select_related("port"):
        latitudes = [latitude for _longitude, latitude in zone.outline]
        longitudes = [longitude for longitude, _latitude in zone.outline]
        middle = (sum(latitudes) / len(latitudes), sum(longitudes) / len(longitudes))
        assert zone.contains(*middle), zone
        assert kilometres(*middle, zone.port.latitude, zone.port.longitude) < 12, zone


def test_the_demo_zones_hold_the_real_places_they_are_named_after(demo):
    deurganck = next(place for place in PORTS["BEANR"].places if place.name == "Deurganck dock")
    albert_ii = next(place for place in PORTS["BEZEE"].places if place.name == "Albert II dock")
    assert Zone.objects.get(name="Deurganck dock").contains(deurganck.latitude, deurganck.longitude)
    assert Zone.objects.get(name="Albert II dock").contains(albert_ii.latitude, albert_ii.longitude)


def test_each_sensor_kind_the_ports_use_is_there_in_its_own_format(demo):
    formats = set(Sensor.objects.values_list("kind", "adapter"))
    assert formats == {("drone_rf", "p2p"), ("drone_remote_id", "remote_id"), ("camera", "onvif"),
                       ("access_control", "access_control")}


def test_the_rules_are_the_drones_working_groups(demo):
    for spec in sensors.SITES:
        rules = Rule.objects.filter(organisation__slug=spec.organisation)
        drone_rules = rules.filter(event_kind=EventKind.DRONE_DETECTED)
        assert drone_rules.count() == sum(zone.kind == "restricted" for zone in spec.zones)
        assert all(rule.severity == Severity.HIGH and rule.active_from is None for rule in drone_rules)
        assert all(rule.allowlist == [spec.inspection_drones[0].serial] for rule in drone_rules)
        night = rules.get(event_kind=EventKind.LOITERING)
        assert (night.severity, night.active_from.hour, night.active_until.hour) == (Severity.MEDIUM, 22, 6)
        badges = rules.get(event_kind=EventKind.BADGE_DENIED)
        assert (badges.threshold, badges.period_minutes, badges.severity) == (3, 10, Severity.HIGH)


def test_the_inbox_is_not_empty_and_some_alerts_are_already_handled(demo):
    alerts = Alert.objects.all()
    assert set(alerts.values_list("organisation__slug", flat=True)) == {"port-of-antwerp-bruges", "north-sea-port"}
    assert set(alerts.values_list("status", flat=True)) == {AlertStatus.NEW, AlertStatus.ACKNOWLEDGED,
                                                           AlertStatus.CLOSED}
    assert set(alerts.values_list("event_kind", flat=True)) == {
        EventKind.DRONE_DETECTED, EventKind.LOITERING, EventKind.BADGE_DENIED}
    assigned = alerts.get(status=AlertStatus.ACKNOWLEDGED)
    assert assigned.assignee.email == "annelies.desmet@antwerp-bruges.demo"
    officer = Membership.objects.filter(organisation__slug="north-sea-port", role=Role.SECURITY_OFFICER).first().user
    assert Alert.objects.visible_to(officer).open().exists()


def test_the_past_events_are_of_the_last_days_and_a_burst_is_one_alert(demo):
    week_ago = timezone.now() - timedelta(days=7)
    assert Event.objects.count() > 50
    assert not Event.objects.filter(occurred_at__lt=week_ago).exists()
    first_flight = Alert.objects.get(status=AlertStatus.CLOSED)
    assert first_flight.event_count == 24


def test_the_ports_own_inspection_drone_raises_no_alert(demo):
    inspection = sensors.site("port-of-antwerp-bruges").inspection_drones[0]
    flights = Event.objects.filter(drone_serial=inspection.serial)
    assert flights.count() == 12 and all(event.zone.name == "Deurganck dock" for event in flights)
    assert not Alert.objects.filter(events__in=flights).exists()


def test_one_lone_badge_refusal_is_no_alert_but_three_within_ten_minutes_are(demo):
    refused = Event.objects.filter(kind=EventKind.BADGE_DENIED).order_by("occurred_at")
    assert refused.count() == 4
    alert = Alert.objects.get(event_kind=EventKind.BADGE_DENIED)
    assert alert.event_count == 3 and refused.first() not in alert.events.all()
    assert all(len(event.badge_hash) == 64 for event in refused)


def test_officers_are_subscribed_and_antwerp_bruges_shares_its_drone_sightings(demo):
    officers = Membership.objects.filter(organisation__slug__in=[s.organisation for s in sensors.SITES],
                                         role=Role.SECURITY_OFFICER)
    assert set(Subscription.objects.values_list("user_id", flat=True)) == set(officers.values_list("user_id", flat=True))
    assert list(AutoShare.objects.values_list("organisation__slug", "event_kind")) == [
        ("port-of-antwerp-bruges", EventKind.DRONE_DETECTED)]


def test_the_audit_log_with_the_sensors_verifies(demo):
    result = verify_chain()
    assert result.ok, result.problems


@pytest.mark.parametrize("name", [sensor.name for spec in sensors.SITES for sensor in spec.sensors])
def test_what_each_demo_sensor_writes_its_adapter_reads_as_the_same_event(name):
    spec = sensors.sensor_spec(name)
    zone = sensors.zone_spec(spec.zones[0])
    kind = {"drone_rf": EventKind.DRONE_DETECTED, "drone_remote_id": EventKind.DRONE_DETECTED,
            "camera": EventKind.LOITERING, "access_control": EventKind.BADGE_DENIED}[spec.kind]
    at = timezone.now() - timedelta(minutes=3)
    latitude, longitude = sensors.inside(zone, random.Random(1))
    seen = sensor_formats.Observation(kind, at, 7, "t", latitude, longitude, 80.0, zone=zone.name,
                               drone=sensors.WANDERER, badge="04C7D10A55E2F9", track="31")
    data, content_type = sensor_formats.body(spec, [sensor_formats.record(spec, seen)])
    adapter = ADAPTERS[spec.adapter]
    [record] = adapter.records(data, content_type)
    event = validate(adapter.convert(record), now=timezone.now())
    assert event.kind == kind
    assert abs(event.occurred_at - at) < timedelta(seconds=1)
    if kind == EventKind.DRONE_DETECTED:
        assert (event.drone_serial, event.latitude, event.longitude) == (sensors.WANDERER.serial, latitude, longitude)
    else:
        assert event.zone == zone.name
