"""The shapes of the training API: trainings, seats, attendance, feedback and awareness
campaigns. Lengths and choices come from the models."""

import enum
from datetime import date, datetime

from django.urls import reverse
from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from port2port.core.sharing import Audience, Tlp
from port2port.knowledge.models import Theme
from port2port.reports.schemas import MAX_RECIPIENTS, Id, OrganisationRef, PersonRef, _organisation, _person

from .models import (
    AUDIENCES, LABELS, MAX_CAPACITY, MAX_REACH, Attendance, Campaign, RegistrationStatus, Training, TrainingKind,
)

TrainingLabel = enum.StrEnum("TrainingLabel", {str(label).replace("+", "_"): str(label) for label in LABELS})
TrainingAudience = enum.StrEnum("TrainingAudience", {str(audience): str(audience) for audience in AUDIENCES})
MAX_MATERIALS = 50


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _text(model, name: str, *, required: bool = False, default=""):
    return Field(... if required else default, min_length=1 if required else 0, max_length=_max_length(model, name))


class ArticleRef(Schema):
    id: int
    title: str
    tlp: Tlp


class MarkingIn(Schema):
    """Who may see and join (audience) and what they may do with it: GREEN or AMBER."""

    model_config = ConfigDict(extra="forbid")

    tlp: TrainingLabel = TrainingLabel(Tlp.GREEN)
    audience: TrainingAudience = TrainingAudience(Audience.NETWORK)
    recipient_orgs: list[Id] = Field(default_factory=list, max_length=MAX_RECIPIENTS,
                                     description="Organisation ids, for the audience `organisations`")
    sharing_group: Id | None = Field(None, description="Sharing group id, for the audience `group`")


# --- trainings ----------------------------------------------------------------------------------


class TrainingContent(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: TrainingKind
    title: str = _text(Training, "title", required=True)
    theme: Theme
    description: str = _text(Training, "description")
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    place: str = _text(Training, "place")
    online_url: str = _text(Training, "online_url")
    capacity: int = Field(ge=1, le=MAX_CAPACITY)
    materials: list[Id] = Field(default_factory=list, max_length=MAX_MATERIALS, description="Knowledge article ids")


class TrainingIn(TrainingContent, MarkingIn):
    """A new training; it reaches its audience at once."""

    organisation: Id | None = Field(None, description="The organiser; needed if you organise for several")


class TrainingPatch(Schema):
    """Changes to a training; fields left out stay as they are. The marking changes only by /share."""

    model_config = ConfigDict(extra="forbid")

    kind: TrainingKind = None
    title: str = _text(Training, "title", default=None)
    theme: Theme = None
    description: str = _text(Training, "description", default=None)
    starts_at: AwareDatetime = None
    ends_at: AwareDatetime = None
    place: str = _text(Training, "place", default=None)
    online_url: str = _text(Training, "online_url", default=None)
    capacity: int = Field(None, ge=1, le=MAX_CAPACITY)
    materials: list[Id] = Field(None, max_length=MAX_MATERIALS)


class RegistrationRef(Schema):
    id: int
    status: RegistrationStatus
    attendance: Attendance


class TrainingOut(Schema):
    id: int
    kind: TrainingKind
    title: str
    theme: Theme
    description: str
    starts_at: datetime
    ends_at: datetime
    place: str
    online_url: str
    capacity: int
    seats_taken: int
    waiting: int
    organiser: OrganisationRef
    tlp: Tlp
    audience: Audience
    recipient_orgs: list[int]
    sharing_group: int | None
    cancelled_at: datetime | None
    materials: list[ArticleRef] = Field(description="Only the articles shared with you")
    my_registration: RegistrationRef | None = Field(description="Your own seat, if any")
    page: str

    @staticmethod
    def resolve_organiser(training) -> dict:
        return _organisation(training.owner_org)

    @staticmethod
    def resolve_recipient_orgs(training) -> list[int]:
        return [org.pk for org in training.recipient_orgs.all()]

    @staticmethod
    def resolve_sharing_group(training) -> int | None:
        return training.sharing_group_id

    @staticmethod
    def resolve_materials(training) -> list:
        return training.visible_materials

    @staticmethod
    def resolve_my_registration(training):
        return training.my_registrations[0] if training.my_registrations else None

    @staticmethod
    def resolve_page(training) -> str:
        return reverse("training:detail", args=[training.pk])


class TrainingPage(Schema):
    items: list[TrainingOut] = Field(description="Latest start first")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class TrainingFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    starts_after: AwareDatetime | None = Field(None, description="Trainings ending after this moment")
    starts_before: AwareDatetime | None = Field(None, description="Trainings starting before this moment")
    theme: Theme | None = None
    kind: TrainingKind | None = None
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=500)


class RegistrationOut(Schema):
    id: int
    training: int
    person: PersonRef
    organisation: OrganisationRef
    status: RegistrationStatus
    attendance: Attendance
    queued_at: datetime

    @staticmethod
    def resolve_training(registration) -> int:
        return registration.training_id

    @staticmethod
    def resolve_person(registration) -> dict:
        return _person(registration.person)

    @staticmethod
    def resolve_organisation(registration) -> dict:
        return _organisation(registration.organisation)


class RegisterIn(Schema):
    model_config = ConfigDict(extra="forbid")

    person: Id | None = Field(None, description="A member of an organisation you organise for; empty: yourself")


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    attended: bool


class FeedbackIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)


class FeedbackOut(Schema):
    id: int
    registration: int
    rating: int
    comment: str
    created_at: datetime

    @staticmethod
    def resolve_registration(feedback) -> int:
        return feedback.registration_id


# --- campaigns ----------------------------------------------------------------------------------


class CampaignContent(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = _text(Campaign, "title", required=True)
    theme: Theme
    description: str = _text(Campaign, "description")
    starts_on: date
    ends_on: date
    materials: list[Id] = Field(default_factory=list, max_length=MAX_MATERIALS, description="Knowledge article ids")


class CampaignIn(CampaignContent, MarkingIn):
    organisation: Id | None = Field(None, description="The launching organisation; needed if you organise for several")


class CampaignPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = _text(Campaign, "title", default=None)
    theme: Theme = None
    description: str = _text(Campaign, "description", default=None)
    starts_on: date = None
    ends_on: date = None
    materials: list[Id] = Field(None, max_length=MAX_MATERIALS)


class ParticipationOut(Schema):
    organisation: OrganisationRef
    joined_at: datetime
    left_at: datetime | None
    people_reached: int
    sessions_held: int
    reach_reported_at: datetime | None

    @staticmethod
    def resolve_organisation(participation) -> dict:
        return _organisation(participation.organisation)


class CampaignOut(Schema):
    id: int
    title: str
    theme: Theme
    description: str
    starts_on: date
    ends_on: date
    organiser: OrganisationRef
    tlp: Tlp
    audience: Audience
    recipient_orgs: list[int]
    sharing_group: int | None
    materials: list[ArticleRef] = Field(description="Only the articles shared with you")
    participants: list[ParticipationOut]
    people_reached: int
    sessions_held: int

    @staticmethod
    def resolve_organiser(campaign) -> dict:
        return _organisation(campaign.owner_org)

    @staticmethod
    def resolve_recipient_orgs(campaign) -> list[int]:
        return [org.pk for org in campaign.recipient_orgs.all()]

    @staticmethod
    def resolve_sharing_group(campaign) -> int | None:
        return campaign.sharing_group_id

    @staticmethod
    def resolve_materials(campaign) -> list:
        return campaign.visible_materials

    @staticmethod
    def resolve_participants(campaign) -> list:
        return campaign.participations.all()

    @staticmethod
    def resolve_people_reached(campaign) -> int:
        return sum(p.people_reached for p in campaign.participations.all())

    @staticmethod
    def resolve_sessions_held(campaign) -> int:
        return sum(p.sessions_held for p in campaign.participations.all())


class OrganisationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organisation: Id | None = Field(None, description="One of your organisations; needed if you organise for several")


class ReachIn(Schema):
    model_config = ConfigDict(extra="forbid")

    people_reached: int = Field(ge=0, le=MAX_REACH)
    sessions_held: int = Field(ge=0, le=MAX_REACH)
