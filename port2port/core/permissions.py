"""Permissions are one enum of strings and one role matrix (the Warehouse habit).

A role grants permissions inside its own organisation only. What a person may *read* of
other organisations' items is the sharing rule's business (core/sharing.py), never a role's.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    ANALYST = "analyst", _("Analyst")
    SECURITY_OFFICER = "security_officer", _("Security officer (PFSO/PSO)")
    ORG_ADMIN = "org_admin", _("Organisation admin")


class Permission(StrEnum):
    REPORTS_READ = "reports:read"
    REPORTS_CREATE = "reports:create"
    REPORTS_COMMENT = "reports:comment"
    # Edit and share any non-RED report of the organisation, not only one's own.
    REPORTS_EDIT_ORGANISATION = "reports:edit-organisation"
    MEMBERS_MANAGE = "organisations:manage-members"
    API_KEYS_MANAGE = "organisations:manage-api-keys"
    AUDIT_READ = "audit:read-organisation"
    GROUPS_MANAGE = "groups:manage"
    # Register sensors, draw zones, write alert rules, issue sensor credentials and webhooks.
    SENSORS_MANAGE = "sensors:manage"
    # Acknowledge, assign, escalate and close the organisation's alerts.
    ALERTS_HANDLE = "alerts:handle"
    # Write and edit knowledge articles, comment on them and propose edits.
    KNOWLEDGE_WRITE = "knowledge:write"
    # Record the organisation's self-assessment against the common measures.
    MEASURES_ASSESS = "measures:assess"
    # Propose a common measure to the network's catalogue (a working group's coordinator adopts it).
    MEASURES_PROPOSE = "measures:propose"
    # Organise joint trainings, exercises and awareness campaigns in the organisation's name.
    TRAINING_ORGANISE = "training:organise"


_VIEWER = {Permission.REPORTS_READ}
_ANALYST = _VIEWER | {
    Permission.REPORTS_CREATE, Permission.REPORTS_COMMENT, Permission.ALERTS_HANDLE, Permission.KNOWLEDGE_WRITE,
}
_OFFICER = _ANALYST | {
    Permission.REPORTS_EDIT_ORGANISATION, Permission.SENSORS_MANAGE, Permission.MEASURES_ASSESS,
    Permission.MEASURES_PROPOSE, Permission.TRAINING_ORGANISE,
}
_ADMIN = _OFFICER | {
    Permission.MEMBERS_MANAGE,
    Permission.API_KEYS_MANAGE,
    Permission.AUDIT_READ,
    Permission.GROUPS_MANAGE,
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.VIEWER: frozenset(_VIEWER),
    Role.ANALYST: frozenset(_ANALYST),
    Role.SECURITY_OFFICER: frozenset(_OFFICER),
    Role.ORG_ADMIN: frozenset(_ADMIN),
}

# Roles whose holders edit the organisation's non-RED items (the sharing rule reads this).
EDITOR_ROLES = frozenset(r for r, perms in ROLE_PERMISSIONS.items() if Permission.REPORTS_EDIT_ORGANISATION in perms)


def role_grants(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
