"""`port2port simulate`: the demo's sensors send through the real HTTP ingestion API (a live
test server here), and the scripted incidents end as the alerts they promise."""

from dataclasses import dataclass
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from port2port.alerts.models import Alert, AlertStatus
from port2port.demo import generate, sensors
from port2port.sensors.events import EventKind
from port2port.sensors.models import Event, SensorCredential

BURST = 150


@dataclass
class Simulated:
    printed: str
    alerts: object  # the alerts the run raised
    started: datetime


@pytest.fixture(scope="module")
def simulated(django_db_setup, django_db_blocker):
    """The demo (without its year of reports) and one short run against a live server, shared by
    this module's tests (each reads it inside its own rolled-back transaction). The test
    settings run the rules at once after each batch, as the worker would a moment later.

    The run commits, as a server does; afterwards the database is put back exactly as it was
    (Django's serialized rollback: flush, then the rows the migrations wrote), so the tests
    that run after this module on the same worker see what they expect."""
    with django_db_blocker.unblock(), override_settings(DEMO_MODE=True):
        before_module = connection.creation.serialize_db_to_string()
        server = LiveServer("localhost")
        try:
            with server._live_server_modified_settings:
                generate.load(report_count=0)
                before, started = set(Alert.objects.values_list("pk", flat=True)), timezone.now()
                out = StringIO()
                call_command("simulate", url=server.url, duration=2, rate=15, burst=BURST, seed=4, stdout=out)
                yield Simulated(out.getvalue(), Alert.objects.exclude(pk__in=before), started)
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(before_module)


def new_alert_of(alerts, rule_name: str):
    [alert] = [alert for alert in alerts if alert.rule and alert.rule.name == rule_name]
    return alert


@pytest.mark.django_db
def test_the_scripted_incidents_raise_the_alerts_they_promise(simulated):
    alerts = simulated.alerts
    burst = new_alert_of(alerts, "Drone over Deurganck dock")
    assert burst.event_count == BURST and burst.status == AlertStatus.NEW
    assert new_alert_of(alerts, "Drone over Albert II dock").organisation.slug == "port-of-antwerp-bruges"
    assert new_alert_of(alerts, "Drone over Vlissingen-Oost, Sloehaven quays").organisation.slug == "north-sea-port"
    new_alert_of(alerts, "Three badges refused at Deurganck gate 4 turnstile")
    new_alert_of(alerts, "Three badges refused at Kluizendok gate 1")
    assert "Alerts raised or grown during the run" in simulated.printed
    assert "Shared with the network as GREEN by Port of Antwerp-Bruges: Drone detected at Zeebrugge" in simulated.printed
    assert "Drone over Deurganck dock" in simulated.printed


@pytest.mark.django_db
def test_one_drone_is_seen_at_two_ports_minutes_apart(simulated):
    sightings = Event.objects.filter(drone_serial=sensors.WANDERER.serial).order_by("occurred_at")
    organisations = {event.organisation.slug for event in sightings}
    assert organisations == {"port-of-antwerp-bruges", "north-sea-port"}
    zeebrugge_last = sightings.filter(organisation__slug="port-of-antwerp-bruges").last().occurred_at
    vlissingen_first = sightings.filter(organisation__slug="north-sea-port").first().occurred_at
    assert 3 * 60 < (vlissingen_first - zeebrugge_last).total_seconds() < 10 * 60


@pytest.mark.django_db
def test_every_event_sent_was_accepted_in_each_sensors_format_and_the_credentials_are_revoked(simulated):
    total = next(line for line in simulated.printed.splitlines() if line.strip().startswith("total")).split()
    _batches, sent, accepted, duplicate, rejected = map(int, total[1:])
    assert sent == accepted > BURST and (duplicate, rejected) == (0, 0)
    run_events = Event.objects.filter(received_at__gte=simulated.started)
    assert run_events.count() == accepted
    by_format = set(run_events.values_list("sensor__adapter", flat=True))
    assert by_format == {"p2p", "remote_id", "onvif", "access_control"}
    assert not SensorCredential.objects.usable().exists()


@pytest.mark.django_db
def test_the_inspection_drone_and_daytime_traffic_raise_nothing_more(simulated):
    inspection = sensors.site("port-of-antwerp-bruges").inspection_drones[0]
    flights = Event.objects.filter(drone_serial=inspection.serial, zone__name="Deurganck dock")
    assert flights.count() >= 10
    assert not Alert.objects.filter(events__in=flights).exists()
    expected_kinds = {EventKind.DRONE_DETECTED, EventKind.BADGE_DENIED, EventKind.LOITERING}
    assert {alert.event_kind for alert in simulated.alerts} <= expected_kinds
