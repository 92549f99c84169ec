"""Accepting an invitation (anonymous): the link's holder joins, with a new account or their own."""

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import actions
from ..forms import AcceptAsExistingForm, AcceptInvitationForm
from .access import INVALID, _ip


@never_cache
def accept_invitation(request, token):
    """A newcomer sets their name, language and password, and is signed in (and, where MFA is
    required, sent on to set up a second factor). Someone who has an account confirms it with
    their password and then signs in the normal way, second factor included."""
    try:
        invitation = actions.open_invitation(token)
    except ValidationError as error:
        return render(request, "organisations/invitation_invalid.html", {"reason": " ".join(error.messages)},
                      status=404)
    existing = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    form_class = AcceptAsExistingForm if existing else AcceptInvitationForm
    initial = {"email": invitation.email, "language": request.LANGUAGE_CODE}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in {"full_name", "language", "password"}}
        try:
            user = actions.accept_invitation(token, email=invitation.email, ip=_ip(request), **data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            return _after_acceptance(request, user, invitation, existing)
    return render(request, "organisations/accept_invitation.html",
                  {"invitation": invitation, "form": form, "existing": existing, "MFA_REQUIRED": settings.MFA_REQUIRED},
                  status=INVALID if form.is_bound else 200)


def _after_acceptance(request, user, invitation, existing: bool):
    organisation = invitation.organisation
    if existing:
        # Their account may have a second factor: they sign in through the normal door.
        messages.success(request, _("You are now a member of %(organisation)s. Please sign in.") % {"organisation": organisation})
        return redirect("account_login")
    messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": organisation})
    next_page = reverse("mfa_activate_totp" if settings.MFA_REQUIRED else "organisations:detail",
                        kwargs={} if settings.MFA_REQUIRED else {"slug": organisation.slug})
    # They proved their password a moment ago: allauth may count that as a fresh confirmation,
    # so setting up the second factor right after does not ask for the password once more.
    record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
    return perform_login(request, user, redirect_url=next_page)
