"""Memberships and roles: seating a person, changing their role, ending and restoring their
membership. An organisation keeps at least one active admin."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from port2port.core import audit
from port2port.core.permissions import Role

from ..models import ApiKey, Membership, Organisation
from .accounts import end_sessions
from .api_keys import _revoke_keys
from .permissions import _acting_org_id, require_member_manager


@transaction.atomic
def add_member(*, acting_user, organisation: Organisation, user, role: str = Role.ANALYST, ip=None) -> Membership:
    """Give a person a role in an organisation (a platform admin, or the organisation's admin)."""
    require_member_manager(acting_user, organisation, newcomer_email=user.email)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    membership, created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role, "is_active": True}
    )
    audit.record("organisations.add_member", actor=acting_user, organisation_id=organisation.pk, target=membership,
                 subject_organisation_id=organisation.pk, detail={"user": user.pk, "role": role, "new": created}, ip=ip)
    return membership


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})


def _active_admin_count(organisation: Organisation) -> int:
    return Membership.objects.active().filter(organisation=organisation, role=Role.ORG_ADMIN).count()


def _keep_one_admin(membership: Membership, acting_user, field: str) -> None:
    """An organisation keeps at least one active admin, unless a platform admin decides."""
    if acting_user.is_platform_admin or membership.role != Role.ORG_ADMIN or not membership.is_active:
        return
    if _active_admin_count(membership.organisation) <= 1:
        raise ValidationError({field: _("An organisation keeps at least one active admin.")})


@transaction.atomic
def change_role(membership: Membership, *, acting_user, role: str, ip=None) -> Membership:
    """Give a member another role; what it allows changes with their next request."""
    require_member_manager(acting_user, membership.organisation)
    _check_role(role)
    if role == membership.role:
        return membership
    if role != Role.ORG_ADMIN:
        _keep_one_admin(membership, acting_user, "role")
    old_role, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    audit.record("organisations.change_role", actor=acting_user,
                 organisation_id=_acting_org_id(acting_user, membership.organisation), target=membership,
                 subject_organisation_id=membership.organisation_id,
                 detail={"user": membership.user_id, "from": old_role, "to": role}, ip=ip)
    return membership


@transaction.atomic
def deactivate_member(membership: Membership, *, acting_user, ip=None) -> Membership:
    """End a person's membership now: their sessions end, the API keys they made for this
    organisation stop working, and an account left with no active membership is deactivated."""
    require_member_manager(acting_user, membership.organisation)
    if not membership.is_active:
        return membership
    _keep_one_admin(membership, acting_user, "membership")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    user = membership.user
    keys = _revoke_keys(ApiKey.objects.filter(created_by=user, organisation=membership.organisation))
    account_closed = False
    if not user.is_platform_admin and not Membership.objects.filter(user=user, is_active=True).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])
        account_closed = True
    sessions = end_sessions(user)
    audit.record("organisations.deactivate_member", actor=acting_user,
                 organisation_id=_acting_org_id(acting_user, membership.organisation), target=membership,
                 subject_organisation_id=membership.organisation_id,
                 detail={"user": user.pk, "keys_revoked": keys, "account_deactivated": account_closed,
                         "sessions_ended": sessions}, ip=ip)
    return membership


@transaction.atomic
def reactivate_member(membership: Membership, *, acting_user, ip=None) -> Membership:
    """Restore a membership. A deactivated account stays deactivated: only a platform admin
    reactivates accounts, so an organisation admin cannot undo a platform decision."""
    require_member_manager(acting_user, membership.organisation)
    if membership.is_active:
        return membership
    membership.is_active = True
    membership.save(update_fields=["is_active"])
    audit.record("organisations.reactivate_member", actor=acting_user,
                 organisation_id=_acting_org_id(acting_user, membership.organisation), target=membership,
                 subject_organisation_id=membership.organisation_id, detail={"user": membership.user_id}, ip=ip)
    return membership
