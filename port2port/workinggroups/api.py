"""The working-groups API: the groups one belongs to and the network's directory of them, a
group's space, its meetings (with a calendar file each), decisions and action items, and the
owner's and coordinator's settings (coordinator, delegates).

Every read starts from `visible_to(caller)`: a space, meeting, decision or action of a group
the caller's organisation is not in now is a 404, exactly like a missing one. Every write is
one of `port2port.workinggroups.actions`, which decide who runs the group (a refusal is a 403).
The caller is `request.auth` (see port2port/api.py); an API key acts for its own organisation
only. Mounted at the root of /api/v1.
"""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Status

from port2port.organisations.models import SharingGroup
from port2port.reports.schemas import MAX_ID
from port2port.sensors.api import Keyset, visible_or_404

from . import actions, calendar
from .models import ActionItem, Decision, Delegate, Meeting, WorkingGroup
from .schemas import (
    ActionFilters, ActionItemIn, ActionItemOut, ActionMarkIn, CoordinatorIn, DecisionIn, DecisionOut, DelegateIn,
    MeetingDetailOut, MeetingFilters, MeetingIn, MeetingOut, MeetingPage, MeetingPatch, SpaceOut, WorkingGroupOut,
    WorkingGroupRef,
)
from .space import space_of

router = Router()

MEETING_PAGES = Keyset("starts_at", "port2port.workinggroups.api.meetings")


def _who(request) -> dict:
    return {"acting_user": request.auth.user, "ip": request.auth.ip}


def _viewer(request):
    return request.auth.viewer


def visible_groups(request):
    return (WorkingGroup.objects.visible_to(_viewer(request)).select_related("owner", "coordinator")
            .prefetch_related("members"))


def visible_meetings(request):
    return Meeting.objects.visible_to(_viewer(request)).select_related("created_by")


def visible_actions(request):
    return ActionItem.objects.visible_to(_viewer(request)).select_related("owner")


def _person(user_id: int):
    # None for an unknown id: the action then answers as for a person out of reach.
    return get_user_model().objects.filter(pk=user_id).first()


def _meeting_for_writing(request, meeting_id: int) -> Meeting:
    meeting = visible_or_404(Meeting.objects.visible_to(_viewer(request)).select_related("group"), meeting_id)
    actions.require_runner(request.auth.user, meeting.group)
    return meeting


# ---------------------------------------------------------------------------------------------
# Groups and their space
# ---------------------------------------------------------------------------------------------


@router.get("/working-groups", response=list[WorkingGroupOut], summary="The working groups your organisations are in")
def list_groups(request):
    return visible_groups(request).order_by("name")


@router.get("/working-groups/directory", response=list[WorkingGroupRef],
            summary="Every working group of the network, by name, with its owner and coordinator")
def directory(request):
    """For members of the network; their spaces stay with their member organisations."""
    return WorkingGroup.objects.listed_for(_viewer(request)).select_related("owner", "coordinator").order_by("name")


@router.get("/working-groups/{int:group_id}", response=SpaceOut, summary="A working group's space")
def read_space(request, group_id: int):
    group = visible_or_404(visible_groups(request), group_id)
    space = space_of(group, _viewer(request))
    return {"group": group, "delegates": [delegate.user for delegate in space.delegates],
            "upcoming_meetings": space.upcoming, "past_meetings": space.past, "open_actions": space.open_actions,
            "articles": space.articles, "measures": space.measures}


@router.put("/working-groups/{int:group_id}/coordinator", response=WorkingGroupOut,
            summary="Make a sharing group a working group, or replace its coordinator")
def appoint_coordinator(request, group_id: int, payload: CoordinatorIn):
    """Admins of the group's owner organisation. The coordinator is a person of one of the
    group's member organisations."""
    group = visible_or_404(SharingGroup.objects.filter(pk__in=_viewer(request).group_ids).select_related("owner"), group_id)
    actions.appoint_coordinator(group, coordinator=_person(payload.coordinator), **_who(request))
    return visible_groups(request).get(pk=group.pk)


@router.post("/working-groups/{int:group_id}/delegates", response={201: WorkingGroupRef},
             summary="Name a delegate, who prepares meetings and writes minutes with the coordinator")
def name_delegate(request, group_id: int, payload: DelegateIn):
    group = visible_or_404(visible_groups(request), group_id)
    actions.name_delegate(group, person=_person(payload.person), **_who(request))
    return Status(201, group)


@router.delete("/working-groups/{int:group_id}/delegates/{int:person_id}", response={204: None},
               summary="Remove a delegate")
def remove_delegate(request, group_id: int, person_id: int):
    group = visible_or_404(visible_groups(request), group_id)
    actions.require_coordinator(request.auth.user, group)
    if not 0 < person_id <= MAX_ID:
        raise Http404
    delegate = Delegate.objects.visible_to(_viewer(request)).filter(group=group, user_id=person_id).select_related("user").first()
    if delegate is None:
        raise Http404
    actions.remove_delegate(group, person=delegate.user, **_who(request))
    return Status(204, None)


@router.get("/working-groups/{int:group_id}/actions", response=list[ActionItemOut],
            summary="A working group's action items, soonest due first")
def list_group_actions(request, group_id: int, filters: Query[ActionFilters]):
    group = visible_or_404(visible_groups(request), group_id)
    items = visible_actions(request).filter(meeting__group=group)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.mine:
        items = items.filter(owner=request.auth.user)
    return items.order_by("due_on", "pk")


# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------


@router.get("/working-groups/{int:group_id}/meetings", response=MeetingPage, summary="A working group's meetings")
def list_meetings(request, group_id: int, filters: Query[MeetingFilters]):
    """Latest start first. Pass `next_cursor` back as `cursor` for the next page."""
    group = visible_or_404(visible_groups(request), group_id)
    meetings = visible_meetings(request).filter(group=group)
    if filters.status:
        meetings = meetings.filter(status=filters.status)
    return MEETING_PAGES.page(meetings, limit=filters.limit, cursor=filters.cursor)


@router.post("/working-groups/{int:group_id}/meetings", response={201: MeetingOut}, summary="Plan a meeting")
def plan_meeting(request, group_id: int, payload: MeetingIn):
    """The coordinator and their delegates."""
    group = visible_or_404(visible_groups(request), group_id)
    meeting = actions.plan_meeting(group, **payload.model_dump(), **_who(request))
    return Status(201, visible_meetings(request).get(pk=meeting.pk))


def _detailed(request, meeting_id: int) -> Meeting:
    meeting = visible_or_404(visible_meetings(request), meeting_id)
    viewer = _viewer(request)
    meeting.visible_decisions = list(Decision.objects.visible_to(viewer).filter(meeting=meeting).select_related("recorded_by"))
    meeting.visible_action_items = list(visible_actions(request).filter(meeting=meeting))
    return meeting


@router.get("/working-groups/meetings/{int:meeting_id}", response=MeetingDetailOut,
            summary="A meeting, with its agenda, minutes, decisions and actions")
def read_meeting(request, meeting_id: int):
    return _detailed(request, meeting_id)


@router.patch("/working-groups/meetings/{int:meeting_id}", response=MeetingDetailOut, summary="Change a meeting")
def edit_meeting(request, meeting_id: int, payload: MeetingPatch):
    """Fields left out stay as they are: move it, write its agenda or minutes, mark it held or cancelled."""
    meeting = _meeting_for_writing(request, meeting_id)
    actions.edit_meeting(meeting, **payload.model_dump(exclude_unset=True), **_who(request))
    return _detailed(request, meeting.pk)


@router.get("/working-groups/meetings/{int:meeting_id}/calendar", response={200: None},
            summary="A meeting as an iCalendar file",
            openapi_extra={"responses": {200: {"description": "text/calendar (RFC 5545)",
                                               "content": {"text/calendar": {"schema": {"type": "string"}}}}}})
def meeting_calendar(request, meeting_id: int):
    """Title, time, place and link; never the agenda or the minutes."""
    meeting = visible_or_404(Meeting.objects.visible_to(_viewer(request)).select_related("group"), meeting_id)
    link = request.build_absolute_uri(reverse("workinggroups:meeting", args=[meeting.pk]))
    return calendar.ics_response(meeting, link)


# ---------------------------------------------------------------------------------------------
# Decisions and action items
# ---------------------------------------------------------------------------------------------


@router.get("/working-groups/meetings/{int:meeting_id}/decisions", response=list[DecisionOut],
            summary="What a meeting decided")
def list_decisions(request, meeting_id: int):
    meeting = visible_or_404(visible_meetings(request), meeting_id)
    return Decision.objects.visible_to(_viewer(request)).filter(meeting=meeting).select_related("recorded_by")


@router.post("/working-groups/meetings/{int:meeting_id}/decisions", response={201: DecisionOut},
             summary="Record a decision of a meeting")
def record_decision(request, meeting_id: int, payload: DecisionIn):
    meeting = _meeting_for_writing(request, meeting_id)
    decision = actions.record_decision(meeting, **payload.model_dump(), **_who(request))
    return Status(201, decision)


@router.get("/working-groups/decisions/{int:decision_id}", response=DecisionOut, summary="A decision")
def read_decision(request, decision_id: int):
    return visible_or_404(Decision.objects.visible_to(_viewer(request)).select_related("recorded_by"), decision_id)


@router.get("/working-groups/meetings/{int:meeting_id}/actions", response=list[ActionItemOut],
            summary="The actions a meeting asked for")
def list_meeting_actions(request, meeting_id: int):
    meeting = visible_or_404(visible_meetings(request), meeting_id)
    return visible_actions(request).filter(meeting=meeting)


@router.post("/working-groups/meetings/{int:meeting_id}/actions", response={201: ActionItemOut},
             summary="Record an action: something one person of a member organisation does, by a date")
def assign_action(request, meeting_id: int, payload: ActionItemIn):
    meeting = _meeting_for_writing(request, meeting_id)
    item = actions.assign_action_item(meeting, title=payload.title, owner=_person(payload.owner),
                                      due_on=payload.due_on, **_who(request))
    return Status(201, visible_actions(request).get(pk=item.pk))


@router.get("/working-groups/actions/{int:action_id}", response=ActionItemOut, summary="An action item")
def read_action(request, action_id: int):
    return visible_or_404(visible_actions(request), action_id)


@router.patch("/working-groups/actions/{int:action_id}", response=ActionItemOut, summary="Mark an action done or open")
def mark_action(request, action_id: int, payload: ActionMarkIn):
    """Its owner, the coordinator and their delegates."""
    item = visible_or_404(visible_actions(request).select_related("meeting__group"), action_id)
    actions.mark_action_item(item, done=payload.status == "done", **_who(request))
    return visible_actions(request).get(pk=item.pk)
