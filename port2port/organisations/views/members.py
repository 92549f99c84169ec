"""An organisation's members: the list, invitations sent and withdrawn, roles, deactivation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from port2port.core.permissions import Permission

from .. import actions
from ..forms import InviteForm, RoleForm
from ..models import Invitation, Membership
from .access import INVALID, _ip, _membership_in, _require


def _members_page(request, membership, *, invite_form=None, status=200):
    organisation = membership.organisation
    can_manage = membership.grants(Permission.MEMBERS_MANAGE)
    members = (Membership.objects.filter(organisation=organisation).select_related("user")
               .order_by("-is_active", "user__full_name", "user__email"))
    if not can_manage:
        members = members.filter(is_active=True, user__is_active=True)
    invitations = (Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True,
                                             expires_at__gt=timezone.now()).select_related("invited_by")
                   if can_manage else [])
    return render(request, "organisations/members.html", {
        "organisation": organisation, "membership": membership, "members": members, "can_manage": can_manage,
        "invitations": invitations, "invite_form": invite_form or InviteForm(), "role_form": RoleForm(),
    }, status=status)


@login_required
def members(request, slug):
    return _members_page(request, _membership_in(request, slug))


@login_required
@require_POST
def invite(request, slug):
    membership = _membership_in(request, slug)
    _require(membership, Permission.MEMBERS_MANAGE)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = actions.invite_member(acting_user=request.user, organisation=membership.organisation,
                                               ip=_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("organisations:members", slug=slug)
    return _members_page(request, membership, invite_form=form, status=INVALID)


def _colleague(membership: Membership, pk: int) -> Membership:
    """A membership of the same organisation, or 404."""
    return get_object_or_404(Membership.objects.select_related("user", "organisation"),
                             pk=pk, organisation=membership.organisation)


def _member_action(request, slug, pk, act, success: str):
    """Run one action on a colleague's membership and go back to the members page; a refusal
    (the last admin, say) is shown on the members page itself."""
    membership = _membership_in(request, slug)
    target = _colleague(membership, pk)
    _require(membership, Permission.MEMBERS_MANAGE)
    try:
        act(target)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return _members_page(request, membership, status=INVALID)
    messages.success(request, success % {"person": target.user})
    return redirect("organisations:members", slug=slug)


@login_required
@require_POST
def change_role(request, slug, pk):
    form = RoleForm(request.POST)

    def act(target):
        if not form.is_valid():
            raise ValidationError({"role": [_("Role: %(error)s") % {"error": e} for e in form.errors["role"]]})
        actions.change_role(target, acting_user=request.user, role=form.cleaned_data["role"], ip=_ip(request))

    return _member_action(request, slug, pk, act, _("%(person)s has a new role."))


@login_required
@require_POST
def deactivate_member(request, slug, pk):
    return _member_action(request, slug, pk, lambda m: actions.deactivate_member(
        m, acting_user=request.user, ip=_ip(request)), _("%(person)s is no longer an active member."))


@login_required
@require_POST
def reactivate_member(request, slug, pk):
    return _member_action(request, slug, pk, lambda m: actions.reactivate_member(
        m, acting_user=request.user, ip=_ip(request)), _("%(person)s is an active member again."))


@login_required
@require_POST
def revoke_invitation(request, slug, pk):
    membership = _membership_in(request, slug)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=membership.organisation)
    _require(membership, Permission.MEMBERS_MANAGE)
    try:
        actions.revoke_invitation(invitation, acting_user=request.user, ip=_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("organisations:members", slug=slug)
