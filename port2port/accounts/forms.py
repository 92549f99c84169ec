"""The profile form. Sign-in, password and MFA forms are allauth's."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from port2port.organisations.forms import RowsForm


class ProfileForm(RowsForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES,
                                 help_text=_("The platform speaks to you in this language."))
