"""The shapes of the working-groups API: groups and their space, meetings, decisions and
action items. Lengths and choices come from the models, so the API and the database agree."""

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from port2port.core.sharing import Tlp
from port2port.reports.schemas import Id, OrganisationRef, PersonRef, _organisation, _person

from .models import AGENDA_MAX, MINUTES_MAX, ActionItem, ActionStatus, Decision, Meeting, MeetingStatus


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _person_or_none(user) -> dict | None:
    return _person(user) if user is not None else None


# ---------------------------------------------------------------------------------------------
# Groups
# ---------------------------------------------------------------------------------------------


class WorkingGroupRef(Schema):
    """What anyone in the network may know of a working group: no more than who runs it."""

    id: int
    name: str
    owner: OrganisationRef
    coordinator: PersonRef | None

    @staticmethod
    def resolve_owner(group) -> dict:
        return _organisation(group.owner)

    @staticmethod
    def resolve_coordinator(group) -> dict | None:
        return _person_or_none(group.coordinator)


class WorkingGroupOut(WorkingGroupRef):
    description: str
    members: list[OrganisationRef] = Field(description="The member organisations now, by name")

    @staticmethod
    def resolve_members(group) -> list[dict]:
        return [_organisation(organisation) for organisation in group.members.all()]


class CoordinatorIn(Schema):
    model_config = ConfigDict(extra="forbid")

    coordinator: Id = Field(description="A person of one of the group's member organisations")


class DelegateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    person: Id = Field(description="A person of one of the group's member organisations")


class ArticleRef(Schema):
    id: int
    title: str
    tlp: Tlp
    owner_org: OrganisationRef
    updated_at: datetime

    @staticmethod
    def resolve_owner_org(article) -> dict:
        return _organisation(article.owner_org)


class MeasureRef(Schema):
    id: int
    title: str


# ---------------------------------------------------------------------------------------------
# Meetings, decisions, actions
# ---------------------------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    group: int
    title: str
    starts_at: datetime
    duration_minutes: int
    place: str
    online_url: str
    status: MeetingStatus
    created_by: PersonRef
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_group(meeting) -> int:
        return meeting.group_id

    @staticmethod
    def resolve_created_by(meeting) -> dict:
        return _person(meeting.created_by)


class DecisionOut(Schema):
    id: int
    meeting: int
    text: str
    decided_on: date
    recorded_by: PersonRef
    created_at: datetime

    @staticmethod
    def resolve_meeting(decision) -> int:
        return decision.meeting_id

    @staticmethod
    def resolve_recorded_by(decision) -> dict:
        return _person(decision.recorded_by)


class ActionItemOut(Schema):
    id: int
    meeting: int
    title: str
    owner: PersonRef
    due_on: date | None
    status: ActionStatus
    done_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_meeting(item) -> int:
        return item.meeting_id

    @staticmethod
    def resolve_owner(item) -> dict:
        return _person(item.owner)


class MeetingDetailOut(MeetingOut):
    agenda: str = Field(description="Markdown")
    minutes: str = Field(description="Markdown")
    decisions: list[DecisionOut]
    action_items: list[ActionItemOut]

    @staticmethod
    def resolve_decisions(meeting) -> list:
        return meeting.visible_decisions

    @staticmethod
    def resolve_action_items(meeting) -> list:
        return meeting.visible_action_items


class MeetingPage(Schema):
    items: list[MeetingOut] = Field(description="Latest start first")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class MeetingFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    status: MeetingStatus | None = None
    limit: int = Field(25, ge=1, le=100)
    cursor: str | None = Field(None, max_length=200)


def _text(name: str, *, required: bool = False, model=Meeting, max_length=None):
    limit = max_length or _max_length(model, name)
    return Field(... if required else "", min_length=1 if required else 0, max_length=limit)


class MeetingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = _text("title", required=True)
    starts_at: AwareDatetime
    duration_minutes: int = Field(90, ge=5, le=24 * 60)
    place: str = _text("place")
    online_url: str = Field("", max_length=_max_length(Meeting, "online_url"), description="An https:// link")
    agenda: str = Field("", max_length=AGENDA_MAX, description="Markdown")
    minutes: str = Field("", max_length=MINUTES_MAX, description="Markdown")
    status: MeetingStatus = MeetingStatus.PLANNED


class MeetingPatch(Schema):
    """Changes to a meeting; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(None, min_length=1, max_length=_max_length(Meeting, "title"))
    starts_at: AwareDatetime = None
    duration_minutes: int = Field(None, ge=5, le=24 * 60)
    place: str = Field(None, max_length=_max_length(Meeting, "place"))
    online_url: str = Field(None, max_length=_max_length(Meeting, "online_url"))
    agenda: str = Field(None, max_length=AGENDA_MAX)
    minutes: str = Field(None, max_length=MINUTES_MAX)
    status: MeetingStatus = None


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=Decision._meta.get_field("text").max_length)
    decided_on: date | None = Field(None, description="Empty: the day of the meeting")


class ActionItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=_max_length(ActionItem, "title"))
    owner: Id = Field(description="A person of one of the group's member organisations")
    due_on: date | None = None


class ActionMarkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: ActionStatus


class ActionFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    status: ActionStatus | None = None
    mine: bool = Field(False, description="Only the actions you own")


class SpaceOut(Schema):
    """A working group's space as its members see it now."""

    group: WorkingGroupOut
    delegates: list[PersonRef]
    upcoming_meetings: list[MeetingOut] = Field(description="The next ten, soonest first")
    past_meetings: list[MeetingOut] = Field(description="The last twenty, latest first")
    open_actions: list[ActionItemOut] = Field(description="Soonest due first")
    articles: list[ArticleRef] = Field(description="Articles shared with the group that you may read")
    measures: list[MeasureRef] = Field(description="Common measures the group has under discussion")
