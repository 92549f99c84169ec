"""Named, audited writes to organisations, memberships, sharing groups and API keys."""

import hashlib
import secrets
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from port2port.core import audit
from port2port.core.permissions import Permission, Role

from .models import ApiKey, ApiKeyScope, GroupMembership, Invitation, Membership, Organisation, Port, SharingGroup


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
    require_member_manager(acting_user, organisation, newcomer_email=user.email)
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
    # (not `deleted, _ =`: binding `_` here would shadow gettext for the whole function)
    deleted, _counts = GroupMembership.objects.filter(group=group, organisation=organisation).delete()
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


# ---------------------------------------------------------------------------------------------
# Invitations, roles and deactivation (people come by invitation; leaving ends access at once)
# ---------------------------------------------------------------------------------------------


def hash_invitation_token(token: str) -> str:
    # The token is 32 random bytes: a fast hash is enough, and the database never holds a link.
    return hashlib.sha256(token.encode()).hexdigest()


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


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})


def _normalised_email(email: str) -> str:
    email = get_user_model().objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    return email


@transaction.atomic
def invite_member(*, acting_user, organisation: Organisation, email: str, role: str = Role.ANALYST,
                  ip=None) -> Invitation:
    """Invite a person by e-mail to join an organisation with a role. Only a hash of the token
    is stored; the link goes out by mail once the invitation is committed."""
    email = _normalised_email(email)
    require_member_manager(acting_user, organisation, newcomer_email=email)
    _check_role(role)
    if not organisation.is_active:
        raise ValidationError({"organisation": _("This organisation is deactivated.")})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email, is_active=True).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, token_hash=hash_invitation_token(token),
        invited_by=acting_user, expires_at=invitation_expiry(),
    )
    audit.record("organisations.invite", actor=acting_user, organisation_id=_acting_org_id(acting_user, organisation),
                 target=invitation, subject_organisation_id=organisation.pk,
                 detail={"email": email, "role": role}, ip=ip)
    language = translation.get_language()
    transaction.on_commit(lambda: _send_invitation_mail(invitation, token, language))
    return invitation


def invitation_link(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('organisations:accept_invitation', args=[token])}"


def _send_invitation_mail(invitation: Invitation, token: str, language: str | None) -> None:
    """A title and a link, nothing more: the organisation's name is not secret, its content is."""
    with translation.override(language):
        subject = _("Invitation to join %(organisation)s on Port 2 Port") % {
            "organisation": invitation.organisation.name}
        body = _("Accept the invitation and choose your password here (the link works once, until %(date)s):\n\n%(link)s\n") % {
            "date": formats.date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT"),
            "link": invitation_link(token),
        }
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, acting_user, ip=None) -> None:
    """Withdraw an invitation that has not been accepted yet; its link stops working now."""
    require_member_manager(acting_user, invitation.organisation)
    if invitation.accepted_at is not None:
        raise ValidationError({"invitation": _("This invitation was accepted already.")})
    invitation.expires_at = timezone.now()
    invitation.save(update_fields=["expires_at"])
    audit.record("organisations.revoke_invitation", actor=acting_user,
                 organisation_id=_acting_org_id(acting_user, invitation.organisation), target=invitation,
                 subject_organisation_id=invitation.organisation_id, detail={"email": invitation.email}, ip=ip)


def open_invitation(token: str) -> Invitation:
    """The invitation a link names, while it can still be accepted; a ValidationError saying
    why not (unknown, used, expired) otherwise. The link's holder may know which."""
    invitation = (Invitation.objects.select_related("organisation")
                  .filter(token_hash=hash_invitation_token(token or "")).first())
    _check_invitation_usable(invitation)
    return invitation


@transaction.atomic
def accept_invitation(token: str, *, email: str, password: str, full_name: str = "", language: str = "en",
                      ip=None):
    """Accept an invitation: create the account (or, for someone who has one, attach it after
    checking their password) and give them the invited role. A link works once."""
    invitation = (Invitation.objects.select_for_update().select_related("organisation")
                  .filter(token_hash=hash_invitation_token(token or "")).first())
    _check_invitation_usable(invitation)
    if _normalised_email(email) != invitation.email.lower():
        raise ValidationError({"email": _("This invitation was sent to another e-mail address.")})
    User = get_user_model()
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = _new_invited_account(invitation.email, password, full_name, language)
    else:
        _check_existing_account(user, password)
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role, "is_active": True})
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record("organisations.accept_invitation", actor=user, organisation_id=invitation.organisation_id,
                 target=membership, subject_organisation_id=invitation.organisation_id,
                 detail={"invitation": invitation.pk, "role": invitation.role}, ip=ip)
    return user


def _check_invitation_usable(invitation: Invitation | None) -> None:
    if invitation is None:
        raise ValidationError({"token": _("This invitation link is not valid.")})
    if invitation.accepted_at is not None:
        raise ValidationError({"token": _("This invitation has been used already.")})
    if invitation.expires_at <= timezone.now():
        raise ValidationError({"token": _("This invitation has expired. Ask your organisation's admin for a new one.")})
    if not invitation.organisation.is_active:
        raise ValidationError({"token": _("This organisation is deactivated.")})


def _new_invited_account(email: str, password: str, full_name: str, language: str):
    User = get_user_model()
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    user = User(email=email, full_name=(full_name or "").strip(), language=language)
    user.full_clean(exclude=["password"])
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    audit.record("accounts.create", actor=user, target=user, detail={"by_invitation": True})
    return user


def _check_existing_account(user, password: str) -> None:
    """Someone with an account proves it is theirs; a deactivated account stays deactivated
    (only a platform admin reactivates one)."""
    if not user.check_password(password or ""):
        raise ValidationError({"password": _("You have an account already: enter its current password.")})
    if not user.is_active:
        raise ValidationError({"email": _("This account is deactivated. Ask a platform admin to reactivate it.")})


def _acting_org_id(acting_user, organisation: Organisation) -> int | None:
    """The organisation an admin acted for: the organisation itself for its own admins, none for
    a platform admin acting from outside (so the trail shows who acted from where)."""
    if acting_user is not None and Membership.objects.active().filter(user=acting_user, organisation=organisation).exists():
        return organisation.pk
    return None


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


@transaction.atomic
def deactivate_account(user, *, acting_user, ip=None):
    """A platform admin closes an account: sessions end and all its API keys stop working."""
    require_platform_admin(acting_user)
    if user.pk == acting_user.pk:
        raise ValidationError({"account": _("You cannot deactivate your own account.")})
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    keys = _revoke_keys(ApiKey.objects.filter(created_by=user))
    sessions = end_sessions(user)
    audit.record("accounts.deactivate", actor=acting_user, target=user,
                 detail={"keys_revoked": keys, "sessions_ended": sessions}, ip=ip)
    return user


@transaction.atomic
def reactivate_account(user, *, acting_user, ip=None):
    """A platform admin reopens an account; its memberships count again where still active."""
    require_platform_admin(acting_user)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record("accounts.reactivate", actor=acting_user, target=user, ip=ip)
    return user


def _revoke_keys(keys) -> int:
    return keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def end_sessions(user) -> int:
    """Delete every stored session of `user`, so a browser they are signed in on gets nothing
    more on its next request. Sessions are stored in the database (the default engine); the
    user id sits inside the encoded data, so each live session is decoded once."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        raise ImproperlyConfigured("Ending a person's sessions needs a database-backed SESSION_ENGINE.")
    ended = 0
    live = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for session in live.only("session_key", "session_data").iterator():
        if store_class().decode(session.session_data).get(SESSION_KEY) == str(user.pk):
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended


# ---------------------------------------------------------------------------------------------
# Organisations and sharing groups, continued
# ---------------------------------------------------------------------------------------------

ORGANISATION_FIELDS = ("name", "short_name", "kind", "country", "is_network_member")


@transaction.atomic
def update_organisation(organisation: Organisation, *, acting_user, ip=None, **changes) -> Organisation:
    """A platform admin corrects an organisation's name, kind, country or network membership."""
    require_platform_admin(acting_user)
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    before = {name: getattr(organisation, name) for name in changes}
    for name, value in changes.items():
        setattr(organisation, name, value.strip() if isinstance(value, str) else value)
    if "country" in changes:
        organisation.country = organisation.country.upper()
    organisation.full_clean()
    organisation.save()
    changed = {name: [before[name], getattr(organisation, name)] for name in changes
               if before[name] != getattr(organisation, name)}
    audit.record("organisations.update", actor=acting_user, target=organisation,
                 subject_organisation_id=organisation.pk, detail={"changed": changed}, ip=ip)
    return organisation


@transaction.atomic
def set_organisation_active(organisation: Organisation, *, acting_user, active: bool, ip=None) -> Organisation:
    """A platform admin deactivates an organisation (its members and keys lose access to
    everything at their next request, since memberships are read at each request) or
    reactivates it."""
    require_platform_admin(acting_user)
    if organisation.is_active == active:
        return organisation
    organisation.is_active = active
    organisation.save(update_fields=["is_active"])
    action = "organisations.reactivate" if active else "organisations.deactivate"
    audit.record(action, actor=acting_user, target=organisation, subject_organisation_id=organisation.pk, ip=ip)
    return organisation


@transaction.atomic
def update_sharing_group(group: SharingGroup, *, acting_user, name: str, description: str = "", ip=None) -> SharingGroup:
    """The owner's admins rename a group or rewrite its description."""
    require_org_permission(acting_user, group.owner, Permission.GROUPS_MANAGE)
    group.name, group.description = (name or "").strip(), (description or "").strip()
    group.full_clean()
    group.save(update_fields=["name", "description"])
    audit.record("groups.update", actor=acting_user, organisation_id=group.owner_id, target=group,
                 subject_organisation_id=group.owner_id, detail={"name": group.name}, ip=ip)
    return group


@transaction.atomic
def delete_sharing_group(group: SharingGroup, *, acting_user, ip=None) -> None:
    """The owner's admins close a group nobody has shared with yet. A group that items were
    shared with stays, or those items would lose their audience."""
    require_org_permission(acting_user, group.owner, Permission.GROUPS_MANAGE)
    group_id, name, owner_id = group.pk, group.name, group.owner_id
    try:
        with transaction.atomic():
            GroupMembership.objects.filter(group=group).delete()
            group.delete()
    except ProtectedError:
        raise ValidationError({"group": _("Items were shared with this group; it cannot be deleted.")}) from None
    audit.record("groups.delete", actor=acting_user, organisation_id=owner_id,
                 subject_organisation_id=owner_id, detail={"group": group_id, "name": name}, ip=ip)


# Writing last_used_at and an audit event on every call would turn a busy sensor into a write
# storm on the database (and on SQLite's single writer). Once a minute per key is precise
# enough to show that a key is in use and to trace it, so the audit log records `api_keys.use`
# at most once per key per minute, and the timestamp moves at the same pace.
KEY_USE_RECORD_INTERVAL = timedelta(minutes=1)


@transaction.atomic
def record_api_key_use(key: ApiKey, *, ip: str | None) -> None:
    """Note that `key` was used now, at most once a minute (see above). The conditional update
    lets exactly one of several concurrent workers win the minute and write the audit event."""
    now = timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < KEY_USE_RECORD_INTERVAL:
        return
    as_we_read_it = Q(last_used_at=key.last_used_at) if key.last_used_at else Q(last_used_at__isnull=True)
    if ApiKey.objects.filter(as_we_read_it, pk=key.pk).update(last_used_at=now) != 1:
        return  # another request recorded this minute already
    key.last_used_at = now
    audit.record("api_keys.use", actor=key.created_by, organisation_id=key.organisation_id, target=key,
                 subject_organisation_id=key.organisation_id, detail={"lookup": key.lookup}, ip=ip)
