"""A person's own profile: name, language, and the way to their password and second factors."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.utils.translation import gettext as _

from port2port.core.views import client_ip
from port2port.organisations.models import Membership

from . import actions
from .forms import ProfileForm


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST or None, initial={"full_name": user.full_name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_profile(acting_user=user, ip=client_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
            user.refresh_from_db()
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    kinds = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    factors = [Authenticator.Type(kind).label for kind in sorted(kinds)]
    return render(request, "accounts/profile.html", {
        "form": form, "memberships": memberships, "factors": factors,
    }, status=400 if form.is_bound else 200)


@login_required
@require_GET
def email_address(request):
    """The sign-in address is the one the invitation went to. People may not change it
    themselves: an unverified address of someone else's would let them pose as that person
    and block that person's invitation. A platform admin corrects a wrong address."""
    return render(request, "accounts/email_address.html")


@login_required
@require_POST
def language(request):
    """The language menu for signed-in people: the choice is saved on the profile, which the
    language middleware applies on every request (Django's set_language would be overruled)."""
    try:
        actions.choose_language(acting_user=request.user, language=request.POST.get("language", ""),
                                ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.message_dict.get("language", [])))
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(target if safe else "home")
