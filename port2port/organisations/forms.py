"""Forms for organisations, members, invitations, sharing groups and API keys. They check the
shape of the input; the rules (who may, what is allowed) live in the actions."""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from port2port.core.permissions import Role

from .actions import API_KEY_MAX_DAYS
from .models import ApiKeyScope, Organisation, OrganisationKind


class RowsForm(forms.Form):
    """A form that renders each field as a `form-row`, with its errors beside it."""

    template_name = "organisations/form_rows.html"
    error_css_class = "has-error"

    def add_action_error(self, error: ValidationError) -> None:
        """Show an action's ValidationError on the field it names, or above the form when the
        form has no such field (so a rule the form does not know still reaches the person)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)

    @property
    def non_field_error_list(self):
        return self.errors.get(NON_FIELD_ERRORS, [])


class InviteForm(RowsForm):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.ANALYST)


class PlatformInviteForm(InviteForm):
    """A platform admin invites the first admin (or anyone) of any organisation."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True))
    field_order = ["organisation", "email", "role"]


class RoleForm(RowsForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ApiKeyForm(RowsForm):
    name = forms.CharField(label=_("Name"), max_length=80,
                           help_text=_("What the key is for, e.g. “drone detector quay 1700”."))
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiKeyScope.choices, initial=ApiKeyScope.READ)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=API_KEY_MAX_DAYS, initial=90)


class SharingGroupForm(RowsForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class NewSharingGroupForm(SharingGroupForm):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none(),
                                   help_text=_("The owner's admins manage the group's members."))
    field_order = ["owner", "name", "description"]

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        if len(owners) == 1:
            self.fields["owner"].initial = owners[0]


class GroupMemberForm(RowsForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).exclude(sharing_groups=group)


class OrganisationForm(RowsForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    country = forms.CharField(label=_("Country"), min_length=2, max_length=2, initial="BE",
                              help_text=_("Two-letter ISO code, e.g. BE or NL."))
    is_network_member = forms.BooleanField(label=_("Member of the network"), required=False, initial=True,
                                           help_text=_("Network members receive items shared with the whole network."))

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if not country.isalpha():
            raise ValidationError(_("Use two letters, e.g. BE."))
        return country


class PortForm(RowsForm):
    locode = forms.CharField(label=_("UN/LOCODE"), min_length=5, max_length=5,
                             help_text=_("Two letters for the country and three for the place, e.g. BEANR."))
    name = forms.CharField(label=_("Name"), max_length=120)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)


class AcceptInvitationForm(RowsForm):
    """A newcomer sets their name, language and password."""

    email = forms.EmailField(label=_("E-mail"), disabled=True, required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("At least 12 characters, not a common password."))
    password_again = forms.CharField(label=_("Password (again)"), strip=False,
                                     widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class AcceptAsExistingForm(RowsForm):
    """Someone who has an account already proves it with their current password."""

    email = forms.EmailField(label=_("E-mail"), disabled=True, required=False)
    password = forms.CharField(label=_("Your current password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + [(a, a) for a in actions]
