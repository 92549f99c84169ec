"""Forms for the working-group pages. They check the shape of the input only; the actions in
`actions.py` decide what is allowed and write it. No form here saves anything."""

from django import forms
from django.utils.translation import gettext_lazy as _

from port2port.sensors.forms import ActionForm, model_field

from .actions import participants
from .models import ActionItem, Decision, Meeting


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return str(user)


def participant_field(group, label):
    return PersonChoiceField(label=label, queryset=participants(group).order_by("full_name", "email"))


class CoordinatorForm(ActionForm):
    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"] = participant_field(group, _("Coordinator"))
        self.fields["coordinator"].help_text = _("A person of one of the group's member organisations.")


class DelegateForm(ActionForm):
    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = participant_field(group, _("Person"))


class MeetingForm(ActionForm):
    title = model_field(Meeting, "title")
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                                     format="%Y-%m-%dT%H:%M"))
    duration_minutes = model_field(Meeting, "duration_minutes")
    place = model_field(Meeting, "place")
    online_url = forms.CharField(label=_("Online meeting link"), max_length=500, required=False,
                                 help_text=Meeting._meta.get_field("online_url").help_text)
    status = model_field(Meeting, "status")
    agenda = model_field(Meeting, "agenda", widget=forms.Textarea(attrs={"rows": 8}))
    minutes = model_field(Meeting, "minutes", widget=forms.Textarea(attrs={"rows": 14}))

    @staticmethod
    def initial_from(meeting: Meeting) -> dict:
        return {name: getattr(meeting, name) for name in MeetingForm.base_fields}

    def values(self) -> dict:
        return dict(self.cleaned_data)


class DecisionForm(ActionForm):
    text = model_field(Decision, "text", widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Empty: the day of the meeting."))


class ActionItemForm(ActionForm):
    title = model_field(ActionItem, "title")
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = participant_field(group, _("Owner"))
        self.order_fields(["title", "owner", "due_on"])
