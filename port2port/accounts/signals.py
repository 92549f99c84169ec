"""Logins, successful or not, go into the audit log. These receivers only record; they decide
nothing (the rules live in the actions and in allauth)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.dispatch import receiver

from port2port.core import audit
from port2port.core.views import client_ip
from port2port.organisations.models import Membership


def _client_ip(request) -> str | None:
    return client_ip(request)


def _home_organisation_id(user) -> int | None:
    """The organisation whose trail shows this person's logins: their oldest active seat."""
    if user is None:
        return None
    return (Membership.objects.filter(user=user, is_active=True).order_by("created_at")
            .values_list("organisation_id", flat=True).first())


@receiver(user_logged_in, dispatch_uid="p2p_audit_login")
def audit_login(sender, request, user, **kwargs):
    audit.record("accounts.login", actor=user, organisation_id=_home_organisation_id(user), ip=_client_ip(request))


@receiver(user_login_failed, dispatch_uid="p2p_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the address tried is kept,
    # and only when it is one: a password typed into the wrong box must not stay in the log.
    email = str(credentials.get("email") or credentials.get("username") or "")[:254]
    if not _looks_like_email(email):
        email = ""
    account = get_user_model().objects.filter(email__iexact=email).first() if email else None
    audit.record("accounts.login_failed", organisation_id=_home_organisation_id(account),
                 detail={"email": email or "(not an e-mail address)"}, ip=_client_ip(request))


def _looks_like_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True
