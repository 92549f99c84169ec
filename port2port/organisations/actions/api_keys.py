"""API keys: made and revoked by an organisation's admins; their use noted at most once a minute."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from port2port.core import audit
from port2port.core.permissions import Permission

from ..models import ApiKey, ApiKeyScope, Organisation
from .permissions import require_org_permission


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


def _revoke_keys(keys) -> int:
    return keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


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
