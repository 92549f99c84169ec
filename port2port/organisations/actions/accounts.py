"""A platform admin's writes to accounts: creating, closing and reopening them; and ending a
person's sessions, which closing an account or a membership does at once."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from port2port.core import audit

from ..models import ApiKey
from .api_keys import _revoke_keys
from .permissions import require_platform_admin


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
