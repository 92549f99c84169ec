"""Named, audited writes to rules, alerts, subscriptions, webhooks and automatic sharing, and
the rule engine the worker runs on each batch of new events.

Rules are evaluated per batch, not per event, and a burst is grouped: while an alert of a rule
is open and the new events fall within the rule's period of its last event, they join it (its
count grows) instead of raising another alert. So 500 events make one alert.
"""

import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from port2port.core import audit, bulk
from port2port.core.permissions import Permission
from port2port.core.sharing import Audience, Tlp
from port2port.organisations.models import Membership, Organisation
from port2port.reports import actions as report_actions
from port2port.reports.forms import organisations_where
from port2port.reports.models import Category
from port2port.sensors.actions import require_sensor_manager
from port2port.sensors.events import EventKind
from port2port.sensors.models import Event, Sensor

from .channels.webhook import UnsafeDestination, check_url
from .models import (
    OPEN_STATUSES, Alert, AlertEvent, AlertStatus, AutoShare, Delivery, DeliveryChannel, Rule, Severity,
    Subscription, Webhook,
)

LOCAL_TIME = ZoneInfo(settings.TIME_ZONE)


# --- Rules ------------------------------------------------------------------------------------

RULE_FIELDS = ("name", "event_kind", "zone", "active_from", "active_until", "threshold", "period_minutes",
               "allowlist", "severity", "is_active")


def _clean_rule(rule: Rule) -> None:
    if rule.zone is not None and rule.zone.organisation_id != rule.organisation_id:
        raise ValidationError({"zone": _("Choose one of your organisation's zones.")})
    if not isinstance(rule.allowlist, list) or not all(isinstance(s, str) for s in rule.allowlist):
        raise ValidationError({"allowlist": _("List the serial numbers of authorised drones, one per line.")})
    rule.allowlist = sorted({serial.strip().upper() for serial in rule.allowlist if serial.strip()})
    rule.name = (rule.name or "").strip()
    if (rule.active_from is None) != (rule.active_until is None):
        missing = "active_until" if rule.active_until is None else "active_from"
        raise ValidationError({missing: _("Give both ends of the time window, or neither.")})
    rule.full_clean()


@transaction.atomic
def write_rule(*, acting_user, organisation: Organisation, ip=None, **fields) -> Rule:
    """A new alert rule for the organisation's events."""
    require_sensor_manager(acting_user, organisation)
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    rule = Rule(organisation=organisation, created_by=acting_user, **fields)
    _clean_rule(rule)
    rule.save()
    audit.record("alerts.rule.write", actor=acting_user, organisation_id=organisation.pk, target=rule, ip=ip)
    return rule


@transaction.atomic
def change_rule(rule: Rule, *, acting_user, ip=None, **changes) -> Rule:
    require_sensor_manager(acting_user, rule.organisation)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    for name, value in changes.items():
        setattr(rule, name, value)
    _clean_rule(rule)
    rule.save()
    audit.record("alerts.rule.change", actor=acting_user, organisation_id=rule.organisation_id, target=rule,
                 detail={"fields": sorted(changes)}, ip=ip)
    return rule


def rule_matches(rule: Rule, event: Event) -> bool:
    """Whether one event counts towards the rule: its kind, its zone, the time window (the
    port's wall clock) and, for drones, not one of the port's own."""
    if event.kind != rule.event_kind:
        return False
    if rule.zone_id is not None and event.zone_id != rule.zone_id:
        return False
    if event.drone_serial and event.drone_serial.strip().upper() in rule.allowlist:
        return False
    return rule.is_active_at(event.occurred_at.astimezone(LOCAL_TIME).time())


# --- The engine: events -> alerts --------------------------------------------------------------

def evaluate_events(event_ids: list[int]) -> list[Alert]:
    """Run the rules of the events' organisation over a batch of new events (the worker calls
    this after each ingested batch). Returns the alerts raised or extended."""
    events = list(Event.objects.filter(pk__in=event_ids).defer("raw").select_related("sensor")
                  .order_by("occurred_at", "id"))
    if not events:
        return []
    organisation_id = events[0].organisation_id
    touched = []
    for rule in Rule.objects.filter(organisation_id=organisation_id, is_active=True):
        matching = [event for event in events if rule_matches(rule, event)]
        counted = _counted_events(rule, matching) if matching else None
        if counted:
            touched.append(_raise_or_extend(rule, counted))
    return touched


def _counted_events(rule: Rule, matching: list[Event]) -> list[Event] | None:
    """The events that meet the threshold, oldest first: each one that closes a run of at
    least `threshold` matching events within `period` (the batch's own and, before them,
    those of earlier batches), with the events of that run. None while no run is long enough."""
    if rule.threshold == 1:
        return matching
    period = timedelta(minutes=rule.period_minutes)
    candidates = sorted(_earlier_matches(rule, matching, period) + matching, key=lambda e: (e.occurred_at, e.pk))
    counted, first = {}, 0
    for last, event in enumerate(candidates):
        while event.occurred_at - candidates[first].occurred_at > period:
            first += 1
        if last - first + 1 >= rule.threshold:
            counted.update((e.pk, e) for e in candidates[first:last + 1])
    return sorted(counted.values(), key=lambda e: (e.occurred_at, e.pk)) or None


def _earlier_matches(rule: Rule, matching: list[Event], period) -> list[Event]:
    """Matching events of earlier batches that could make a run with this batch's."""
    earlier = (Event.objects.filter(organisation_id=rule.organisation_id, kind=rule.event_kind,
                                    occurred_at__gte=matching[0].occurred_at - period,
                                    occurred_at__lte=matching[-1].occurred_at)
               .exclude(pk__in=[event.pk for event in matching]).defer("raw").select_related("sensor"))
    if rule.zone_id is not None:
        earlier = earlier.filter(zone_id=rule.zone_id)
    return [event for event in earlier.iterator(chunk_size=500) if rule_matches(rule, event)]


@transaction.atomic
def _raise_or_extend(rule: Rule, matching: list[Event]) -> Alert:
    first, last = matching[0].occurred_at, matching[-1].occurred_at
    alert = (Alert.objects.select_for_update().filter(rule=rule, status__in=OPEN_STATUSES,
                                                      last_event_at__gte=first - timedelta(minutes=rule.period_minutes))
             .order_by("-last_event_at").first())
    if alert is None:
        alert = _new_alert(rule, matching)
    else:
        alert.last_event_at = max(alert.last_event_at, last)
        alert.first_event_at = min(alert.first_event_at, first)
    _link(alert, matching)
    alert.event_count = AlertEvent.objects.filter(alert=alert).count()
    alert.save(update_fields=["first_event_at", "last_event_at", "event_count", "updated_at"])
    return alert


def _new_alert(rule: Rule, matching: list[Event]) -> Alert:
    sensor = matching[0].sensor
    zone = rule.zone or next((e.zone for e in matching if e.zone_id), None)
    alert = Alert.objects.create(
        organisation_id=rule.organisation_id, rule=rule, sensor=sensor, zone=zone, port=sensor.port,
        event_kind=rule.event_kind, title=rule.name, severity=rule.severity,
        first_event_at=matching[0].occurred_at, last_event_at=matching[-1].occurred_at)
    audit.record("alerts.raise", actor=None, organisation_id=rule.organisation_id, target=alert,
                 detail={"rule": rule.pk, "events": len(matching)})
    transaction.on_commit(lambda: _after_new_alert(alert.pk))
    return alert


def _link(alert: Alert, events: list[Event]) -> None:
    bulk.insert_returning(AlertEvent, ("alert_id", "event_id"), [(alert.pk, event.pk) for event in events],
                          skip_conflicts_on=("alert_id", "event_id"))


def _after_new_alert(alert_id: int) -> None:
    from .tasks import after_new_alert  # the task module imports this one

    after_new_alert.enqueue(alert_id)


@transaction.atomic
def raise_offline_alert(sensor: Sensor, moment) -> Alert:
    """A sensor fell silent for longer than its expected interval."""
    Sensor.objects.filter(pk=sensor.pk).update(offline_since=moment)
    alert = Alert.objects.create(
        organisation_id=sensor.organisation_id, sensor=sensor, port=sensor.port, is_offline=True,
        title=sensor.name, severity=Severity.MEDIUM, first_event_at=sensor.last_event_at or moment,
        last_event_at=moment)
    audit.record("alerts.raise", actor=None, organisation_id=sensor.organisation_id, target=alert,
                 detail={"offline_sensor": sensor.pk})
    transaction.on_commit(lambda: _after_new_alert(alert.pk))
    return alert


def silent_sensors(moment):
    """Active sensors with an expected interval, silent for longer, not yet reported offline."""
    candidates = Sensor.objects.filter(is_active=True, expected_interval__isnull=False, offline_since__isnull=True)
    return [sensor for sensor in candidates.select_related("port")
            if (sensor.last_event_at or sensor.created_at) < moment - timedelta(minutes=sensor.expected_interval)]


# --- People handling alerts -------------------------------------------------------------------

def handles_alerts(user, organisation_id: int) -> bool:
    """Whether the person's role in the organisation handles its alerts."""
    return organisations_where(user, Permission.ALERTS_HANDLE).filter(pk=organisation_id).exists()


def require_handler(user, alert: Alert) -> None:
    """403 for members whose role does not handle alerts (the caller found the alert through
    visible_to, so everyone else already had the 404)."""
    if not handles_alerts(user, alert.organisation_id):
        raise PermissionDenied(_("Your role does not handle alerts."))


# Where an alert may go from each status. A closed alert stays closed: new events raise a new one.
NEXT_STATUSES = {
    AlertStatus.NEW: {AlertStatus.ACKNOWLEDGED, AlertStatus.ESCALATED, AlertStatus.CLOSED},
    AlertStatus.ACKNOWLEDGED: {AlertStatus.ACKNOWLEDGED, AlertStatus.ESCALATED, AlertStatus.CLOSED},
    AlertStatus.ESCALATED: {AlertStatus.ESCALATED, AlertStatus.CLOSED},
    AlertStatus.CLOSED: set(),
}


def _set_status(alert: Alert, status: str, user, ip, **extra) -> Alert:
    require_handler(user, alert)
    before = alert.status
    if status not in NEXT_STATUSES[before]:
        raise ValidationError({"status": _("This alert is %(status)s; that cannot be done any more.")
                               % {"status": alert.get_status_display().lower()}})
    alert.status = status
    for name, value in extra.items():
        setattr(alert, name, value)
    alert.save(update_fields=["status", "updated_at", *extra])
    audit.record(f"alerts.{status}", actor=user, organisation_id=alert.organisation_id, target=alert,
                 detail={"from": before, **{k: getattr(v, "pk", v) for k, v in extra.items()}}, ip=ip)
    return alert


@transaction.atomic
def acknowledge_alert(alert: Alert, *, acting_user, ip=None) -> Alert:
    """Someone is on it. The acknowledging person becomes the assignee if there was none."""
    return _set_status(alert, AlertStatus.ACKNOWLEDGED, acting_user, ip, assignee=alert.assignee or acting_user)


@transaction.atomic
def assign_alert(alert: Alert, *, acting_user, assignee, ip=None) -> Alert:
    if assignee is not None and not handles_alerts(assignee, alert.organisation_id):
        raise ValidationError({"assignee": _("Choose a member of your organisation who handles alerts.")})
    status = AlertStatus.ACKNOWLEDGED if alert.status == AlertStatus.NEW else alert.status
    return _set_status(alert, status, acting_user, ip, assignee=assignee)


@transaction.atomic
def close_alert(alert: Alert, *, acting_user, ip=None) -> Alert:
    return _set_status(alert, AlertStatus.CLOSED, acting_user, ip)


@transaction.atomic
def escalate_alert(alert: Alert, *, acting_user, ip=None):
    """Turn an alert into a draft report of the organisation, prefilled with what the events
    say (category, port, place, time, drone serials as indicators), for the person to check
    and share. The alert is marked escalated and points at the report."""
    from port2port.indicators.actions import NewIndicator, add_indicators  # indicators sit below; lazy: heavy import

    require_handler(acting_user, alert)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)  # two clicks make one report
    if alert.report_id:
        raise ValidationError({"alert": _("This alert is already a report.")})
    events = list(alert.events.order_by("occurred_at")[:500])
    report = report_actions.report_incident(
        acting_user=acting_user, organisation=alert.organisation, ip=ip, **_report_content(alert, events))
    indicators = _indicators_of(events)
    if indicators:
        add_indicators(report, acting_user=acting_user, items=[NewIndicator(kind, value) for kind, value in indicators], ip=ip)
    return _set_status(alert, AlertStatus.ESCALATED, acting_user, ip, report=report), report


CATEGORY_OF_KIND = {
    EventKind.DRONE_DETECTED: Category.DRONE, EventKind.DRONE_PILOT_LOCATED: Category.DRONE,
    EventKind.INTRUSION: Category.INTRUSION, EventKind.LINE_CROSSING: Category.INTRUSION,
    EventKind.TAILGATING: Category.INTRUSION, EventKind.DOOR_FORCED: Category.INTRUSION,
    EventKind.BADGE_DENIED: Category.INTRUSION, EventKind.LOITERING: Category.SUSPICIOUS,
    EventKind.TAMPER: Category.THEFT,
}


def _report_content(alert: Alert, events: list[Event]) -> dict:
    located = next((e for e in events if e.latitude is not None), None)
    lines = [_("%(count)d sensor events from %(first)s to %(last)s.") % {
        "count": alert.event_count, "first": alert.first_event_at.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M"),
        "last": alert.last_event_at.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")}]
    models_seen = sorted({e.drone_model for e in events if e.drone_model})
    if models_seen:
        lines.append(_("Drone models: %(models)s.") % {"models": ", ".join(models_seen)})
    return {
        "title": alert.title[:200], "category": CATEGORY_OF_KIND.get(alert.event_kind, Category.OTHER),
        "port": alert.port, "place": alert.zone.name if alert.zone else "",
        "latitude": located.latitude if located else None, "longitude": located.longitude if located else None,
        "occurred_at": alert.first_event_at, "narrative": "\n".join(lines),
    }


def _indicators_of(events: list[Event]) -> list[tuple[str, str]]:
    """Drone serials and operator ids the events carry, once each."""
    found = []
    for event in events:
        if event.drone_serial:
            found.append(("drone_serial", event.drone_serial))
        if event.operator_id:
            found.append(("uas_operator", event.operator_id))
    return list(dict.fromkeys(found))


# --- Subscriptions, webhooks, automatic sharing -----------------------------------------------

@transaction.atomic
def subscribe(*, acting_user, organisation: Organisation, event_kinds=(), ports=(), min_severity=Severity.HIGH,
              by_email: bool = True, ip=None) -> Subscription:
    """What alerts of one of my organisations reach me by e-mail (the inbox shows them all)."""
    if not Membership.objects.active().filter(user=acting_user, organisation=organisation).exists():
        raise PermissionDenied(_("You are not a member of this organisation."))
    unknown = [kind for kind in event_kinds if kind not in EventKind.values and kind != "offline"]
    if unknown:
        raise ValidationError({"event_kinds": _("Unknown event kind: %(kind)s.") % {"kind": unknown[0]}})
    if any(port.organisation_id != organisation.pk for port in ports):
        raise ValidationError({"ports": _("Choose ports of this organisation.")})
    if min_severity not in Severity.values:
        raise ValidationError({"min_severity": _("Choose a severity.")})
    subscription, _created = Subscription.objects.update_or_create(
        user=acting_user, organisation=organisation,
        defaults={"event_kinds": sorted(set(event_kinds)), "min_severity": min_severity, "by_email": by_email})
    subscription.ports.set(ports)
    audit.record("alerts.subscribe", actor=acting_user, organisation_id=organisation.pk, target=subscription, ip=ip)
    return subscription


# Each webhook costs the shared worker up to a few seconds a delivery when its receiver hangs.
MAX_WEBHOOKS = 5


@transaction.atomic
def add_webhook(*, acting_user, organisation: Organisation, name: str, url: str, min_severity=Severity.HIGH,
                ip=None) -> tuple[Webhook, str]:
    """A signed webhook for the organisation's alerts; the signing secret is shown once."""
    require_sensor_manager(acting_user, organisation)
    if Webhook.objects.filter(organisation=organisation).count() >= MAX_WEBHOOKS:
        raise ValidationError({"url": _("An organisation has at most %(n)d webhooks.") % {"n": MAX_WEBHOOKS}})
    try:
        check_url(url)
    except (UnsafeDestination, ValueError) as error:
        raise ValidationError({"url": str(error)}) from None
    secret = secrets.token_hex(32)
    webhook = Webhook(organisation=organisation, name=(name or "").strip(), url=url, secret=secret,
                      min_severity=min_severity, created_by=acting_user)
    webhook.full_clean()
    webhook.save()
    audit.record("alerts.webhook.add", actor=acting_user, organisation_id=organisation.pk, target=webhook, ip=ip)
    return webhook, secret


@transaction.atomic
def remove_webhook(webhook: Webhook, *, acting_user, ip=None) -> None:
    require_sensor_manager(acting_user, webhook.organisation)
    audit.record("alerts.webhook.remove", actor=acting_user, organisation_id=webhook.organisation_id,
                 target=webhook, ip=ip)
    webhook.delete()


@transaction.atomic
def set_auto_share(*, acting_user, organisation: Organisation, event_kinds, ip=None) -> list[str]:
    """Which event kinds the organisation shares with the network as GREEN summaries."""
    require_sensor_manager(acting_user, organisation)
    kinds = sorted(set(event_kinds))
    if kinds and not organisation.is_network_member:
        raise ValidationError({"event_kinds": _("Only members of the network share with it.")})
    if any(kind not in SHAREABLE_KINDS for kind in kinds):
        raise ValidationError({"event_kinds": _("Only drone sightings, intrusions, line crossings and tampering are shared automatically.")})
    AutoShare.objects.filter(organisation=organisation).exclude(event_kind__in=kinds).delete()
    for kind in kinds:
        AutoShare.objects.get_or_create(organisation=organisation, event_kind=kind, defaults={"created_by": acting_user})
    audit.record("alerts.auto_share", actor=acting_user, organisation_id=organisation.pk, target=organisation,
                 detail={"event_kinds": kinds}, ip=ip)
    return kinds


# Kinds whose summary carries no personal data (badges and people are never shared this way).
SHAREABLE_KINDS = (EventKind.DRONE_DETECTED, EventKind.INTRUSION, EventKind.LINE_CROSSING, EventKind.TAMPER)


def share_summary(alert: Alert):
    """The GREEN network summary of a new alert, when its organisation shares that kind: time,
    place and drone models, nothing about people. Written in the name of whoever turned the
    sharing on, and only while that person is still a member who may write reports."""
    choice = AutoShare.objects.filter(organisation_id=alert.organisation_id, event_kind=alert.event_kind).first()
    if choice is None:
        return None
    try:
        return report_actions.report_incident(
            acting_user=choice.created_by, organisation=alert.organisation, share_now=True,
            marking={"tlp": Tlp.GREEN, "audience": Audience.NETWORK}, **_summary_content(alert))
    except (PermissionDenied, ValidationError):
        # The person who chose this left, or the organisation left the network: the summaries
        # stop, and nothing else about the alert (its deliveries) depends on them.
        return None


def _summary_content(alert: Alert) -> dict:
    events = list(alert.events.order_by("occurred_at")[:200])
    content = _report_content(alert, events)
    content["title"] = _("%(kind)s at %(port)s") % {
        "kind": EventKind(alert.event_kind).label, "port": alert.port.name if alert.port else _("a port")}
    # The network learns the port, not where in it: no place name, no coordinates.
    content.update(place="", latitude=None, longitude=None)
    return content


def plan_deliveries(alert: Alert, moment) -> list[Delivery]:
    """Who is told of a new alert beyond the inbox: subscribers who want it by e-mail, and the
    organisation's webhooks. Whether each may still see it is checked again when sending. An
    alert already closed by the time this runs calls nobody."""
    if alert.status == AlertStatus.CLOSED:
        return []
    planned = []
    subscriptions = (Subscription.objects.filter(organisation_id=alert.organisation_id, by_email=True)
                     .prefetch_related("ports"))
    for subscription in subscriptions:
        if subscription.wants(alert, {port.pk for port in subscription.ports.all()}):
            planned.append(Delivery(alert=alert, channel=DeliveryChannel.EMAIL, user_id=subscription.user_id,
                                    next_attempt_at=moment))
    for webhook in Webhook.objects.filter(organisation_id=alert.organisation_id, is_active=True,
                                          min_severity__lte=alert.severity):
        planned.append(Delivery(alert=alert, channel=DeliveryChannel.WEBHOOK, webhook=webhook, next_attempt_at=moment))
    return Delivery.objects.bulk_create(planned)
