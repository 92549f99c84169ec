"""Background work of alerts, run by `port2port worker` (django-tasks-db): the rules on each
batch of new events, the deliveries of a new alert, and the periodic checks (silent sensors,
delivery retries) that keep themselves on the queue.

Recipients are decided when a message goes out, not when it was planned: a person who left
the organisation, or a webhook turned off, in between gets nothing.
"""

import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from port2port.core import audit, bulk

from . import actions
from .channels import webhook as webhook_channel
from .models import Alert, Delivery, DeliveryChannel, DeliveryStatus, Severity

log = logging.getLogger(__name__)

PERIODIC_EVERY = timedelta(seconds=30)
PERIODIC_TASK = "port2port.alerts.tasks.periodic_checks"


@task
def evaluate_events(sensor_id: int, event_id_runs: list[list[int]]) -> int:
    """The rules over one ingested batch (its event ids as runs [[first, last], ...], see
    core.bulk.id_runs); returns how many alerts were raised or extended."""
    return len(actions.evaluate_events(bulk.ids_of(event_id_runs)))


@task
def after_new_alert(alert_id: int) -> None:
    """A new alert: its messages planned (and the due ones sent), and the network summary if
    its kind is shared automatically."""
    alert = Alert.objects.filter(pk=alert_id).select_related("organisation", "port", "zone").first()
    if alert is None:
        return
    # Deliveries first, in their own transaction: nothing about the summary can hold them up.
    with transaction.atomic():
        actions.plan_deliveries(alert, timezone.now())
    with transaction.atomic():
        actions.share_summary(alert)
    deliver_due(timezone.now())


@task
def periodic_checks() -> None:
    """Silent sensors and delivery retries; then back on the queue for the next round, even
    when this round failed (the chain would otherwise stop until the worker restarts)."""
    moment = timezone.now()
    try:
        for sensor in actions.silent_sensors(moment):
            actions.raise_offline_alert(sensor, moment)
        deliver_due(moment)
    finally:
        periodic_checks.using(run_after=moment + PERIODIC_EVERY).enqueue()


def schedule_periodic_checks() -> None:
    """Put the periodic checks on the queue unless a round is already waiting (the worker
    calls this when it starts)."""
    waiting = DBTaskResult.objects.filter(task_path=PERIODIC_TASK, status="READY").exists()
    if not waiting:
        periodic_checks.enqueue()


# --- Sending ----------------------------------------------------------------------------------

# One round of sending stops after this long, so that hanging receivers cannot hold the shared
# worker (rules of every organisation wait behind it); what is left goes in the next round.
ROUND_BUDGET_SECONDS = 20


def deliver_due(moment) -> int:
    """Send deliveries whose time has come, within the round's time budget; returns how many
    were attempted."""
    started, attempted = time.monotonic(), 0
    for delivery in Delivery.objects.due(moment).select_related("alert", "user", "webhook")[:200]:
        if time.monotonic() - started > ROUND_BUDGET_SECONDS:
            break
        _attempt(delivery, moment)
        attempted += 1
    return attempted


def _attempt(delivery: Delivery, moment) -> None:
    if not _recipient_may_see(delivery):
        _finish(delivery, DeliveryStatus.DROPPED, error="recipient may no longer see the alert")
        return
    delivery.attempts += 1
    ok, status_code, error = _send(delivery)
    delivery.last_status_code, delivery.last_error = status_code, error[:300]
    if ok:
        _finish(delivery, DeliveryStatus.SENT, sent_at=moment)
    elif delivery.attempts >= webhook_channel.MAX_ATTEMPTS:
        _finish(delivery, DeliveryStatus.GAVE_UP)
    else:
        delivery.next_attempt_at = moment + webhook_channel.next_attempt_delay(delivery.attempts)
        _finish(delivery, DeliveryStatus.FAILED)


def _recipient_may_see(delivery: Delivery) -> bool:
    """Checked at send time through the rule: the person is an active member of the alert's
    organisation now; the webhook is still on and still the organisation's."""
    if delivery.channel == DeliveryChannel.EMAIL:
        return Alert.objects.visible_to(delivery.user).filter(pk=delivery.alert_id).exists()
    hook = delivery.webhook
    return hook is not None and hook.is_active and hook.organisation_id == delivery.alert.organisation_id


def _finish(delivery: Delivery, status: str, *, error: str = "", sent_at=None) -> None:
    delivery.status = status
    if error:
        delivery.last_error = error
    if sent_at:
        delivery.sent_at = sent_at
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_status_code", "last_error", "sent_at"])
    audit.record(f"alerts.delivery.{status}", actor=None, organisation_id=delivery.alert.organisation_id,
                 target=delivery.alert, detail={"delivery": delivery.pk, "channel": delivery.channel,
                                                "attempts": delivery.attempts})


def alert_link(alert: Alert) -> str:
    return settings.SITE_URL + reverse("alerts:detail", args=[alert.pk])


def _send(delivery: Delivery) -> tuple[bool, int | None, str]:
    if delivery.channel == DeliveryChannel.EMAIL:
        return _send_email(delivery)
    body = json.dumps(webhook_body(delivery.alert)).encode()
    result = webhook_channel.post(delivery.webhook.url, body, delivery.webhook.secret, delivery_id=str(delivery.pk))
    if result.status is None and result.error.startswith("url:"):
        # The guard refused the address. Its words name the internal address a name resolves
        # to; members read the log, so it says less there and the server log says the rest.
        log.warning("webhook %s refused: %s", delivery.webhook_id, result.error)
        return False, None, "url: not a public address"
    return result.ok, result.status, result.error


def webhook_body(alert: Alert) -> dict:
    """What a partner system receives: enough to route the alert, and a link; no event content."""
    return {
        "type": "alert", "id": alert.pk, "organisation": alert.organisation_id,
        "event_kind": alert.event_kind or "offline", "severity": Severity(alert.severity).name.lower(),
        "status": alert.status, "first_event_at": alert.first_event_at.isoformat(),
        "last_event_at": alert.last_event_at.isoformat(), "link": alert_link(alert),
    }


def _send_email(delivery: Delivery) -> tuple[bool, int | None, str]:
    """A title and a link, in the recipient's language; never the alert's content."""
    user, alert = delivery.user, delivery.alert
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = _("[Port 2 Port] New alert (%(severity)s)") % {"severity": alert.get_severity_display()}
        body = _("A new alert needs your attention. Open it here (sign-in required):\n\n%(link)s\n") % {
            "link": alert_link(alert)}
    try:
        send_mail(subject, body, None, [user.email])
    except OSError as error:
        log.warning("alert e-mail %s failed: %s", delivery.pk, error)
        return False, None, str(error)
    return True, None, ""
