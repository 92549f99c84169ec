"""Pages for organisations, members, invitations, sharing groups, API keys and the audit trail.

Thin views: find what the person may see (or 404), validate the form, call one action, render.
An organisation's own pages are for its active members only; everyone else, platform admins
included, gets the same 404 as for an organisation that does not exist. Inside, a member who
may see a control but not use it gets 403.
"""

from functools import wraps
from urllib.parse import urlencode

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from port2port.core.models import AuditEvent
from port2port.core.permissions import Permission, Role

from . import actions
from .forms import (
    AcceptAsExistingForm,
    AcceptInvitationForm,
    ApiKeyForm,
    AuditFilterForm,
    GroupMemberForm,
    InviteForm,
    NewSharingGroupForm,
    OrganisationForm,
    PlatformInviteForm,
    PortForm,
    RoleForm,
    SharingGroupForm,
)
from .models import ApiKey, GroupMembership, Invitation, Membership, Organisation, SharingGroup

AUDIT_PAGE_SIZE = 50
ACCOUNTS_PAGE_SIZE = 50
INVALID = 400  # the status of a page shown again because its form had bad input


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _my_memberships(user):
    return Membership.objects.active().filter(user=user)


def _membership_in(request, slug) -> Membership:
    """The person's active seat in the organisation named by `slug`, or 404 (as if the
    organisation did not exist) when they have none."""
    return get_object_or_404(_my_memberships(request.user).select_related("organisation"), organisation__slug=slug)


def _require(membership: Membership, permission: Permission) -> None:
    if not membership.grants(permission):
        raise PermissionDenied(_("Your role in this organisation does not allow this."))


def platform_admin_only(view):
    """Platform pages do not exist for anyone else (404, not 403: they cannot see them)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_platform_admin):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# --- The network directory and an organisation's own pages ----------------------------------


@login_required
def directory(request):
    """Who is in the network, with their kind and ports: names only, which are not secret."""
    organisations = (Organisation.objects.filter(is_active=True, is_network_member=True)
                     .prefetch_related("ports").order_by("name"))
    mine = set(_my_memberships(request.user).values_list("organisation_id", flat=True))
    return render(request, "organisations/directory.html", {"organisations": organisations, "mine": mine})


@login_required
def mine(request):
    """The person's own organisation (the first, when they belong to several)."""
    membership = _my_memberships(request.user).select_related("organisation").order_by("created_at").first()
    if membership is None:
        return redirect("organisations:directory")
    return redirect("organisations:detail", slug=membership.organisation.slug)


@login_required
def detail(request, slug):
    membership = _membership_in(request, slug)
    organisation = membership.organisation
    groups = organisation.sharing_groups.select_related("owner").order_by("name")
    return render(request, "organisations/detail.html", {
        "organisation": organisation, "membership": membership, "ports": organisation.ports.all(),
        "groups": groups, "member_count": Membership.objects.active().filter(organisation=organisation).count(),
        "can_manage": membership.grants(Permission.MEMBERS_MANAGE),
        "can_keys": membership.grants(Permission.API_KEYS_MANAGE),
        "can_audit": membership.grants(Permission.AUDIT_READ),
    })


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


# --- API keys --------------------------------------------------------------------------------


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


# --- The organisation's audit trail ----------------------------------------------------------


@login_required
def audit_trail(request, slug):
    """What the organisation's people did, and what was done to its items, newest first.
    Its admins see it; nobody else does, platform admins included."""
    membership = _membership_in(request, slug)
    _require(membership, Permission.AUDIT_READ)
    organisation = membership.organisation
    events = AuditEvent.objects.filter(Q(organisation_id=organisation.pk) | Q(subject_organisation_id=organisation.pk))
    action_names = events.order_by("action").values_list("action", flat=True).distinct()
    form = AuditFilterForm(request.GET or None, actions=list(action_names))
    chosen = form.cleaned_data["action"] if form.is_valid() else ""
    if chosen:
        events = events.filter(action=chosen)
    page = Paginator(events.order_by("-seq"), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    org_ids = {e.organisation_id for e in page} | {e.subject_organisation_id for e in page}
    names = {o.pk: o.display_name for o in Organisation.objects.filter(pk__in=org_ids - {None})}
    rows = [(e, names.get(e.organisation_id), names.get(e.subject_organisation_id)) for e in page]
    return render(request, "organisations/audit.html", {
        "organisation": organisation, "page": page, "rows": rows, "form": form,
        "filter_query": f"{urlencode({'action': chosen})}&" if chosen else "",
    })


# --- Sharing groups --------------------------------------------------------------------------


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


# --- Accepting an invitation (anonymous) -----------------------------------------------------


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


# --- Platform administration: organisations and accounts, never content ----------------------


@platform_admin_only
def platform_organisations(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = actions.create_organisation(acting_user=request.user, ip=_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("%(organisation)s added.") % {"organisation": organisation})
            return redirect("organisations:platform_organisation", slug=organisation.slug)
    organisations = (Organisation.objects.prefetch_related("ports")
                     .annotate(member_count=Count("memberships", filter=Q(memberships__is_active=True)))
                     .order_by("-is_active", "name"))
    return render(request, "organisations/platform_organisations.html",
                  {"organisations": organisations, "form": form}, status=INVALID if form.is_bound else 200)


def _platform_organisation_page(request, organisation, *, form=None, port_form=None, status=200):
    admins = (Membership.objects.active().filter(organisation=organisation, role=Role.ORG_ADMIN)
              .select_related("user").order_by("user__email"))
    initial = {name: getattr(organisation, name) for name in actions.ORGANISATION_FIELDS}
    return render(request, "organisations/platform_organisation.html", {
        "organisation": organisation, "ports": organisation.ports.all(), "admins": admins,
        "form": form or OrganisationForm(initial=initial), "port_form": port_form or PortForm(),
        "invite_form": PlatformInviteForm(initial={"organisation": organisation, "role": Role.ORG_ADMIN}),
    }, status=status)


@platform_admin_only
def platform_organisation(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if request.method != "POST":
        return _platform_organisation_page(request, organisation)
    form = OrganisationForm(request.POST)
    if form.is_valid():
        try:
            actions.update_organisation(organisation, acting_user=request.user, ip=_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
            organisation.refresh_from_db()
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("organisations:platform_organisation", slug=slug)
    return _platform_organisation_page(request, organisation, form=form, status=INVALID)


@platform_admin_only
@require_POST
def platform_add_port(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = PortForm(request.POST)
    if form.is_valid():
        try:
            port = actions.add_port(acting_user=request.user, organisation=organisation, ip=_ip(request),
                                    **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("Port %(port)s added.") % {"port": port})
            return redirect("organisations:platform_organisation", slug=slug)
    return _platform_organisation_page(request, organisation, port_form=form, status=INVALID)


@platform_admin_only
@require_POST
def platform_set_organisation_active(request, slug, active):
    organisation = get_object_or_404(Organisation, slug=slug)
    actions.set_organisation_active(organisation, acting_user=request.user, active=active, ip=_ip(request))
    if active:
        messages.success(request, _("%(organisation)s is active again.") % {"organisation": organisation})
    else:
        messages.success(request, _("%(organisation)s is deactivated.") % {"organisation": organisation})
    return redirect("organisations:platform_organisation", slug=slug)


@platform_admin_only
def platform_accounts(request):
    """Every account with its seats; an invitation to any organisation."""
    form = PlatformInviteForm(request.POST or None, initial={"organisation": request.GET.get("organisation")})
    if request.method == "POST" and form.is_valid():
        try:
            invitation = actions.invite_member(acting_user=request.user, ip=_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("organisations:platform_accounts")
    query = (request.GET.get("q") or "").strip()[:100]
    accounts = get_user_model().objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))).order_by("-is_active", "email")
    if query:
        accounts = accounts.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    page = Paginator(accounts, ACCOUNTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/platform_accounts.html",
                  {"page": page, "form": form, "query": query,
                   "filter_query": f"{urlencode({'q': query})}&" if query else ""},
                  status=INVALID if form.is_bound else 200)


@platform_admin_only
@require_POST
def platform_set_account_active(request, pk, active):
    account = get_object_or_404(get_user_model(), pk=pk)
    act = actions.reactivate_account if active else actions.deactivate_account
    try:
        act(account, acting_user=request.user, ip=_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("%(person)s can sign in again.") if active else _("%(person)s can no longer sign in.")
        messages.success(request, text % {"person": account})
    return redirect("organisations:platform_accounts")
