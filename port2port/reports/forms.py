"""Forms for the report pages. They check the shape of the input only; the actions in
`actions.py` decide what is allowed and write it. No form here saves anything."""

from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from port2port.core.permissions import Permission, ROLE_PERMISSIONS
from port2port.core.sharing import Audience, Status, Tlp
from port2port.organisations.models import Membership, Organisation, Port, SharingGroup, people_nameable_for

from .models import Category, Comment, Report

DATETIME_INPUT = "%Y-%m-%dT%H:%M"

# What each TLP 2.0 label lets recipients do, in words a busy officer reads in one glance.
TLP_EXPLANATIONS = {
    Tlp.CLEAR: _("No limit on disclosure. The only label that may be public."),
    Tlp.GREEN: _("Recipients may share it within the network, not publicly."),
    Tlp.AMBER: _("Recipients may share it inside their own organisation and with its clients, on a need-to-know basis."),
    Tlp.AMBER_STRICT: _("Recipients may not share it beyond their own organisation, nor pass it on."),
    Tlp.RED: _("For the named people only. Nobody else, not even their colleagues or admins."),
}


def roles_granting(permission: Permission) -> list[str]:
    return [role for role, permissions in ROLE_PERMISSIONS.items() if permission in permissions]


def organisations_where(user, permission: Permission):
    """Active organisations in which `user` holds an active role granting `permission`."""
    memberships = Membership.objects.active().filter(user=user, role__in=roles_granting(permission))
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))


def _model_field(name: str, **overrides):
    """The form field Django derives from the model: label, length and choices stay in one place."""
    return Report._meta.get_field(name).formfield(**overrides)


class PortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, port):
        return f"{port.name} ({port.locode})"


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organisation):
        return organisation.display_name


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    """People shown by name and organisation only: a picker, not a directory of addresses."""

    def label_from_instance(self, person):
        orgs = ", ".join(sorted(m.organisation.display_name for m in person.active_memberships))
        return f"{person.full_name or person.email.split('@')[0]} — {orgs}" if orgs else (person.full_name or person.email)


class ReportContentForm(forms.Form):
    """What happened: the fields an edit may change (actions.CONTENT_FIELDS)."""

    title = _model_field("title")
    category = _model_field("category")
    modus_operandi = _model_field("modus_operandi", required=False)
    port = PortChoiceField(
        queryset=Port.objects.all(), required=False, label=_("Port"), empty_label=_("— not at a port —")
    )
    place = _model_field("place", help_text=_("Quay, terminal, gate or berth."))
    occurred_at = forms.DateTimeField(
        label=_("When it happened"),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    severity = _model_field("severity")
    source_reliability = _model_field("source_reliability", help_text=_("Admiralty scale: how far the source can be trusted."))
    info_credibility = _model_field("info_credibility", help_text=_("Admiralty scale: how far the information holds."))
    narrative = _model_field("narrative", widget=forms.Textarea(attrs={"rows": 8}))
    measures_taken = _model_field("measures_taken", widget=forms.Textarea(attrs={"rows": 4}))
    lessons_learned = _model_field("lessons_learned", widget=forms.Textarea(attrs={"rows": 4}))
    latitude = _model_field("latitude", min_value=-90, max_value=90, widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = _model_field("longitude", min_value=-180, max_value=180, widget=forms.NumberInput(attrs={"step": "any"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["port"].queryset = Port.objects.order_by("name")
        self.fields["modus_operandi"].help_text = _("Only for drug smuggling.")
        self.fields["category"].widget.attrs["data-drug-category"] = Category.DRUG_SMUGGLING

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + timedelta(minutes=5):
            raise ValidationError(_("This is in the future. When did it happen?"))
        return value

    def content(self) -> dict:
        """The cleaned fields, as keyword arguments for report_incident and edit_report."""
        return {name: self.cleaned_data[name] for name in ReportContentForm.base_fields if name in self.cleaned_data}

    @staticmethod
    def initial_from(report: Report) -> dict:
        initial = {name: getattr(report, name) for name in ReportContentForm.base_fields}
        initial["occurred_at"] = timezone.localtime(report.occurred_at)
        return initial


class MarkingForm(forms.Form):
    """Who receives a report (audience and recipients) and what they may do with it (TLP)."""

    # "TLP label" is also the model's lowercase verbose name, so its translations are lowercase.
    tlp = forms.ChoiceField(label=capfirst(_("TLP label")), choices=Tlp.choices, widget=forms.RadioSelect, initial=Tlp.AMBER)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices, widget=forms.RadioSelect, initial=Audience.OWNER)
    recipient_orgs = forms.ModelMultipleChoiceField(
        label=_("Named organisations"), queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sharing_group = forms.ModelChoiceField(
        label=_("Sharing group"), queryset=SharingGroup.objects.none(), required=False,
        empty_label=_("— choose a group —"),
    )
    recipient_people = PersonMultipleChoiceField(
        label=_("Named people"), queryset=get_user_model().objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("TLP:RED reaches these people and nobody else."),
    )

    def __init__(self, *args, user, owner_orgs, current_people=(), **kwargs):
        super().__init__(*args, **kwargs)
        owner_org_ids = [org.pk for org in owner_orgs]
        self.fields["recipient_orgs"].queryset = Organisation.objects.filter(is_active=True).order_by("name")
        self.fields["sharing_group"].queryset = SharingGroup.objects.filter(members__in=owner_org_ids).distinct()
        self.fields["recipient_people"].queryset = pickable_people(user, owner_org_ids, current_people)
        if not settings.PUBLIC_PAGES:
            # Public only means something where the operator turned public pages on.
            self.fields["audience"].choices = [c for c in Audience.choices if c[0] != Audience.PUBLIC]

    def tlp_options(self):
        """The label choices with what each one means, for the radio list."""
        return [
            {"widget": radio, "value": value, "explanation": TLP_EXPLANATIONS[value]}
            for radio, value in zip(self["tlp"], Tlp.values)
        ]

    def marking(self) -> dict:
        data = self.cleaned_data
        return {
            "tlp": data["tlp"], "audience": data["audience"],
            "recipient_orgs": list(data.get("recipient_orgs") or []),
            "recipient_people": list(data.get("recipient_people") or []),
            "sharing_group": data.get("sharing_group"),
        }


def pickable_people(user, owner_org_ids, current_people=()):
    """People a RED report may name (see people_nameable_for), plus whoever it names already."""
    people = get_user_model().objects.filter(
        Q(pk__in=people_nameable_for(owner_org_ids).values("pk")) | Q(pk__in=[p.pk for p in current_people])
    ).exclude(pk=user.pk)
    active = Membership.objects.active().select_related("organisation")
    return people.order_by("full_name", "email").prefetch_related(
        Prefetch("memberships", queryset=active, to_attr="active_memberships")
    )


class CreateReportForm(ReportContentForm):
    """A new report: its content, the organisation it belongs to, and its first marking."""

    organisation = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("Organisation"))
    field_order = ["organisation"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_where(user, Permission.REPORTS_CREATE)
        if self.fields["organisation"].queryset.count() == 1:
            self.fields["organisation"].initial = self.fields["organisation"].queryset.first()
            self.fields["organisation"].empty_label = None


class ShareForm(MarkingForm):
    """The share dialog: a new marking, and an explicit yes when it lets the report travel further."""

    confirm_loosening = forms.BooleanField(
        label=_("I understand that this lets the report reach more people, or lets them do more with it."),
        required=False,
    )


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)


class ReportFilterForm(forms.Form):
    """The list filters. Every value is optional; a bad one is reported and ignored."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("All categories")), *Category.choices], required=False)
    port = PortChoiceField(queryset=Port.objects.order_by("name"), required=False, label=_("Port"), empty_label=_("All ports"))
    tlp = forms.ChoiceField(label=capfirst(_("TLP label")), choices=[("", _("All labels")), *Tlp.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False)
    occurred_from = forms.DateField(label=pgettext_lazy("start of a period", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    occurred_to = forms.DateField(label=pgettext_lazy("end of a period", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("occurred_from"), data.get("occurred_to")
        if start and end and start > end:
            self.add_error("occurred_to", _("The end of the period comes before its start."))
        return data

    def apply(self, queryset):
        """Narrow `queryset` (already passed through visible_to) by the valid filters."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        exact = {name: data.get(name) for name in ("category", "port", "tlp", "status") if data.get(name)}
        queryset = queryset.filter(**exact)
        if data.get("occurred_from"):
            queryset = queryset.filter(occurred_at__gte=start_of_day(data["occurred_from"]))
        if data.get("occurred_to") and "occurred_to" not in self.errors:
            queryset = queryset.filter(occurred_at__lt=start_of_day(data["occurred_to"] + timedelta(days=1)))
        return queryset


def start_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
