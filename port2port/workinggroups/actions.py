"""Named, audited writes to working groups: making a sharing group a working group and
appointing its coordinator (the owner's admins), naming delegates (the coordinator), and
meetings with their decisions and action items (the coordinator and delegates).

Rights are read afresh at every call: a coordinator or delegate whose organisation left the
group, or whose membership ended, runs nothing any more.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from port2port.core import audit
from port2port.core.permissions import Permission
from port2port.organisations.actions import require_org_permission
from port2port.organisations.models import GroupMembership, Membership, SharingGroup

from .models import ActionItem, ActionStatus, Decision, Delegate, Meeting, MeetingStatus

MEETING_FIELDS = ("title", "starts_at", "duration_minutes", "place", "online_url", "agenda", "minutes", "status")


# --- Who takes part, who runs the group ------------------------------------------------------


def participants(group: SharingGroup):
    """People of the group's member organisations now: active accounts with an active
    membership in an active member organisation."""
    members = GroupMembership.objects.filter(group=group).values("organisation_id")
    memberships = Membership.objects.active().filter(organisation_id__in=members)
    return get_user_model().objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def takes_part(user, group: SharingGroup) -> bool:
    return user is not None and participants(group).filter(pk=user.pk).exists()


def is_coordinator(user, group: SharingGroup) -> bool:
    return user is not None and group.coordinator_id == user.pk and takes_part(user, group)


def runs(user, group: SharingGroup) -> bool:
    """The coordinator and the delegates they named, while they take part in the group."""
    if user is None or not group.is_working_group:
        return False
    named = group.coordinator_id == user.pk or Delegate.objects.filter(group=group, user=user).exists()
    return named and takes_part(user, group)


def require_runner(user, group: SharingGroup) -> None:
    if not runs(user, group):
        raise PermissionDenied(_("Only the coordinator of the working group and their delegates may do this."))


def require_coordinator(user, group: SharingGroup) -> None:
    if not (group.is_working_group and is_coordinator(user, group)):
        raise PermissionDenied(_("Only the coordinator of the working group may do this."))


def _participant(group: SharingGroup, person, field: str):
    # Unknown people and people out of reach get the same words: this is no account directory.
    if person is None or not participants(group).filter(pk=person.pk).exists():
        raise ValidationError({field: _("Choose a person of one of the group's member organisations.")})
    return person


def _acting_org_id(user, group: SharingGroup) -> int | None:
    """The member organisation the person acted from, for the audit trail."""
    members = GroupMembership.objects.filter(group=group).values("organisation_id")
    membership = (Membership.objects.active().filter(user=user, organisation_id__in=members)
                  .order_by("organisation_id").first())
    return membership.organisation_id if membership else None


def _record(verb: str, acting_user, group: SharingGroup, target, detail: dict, ip) -> None:
    audit.record(f"workinggroups.{verb}", actor=acting_user, organisation_id=_acting_org_id(acting_user, group),
                 target=target, subject_organisation_id=group.owner_id, detail=detail, ip=ip)


# --- The group and its coordinator -----------------------------------------------------------


@transaction.atomic
def appoint_coordinator(group: SharingGroup, *, acting_user, coordinator, ip=None) -> SharingGroup:
    """The owner's admins make the sharing group a working group (if it is not one yet) and
    appoint its coordinator, or replace them."""
    require_org_permission(acting_user, group.owner, Permission.GROUPS_MANAGE)
    _participant(group, coordinator, "coordinator")
    previous, became = group.coordinator_id, not group.is_working_group
    group.is_working_group, group.coordinator = True, coordinator
    group.full_clean()
    group.save(update_fields=["is_working_group", "coordinator"])
    audit.record("workinggroups.coordinator.appoint", actor=acting_user, organisation_id=group.owner_id,
                 target=group, subject_organisation_id=group.owner_id,
                 detail={"coordinator": coordinator.pk, "previous": previous, "became_working_group": became}, ip=ip)
    return group


@transaction.atomic
def stop_working_group(group: SharingGroup, *, acting_user, ip=None) -> SharingGroup:
    """The owner's admins turn the working group back into a plain sharing group. Its space
    closes; meetings and minutes stay in the database and return if it becomes one again."""
    require_org_permission(acting_user, group.owner, Permission.GROUPS_MANAGE)
    if not group.is_working_group:
        raise ValidationError({"group": _("This sharing group is not a working group.")})
    group.is_working_group = False
    group.save(update_fields=["is_working_group"])
    audit.record("workinggroups.group.stop", actor=acting_user, organisation_id=group.owner_id, target=group,
                 subject_organisation_id=group.owner_id, detail={"coordinator": group.coordinator_id}, ip=ip)
    return group


@transaction.atomic
def name_delegate(group: SharingGroup, *, acting_user, person, ip=None) -> Delegate:
    """The coordinator names a person who prepares meetings and writes minutes with them."""
    require_coordinator(acting_user, group)
    _participant(group, person, "person")
    if person.pk == group.coordinator_id:
        raise ValidationError({"person": _("The coordinator runs the group already.")})
    delegate, created = Delegate.objects.get_or_create(group=group, user=person, defaults={"added_by": acting_user})
    if created:
        _record("delegate.name", acting_user, group, group, {"person": person.pk}, ip)
    return delegate


@transaction.atomic
def remove_delegate(group: SharingGroup, *, acting_user, person, ip=None) -> None:
    require_coordinator(acting_user, group)
    deleted, _counts = Delegate.objects.filter(group=group, user=person).delete()
    if deleted:
        _record("delegate.remove", acting_user, group, group, {"person": person.pk}, ip)


# --- Meetings -----------------------------------------------------------------------------------


def _clean_meeting(meeting: Meeting) -> None:
    meeting.title = (meeting.title or "").strip()
    meeting.place = (meeting.place or "").strip()
    meeting.online_url = (meeting.online_url or "").strip()
    meeting.full_clean(exclude=["group", "created_by"])
    if meeting.status == MeetingStatus.HELD and meeting.starts_at > timezone.now():
        raise ValidationError({"status": _("A meeting that has not started yet cannot have been held.")})


@transaction.atomic
def plan_meeting(group: SharingGroup, *, acting_user, title: str, starts_at, duration_minutes: int = 90,
                 place: str = "", online_url: str = "", agenda: str = "", minutes: str = "",
                 status: str = MeetingStatus.PLANNED, ip=None) -> Meeting:
    """The coordinator (or a delegate) puts a meeting on the group's calendar."""
    require_runner(acting_user, group)
    meeting = Meeting(group=group, title=title, starts_at=starts_at, duration_minutes=duration_minutes, place=place,
                      online_url=online_url, agenda=agenda, minutes=minutes, status=status, created_by=acting_user)
    _clean_meeting(meeting)
    meeting.save()
    _record("meeting.plan", acting_user, group, meeting, {"title": meeting.title, "starts_at": meeting.starts_at.isoformat()}, ip)
    return meeting


@transaction.atomic
def edit_meeting(meeting: Meeting, *, acting_user, ip=None, **changes) -> Meeting:
    """Change a meeting: move it, write its agenda or minutes, mark it held or cancelled."""
    require_runner(acting_user, meeting.group)
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"edit_meeting() got unexpected fields {sorted(unknown)}")
    changed = sorted(name for name, value in changes.items() if getattr(meeting, name) != value)
    for name, value in changes.items():
        setattr(meeting, name, value)
    _clean_meeting(meeting)
    meeting.save()
    _record("meeting.edit", acting_user, meeting.group, meeting, {"fields": changed, "status": meeting.status}, ip)
    return meeting


# --- Decisions and action items -----------------------------------------------------------------


def _require_not_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": _("This meeting was cancelled: nothing can be recorded on it.")})


@transaction.atomic
def record_decision(meeting: Meeting, *, acting_user, text: str, decided_on=None, ip=None) -> Decision:
    """What the meeting decided; on the day of the meeting unless said otherwise."""
    require_runner(acting_user, meeting.group)
    _require_not_cancelled(meeting)
    decided_on = decided_on or timezone.localdate(meeting.starts_at)
    decision = Decision(meeting=meeting, text=(text or "").strip(), decided_on=decided_on, recorded_by=acting_user)
    decision.full_clean(exclude=["meeting", "recorded_by"])
    decision.save()
    _record("decision.record", acting_user, meeting.group, decision,
            {"meeting": meeting.pk, "decided_on": decided_on.isoformat()}, ip)
    return decision


@transaction.atomic
def assign_action_item(meeting: Meeting, *, acting_user, title: str, owner, due_on=None, ip=None) -> ActionItem:
    """Something the meeting asks one person of a member organisation to do."""
    require_runner(acting_user, meeting.group)
    _require_not_cancelled(meeting)
    item = ActionItem(meeting=meeting, title=(title or "").strip(), owner=owner, due_on=due_on, created_by=acting_user)
    item.full_clean(exclude=["meeting", "owner", "created_by"])
    _participant(meeting.group, owner, "owner")
    item.save()
    _record("action.assign", acting_user, meeting.group, item,
            {"meeting": meeting.pk, "owner": owner.pk, "due_on": due_on.isoformat() if due_on else None}, ip)
    return item


def may_mark(user, item: ActionItem) -> bool:
    """The coordinator and delegates, and the action's owner while they take part."""
    group = item.meeting.group
    return runs(user, group) or (user is not None and item.owner_id == user.pk and takes_part(user, group))


@transaction.atomic
def mark_action_item(item: ActionItem, *, acting_user, done: bool, ip=None) -> ActionItem:
    """Mark an action done (now) or open again."""
    if not may_mark(acting_user, item):
        raise PermissionDenied(_("Only the action's owner, the coordinator and their delegates may do this."))
    status = ActionStatus.DONE if done else ActionStatus.OPEN
    if item.status == status:
        return item
    item.status, item.done_at = status, timezone.now() if done else None
    item.save(update_fields=["status", "done_at"])
    _record("action.mark", acting_user, item.meeting.group, item, {"status": status}, ip)
    return item
