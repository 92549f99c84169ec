"""Sharing groups: seen by their members' people, managed by the admins of the group's owner."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from port2port.core.permissions import Permission

from .. import actions
from ..forms import GroupMemberForm, NewSharingGroupForm, SharingGroupForm
from ..models import GroupMembership, Organisation, SharingGroup
from .access import INVALID, _ip, _my_memberships


def _visible_groups(user):
    """Groups one of the person's organisations sits in. (A subquery, not a join, so that
    counting a group's members counts all of them, not only the person's own.)"""
    org_ids = _my_memberships(user).values("organisation_id")
    seats = GroupMembership.objects.filter(organisation_id__in=org_ids).values("group_id")
    return SharingGroup.objects.filter(pk__in=seats)


def _group_owners(user):
    """Organisations whose groups this person may manage (and where they may open one)."""
    org_ids = [m.organisation_id for m in _my_memberships(user) if m.grants(Permission.GROUPS_MANAGE)]
    return Organisation.objects.filter(pk__in=org_ids, is_active=True).order_by("name")


def _groups_page(request, form=None, status=200):
    owners = _group_owners(request.user)
    groups = (_visible_groups(request.user).select_related("owner")
              .annotate(member_count=Count("members", distinct=True)).order_by("name"))
    return render(request, "organisations/groups.html", {
        "groups": groups, "form": form or (NewSharingGroupForm(owners=owners) if owners else None),
    }, status=status)


@login_required
def groups(request):
    if request.method != "POST":
        return _groups_page(request)
    owners = _group_owners(request.user)
    if not owners:
        raise PermissionDenied(_("Only organisation admins open sharing groups."))
    form = NewSharingGroupForm(request.POST, owners=owners)
    if form.is_valid():
        try:
            group = actions.create_sharing_group(acting_user=request.user, ip=_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("Sharing group “%(name)s” created.") % {"name": group.name})
            return redirect("organisations:group", pk=group.pk)
    return _groups_page(request, form, status=INVALID)


def _visible_group(request, pk) -> SharingGroup:
    return get_object_or_404(_visible_groups(request.user).select_related("owner"), pk=pk)


def _may_manage_group(user, group) -> bool:
    seats = _my_memberships(user).filter(organisation_id=group.owner_id)
    return any(seat.grants(Permission.GROUPS_MANAGE) for seat in seats)


def _group_page(request, group, *, edit_form=None, add_form=None, status=200):
    manage = _may_manage_group(request.user, group)
    members = group.members.prefetch_related("ports").order_by("name")
    return render(request, "organisations/group.html", {
        "group": group, "members": members, "can_manage": manage,
        "edit_form": edit_form or SharingGroupForm(initial={"name": group.name, "description": group.description}),
        "add_form": add_form or GroupMemberForm(group=group),
    }, status=status)


@login_required
def group(request, pk):
    return _group_page(request, _visible_group(request, pk))


def _require_group_manager(request, group) -> None:
    if not _may_manage_group(request.user, group):
        raise PermissionDenied(_("Only the admins of the group's owner manage its members."))


@login_required
@require_POST
def edit_group(request, pk):
    group = _visible_group(request, pk)
    _require_group_manager(request, group)
    form = SharingGroupForm(request.POST)
    if form.is_valid():
        try:
            actions.update_sharing_group(group, acting_user=request.user, ip=_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
            group.refresh_from_db()
        else:
            messages.success(request, _("Sharing group saved."))
            return redirect("organisations:group", pk=pk)
    return _group_page(request, group, edit_form=form, status=INVALID)


@login_required
@require_POST
def add_group_member(request, pk):
    group = _visible_group(request, pk)
    _require_group_manager(request, group)
    form = GroupMemberForm(request.POST, group=group)
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        actions.add_group_member(group, acting_user=request.user, organisation=organisation, ip=_ip(request))
        messages.success(request, _("%(organisation)s joined the group.") % {"organisation": organisation})
        return redirect("organisations:group", pk=pk)
    return _group_page(request, group, add_form=form, status=INVALID)


@login_required
@require_POST
def remove_group_member(request, pk, org_pk):
    group = _visible_group(request, pk)
    organisation = get_object_or_404(group.members.all(), pk=org_pk)
    _require_group_manager(request, group)
    try:
        actions.remove_group_member(group, acting_user=request.user, organisation=organisation, ip=_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(organisation)s left the group.") % {"organisation": organisation})
    return redirect("organisations:group", pk=pk)


@login_required
@require_POST
def delete_group(request, pk):
    group = _visible_group(request, pk)
    _require_group_manager(request, group)
    try:
        actions.delete_sharing_group(group, acting_user=request.user, ip=_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("organisations:group", pk=pk)
    messages.success(request, _("Sharing group deleted."))
    return redirect("organisations:groups")
