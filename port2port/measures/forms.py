"""Forms for the measures pages. They check the shape of the input only; the actions decide
what is allowed and write it. No form here saves anything."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from port2port.core.permissions import Permission
from port2port.core.sharing import Status
from port2port.knowledge.models import Article
from port2port.organisations.models import Membership, SharingGroup
from port2port.reports.forms import OrganisationChoiceField, organisations_where

from .models import AssessmentRecord, AssessmentStatus, Disclosure, FacilityKind, Level, Measure, MeasureStatus, Theme, Threat

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _model_field(model, name: str, **overrides):
    """The form field Django derives from the model: label, length and choices stay in one place."""
    return model._meta.get_field(name).formfield(**overrides)


class MeasureFilterForm(forms.Form):
    """The catalogue filters. Every value is optional; a bad one is reported and ignored."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    theme = forms.ChoiceField(label=_("Theme"), choices=[("", _("All themes")), *Theme.choices], required=False)
    threat = forms.ChoiceField(label=_("Threat"), choices=[("", _("All threats")), *Threat.choices], required=False)
    facility = forms.ChoiceField(label=_("Kind of port or facility"), choices=[("", _("All kinds")), *FacilityKind.choices], required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("All levels")), *Level.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *MeasureStatus.choices], required=False)

    def apply(self, queryset):
        """Narrow `queryset` (already passed through visible_to) by the valid filters."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        exact = {name: data[name] for name in ("theme", "level", "status") if data.get(name)}
        queryset = queryset.filter(**exact)
        # A list in a JSON column: its text holds each value in quotes (works on SQLite and PostgreSQL).
        if data.get("threat"):
            queryset = queryset.filter(threats__icontains=f'"{data["threat"]}"')
        if data.get("facility"):
            queryset = queryset.filter(facility_kinds__icontains=f'"{data["facility"]}"')
        if data.get("q"):
            words = data["q"].strip()
            queryset = queryset.filter(Q(title__icontains=words) | Q(description__icontains=words) | Q(legal_reference__icontains=words))
        return queryset


class MeasureForm(forms.Form):
    """A measure's content: what a proposal holds and what an edit may change."""

    title = _model_field(Measure, "title")
    description = _model_field(Measure, "description")
    theme = _model_field(Measure, "theme")
    threats = forms.MultipleChoiceField(label=_("Threats addressed"), choices=Threat.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    legal_reference = _model_field(Measure, "legal_reference")
    facility_kinds = forms.MultipleChoiceField(label=_("Kinds of port or facility"), choices=FacilityKind.choices,
                                               required=False, widget=forms.CheckboxSelectMultiple)
    level = _model_field(Measure, "level")
    working_group = forms.ModelChoiceField(queryset=SharingGroup.objects.none(), required=False, label=_("Working group"),
                                           empty_label=_("— none yet (a draft of my organisation) —"))
    articles = forms.ModelMultipleChoiceField(queryset=Article.objects.none(), required=False, label=_("Knowledge articles"),
                                              widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Why (shown in the version history)"), max_length=500, required=False)

    def __init__(self, *args, user, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = SharingGroup.objects.filter(
            is_working_group=True, members__in=organisations).distinct().order_by("name")
        self.fields["articles"].queryset = Article.objects.visible_to(user).exclude(status=Status.DRAFT).order_by("title")

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in
                ("title", "description", "theme", "threats", "legal_reference", "facility_kinds", "level",
                 "working_group", "articles")}

    @staticmethod
    def initial_from(measure: Measure) -> dict:
        return {"title": measure.title, "description": measure.description, "theme": measure.theme,
                "threats": measure.threats, "legal_reference": measure.legal_reference,
                "facility_kinds": measure.facility_kinds, "level": measure.level,
                "working_group": measure.working_group, "articles": list(measure.articles.all())}


class ProposeForm(MeasureForm):
    organisation = OrganisationChoiceField(queryset=None, label=_("Proposed by"), empty_label=None)
    field_order = ["organisation"]

    def __init__(self, *args, user, **kwargs):
        organisations = organisations_where(user, Permission.MEASURES_PROPOSE).filter(is_network_member=True)
        super().__init__(*args, user=user, organisations=organisations, **kwargs)
        self.fields["organisation"].queryset = organisations


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("Network standard from"), required=False, widget=DATE_INPUT)
    note = forms.CharField(label=_("Decision"), max_length=500, required=False)


class RetireForm(forms.Form):
    retired_on = forms.DateField(label=_("Retired from"), required=False, widget=DATE_INPUT)
    note = forms.CharField(label=_("Why (superseded by what?)"), max_length=500)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return person.full_name or person.email.split("@")[0]


class AssessmentForm(forms.Form):
    """One answer to one measure for one of the person's organisations."""

    organisation = OrganisationChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    status = forms.ChoiceField(label=_("Status"), choices=AssessmentStatus.choices, widget=forms.RadioSelect)
    maturity = forms.TypedChoiceField(
        label=_("Maturity"), required=False, coerce=int, empty_value=None,
        choices=[("", _("— not rated —")), *[(n, str(n)) for n in range(6)]],
        help_text=_("0 (nothing in place) to 5 (measured and improving)."),
    )
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE_INPUT)
    owner = PersonChoiceField(queryset=None, required=False, label=_("Owner"), empty_label=_("— nobody named —"))
    note = _model_field(AssessmentRecord, "note", required=False)
    evidence_text = _model_field(AssessmentRecord, "evidence_text", required=False,
                                 help_text=_("Stays inside your organisation, whatever you disclose."))
    evidence_file = forms.FileField(label=_("Evidence file"), required=False,
                                    help_text=_("An image, a PDF, or a text or CSV file. Stays inside your organisation."))
    disclosure = forms.ChoiceField(
        label=_("What the network sees of this answer"), required=False,
        choices=[("", _("As my organisation's setting says")), *Disclosure.choices],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = organisations_where(user, Permission.MEASURES_ASSESS)
        self.fields["organisation"].queryset = organisations
        members = Membership.objects.active().filter(organisation__in=organisations).values("user_id")
        self.fields["owner"].queryset = get_user_model().objects.filter(pk__in=members, is_active=True).order_by("full_name")

    def answer(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("status", "maturity", "target_date", "owner", "note", "evidence_text")} | {
            "evidence_upload": data["evidence_file"], "disclosure": data["disclosure"] or None}


class DisclosureForm(forms.Form):
    organisation = OrganisationChoiceField(queryset=None, label=_("Organisation"), empty_label=None)
    level = forms.ChoiceField(label=_("What the network sees of our assessments"), choices=Disclosure.choices,
                              widget=forms.RadioSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_where(user, Permission.MEASURES_ASSESS)
