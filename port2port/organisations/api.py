"""Who am I, who is in the network, which sharing groups am I in.

The caller is `request.auth` (see port2port/api.py). An API key sees the world as its
organisation does: only that membership, only that organisation's groups.
"""

from datetime import datetime

from django.db.models import Q
from ninja import Router, Schema

from port2port.core.permissions import ROLE_PERMISSIONS, Role

from .models import ApiKeyScope, Membership, Organisation, OrganisationKind, SharingGroup

router = Router()


class OrganisationRef(Schema):
    id: int
    name: str
    short_name: str
    kind: OrganisationKind


class MembershipOut(Schema):
    organisation: OrganisationRef
    role: Role
    permissions: list[str]

    @staticmethod
    def resolve_permissions(membership) -> list[str]:
        return sorted(ROLE_PERMISSIONS.get(membership.role, ()))


class ApiKeyOut(Schema):
    name: str
    scope: ApiKeyScope
    organisation: int
    expires_at: datetime

    @staticmethod
    def resolve_organisation(key) -> int:
        return key.organisation_id


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    authenticated_by: str
    api_key: ApiKeyOut | None
    memberships: list[MembershipOut]


class PortOut(Schema):
    locode: str
    name: str
    latitude: float
    longitude: float


class OrganisationOut(OrganisationRef):
    country: str
    is_network_member: bool
    ports: list[PortOut]

    @staticmethod
    def resolve_ports(organisation) -> list:
        return list(organisation.ports.all())


class SharingGroupOut(Schema):
    id: int
    name: str
    description: str
    owner: OrganisationRef
    members: list[OrganisationRef]

    @staticmethod
    def resolve_members(group) -> list:
        return [member for member in group.members.all() if member.is_active]


@router.get("/me", response=MeOut, summary="Who you are, your organisations and roles")
def me(request):
    principal = request.auth
    memberships = Membership.objects.active().filter(user=principal.user).select_related("organisation")
    if principal.api_key is not None:
        memberships = memberships.filter(organisation_id=principal.api_key.organisation_id)
    user = principal.user
    return {
        "id": user.pk, "email": user.email, "full_name": user.full_name, "language": user.language,
        "authenticated_by": "api_key" if principal.api_key else "session",
        "api_key": principal.api_key,
        "memberships": list(memberships),
    }


@router.get("/organisations", response=list[OrganisationOut], summary="The network's directory")
def list_organisations(request):
    """The active organisations of the network, with their ports. A caller outside the network
    sees only their own organisations."""
    viewer = request.auth.viewer
    reach = Q(pk__in=viewer.org_ids)
    if viewer.network_member:
        reach |= Q(is_network_member=True)
    return Organisation.objects.filter(reach, is_active=True).prefetch_related("ports").order_by("name")


@router.get("/sharing-groups", response=list[SharingGroupOut], summary="The sharing groups of your organisations")
def list_sharing_groups(request):
    org_ids = request.auth.viewer.org_ids
    in_my_groups = SharingGroup.objects.filter(members__in=org_ids).values("pk")
    return (SharingGroup.objects.filter(pk__in=in_my_groups).select_related("owner")
            .prefetch_related("members").order_by("name"))
