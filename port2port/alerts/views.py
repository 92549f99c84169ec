"""Alert pages: the inbox (which htmx polls), one alert and what people do with it, the rules,
and each person's and organisation's alert settings.

Thin, like every page: read through `visible_to`, check the input with a form, call one action,
render. An alert, rule or webhook of another organisation is a 404, exactly like a missing one;
a member whose role may see but not do something gets the page without the control, and a 403
if they post anyway.
"""

import hashlib
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from port2port.core.views import client_ip
from port2port.organisations.models import Organisation, Port, viewer_for
from port2port.reports.models import Report
from port2port.sensors.actions import require_sensor_manager
from port2port.sensors.models import Event
from port2port.sensors.views import INVALID, managed_organisations, manages, require_managed, zone_shape

from . import actions
from .forms import AlertFilterForm, AssignForm, AutoShareForm, RuleForm, SubscriptionForm, WebhookForm
from .models import OPEN_STATUSES, Alert, AlertStatus, AutoShare, Delivery, Rule, Subscription, Webhook

PAGE_SIZE = 50
EVENTS_SHOWN = 100


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def login_required_polled(view):
    """login_required, except that a poll from a page whose session has ended reloads that page
    (which then goes to the sign-in page) instead of getting the sign-in form swapped into it."""
    guarded = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated and is_htmx(request):
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        return guarded(request, *args, **kwargs)

    return wrapper


# --- The inbox and the nav badge ---------------------------------------------------------------

@login_required_polled
@require_GET
def badge(request):
    """The count of new alerts beside "Alerts" in the navigation; it polls itself."""
    count = Alert.objects.visible_to(viewer_for(request.user)).filter(status=AlertStatus.NEW).count()
    return render(request, "alerts/_badge.html", {"alerts_new_count": count, "polled": True})


@login_required_polled
@require_GET
def inbox(request):
    """Open alerts, newest first."""
    return _inbox(request, closed=False)


@login_required_polled
@require_GET
def inbox_closed(request):
    return _inbox(request, closed=True)


def _inbox(request, *, closed: bool):
    """The list and its filters. htmx polls the list every few seconds with the fingerprint of
    what it shows; when nothing changed the answer is an empty 204 and the page stays still
    (no lost focus, no flicker)."""
    viewer = viewer_for(request.user)
    form = AlertFilterForm(request.GET, closed_tab=closed)
    condition = Q(status=AlertStatus.CLOSED) if closed else Q(status__in=OPEN_STATUSES)
    condition &= form.condition()
    visible = Alert.objects.visible_to(viewer)
    summary = visible.aggregate(count=Count("pk", filter=condition), latest=Max("updated_at", filter=condition),
                                new=Count("pk", filter=Q(status=AlertStatus.NEW)))
    fingerprint = _fingerprint(summary, request.GET.get("page", ""))
    if is_htmx(request) and request.GET.get("seen") == fingerprint:
        return HttpResponse(status=204)
    page = Paginator(visible.filter(condition).newest_first().select_related("zone", "port", "assignee"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "closed_tab": closed, "fingerprint": fingerprint,
               "alerts_new_count": summary["new"], "total": summary["count"]}
    if is_htmx(request):
        response = render(request, "alerts/inbox.html#results", {**context, "oob_badge": True})
    else:
        response = render(request, "alerts/inbox.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _fingerprint(summary: dict, page: str) -> str:
    """Changes whenever an alert in the list is added, changed or leaves it, or the new count moves."""
    text = f"{summary['count']}|{summary['latest'] and summary['latest'].isoformat()}|{summary['new']}|{page}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- One alert ---------------------------------------------------------------------------------

def visible_alert(viewer, pk) -> Alert:
    queryset = Alert.objects.visible_to(viewer).select_related("zone", "port", "assignee", "sensor", "rule")
    return get_object_or_404(queryset, pk=pk)


@login_required
@require_GET
def alert_detail(request, pk):
    viewer = viewer_for(request.user)
    alert = visible_alert(viewer, pk)
    return render(request, "alerts/detail.html", detail_context(request, viewer, alert))


def detail_context(request, viewer, alert, *, assign_form=None) -> dict:
    events = list(Event.objects.visible_to(viewer).filter(alerts=alert).select_related("zone", "sensor")
                  .recent()[:EVENTS_SHOWN])
    return {
        "alert": alert, "events": events,
        # Columns that would only repeat themselves are left out: one sensor, no badges.
        "several_sensors": len({event.sensor_id for event in events}) > 1,
        "any_badge": any(event.badge_hash for event in events),
        "deliveries": Delivery.objects.visible_to(viewer).filter(alert=alert).select_related("user", "webhook"),
        "can_handle": actions.handles_alerts(request.user, alert.organisation_id),
        "can_manage": manages(request.user, alert.organisation_id),
        "assign_form": assign_form or AssignForm(initial={"assignee": alert.assignee_id},
                                                 organisation_id=alert.organisation_id),
        # A draft report reaches only its editors: name it only to those who may open it.
        "report": Report.objects.visible_to(viewer).filter(pk=alert.report_id).first() if alert.report_id else None,
        "map_data": _map_data(alert, events),
        "ports": list(Port.objects.values("name", "locode", "latitude", "longitude")),
    }


def _map_data(alert: Alert, events: list) -> dict | None:
    points = [[event.latitude, event.longitude] for event in events if event.latitude is not None]
    zone = zone_shape(alert.zone) if alert.zone and alert.zone.outline else None
    if not points and zone is None:
        return None
    return {"points": points, "zones": [zone] if zone else []}


def _handled(request, pk, handle, done: str):
    """Find the alert (404), check the person handles alerts (403), run the action, go back."""
    viewer = viewer_for(request.user)
    alert = visible_alert(viewer, pk)
    actions.require_handler(request.user, alert)
    handle(alert, acting_user=request.user, ip=client_ip(request))
    messages.success(request, done)
    return redirect("alerts:detail", pk=alert.pk)


@login_required
@require_POST
def alert_acknowledge(request, pk):
    return _handled(request, pk, actions.acknowledge_alert, _("You acknowledged the alert; it is assigned to you unless it had someone."))


@login_required
@require_POST
def alert_close(request, pk):
    return _handled(request, pk, actions.close_alert, _("The alert is closed."))


@login_required
@require_POST
def alert_assign(request, pk):
    viewer = viewer_for(request.user)
    alert = visible_alert(viewer, pk)
    actions.require_handler(request.user, alert)
    form = AssignForm(request.POST, organisation_id=alert.organisation_id)
    if form.is_valid():
        try:
            actions.assign_alert(alert, acting_user=request.user, assignee=form.cleaned_data["assignee"],
                                 ip=client_ip(request))
        except ValidationError as error:
            form.add_action_error(error)
        else:
            assignee = form.cleaned_data["assignee"]
            messages.success(request, _("The alert is assigned to %(name)s.") % {"name": assignee} if assignee
                             else _("The alert is assigned to nobody."))
            return redirect("alerts:detail", pk=alert.pk)
    alert.refresh_from_db()
    return render(request, "alerts/detail.html", detail_context(request, viewer, alert, assign_form=form), status=INVALID)


@login_required
@require_POST
def alert_escalate(request, pk):
    """Turn the alert into a draft report and open it for the person to check and share."""
    viewer = viewer_for(request.user)
    alert = visible_alert(viewer, pk)
    actions.require_handler(request.user, alert)
    try:
        _alert, report = actions.escalate_alert(alert, acting_user=request.user, ip=client_ip(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("alerts:detail", pk=alert.pk)
    messages.success(request, _("A draft report was made from the alert. Check it, then share it."))
    return redirect("reports:edit", pk=report.pk)


# --- Rules -------------------------------------------------------------------------------------

@login_required
@require_GET
def rule_list(request):
    rules = Rule.objects.visible_to(viewer_for(request.user)).select_related("zone").order_by("name")
    return render(request, "alerts/rule_list.html", {"rules": rules, "can_manage": bool(managed_organisations(request.user))})


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request):
    managed = require_managed(request.user)
    form = RuleForm(request.POST or None, organisations=managed)
    if request.method == "POST" and form.is_valid():
        try:
            rule = actions.write_rule(acting_user=request.user, organisation=form.chosen_organisation(),
                                      ip=client_ip(request), **form.values())
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The rule “%(name)s” is saved.") % {"name": rule.name})
            return redirect("alerts:rules")
    return render(request, "alerts/rule_form.html", {"form": form, "creating": True},
                  status=INVALID if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk):
    rule = get_object_or_404(Rule.objects.visible_to(viewer_for(request.user)).select_related("organisation"), pk=pk)
    require_sensor_manager(request.user, rule.organisation)
    organisations = [rule.organisation]
    if request.method == "POST":
        form = RuleForm(request.POST, organisations=organisations, editing=True)
        if form.is_valid():
            try:
                actions.change_rule(rule, acting_user=request.user, ip=client_ip(request), **form.values())
            except ValidationError as error:
                form.add_action_error(error)
                rule.refresh_from_db()  # the action set the refused values on this instance
            else:
                messages.success(request, _("The rule “%(name)s” is saved.") % {"name": rule.name})
                return redirect("alerts:rules")
    else:
        form = RuleForm(initial=RuleForm.initial_from(rule), organisations=organisations, editing=True)
    return render(request, "alerts/rule_form.html", {"form": form, "rule": rule, "creating": False},
                  status=INVALID if form.is_bound else 200)


# --- Settings: my subscription, the organisation's webhooks and automatic sharing --------------

def my_organisations(viewer):
    return Organisation.objects.filter(pk__in=viewer.org_ids).order_by("name")


def my_organisation(viewer, pk) -> Organisation:
    """One of the person's organisations, or 404 as if it did not exist."""
    return get_object_or_404(my_organisations(viewer), pk=pk)


@login_required
@require_GET
def settings_page(request):
    viewer = viewer_for(request.user)
    organisations = list(my_organisations(viewer))
    chosen = next((o for o in organisations if str(o.pk) == request.GET.get("organisation")), None)
    organisation = chosen or (organisations[0] if organisations else None)
    if organisation is None:
        return render(request, "alerts/settings.html", {"organisation": None})
    return render(request, "alerts/settings.html", settings_context(request, viewer, organisation, organisations))


def settings_context(request, viewer, organisation, organisations=None, **forms) -> dict:
    subscription = (Subscription.objects.filter(user=request.user, organisation=organisation)
                    .prefetch_related("ports").first())
    can_manage = manages(request.user, organisation.pk)
    shared = list(AutoShare.objects.visible_to(viewer).filter(organisation=organisation)
                  .values_list("event_kind", flat=True))
    return {
        "organisation": organisation, "organisations": organisations or [organisation], "can_manage": can_manage,
        "subscription_form": forms.get("subscription_form") or SubscriptionForm(
            initial=SubscriptionForm.initial_from(subscription), organisation=organisation),
        "webhooks": (Webhook.objects.visible_to(viewer).filter(organisation=organisation).order_by("name")
                     if can_manage else []),
        "webhook_form": forms.get("webhook_form") or WebhookForm(),
        "share_form": forms.get("share_form") or AutoShareForm(initial={"event_kinds": shared}),
        "shared_kinds": shared,
    }


def _settings_again(request, viewer, organisation, **forms):
    context = settings_context(request, viewer, organisation, list(my_organisations(viewer)), **forms)
    return render(request, "alerts/settings.html", context, status=INVALID)


def _back_to_settings(organisation):
    return redirect(reverse("alerts:settings") + f"?organisation={organisation.pk}")


@login_required
@require_POST
def subscription_save(request, org_pk):
    viewer = viewer_for(request.user)
    organisation = my_organisation(viewer, org_pk)
    form = SubscriptionForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            actions.subscribe(acting_user=request.user, organisation=organisation, ip=client_ip(request), **form.values())
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("Your alert subscription is saved."))
            return _back_to_settings(organisation)
    return _settings_again(request, viewer, organisation, subscription_form=form)


@login_required
@require_POST
def webhook_add(request, org_pk):
    viewer = viewer_for(request.user)
    organisation = my_organisation(viewer, org_pk)
    require_sensor_manager(request.user, organisation)
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            webhook, secret = actions.add_webhook(acting_user=request.user, organisation=organisation,
                                                  ip=client_ip(request), **form.values())
        except ValidationError as error:
            form.add_action_error(error)
        else:
            # The one response that shows the signing secret.
            return render(request, "alerts/webhook_created.html",
                          {"organisation": organisation, "webhook": webhook, "secret": secret})
    return _settings_again(request, viewer, organisation, webhook_form=form)


@login_required
@require_POST
def webhook_remove(request, pk):
    webhook = get_object_or_404(Webhook.objects.visible_to(request.user).select_related("organisation"), pk=pk)
    actions.remove_webhook(webhook, acting_user=request.user, ip=client_ip(request))
    messages.success(request, _("The webhook “%(name)s” is removed.") % {"name": webhook.name})
    return _back_to_settings(webhook.organisation)


@login_required
@require_POST
def auto_share_save(request, org_pk):
    viewer = viewer_for(request.user)
    organisation = my_organisation(viewer, org_pk)
    require_sensor_manager(request.user, organisation)
    form = AutoShareForm(request.POST)
    if form.is_valid():
        try:
            kinds = actions.set_auto_share(acting_user=request.user, organisation=organisation,
                                           event_kinds=form.cleaned_data["event_kinds"], ip=client_ip(request))
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, ngettext("Automatic sharing is on for %(count)d kind of event.",
                                               "Automatic sharing is on for %(count)d kinds of event.", len(kinds))
                             % {"count": len(kinds)} if kinds else _("Automatic sharing is off."))
            return _back_to_settings(organisation)
    return _settings_again(request, viewer, organisation, share_form=form)
