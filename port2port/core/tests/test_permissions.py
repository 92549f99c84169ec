"""The role matrix, written out once more by hand: a change to a role shows up here."""

import pytest

from port2port.core.permissions import EDITOR_ROLES, ROLE_PERMISSIONS, Permission, Role

_OFFICER_EXTRA = {"measures:assess", "measures:propose", "training:organise"}
EXPECTED = {
    Role.VIEWER: {"reports:read"},
    Role.ANALYST: {"reports:read", "reports:create", "reports:comment", "alerts:handle", "knowledge:write"},
    Role.SECURITY_OFFICER: {"reports:read", "reports:create", "reports:comment", "reports:edit-organisation",
                            "alerts:handle", "sensors:manage", "knowledge:write"} | _OFFICER_EXTRA,
    Role.ORG_ADMIN: _OFFICER_EXTRA | {
        "reports:read", "reports:create", "reports:comment", "reports:edit-organisation", "alerts:handle",
        "sensors:manage", "knowledge:write",
        "organisations:manage-members", "organisations:manage-api-keys", "audit:read-organisation", "groups:manage",
    },
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_grants_exactly_its_permissions(role):
    assert {str(p) for p in ROLE_PERMISSIONS[role]} == EXPECTED[role]


def test_every_permission_is_granted_to_some_role():
    granted = set().union(*ROLE_PERMISSIONS.values())
    assert granted == set(Permission)


def test_security_officers_and_admins_edit_their_organisations_items():
    assert EDITOR_ROLES == {Role.SECURITY_OFFICER, Role.ORG_ADMIN}
