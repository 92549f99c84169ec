"""Named, audited writes to organisations, memberships, sharing groups and API keys."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from port2port.core import audit
from port2port.core.permissions import Permission, Role

from .models import ApiKey, ApiKeyScope, GroupMembership, Membership, Organisation, Port, SharingGroup


def require_platform_admin(user) -> None:
    if not (user and user.is_authenticated and user.is_active and user.is_platform_admin):
        raise PermissionDenied(_("Only a platform admin may do this."))


def require_org_permission(user, organisation: Organisation, permission: Permission) -> Membership:
    membership = Membership.objects.active().filter(user=user, organisation=organisation).first()
    if membership is None or not membership.grants(permission):
        raise PermissionDenied(_("Your role in this organisation does not allow this."))
    return membership


@transaction.atomic
def create_organisation(*, acting_user, name: str, kind: str, short_name: str = "", country: str = "BE",
                        is_network_member: bool = True, slug: str = "", ip=None) -> Organisation:
    """A platform admin adds an organisation to the network."""
    require_platform_admin(acting_user)
    organisation = Organisation(
        name=name.strip(), short_name=short_name.strip(), kind=kind, country=country.upper(),
        is_network_member=is_network_member, slug=slug or slugify(name)[:50],
    )
    organisation.full_clean()
    organisation.save()
    audit.record("organisations.create", actor=acting_user, target=organisation,
                 subject_organisation_id=organisation.pk, detail={"kind": kind}, ip=ip)
    return organisation


@transaction.atomic
def add_port(*, acting_user, organisation: Organisation, locode: str, name: str, latitude: float,
             longitude: float, ip=None) -> Port:
    """A platform admin records a port that an organisation runs."""
    require_platform_admin(acting_user)
    port = Port(organisation=organisation, locode=locode.strip().upper(), name=name.strip(),
                latitude=latitude, longitude=longitude)
    port.full_clean()
    port.save()
    audit.record("organisations.add_port", actor=acting_user, target=port,
                 subject_organisation_id=organisation.pk, detail={"locode": port.locode}, ip=ip)
    return port


@transaction.atomic
def create_account(*, acting_user, email: str, full_name: str = "", password: str | None = None,
                   language: str = "en", is_platform_admin: bool = False, ip=None):
    """A platform admin creates an account directly (the demo and `createadmin` do this;
    people normally arrive by invitation)."""
    if acting_user is not None:
        require_platform_admin(acting_user)
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address exists already.")})
    user = User(email=email, full_name=full_name, language=language, is_platform_admin=is_platform_admin)
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record("accounts.create", actor=acting_user or user, target=user,
                 detail={"platform_admin": is_platform_admin}, ip=ip)
    return user


@transaction.atomic
def add_member(*, acting_user, organisation: Organisation, user, role: str = Role.ANALYST, ip=None) -> Membership:
    """Give a person a role in an organisation (a platform admin, or the organisation's admin)."""
    if not (acting_user and acting_user.is_platform_admin):
        require_org_permission(acting_user, organisation, Permission.MEMBERS_MANAGE)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    membership, created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role, "is_active": True}
    )
    audit.record("organisations.add_member", actor=acting_user, organisation_id=organisation.pk, target=membership,
                 subject_organisation_id=organisation.pk, detail={"user": user.pk, "role": role, "new": created}, ip=ip)
    return membership


@transaction.atomic
def create_sharing_group(*, acting_user, owner: Organisation, name: str, description: str = "",
                         members=(), ip=None) -> SharingGroup:
    """An organisation admin opens a sharing group; the owner is always a member."""
    require_org_permission(acting_user, owner, Permission.GROUPS_MANAGE)
    group = SharingGroup(owner=owner, name=name.strip(), description=description.strip())
    group.full_clean()
    group.save()
    for organisation in {owner, *members}:
        GroupMembership.objects.create(group=group, organisation=organisation)
    audit.record("groups.create", actor=acting_user, organisation_id=owner.pk, target=group,
                 subject_organisation_id=owner.pk,
                 detail={"members": sorted(o.pk for o in {owner, *members})}, ip=ip)
    return group


@transaction.atomic
def add_group_member(group: SharingGroup, *, acting_user, organisation: Organisation, ip=None) -> None:
    """The group's owner admits an organisation; it reads the group's items from now on."""
    require_org_permission(acting_user, group.owner, Permission.GROUPS_MANAGE)
    _, created = GroupMembership.objects.get_or_create(group=group, organisation=organisation)
    if created:
        audit.record("groups.add_member", actor=acting_user, organisation_id=group.owner_id, target=group,
                     subject_organisation_id=group.owner_id, detail={"organisation": organisation.pk}, ip=ip)


@transaction.atomic
def remove_group_member(group: SharingGroup, *, acting_user, organisation: Organisation, ip=None) -> None:
    """The group's owner removes an organisation; its access to the group's items ends now."""
    require_org_permission(acting_user, group.owner, Permission.GROUPS_MANAGE)
    if organisation.pk == group.owner_id:
        raise ValidationError({"organisation": _("The owner of a group cannot leave it.")})
    deleted, _ = GroupMembership.objects.filter(group=group, organisation=organisation).delete()
    if deleted:
        audit.record("groups.remove_member", actor=acting_user, organisation_id=group.owner_id, target=group,
                     subject_organisation_id=group.owner_id, detail={"organisation": organisation.pk}, ip=ip)


API_KEY_MAX_DAYS = 365


@transaction.atomic
def create_api_key(*, acting_user, organisation: Organisation, name: str, scope: str = ApiKeyScope.READ,
                   days: int = 90, ip=None) -> tuple[ApiKey, str]:
    """An organisation admin makes an API key. Returns the key and its token, shown only once."""
    require_org_permission(acting_user, organisation, Permission.API_KEYS_MANAGE)
    if scope not in ApiKeyScope.values:
        raise ValidationError({"scope": _("Unknown scope.")})
    if not 1 <= days <= API_KEY_MAX_DAYS:
        raise ValidationError({"days": _("A key lives between 1 and %(max)d days.") % {"max": API_KEY_MAX_DAYS}})
    token, lookup, secret_hash = ApiKey.new_token()
    key = ApiKey(organisation=organisation, created_by=acting_user, name=name.strip(), scope=scope,
                 lookup=lookup, secret_hash=secret_hash, expires_at=timezone.now() + timedelta(days=days))
    key.full_clean()
    key.save()
    audit.record("api_keys.create", actor=acting_user, organisation_id=organisation.pk, target=key,
                 subject_organisation_id=organisation.pk, detail={"scope": scope, "lookup": lookup, "days": days}, ip=ip)
    return key, token


@transaction.atomic
def revoke_api_key(key: ApiKey, *, acting_user, ip=None) -> None:
    """Stop a key working, at once."""
    require_org_permission(acting_user, key.organisation, Permission.API_KEYS_MANAGE)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit.record("api_keys.revoke", actor=acting_user, organisation_id=key.organisation_id, target=key,
                     subject_organisation_id=key.organisation_id, detail={"lookup": key.lookup}, ip=ip)


def invitation_expiry():
    from django.conf import settings

    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)
