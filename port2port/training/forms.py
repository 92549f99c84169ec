"""Forms for the training pages. They check the shape of the input only; the actions decide
and write."""

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from port2port.core.permissions import Permission
from port2port.core.sharing import Audience, Tlp
from port2port.knowledge.models import Article
from port2port.organisations.models import Membership, Organisation, SharingGroup
from port2port.reports.forms import DATETIME_INPUT, TLP_EXPLANATIONS, organisations_where, roles_granting
from port2port.sensors.forms import ActionForm, OrganisationChoiceMixin

from .models import AUDIENCES, LABELS, Campaign, Training

DATETIME_FORMATS = [DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def organised_organisations(user):
    """The organisations in whose name this person organises trainings and campaigns."""
    return organisations_where(user, Permission.TRAINING_ORGANISE).order_by("name")


def _field(model, name: str, **overrides):
    return model._meta.get_field(name).formfield(**overrides)


def _moment(label):
    return forms.DateTimeField(label=label, input_formats=DATETIME_FORMATS,
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
                               help_text=_("Belgian time (Europe/Brussels)."))


class ArticleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, article):
        return f"{article.title} ({article.get_tlp_display()})"


def materials_field():
    return ArticleChoiceField(label=_("Materials"), queryset=Article.objects.none(), required=False,
                              widget=forms.CheckboxSelectMultiple,
                              help_text=_("Knowledge articles; each reader sees only those shared with them."))


class MaterialsMixin:
    def set_materials(self, user, current=()) -> None:
        # Offered: what the organiser may read; already attached ones stay ticked.
        visible = Article.objects.visible_to(user).order_by("title")
        self.fields["materials"].queryset = visible
        if current and not self.is_bound:
            self.initial["materials"] = [article.pk for article in current]


class MarkingFields(forms.Form):
    """Who may see and join (audience) and what they may do with it (GREEN or AMBER)."""

    tlp = forms.ChoiceField(label=capfirst(_("TLP label")), widget=forms.RadioSelect, initial=Tlp.GREEN,
                            choices=[(value, label) for value, label in Tlp.choices if value in LABELS])
    audience = forms.ChoiceField(label=_("Audience"), widget=forms.RadioSelect, initial=Audience.NETWORK,
                                 choices=[(value, label) for value, label in Audience.choices if value in AUDIENCES])
    recipient_orgs = forms.ModelMultipleChoiceField(label=_("Named organisations"), required=False,
                                                    queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple)
    sharing_group = forms.ModelChoiceField(label=_("Sharing group"), required=False, queryset=SharingGroup.objects.none(),
                                           empty_label=_("— choose a group —"))

    def set_marking_choices(self, owner_orgs) -> None:
        self.fields["recipient_orgs"].queryset = Organisation.objects.filter(is_active=True).order_by("name")
        self.fields["sharing_group"].queryset = (SharingGroup.objects.filter(members__in=list(owner_orgs))
                                                 .distinct().order_by("name"))

    def tlp_options(self):
        return [{"widget": radio, "value": radio.data["value"], "explanation": TLP_EXPLANATIONS[radio.data["value"]]}
                for radio in self["tlp"]]

    def marking(self) -> dict:
        data = self.cleaned_data
        return {"tlp": data["tlp"], "audience": data["audience"],
                "recipient_orgs": list(data.get("recipient_orgs") or []), "sharing_group": data.get("sharing_group")}

    @staticmethod
    def initial_from(item) -> dict:
        return {"tlp": item.tlp, "audience": item.audience, "sharing_group": item.sharing_group_id,
                "recipient_orgs": [org.pk for org in item.recipient_orgs.all()]}


class ShareForm(MarkingFields, ActionForm):
    pass


class TrainingForm(MaterialsMixin, OrganisationChoiceMixin, ActionForm):
    """What a training is, when and where, and how many seats it has."""

    kind = _field(Training, "kind")
    title = _field(Training, "title")
    theme = _field(Training, "theme")
    starts_at = _moment(_("Starts"))
    ends_at = _moment(_("Ends"))
    place = _field(Training, "place", help_text=_("Address, building and room; leave empty for an online session."))
    online_url = _field(Training, "online_url", assume_scheme="https")
    capacity = _field(Training, "capacity", min_value=1)
    description = _field(Training, "description", widget=forms.Textarea(attrs={"rows": 6}))
    materials = materials_field()

    CONTENT = ["kind", "title", "theme", "starts_at", "ends_at", "place", "online_url", "capacity", "description"]

    def __init__(self, *args, user, organisations=(), current_materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_organisations(organisations)
        self.set_materials(user, current_materials)

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end comes before the start."))
        return data

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CONTENT}

    @classmethod
    def initial_from(cls, training: Training) -> dict:
        return {name: getattr(training, name) for name in cls.CONTENT}


class NewTrainingForm(MarkingFields, TrainingForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_marking_choices(self.organisations.values())


class CampaignForm(MaterialsMixin, OrganisationChoiceMixin, ActionForm):
    title = _field(Campaign, "title")
    theme = _field(Campaign, "theme")
    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    description = _field(Campaign, "description", widget=forms.Textarea(attrs={"rows": 6}))
    materials = materials_field()

    CONTENT = ["title", "theme", "starts_on", "ends_on", "description"]

    def __init__(self, *args, user, organisations=(), current_materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_organisations(organisations)
        self.set_materials(user, current_materials)

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The last day comes before the first."))
        return data

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CONTENT}

    @classmethod
    def initial_from(cls, campaign: Campaign) -> dict:
        return {name: getattr(campaign, name) for name in cls.CONTENT}


class NewCampaignForm(MarkingFields, CampaignForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_marking_choices(self.organisations.values())


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return person.full_name or person.email


class RegisterMemberForm(ActionForm):
    """An organiser registers a colleague: a member of an organisation they organise for."""

    person = PersonChoiceField(label=_("Member"), queryset=get_user_model().objects.none(),
                               empty_label=_("— choose a member —"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organised = Membership.objects.active().filter(user=user, role__in=roles_granting(Permission.TRAINING_ORGANISE))
        members = Membership.objects.active().filter(organisation_id__in=organised.values("organisation_id"))
        self.fields["person"].queryset = (get_user_model().objects.filter(is_active=True, pk__in=members.values("user_id"))
                                          .order_by("full_name", "email"))


class AttendanceForm(ActionForm):
    attended = forms.TypedChoiceField(label=_("Attendance"), coerce=lambda value: value == "yes",
                                      choices=[("yes", _("Attended")), ("no", _("Did not come"))])


class FeedbackForm(ActionForm):
    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(n, str(n)) for n in range(1, 6)],
                                    help_text=_("1 = not useful, 5 = very useful."))
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class OrganisationForm(ActionForm):
    """Which of one's organisations joins, leaves or reports for a campaign."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organised_organisations(user)


class ReachForm(OrganisationForm):
    people_reached = forms.IntegerField(label=_("People reached"), min_value=0, max_value=10_000_000)
    sessions_held = forms.IntegerField(label=_("Sessions held"), min_value=0, max_value=10_000_000)


class MonthField(forms.Field):
    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            if len(value) > 7:
                raise ValueError(value)
            year, month = (int(part) for part in value.split("-"))
            if not 1900 <= year <= 2200:
                raise ValueError(year)
            return date(year, month, 1)
        except ValueError:
            raise ValidationError(_("Give a month as YYYY-MM.")) from None


class CalendarForm(forms.Form):
    """Which month, and grid or agenda; a bad value falls back to this month."""

    month = MonthField(required=False)
    view = forms.ChoiceField(required=False, choices=[("month", "month"), ("agenda", "agenda")])
