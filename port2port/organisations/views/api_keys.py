"""An organisation's API keys: listed, made (the token shown once) and revoked by its admins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from port2port.core.permissions import Permission

from .. import actions
from ..forms import ApiKeyForm
from ..models import ApiKey
from .access import INVALID, _ip, _membership_in, _require


@never_cache
@login_required
def api_keys(request, slug):
    """List and create the organisation's API keys; a new key's token is shown on this
    response only, never again."""
    membership = _membership_in(request, slug)
    _require(membership, Permission.API_KEYS_MANAGE)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key, token = actions.create_api_key(acting_user=request.user, organisation=membership.organisation,
                                                ip=_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            return render(request, "organisations/api_key_created.html",
                          {"organisation": membership.organisation, "key": key, "token": token})
    keys = (ApiKey.objects.filter(organisation=membership.organisation).select_related("created_by")
            .order_by("revoked_at", "-created_at"))
    return render(request, "organisations/api_keys.html", {
        "organisation": membership.organisation, "keys": keys, "form": form, "now": timezone.now(),
    }, status=INVALID if form.is_bound else 200)


@login_required
@require_POST
def revoke_api_key(request, slug, pk):
    membership = _membership_in(request, slug)
    key = get_object_or_404(ApiKey, pk=pk, organisation=membership.organisation)
    _require(membership, Permission.API_KEYS_MANAGE)
    actions.revoke_api_key(key, acting_user=request.user, ip=_ip(request))
    messages.success(request, _("The key “%(name)s” no longer works.") % {"name": key.name})
    return redirect("organisations:api_keys", slug=slug)
