"""Forms for the sensor pages. They check the shape of the input only; the actions in
`actions.py` decide what is allowed and write it. No form here saves anything."""

import json

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from port2port.organisations.models import Port

from .actions import CREDENTIAL_LIFETIME_DAYS
from .adapters import REGISTRY as ADAPTERS
from .models import Sensor, Zone


def model_field(model, name: str, **overrides):
    """The form field Django derives from the model: label, length and choices stay in one place."""
    return model._meta.get_field(name).formfield(**overrides)


class PortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, port):
        return f"{port.name} ({port.locode})"


class ActionForm(forms.Form):
    """A form whose data goes to an action: the action's ValidationErrors land on the field
    they name, and a name already taken in the organisation lands on the name field."""

    error_css_class = "has-error"
    name_taken_message = _("This name is already used in your organisation; choose another.")

    def add_action_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            if name == NON_FIELD_ERRORS and "name" in self.fields and any(e.code in ("unique", "unique_together") for e in errors):
                self.add_error("name", self.name_taken_message)  # a unique (organisation, name) constraint
                continue
            field = name if name in self.fields else None
            self.add_error(field, [_without_prefix(e, name) for e in errors] if field else errors)


def _without_prefix(error: ValidationError, name: str) -> ValidationError:
    """Some action messages start with their field's name ("url: must start with https://");
    on a form the field's label already says which field, so it is not said twice."""
    text = " ".join(error.messages)
    prefix = f"{name}: "
    return ValidationError(text[len(prefix):], code=error.code) if text.startswith(prefix) else error


class OrganisationChoiceMixin:
    """An organisation field only for people who manage more than one; everyone else writes for
    their only organisation without being asked."""

    def set_organisations(self, organisations) -> None:
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        if len(self.organisations) > 1:
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("Organisation"), coerce=int,
                choices=[(pk, o.display_name) for pk, o in self.organisations.items()])
            self.order_fields(["organisation"])

    def chosen_organisation(self):
        if "organisation" in self.fields:
            return self.organisations[self.cleaned_data["organisation"]]
        return next(iter(self.organisations.values()))


def preselect_only_port(form) -> None:
    """Most organisations run one port: a new sensor or zone starts out at it."""
    ports = list(form.fields["port"].queryset[:2])
    if len(ports) == 1 and not form.is_bound:
        form.fields["port"].initial = ports[0].pk


def adapter_choices():
    return [(name, adapter.label) for name, adapter in ADAPTERS.items()]


class SensorForm(OrganisationChoiceMixin, ActionForm):
    """A sensor: what it is, where it stands, which zones it watches, how often it must speak."""

    name = model_field(Sensor, "name")
    kind = model_field(Sensor, "kind")
    adapter = forms.ChoiceField(label=_("Event format"), choices=adapter_choices,
                                help_text=_("The format its events arrive in."))
    port = PortChoiceField(queryset=Port.objects.none(), required=False, label=_("Port"),
                           empty_label=_("— not at a port —"))
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90,
                                widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180,
                                 widget=forms.NumberInput(attrs={"step": "any"}))
    zones = forms.ModelMultipleChoiceField(queryset=Zone.objects.none(), required=False, label=_("Zones it watches"),
                                           widget=forms.CheckboxSelectMultiple)
    expected_interval = forms.IntegerField(
        label=_("Expected reporting interval (minutes)"), required=False, min_value=1, max_value=7 * 24 * 60,
        help_text=_("Silent longer than this, the sensor is reported offline. Empty: never."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("An inactive sensor's credentials stop working."))

    FIELDS = ("name", "kind", "adapter", "port", "latitude", "longitude", "expected_interval")

    def __init__(self, *args, organisations, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        org_ids = [organisation.pk for organisation in organisations]
        self.fields["port"].queryset = Port.objects.filter(organisation_id__in=org_ids).order_by("name")
        self.fields["zones"].queryset = Zone.objects.filter(organisation_id__in=org_ids).order_by("name")
        if not editing:
            preselect_only_port(self)
        if editing:
            self.organisations = {}
        else:
            del self.fields["is_active"]
            self.set_organisations(organisations)

    def values(self) -> dict:
        """Keyword arguments for register_sensor and change_sensor (zones apart)."""
        values = {name: self.cleaned_data[name] for name in self.FIELDS}
        if "is_active" in self.fields:
            values["is_active"] = self.cleaned_data["is_active"]
        return values

    @staticmethod
    def initial_from(sensor: Sensor) -> dict:
        initial = {name: getattr(sensor, name) for name in (*SensorForm.FIELDS, "is_active")}
        initial["zones"] = list(sensor.zones.all())
        return initial


class ZoneForm(OrganisationChoiceMixin, ActionForm):
    """A zone drawn on the map. The outline travels as JSON: a list of [longitude, latitude]
    points, which the drawing script writes and a person without script may type."""

    name = model_field(Zone, "name")
    kind = model_field(Zone, "kind")
    port = PortChoiceField(queryset=Port.objects.none(), required=False, label=_("Port"),
                           empty_label=_("— not at a port —"))
    outline = forms.CharField(
        label=_("Outline"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("At least three corners, each a [longitude, latitude] pair, for example "
                    "[[4.25, 51.27], [4.27, 51.27], [4.26, 51.29]]."),
        error_messages={"required": _("Draw at least three points.")})

    FIELDS = ("name", "kind", "port", "outline")
    MAX_POINTS = 200

    def __init__(self, *args, organisations, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        org_ids = [organisation.pk for organisation in organisations]
        self.fields["port"].queryset = Port.objects.filter(organisation_id__in=org_ids).order_by("name")
        if editing:
            self.organisations = {}
        else:
            preselect_only_port(self)
            self.set_organisations(organisations)

    def clean_outline(self):
        try:
            points = json.loads(self.cleaned_data["outline"])
        except (ValueError, RecursionError):
            raise ValidationError(_("The points are not readable: write them as [[longitude, latitude], …]."),
                                  code="invalid") from None
        if isinstance(points, list) and len(points) > self.MAX_POINTS:
            raise ValidationError(_("At most %(n)d points.") % {"n": self.MAX_POINTS}, code="too_many")
        return points  # the action checks the shape and the ranges

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @staticmethod
    def initial_from(zone: Zone) -> dict:
        initial = {name: getattr(zone, name) for name in ("name", "kind", "port")}
        initial["outline"] = json.dumps(zone.outline)
        return initial


class CredentialForm(forms.Form):
    """How long a new ingest credential lives (up to the operator's limit)."""

    error_css_class = "has-error"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = getattr(settings, "SENSOR_CREDENTIAL_MAX_DAYS", CREDENTIAL_LIFETIME_DAYS)
        self.fields["days"] = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=limit,
                                                 initial=min(CREDENTIAL_LIFETIME_DAYS, limit))
