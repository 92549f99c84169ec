"""The alerts API: the alerts of one's organisations and handling them (acknowledge, assign,
close, escalate to a report), their delivery log, the rules that raise them, one's e-mail
subscription, webhooks, and the choice to share some kinds with the network automatically.

Alerts, rules and webhooks are their organisation's alone: every read starts from
`visible_to(caller)`, so another organisation's alert is a 404 exactly like a missing one, and
every write is one of `port2port.alerts.actions`, which decide who may handle alerts or manage
rules (a refusal is a 403). The caller is `request.auth` (see port2port/api.py); an API key acts
for its own organisation only. Mounted at the root of /api/v1.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from port2port.core.permissions import Permission
from port2port.organisations.models import Port
from port2port.reports.forms import organisations_where
from port2port.reports.api import port_named
from port2port.sensors.api import (
    Keyset, organisation_or_404, own_organisation, visible_or_404, zones_named,
)
from port2port.sensors.models import Event

from . import actions
from .models import Alert, AutoShare, Delivery, Rule, Subscription, Webhook
from .schemas import (
    OFFLINE, AlertDetailOut, AlertFilters, AlertPage, AlertOut, AssignIn, AutoShareIn, AutoShareOut, DeliveryOut,
    EscalatedOut, RuleIn, RuleOut, RulePatch, SubscriptionIn, SubscriptionOut, WebhookCreatedOut, WebhookIn,
    WebhookOut, severity_name, severity_value,
)

router = Router()

ALERT_PAGES = Keyset("last_event_at", "port2port.alerts.api.alerts")
EVENTS_SHOWN = 100


def _who(request) -> dict:
    return {"acting_user": request.auth.user, "ip": request.auth.ip}


# ---------------------------------------------------------------------------------------------
# Alerts
# ---------------------------------------------------------------------------------------------


def visible_alerts(request):
    return Alert.objects.visible_to(request.auth.viewer).select_related(
        "organisation", "rule", "sensor", "zone", "port", "assignee")


def _filtered(alerts, filters: AlertFilters):
    if filters.status:
        alerts = alerts.filter(status=filters.status)
    if filters.severity:
        alerts = alerts.filter(severity__gte=severity_value(filters.severity))
    if filters.kind == OFFLINE:
        alerts = alerts.filter(is_offline=True)
    elif filters.kind:
        alerts = alerts.filter(event_kind=filters.kind, is_offline=False)
    if filters.since:
        alerts = alerts.filter(last_event_at__gte=filters.since)
    return alerts


@router.get("/alerts", response=AlertPage, summary="Your organisations' alerts, newest activity first")
def list_alerts(request, filters: Query[AlertFilters]):
    """`severity` keeps that severity and higher. Pass `next_cursor` back as `cursor` for the next page."""
    return ALERT_PAGES.page(_filtered(visible_alerts(request), filters), limit=filters.limit, cursor=filters.cursor)


@router.get("/alerts/{int:alert_id}", response=AlertDetailOut, summary="An alert, with its newest events")
def read_alert(request, alert_id: int):
    """`events` holds the newest 100; `event_count` says how many the alert counts in all."""
    alert = visible_or_404(visible_alerts(request), alert_id)
    return _with_events(request, alert)


def _with_events(request, alert: Alert) -> Alert:
    events = (Event.objects.visible_to(request.auth.viewer).filter(alerts=alert).select_related("sensor", "zone")
              .order_by("-occurred_at", "-id"))
    alert.newest_events = list(events[:EVENTS_SHOWN])  # read by AlertDetailOut.events
    return alert


def _handled(request, alert_id: int, action, **arguments) -> Alert:
    alert = visible_or_404(visible_alerts(request), alert_id)
    action(alert, **arguments, **_who(request))
    return visible_alerts(request).get(pk=alert.pk)


@router.post("/alerts/{int:alert_id}/acknowledge", response=AlertOut, summary="Acknowledge an alert: someone is on it")
def acknowledge_alert(request, alert_id: int):
    """You become its assignee if it had none."""
    return _handled(request, alert_id, actions.acknowledge_alert)


@router.post("/alerts/{int:alert_id}/assign", response=AlertOut, summary="Assign an alert to a person")
def assign_alert(request, alert_id: int, payload: AssignIn):
    """To a member of the alert's organisation who handles alerts; null takes the assignee off."""
    alert = visible_or_404(visible_alerts(request), alert_id)
    actions.assign_alert(alert, assignee=_assignee(payload.assignee), **_who(request))
    return visible_alerts(request).get(pk=alert.pk)


def _assignee(user_id: int | None):
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        # The same words as for a person out of reach: assigning is no account directory.
        raise ValidationError({"assignee": _("Choose a member of your organisation who handles alerts.")})
    return user


@router.post("/alerts/{int:alert_id}/close", response=AlertOut, summary="Close an alert")
def close_alert(request, alert_id: int):
    return _handled(request, alert_id, actions.close_alert)


@router.post("/alerts/{int:alert_id}/escalate", response={201: EscalatedOut},
             summary="Escalate an alert to a draft report of your organisation")
def escalate_alert(request, alert_id: int):
    """The draft is prefilled from the events (category, port, place, time; drone serials and
    operator ids as indicators) and reaches nobody until you check and share it."""
    alert = visible_or_404(visible_alerts(request), alert_id)
    _alert, report = actions.escalate_alert(alert, **_who(request))
    return Status(201, {
        "alert": visible_alerts(request).get(pk=alert.pk),
        "report_id": report.pk,
        "report_url": reverse("api:read_report", args=[report.pk]),
        "report_page": reverse("reports:detail", args=[report.pk]),
    })


@router.get("/alerts/{int:alert_id}/deliveries", response=list[DeliveryOut],
            summary="The delivery log of an alert: each e-mail and webhook message, with its attempts")
def alert_deliveries(request, alert_id: int):
    alert = visible_or_404(visible_alerts(request), alert_id)
    return Delivery.objects.visible_to(request.auth.viewer).filter(alert=alert).select_related("user", "webhook")


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------


def visible_rules(request):
    return Rule.objects.visible_to(request.auth.viewer).select_related("organisation", "zone", "created_by")


def _zone(request, zone_id: int | None):
    return zones_named(request, [zone_id], field="zone")[0] if zone_id is not None else None


def _check_window(active_from, active_until) -> None:
    # Checked here to name the field: the model's constraint would answer for no field at all.
    if (active_from is None) != (active_until is None):
        missing = "active_until" if active_until is None else "active_from"
        raise ValidationError({missing: _("Give both ends of the time window, or neither.")})


@router.get("/alert-rules", response=list[RuleOut], summary="Your organisations' alert rules")
def list_rules(request):
    return visible_rules(request).order_by("organisation__name", "name")


@router.post("/alert-rules", response={201: RuleOut}, summary="Write an alert rule")
def write_rule(request, payload: RuleIn):
    """When events of a kind (in a zone, in a time window, from a count within a period) raise
    an alert. Drones on the allowlist never do."""
    organisation = own_organisation(request, payload.organisation)
    _check_window(payload.active_from, payload.active_until)
    fields = payload.model_dump(exclude={"organisation", "zone"})
    fields["severity"] = severity_value(payload.severity)
    rule = actions.write_rule(organisation=organisation, zone=_zone(request, payload.zone), **fields, **_who(request))
    return Status(201, visible_rules(request).get(pk=rule.pk))


@router.get("/alert-rules/{int:rule_id}", response=RuleOut, summary="An alert rule")
def read_rule(request, rule_id: int):
    return visible_or_404(visible_rules(request), rule_id)


@router.patch("/alert-rules/{int:rule_id}", response=RuleOut, summary="Change an alert rule")
def change_rule(request, rule_id: int, payload: RulePatch):
    """Fields left out stay as they are; `is_active: false` turns the rule off."""
    rule = visible_or_404(visible_rules(request), rule_id)
    changes = payload.model_dump(exclude_unset=True)
    _check_window(changes.get("active_from", rule.active_from), changes.get("active_until", rule.active_until))
    if "zone" in changes:
        changes["zone"] = _zone(request, changes["zone"])
    if "severity" in changes:
        changes["severity"] = severity_value(changes["severity"])
    actions.change_rule(rule, **changes, **_who(request))
    return visible_rules(request).get(pk=rule.pk)


# ---------------------------------------------------------------------------------------------
# My subscription
# ---------------------------------------------------------------------------------------------


def _subscription_of(request, organisation) -> dict:
    subscription = (Subscription.objects.filter(user=request.auth.user, organisation=organisation)
                    .prefetch_related("ports").first())
    if subscription is None:
        return {"organisation": {"id": organisation.pk, "name": organisation.name}, "subscribed": False,
                "event_kinds": [], "ports": [], "min_severity": severity_name(Subscription._meta.get_field(
                    "min_severity").default), "by_email": False}
    return {"organisation": {"id": organisation.pk, "name": organisation.name}, "subscribed": True,
            "event_kinds": subscription.event_kinds, "ports": sorted(port.locode for port in subscription.ports.all()),
            "min_severity": severity_name(subscription.min_severity), "by_email": subscription.by_email}


def _ports_named(locodes: list[str]) -> list[Port]:
    try:
        return [port_named(locode) for locode in locodes if locode.strip()]
    except ValidationError as error:
        raise ValidationError({"ports": error.message_dict["port"]}) from None


@router.get("/alert-subscriptions/{int:organisation_id}", response=SubscriptionOut,
            summary="Which alerts of one of your organisations reach you by e-mail")
def read_subscription(request, organisation_id: int):
    return _subscription_of(request, organisation_or_404(request, organisation_id))


@router.put("/alert-subscriptions/{int:organisation_id}", response=SubscriptionOut,
            summary="Choose which alerts reach you by e-mail")
def subscribe(request, organisation_id: int, payload: SubscriptionIn):
    """Every alert shows in your inbox; e-mail carries only a title and a link."""
    organisation = organisation_or_404(request, organisation_id)
    actions.subscribe(organisation=organisation, event_kinds=[kind.value for kind in payload.event_kinds],
                      ports=_ports_named(payload.ports), min_severity=severity_value(payload.min_severity),
                      by_email=payload.by_email, **_who(request))
    return _subscription_of(request, organisation)


# ---------------------------------------------------------------------------------------------
# Webhooks
# ---------------------------------------------------------------------------------------------


def visible_webhooks(request):
    """Webhooks of the organisations the caller manages sensors for: their URLs often carry a
    token, so members who do not manage them (as on the settings page) do not read them."""
    managed = organisations_where(request.auth.user, Permission.SENSORS_MANAGE)
    return (Webhook.objects.visible_to(request.auth.viewer).filter(organisation__in=managed)
            .select_related("organisation", "created_by"))


@router.get("/webhooks", response=list[WebhookOut], summary="Your organisations' webhooks (never their secrets)")
def list_webhooks(request):
    return visible_webhooks(request).order_by("organisation__name", "name", "pk")


@router.post("/webhooks", response={201: WebhookCreatedOut}, summary="Add a webhook: its signing secret is shown once")
def add_webhook(request, payload: WebhookIn):
    """New alerts from `min_severity` up are POSTed to the URL, signed with the secret
    (X-Port2Port-Signature, see docs). The body carries a title and a link, never event content."""
    organisation = own_organisation(request, payload.organisation)
    webhook, secret = actions.add_webhook(organisation=organisation, name=payload.name, url=payload.url,
                                          min_severity=severity_value(payload.min_severity), **_who(request))
    answer = visible_webhooks(request).get(pk=webhook.pk)
    answer.secret = secret  # the model holds it too (it signs with it); it is returned this once
    return Status(201, answer)


@router.delete("/webhooks/{int:webhook_id}", response={204: None}, summary="Remove a webhook")
def remove_webhook(request, webhook_id: int):
    webhook = visible_or_404(visible_webhooks(request), webhook_id)
    actions.remove_webhook(webhook, **_who(request))
    return Status(204, None)


# ---------------------------------------------------------------------------------------------
# Automatic sharing
# ---------------------------------------------------------------------------------------------


def _auto_share_of(request, organisation) -> dict:
    kinds = (AutoShare.objects.visible_to(request.auth.viewer).filter(organisation=organisation)
             .order_by("event_kind").values_list("event_kind", flat=True))
    return {"organisation": {"id": organisation.pk, "name": organisation.name}, "event_kinds": list(kinds),
            "shareable_kinds": list(actions.SHAREABLE_KINDS)}


@router.get("/organisations/{int:organisation_id}/auto-share", response=AutoShareOut,
            summary="Which event kinds your organisation shares with the network automatically")
def read_auto_share(request, organisation_id: int):
    return _auto_share_of(request, organisation_or_404(request, organisation_id))


@router.put("/organisations/{int:organisation_id}/auto-share", response=AutoShareOut,
            summary="Choose which event kinds are shared with the network as GREEN summaries")
def set_auto_share(request, organisation_id: int, payload: AutoShareIn):
    """Each new alert of a chosen kind becomes a GREEN report to the network: time, port and
    drone models, nothing about people. An empty list stops it."""
    organisation = organisation_or_404(request, organisation_id)
    actions.set_auto_share(organisation=organisation, event_kinds=[kind.value for kind in payload.event_kinds],
                           **_who(request))
    return _auto_share_of(request, organisation)
