"""Named, audited writes to organisations, accounts, memberships, invitations, sharing groups and
API keys, one module a concept. Callers use this package (`actions.create_account(...)`); it
re-exports every action and the helpers other apps and tests use."""

from .accounts import create_account, deactivate_account, end_sessions, reactivate_account
from .api_keys import API_KEY_MAX_DAYS, KEY_USE_RECORD_INTERVAL, create_api_key, record_api_key_use, revoke_api_key
from .groups import (
    add_group_member,
    create_sharing_group,
    delete_sharing_group,
    remove_group_member,
    update_sharing_group,
)
from .invitations import (
    accept_invitation,
    hash_invitation_token,
    invitation_expiry,
    invitation_link,
    invite_member,
    open_invitation,
    revoke_invitation,
)
from .members import add_member, change_role, deactivate_member, reactivate_member
from .organisations import (
    ORGANISATION_FIELDS,
    add_port,
    create_organisation,
    set_organisation_active,
    update_organisation,
)
from .permissions import require_member_manager, require_org_permission, require_platform_admin

__all__ = [
    "API_KEY_MAX_DAYS",
    "KEY_USE_RECORD_INTERVAL",
    "ORGANISATION_FIELDS",
    "accept_invitation",
    "add_group_member",
    "add_member",
    "add_port",
    "change_role",
    "create_account",
    "create_api_key",
    "create_organisation",
    "create_sharing_group",
    "deactivate_account",
    "deactivate_member",
    "delete_sharing_group",
    "end_sessions",
    "hash_invitation_token",
    "invitation_expiry",
    "invitation_link",
    "invite_member",
    "open_invitation",
    "reactivate_account",
    "reactivate_member",
    "record_api_key_use",
    "remove_group_member",
    "require_member_manager",
    "require_org_permission",
    "require_platform_admin",
    "revoke_api_key",
    "revoke_invitation",
    "set_organisation_active",
    "update_organisation",
    "update_sharing_group",
]
