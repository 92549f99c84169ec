"""Who may act: the checks every organisation action starts with, and the organisation an
admin acted for (so the audit trail shows who acted from where)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from port2port.core.permissions import Permission

from ..models import Membership, Organisation


def require_platform_admin(user) -> None:
    if not (user and user.is_authenticated and user.is_active and user.is_platform_admin):
        raise PermissionDenied(_("Only a platform admin may do this."))


def require_org_permission(user, organisation: Organisation, permission: Permission) -> Membership:
    membership = Membership.objects.active().filter(user=user, organisation=organisation).first()
    if membership is None or not membership.grants(permission):
        raise PermissionDenied(_("Your role in this organisation does not allow this."))
    return membership


def require_member_manager(user, organisation: Organisation, *, newcomer_email: str = "") -> None:
    """Members are managed by the organisation's admins, and by platform admins, who may not
    use that power to seat themselves: it would turn account management into content access."""
    if _acts_as_platform_admin(user, organisation):
        if newcomer_email and newcomer_email.lower() == user.email.lower():
            raise PermissionDenied(_("A platform admin cannot invite or add themselves to an organisation."))
        return
    require_org_permission(user, organisation, Permission.MEMBERS_MANAGE)


def _acts_as_platform_admin(user, organisation: Organisation) -> bool:
    """True when only the platform-admin role lets `user` manage this organisation's members."""
    if not (user is not None and user.is_authenticated and user.is_active and user.is_platform_admin):
        return False
    membership = Membership.objects.active().filter(user=user, organisation=organisation).first()
    return membership is None or not membership.grants(Permission.MEMBERS_MANAGE)


def _acting_org_id(acting_user, organisation: Organisation) -> int | None:
    """The organisation an admin acted for: the organisation itself for its own admins, none for
    a platform admin acting from outside (so the trail shows who acted from where)."""
    if acting_user is not None and Membership.objects.active().filter(user=acting_user, organisation=organisation).exists():
        return organisation.pk
    return None
