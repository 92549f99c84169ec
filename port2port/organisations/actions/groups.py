"""Sharing groups: named circles of organisations, managed by the admins of the group's owner."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from port2port.core import audit
from port2port.core.permissions import Permission

from ..models import GroupMembership, Organisation, SharingGroup
from .permissions import require_org_permission


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
