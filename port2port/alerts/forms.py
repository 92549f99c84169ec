"""Forms for the alert pages: inbox filters, handling an alert, rules, subscriptions, webhooks
and automatic sharing. They check the shape of the input only; the actions decide and write."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from port2port.core.permissions import Permission
from port2port.organisations.models import Membership, Port
from port2port.reports.forms import roles_granting
from port2port.sensors.events import EventKind
from port2port.sensors.forms import ActionForm, OrganisationChoiceMixin
from port2port.sensors.models import Zone

from .actions import SHAREABLE_KINDS
from .models import OPEN_STATUSES, AlertStatus, Rule, Severity, Subscription

OFFLINE_KIND = "offline"  # what subscriptions call "sensor offline" alerts


def severity_field(**kwargs) -> forms.TypedChoiceField:
    kwargs.setdefault("label", _("Severity"))
    return forms.TypedChoiceField(choices=Severity.choices, coerce=int, **kwargs)


# --- The inbox ---------------------------------------------------------------------------------

class AlertFilterForm(forms.Form):
    """The inbox filters; every value is optional and a bad one is left out."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    severity = forms.TypedChoiceField(label=_("From severity"), coerce=int, required=False, empty_value=None,
                                      choices=[("", _("Any severity")), *Severity.choices])

    def __init__(self, *args, closed_tab=False, **kwargs):
        super().__init__(*args, **kwargs)
        if closed_tab:
            del self.fields["status"]
        else:
            statuses = [(value, label) for value, label in AlertStatus.choices if value in OPEN_STATUSES]
            self.fields["status"].choices = [("", _("Any open status")), *statuses]

    def condition(self) -> Q:
        """The valid filters as one condition (the inbox also counts with it)."""
        data = self.cleaned_data if self.is_valid() else {}
        condition = Q()
        if data.get("status"):
            condition &= Q(status=data["status"])
        if data.get("severity"):
            condition &= Q(severity__gte=data["severity"])
        return condition


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return person.full_name or person.email


def alert_handlers(organisation_id: int):
    """Active members of the organisation whose role handles alerts, by name."""
    memberships = Membership.objects.active().filter(
        organisation_id=organisation_id, role__in=roles_granting(Permission.ALERTS_HANDLE))
    return get_user_model().objects.filter(pk__in=memberships.values("user_id")).order_by("full_name", "email")


class AssignForm(ActionForm):
    assignee = PersonChoiceField(queryset=get_user_model().objects.none(), required=False, label=_("Assign to"),
                                 empty_label=_("— nobody —"))

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = alert_handlers(organisation_id)


# --- Rules -------------------------------------------------------------------------------------

class RuleForm(OrganisationChoiceMixin, ActionForm):
    """When events raise an alert: kind, zone, a daily window, how many within what period,
    the drones allowed to fly, and how severe the alert is."""

    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("The alert carries this name, e.g. “Drone over the tank farm at night”."))
    event_kind = forms.ChoiceField(label=_("Event kind"), choices=EventKind.choices)
    zone = forms.ModelChoiceField(queryset=Zone.objects.none(), required=False, label=_("Zone"),
                                  empty_label=_("— anywhere —"))
    active_from = forms.TimeField(label=pgettext_lazy("start of a period", "From"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                  help_text=_("Local time. Leave both empty for all day."))
    active_until = forms.TimeField(label=_("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                   help_text=_("May be past midnight: 22:00 until 06:00 is the night."))
    threshold = forms.IntegerField(label=_("Events"), min_value=1, max_value=10_000, initial=1,
                                   help_text=_("Raise the alert from this many events within the period."))
    period_minutes = forms.IntegerField(label=_("Period (minutes)"), min_value=1, max_value=7 * 24 * 60, initial=10)
    allowlist = forms.CharField(
        label=_("Authorised drones"), required=False, max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("Serial numbers of drones that may fly here (the port's own), one per line. They never raise this alert."))
    severity = severity_field(initial=Severity.HIGH)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    FIELDS = ("name", "event_kind", "zone", "active_from", "active_until", "threshold", "period_minutes",
              "allowlist", "severity", "is_active")

    def __init__(self, *args, organisations, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        org_ids = [organisation.pk for organisation in organisations]
        self.fields["zone"].queryset = Zone.objects.filter(organisation_id__in=org_ids).order_by("name")
        if editing:
            self.organisations = {}
        else:
            self.set_organisations(organisations)

    def clean_allowlist(self):
        return [line.strip() for line in self.cleaned_data["allowlist"].splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        if (data.get("active_from") is None) != (data.get("active_until") is None) and not self.has_error("active_from") \
                and not self.has_error("active_until"):
            missing = "active_until" if data.get("active_until") is None else "active_from"
            self.add_error(missing, _("Give both ends of the time window, or neither."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @staticmethod
    def initial_from(rule: Rule) -> dict:
        initial = {name: getattr(rule, name) for name in RuleForm.FIELDS}
        initial["allowlist"] = "\n".join(rule.allowlist)
        return initial


# --- Settings ----------------------------------------------------------------------------------

def subscription_kind_choices():
    return [*EventKind.choices, (OFFLINE_KIND, _("Sensor offline"))]


class SubscriptionForm(ActionForm):
    """Which of my organisation's alerts also reach me by e-mail (the inbox shows them all)."""

    event_kinds = forms.MultipleChoiceField(
        label=_("Kinds"), required=False, choices=subscription_kind_choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."))
    ports = forms.ModelMultipleChoiceField(queryset=Port.objects.none(), required=False, label=_("Ports"),
                                           widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every port."))
    min_severity = severity_field(label=_("From severity"), initial=Severity.HIGH)
    by_email = forms.BooleanField(label=_("Send me these alerts by e-mail"), required=False, initial=True)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ports"].queryset = Port.objects.filter(organisation=organisation).order_by("name")
        if not self.fields["ports"].queryset.exists():
            del self.fields["ports"]

    def values(self) -> dict:
        data = self.cleaned_data
        return {"event_kinds": data["event_kinds"], "ports": list(data.get("ports") or []),
                "min_severity": data["min_severity"], "by_email": data["by_email"]}

    @staticmethod
    def initial_from(subscription: Subscription | None) -> dict:
        if subscription is None:
            return {}
        return {"event_kinds": subscription.event_kinds, "ports": list(subscription.ports.all()),
                "min_severity": subscription.min_severity, "by_email": subscription.by_email}


class WebhookForm(ActionForm):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("The system it reaches, e.g. “Control room SIEM”."))
    url = forms.URLField(label=_("Address (URL)"), max_length=500, assume_scheme="https",
                         help_text=_("HTTPS address of the receiving system. It receives a title and a link, never event content."))
    min_severity = severity_field(label=_("From severity"), initial=Severity.HIGH)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "url", "min_severity")}


class AutoShareForm(ActionForm):
    event_kinds = forms.MultipleChoiceField(
        label=_("Kinds of event"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(kind.value, kind.label) for kind in SHAREABLE_KINDS])

