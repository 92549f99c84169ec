"""Named, audited writes a person makes to their own account."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from port2port.core import audit


@transaction.atomic
def update_profile(*, acting_user, full_name: str, language: str, ip=None):
    """A person changes their name or the language the platform speaks to them in."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    before = {"full_name": acting_user.full_name, "language": acting_user.language}
    acting_user.full_name, acting_user.language = (full_name or "").strip(), language
    acting_user.full_clean(exclude=["password"])
    acting_user.save(update_fields=["full_name", "language"])
    changed = sorted(name for name, old in before.items() if getattr(acting_user, name) != old)
    audit.record("accounts.update_profile", actor=acting_user, target=acting_user, detail={"changed": changed}, ip=ip)
    return acting_user


@transaction.atomic
def choose_language(*, acting_user, language: str, ip=None):
    """A person picks the language from the menu; it is kept on their profile."""
    return update_profile(acting_user=acting_user, full_name=acting_user.full_name, language=language, ip=ip)
