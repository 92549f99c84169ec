"""Forms for the indicator pages. They check the shape of the input (and, for searching,
normalise the typed value with the chosen kind); the actions in `actions.py` decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from port2port.organisations.models import Port

from .extract import MAX_TEXT
from .models import SightingKind
from .types import REGISTRY, IndicatorError, normalise


def kind_choices(*, empty: bool = True):
    choices = [(kind, kind_type.label) for kind, kind_type in REGISTRY.items()]
    return [("", _("— choose —")), *choices] if empty else choices


class KindField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Kind"))
        super().__init__(choices=kind_choices, **kwargs)


class AddIndicatorForm(forms.Form):
    """One indicator typed by hand: its kind, its value, an optional comment."""

    kind = KindField()
    value = forms.CharField(label=_("Value"), max_length=2048)
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)

    # The action names a bad row `indicators.<n>.<field>`; one row here, so n is always 0.
    ACTION_FIELDS = {"indicators.0.kind": "kind", "indicators.0.value": "value", "indicators": "value"}


class SightingForm(forms.Form):
    """A sighting: what kind, and for "seen at my port too" optionally when and where."""

    kind = forms.ChoiceField(choices=SightingKind.choices, label=_("Sighting"),
                             error_messages={"invalid_choice": _("Unknown kind of sighting.")})
    seen_at = forms.DateTimeField(label=_("When"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    port = forms.ModelChoiceField(queryset=Port.objects.none(), label=_("Port"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, ports=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["port"].queryset = ports if ports is not None else Port.objects.none()


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("Text to search for indicators"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Paste an e-mail, a customs note or a police summary. Nothing is added until you confirm."),
    )


class SearchForm(forms.Form):
    """Search by value: the typed value is normalised with the chosen kind first, so
    'msku 123456-5' finds 'MSKU1234565'."""

    kind = KindField()
    value = forms.CharField(label=_("Value"), max_length=2048)
    fuzzy = forms.BooleanField(
        label=_("Include near matches (O/0, I/1, B/8 … misreads)"), required=False,
        help_text=_("Plates, vessel names and seals: misread characters. Containers: another check digit, or "
                    "none. Companies: the name spaced otherwise."),
    )

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), data.get("value")
        if kind and value:
            try:
                data["normalised"] = normalise(kind, value)
            except IndicatorError as error:
                self.add_error("value", str(error.message))
        return data


class WatchForm(forms.Form):
    kind = KindField()
    value = forms.CharField(label=_("Value"), max_length=2048)
    label = forms.CharField(label=_("Note"), max_length=200, required=False,
                            help_text=_("Why you look for it; only your organisation sees this."))
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        if len(self.organisations) > 1:
            self.fields["organisation"].choices = [(pk, o.display_name) for pk, o in self.organisations.items()]
            self.fields["organisation"].required = True
        else:
            del self.fields["organisation"]

    def chosen_organisation(self):
        if "organisation" in self.fields:
            return self.organisations[self.cleaned_data["organisation"]]
        return next(iter(self.organisations.values()))


class KeepForm(forms.Form):
    reason = forms.CharField(label=_("Reason to keep"), max_length=300,
                             help_text=_("For example: the case is still open at the prosecutor."))
