"""Who hears of an alert and how: e-mail to subscribers who may see it when it is sent,
signed webhooks with retries, the delivery log; escalation to a report; automatic GREEN
summaries; silent sensors."""

import http.server
import json
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from port2port.alerts import actions, tasks
from port2port.alerts.channels import webhook as webhook_channel
from port2port.alerts.models import Alert, AlertStatus, Delivery, DeliveryStatus, Severity
from port2port.core.sharing import Audience, Status, Tlp
from port2port.organisations import actions as org_actions
from port2port.reports.models import Report
from port2port.sensors.events import EventKind
from port2port.sensors.models import Sensor
from port2port.sensors.tests.conftest import native_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def drone_rule(world, rig):
    return actions.write_rule(acting_user=world.officer_a, organisation=world.org_a, name="Drone over Quay 1700",
                              event_kind=EventKind.DRONE_DETECTED, zone=rig.zone, severity=Severity.HIGH)


def subscribe(world, person, **options):
    return actions.subscribe(acting_user=person, organisation=world.org_a, **options)


# --- E-mail ------------------------------------------------------------------------------------

def test_a_subscriber_gets_a_title_and_a_link_never_the_content(send, world, drone_rule):
    subscribe(world, world.analyst_a)
    send([native_event(1)])
    [message] = mail.outbox
    alert = Alert.objects.get()
    assert message.to == [world.analyst_a.email]
    assert f"/alerts/{alert.pk}/" in message.body
    for secret in ("Quay 1700", "1581F5FJD23A0000001", "Mavic", "51.28"):
        assert secret not in message.subject + message.body
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_the_e_mail_is_in_the_recipients_language(send, world, drone_rule):
    from port2port.accounts import actions as account_actions

    account_actions.choose_language(acting_user=world.analyst_a, language="nl")
    subscribe(world, world.analyst_a)
    send([native_event(1)])
    assert mail.outbox[0].subject == "[Port 2 Port] Nieuw alarm (Hoog)"


def test_below_the_chosen_severity_no_e_mail_is_sent(send, world, drone_rule):
    subscribe(world, world.analyst_a, min_severity=Severity.CRITICAL)
    send([native_event(1)])
    assert mail.outbox == []


def test_a_subscription_to_other_kinds_sends_nothing(send, world, drone_rule):
    subscribe(world, world.analyst_a, event_kinds=["intrusion"])
    send([native_event(1)])
    assert mail.outbox == []


def test_someone_who_left_before_sending_is_not_told(send, world, drone_rule):
    subscribe(world, world.analyst_a)
    send([native_event(1)])
    # A retry of the same message after they left: planned while a member, not sent now.
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    mail.outbox.clear()
    org_actions.deactivate_member(world.analyst_a.memberships.get(organisation=world.org_a), acting_user=world.admin_a)
    tasks.deliver_due(timezone.now())
    assert mail.outbox == []
    assert Delivery.objects.get().status == DeliveryStatus.DROPPED


def test_only_members_may_subscribe(world):
    from django.core.exceptions import PermissionDenied

    for person in (world.analyst_b, world.outsider_c, world.platform_admin):
        with pytest.raises(PermissionDenied):
            subscribe(world, person)


# --- Webhooks -----------------------------------------------------------------------------------

class Receiver(http.server.BaseHTTPRequestHandler):
    received: list = []
    status = 204

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(Receiver.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    Receiver.received, Receiver.status = [], 204
    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


def test_a_webhook_gets_a_signed_body_with_a_link_and_no_event_content(send, world, drone_rule, receiver):
    hook, secret = actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name="SIEM", url=receiver)
    send([native_event(1)])
    [(headers, body)] = Receiver.received
    assert webhook_channel.verify(secret, headers["X-Port2Port-Signature"], body, now=timezone.now().timestamp())
    document = json.loads(body)
    assert document["severity"] == "high" and document["link"].endswith(f"/alerts/{Alert.objects.get().pk}/")
    assert "1581F5FJD23A0000001" not in body.decode() and "Quay" not in body.decode()
    assert Delivery.objects.get(webhook=hook).status == DeliveryStatus.SENT


def test_a_failing_webhook_is_retried_later_and_logged(send, world, drone_rule, receiver):
    Receiver.status = 500
    actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name="SIEM", url=receiver)
    send([native_event(1)])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.FAILED, 1, 500)
    assert delivery.next_attempt_at > timezone.now()
    Receiver.status = 204
    tasks.deliver_due(delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


def test_a_webhook_gives_up_after_the_last_attempt(send, world, drone_rule, receiver):
    Receiver.status = 500
    actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name="SIEM", url=receiver)
    send([native_event(1)])
    delivery = Delivery.objects.get()
    while delivery.status == DeliveryStatus.FAILED:
        tasks.deliver_due(delivery.next_attempt_at + timedelta(seconds=1))
        delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.GAVE_UP, webhook_channel.MAX_ATTEMPTS)


def test_an_internal_webhook_address_is_refused_when_saved(world):
    from django.core.exceptions import ValidationError

    for url in ("https://127.0.0.1/hook", "https://169.254.169.254/latest", "http://partner.example/hook"):
        with pytest.raises(ValidationError) as error:
            actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name="x", url=url)
        assert "url" in error.value.message_dict


# --- Escalation and sharing ------------------------------------------------------------------

def test_escalating_makes_a_prefilled_draft_report_of_the_organisation(send, world, drone_rule):
    send([native_event(1), native_event(2, serial="1581F5FJD23A0000002")])
    alert, report = actions.escalate_alert(Alert.objects.get(), acting_user=world.analyst_a)
    assert alert.status == AlertStatus.ESCALATED and alert.report == report
    assert (report.owner_org, report.category, report.port, report.status) == (world.org_a, "drone", world.port_a, Status.DRAFT)
    assert report.place == "Quay 1700" and report.latitude == pytest.approx(51.28)
    assert sorted(report.indicators.values_list("kind", "value")) == [
        ("drone_serial", "1581F5FJD23A0000001"), ("drone_serial", "1581F5FJD23A0000002")]
    assert not Report.objects.visible_to(world.analyst_b).filter(pk=report.pk).exists()


def test_an_alert_is_escalated_once(send, world, drone_rule):
    from django.core.exceptions import ValidationError

    send([native_event(1)])
    alert, _ = actions.escalate_alert(Alert.objects.get(), acting_user=world.analyst_a)
    with pytest.raises(ValidationError):
        actions.escalate_alert(alert, acting_user=world.analyst_a)


def test_drone_sightings_shared_automatically_reach_the_network_without_the_serial(send, world, drone_rule):
    actions.set_auto_share(acting_user=world.officer_a, organisation=world.org_a, event_kinds=[EventKind.DRONE_DETECTED])
    send([native_event(1)])
    summary = Report.objects.visible_to(world.analyst_b).get()
    assert (summary.tlp, summary.audience, summary.status) == (Tlp.GREEN, Audience.NETWORK, Status.SHARED)
    assert "DJI Mavic 3" in summary.narrative
    assert "1581F5FJD23A0000001" not in summary.narrative + summary.title
    assert summary.place == "" and not summary.indicators.exists()
    assert (summary.latitude, summary.longitude) == (None, None) and summary.port == world.port_a


def test_automatic_sharing_stops_when_the_person_who_chose_it_leaves(send, world, drone_rule):
    actions.set_auto_share(acting_user=world.officer_a, organisation=world.org_a, event_kinds=[EventKind.DRONE_DETECTED])
    org_actions.deactivate_member(world.officer_a.memberships.get(organisation=world.org_a), acting_user=world.admin_a)
    send([native_event(1)])
    assert Alert.objects.exists()
    assert not Report.objects.exists()


def test_badge_events_cannot_be_shared_automatically(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        actions.set_auto_share(acting_user=world.officer_a, organisation=world.org_a, event_kinds=[EventKind.BADGE_DENIED])


# --- Silent sensors ----------------------------------------------------------------------------

def test_a_silent_sensor_raises_one_offline_alert(send, world, rig):
    send([native_event(1)])
    later = timezone.now() + timedelta(minutes=rig.sensor.expected_interval + 1)
    for sensor in actions.silent_sensors(later):
        actions.raise_offline_alert(sensor, later)
    assert actions.silent_sensors(later + timedelta(minutes=30)) == []  # once, not every round
    alert = Alert.objects.get()
    assert alert.is_offline and alert.sensor == rig.sensor
    send([native_event(2)])
    assert Sensor.objects.get(pk=rig.sensor.pk).offline_since is None


def test_a_sensor_heard_in_time_is_not_offline(send, world, rig):
    send([native_event(1)])
    assert actions.silent_sensors(timezone.now() + timedelta(minutes=rig.sensor.expected_interval - 1)) == []


def test_an_organisation_outside_the_network_cannot_share_automatically(world):
    from django.core.exceptions import ValidationError

    from port2port.organisations.models import Organisation

    Organisation.objects.filter(pk=world.org_a.pk).update(is_network_member=False)
    world.org_a.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        actions.set_auto_share(acting_user=world.officer_a, organisation=world.org_a, event_kinds=[EventKind.DRONE_DETECTED])
    assert "event_kinds" in error.value.message_dict


def test_a_summary_that_cannot_be_shared_does_not_hold_up_the_e_mails(send, world, drone_rule):
    from port2port.organisations.models import Organisation

    actions.set_auto_share(acting_user=world.officer_a, organisation=world.org_a, event_kinds=[EventKind.DRONE_DETECTED])
    subscribe(world, world.analyst_a)
    Organisation.objects.filter(pk=world.org_a.pk).update(is_network_member=False)  # left the network since
    send([native_event(1)])
    assert len(mail.outbox) == 1 and not Report.objects.exists()


def test_an_organisation_has_at_most_five_webhooks(world):
    from django.core.exceptions import ValidationError

    for n in range(actions.MAX_WEBHOOKS):
        actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name=f"h{n}",
                            url=f"https://siem{n}.example.com/hook")
    with pytest.raises(ValidationError) as error:
        actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name="one more",
                            url="https://more.example.com/hook")
    assert "url" in error.value.message_dict


def test_a_refused_address_is_logged_without_the_internal_address(send, world, drone_rule, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name="SIEM", url="https://localhost/hook")
    settings.WEBHOOK_ALLOWED_NETWORKS = []  # the operator closed it again before the alert
    send([native_event(1)])
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error == "url: not a public address"


@pytest.fixture
def database_queue(settings):
    """The worker's queue as in production: tasks are rows, run later by `port2port worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_periodic_checks_are_queued_once_and_keep_themselves_on_the_queue(world, rig, database_queue):
    from django_tasks_db.models import DBTaskResult

    tasks.schedule_periodic_checks()
    tasks.schedule_periodic_checks()  # a second worker starting finds a round waiting
    assert DBTaskResult.objects.filter(task_path=tasks.PERIODIC_TASK).count() == 1
    later = timezone.now() + timedelta(minutes=rig.sensor.expected_interval + 1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        tasks.periodic_checks.call()
    assert Alert.objects.get().is_offline  # the silent sensor was found
    waiting = DBTaskResult.objects.filter(task_path=tasks.PERIODIC_TASK).order_by("-enqueued_at").first()
    assert waiting.run_after == later + tasks.PERIODIC_EVERY
    assert DBTaskResult.objects.filter(task_path=tasks.PERIODIC_TASK).count() == 2


def test_a_failing_round_still_puts_the_next_one_on_the_queue(world, database_queue, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def broken(moment):
        raise RuntimeError("the mail server is down")

    monkeypatch.setattr(tasks, "deliver_due", broken)
    with pytest.raises(RuntimeError):
        tasks.periodic_checks.call()
    assert DBTaskResult.objects.filter(task_path=tasks.PERIODIC_TASK).count() == 1


def test_an_alert_closed_before_its_messages_are_planned_calls_nobody(send, world, drone_rule):
    subscribe(world, world.analyst_a)
    send([native_event(1)])
    alert = Alert.objects.get()
    Delivery.objects.all().delete()
    actions.close_alert(alert, acting_user=world.analyst_a)
    assert actions.plan_deliveries(alert, timezone.now()) == []
