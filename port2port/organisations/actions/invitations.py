"""Invitations: people come by an e-mailed link that works once, before it expires; the
database holds only a hash of it."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from port2port.core import audit
from port2port.core.permissions import Role

from ..models import Invitation, Membership, Organisation
from .members import _check_role
from .permissions import _acting_org_id, require_member_manager


def invitation_expiry():
    from django.conf import settings

    return timezone.now() + timedelta(days=settings.INVITATION_DAYS)


def hash_invitation_token(token: str) -> str:
    # The token is 32 random bytes: a fast hash is enough, and the database never holds a link.
    return hashlib.sha256(token.encode()).hexdigest()


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
