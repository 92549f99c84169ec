"""The shapes of the reports API: what a caller sends and what it gets back.

Typed with django-ninja schemas, so a wrong type, an unknown choice or a text too long is a
field error before any action runs; lengths and choices come from the models.
"""

from datetime import date, datetime
from typing import Annotated, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict, PlainValidator, WithJsonSchema, field_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from port2port.core.sharing import Audience, Status as ReportStatus, Tlp

from port2port.organisations.models import Port

from .models import Category, Comment, InfoCredibility, ModusOperandi, Report, Severity, SourceReliability

MAX_ID = 2**63 - 1  # larger ids exist nowhere; the database would refuse to compare them
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
MAX_RECIPIENTS = 200


def _max_length(model, name: str) -> int:
    """The model's own limit, so the API and the database never disagree."""
    return model._meta.get_field(name).max_length


def _text(name: str, *, required: bool = False):
    return Field(... if required else "", min_length=1 if required else 0, max_length=_max_length(Report, name))


# ---------------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str


class PersonRef(Schema):
    id: int
    name: str


def _person(user) -> dict:
    return {"id": user.pk, "name": str(user)}


def _organisation(organisation) -> dict:
    return {"id": organisation.pk, "name": organisation.name}


class ReportSummary(Schema):
    """What a list shows of a report."""

    id: int
    title: str
    category: Category
    modus_operandi: ModusOperandi | None
    port: str | None = Field(description="UN/LOCODE of the port")
    occurred_at: datetime
    severity: Severity
    tlp: Tlp
    audience: Audience
    status: ReportStatus
    owner_org: OrganisationRef
    author: PersonRef
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_modus_operandi(report) -> str | None:
        return report.modus_operandi or None

    @staticmethod
    def resolve_port(report) -> str | None:
        return report.port.locode if report.port_id else None

    @staticmethod
    def resolve_owner_org(report) -> dict:
        return _organisation(report.owner_org)

    @staticmethod
    def resolve_author(report) -> dict:
        return _person(report.author)


class ReportOut(ReportSummary):
    """A whole report, with its marking and recipients."""

    place: str
    latitude: float | None
    longitude: float | None
    source_reliability: SourceReliability
    info_credibility: InfoCredibility
    narrative: str
    measures_taken: str
    lessons_learned: str
    sharing_group: int | None
    recipient_orgs: list[int]
    recipient_people: list[int]
    created_at: datetime
    shared_at: datetime | None

    @staticmethod
    def resolve_sharing_group(report) -> int | None:
        return report.sharing_group_id

    @staticmethod
    def resolve_recipient_orgs(report) -> list[int]:
        return sorted(org.pk for org in report.recipient_orgs.all())

    @staticmethod
    def resolve_recipient_people(report) -> list[int]:
        return sorted(person.pk for person in report.recipient_people.all())


class ReportPage(Schema):
    items: list[ReportSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class ContentIn(Schema):
    """The content of a report: what happened, where, when, how sure we are."""

    model_config = ConfigDict(extra="forbid")

    title: str = _text("title", required=True)
    category: Category
    modus_operandi: ModusOperandi | None = Field(None, description="Only for drug smuggling")
    port: str | None = Field(None, max_length=_max_length(Port, "locode"), description="UN/LOCODE, e.g. BEANR")
    place: str = _text("place")
    latitude: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    occurred_at: AwareDatetime
    severity: Severity = Severity.MEDIUM
    source_reliability: SourceReliability = SourceReliability.F
    info_credibility: InfoCredibility = InfoCredibility.CANNOT_JUDGE
    narrative: str = _text("narrative", required=True)
    measures_taken: str = _text("measures_taken")
    lessons_learned: str = _text("lessons_learned")


class MarkingIn(Schema):
    """Who receives a report (audience and recipients) and what they may do with it (TLP)."""

    model_config = ConfigDict(extra="forbid")

    tlp: Tlp
    audience: Audience
    recipient_orgs: list[Id] = Field(default_factory=list, max_length=MAX_RECIPIENTS,
                                     description="Organisation ids, for the audience `organisations`")
    recipient_people: list[Id] = Field(default_factory=list, max_length=MAX_RECIPIENTS,
                                       description="Person ids, for TLP:RED (audience `people`)")
    sharing_group: Id | None = Field(None, description="Sharing group id, for the audience `group`")


class ReportIn(ContentIn, MarkingIn):
    """A new report. It stays a draft for its organisation's editors unless `share_now`."""

    tlp: Tlp = Tlp.AMBER
    audience: Audience = Audience.OWNER
    organisation: Id | None = Field(None, description="The organisation filing it; needed if you belong to several")
    share_now: bool = False


MARKING_FIELDS = ("tlp", "audience", "recipient_orgs", "recipient_people", "sharing_group", "share_now")


class ReportPatch(Schema):
    """Changes to a report's content. Fields left out stay as they are. The marking is not
    changed here: loosening a label or widening an audience is the explicit share action."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(None, min_length=1, max_length=_max_length(Report, "title"))
    category: Category = None
    modus_operandi: ModusOperandi | None = None
    port: str | None = Field(None, max_length=_max_length(Port, "locode"))
    place: str = Field(None, max_length=_max_length(Report, "place"))
    latitude: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    occurred_at: AwareDatetime = None
    severity: Severity = None
    source_reliability: SourceReliability = None
    info_credibility: InfoCredibility = None
    narrative: str = Field(None, min_length=1, max_length=_max_length(Report, "narrative"))
    measures_taken: str = Field(None, max_length=_max_length(Report, "measures_taken"))
    lessons_learned: str = Field(None, max_length=_max_length(Report, "lessons_learned"))
    # Accepted only to answer with a useful message instead of "unknown field".
    tlp: SkipJsonSchema[Any] = None
    audience: SkipJsonSchema[Any] = None
    recipient_orgs: SkipJsonSchema[Any] = None
    recipient_people: SkipJsonSchema[Any] = None
    sharing_group: SkipJsonSchema[Any] = None
    share_now: SkipJsonSchema[Any] = None

    @field_validator(*MARKING_FIELDS, mode="before")
    @classmethod
    def _marking_goes_through_share(cls, value):
        raise PydanticCustomError(
            "marking_through_share",
            str(_("The marking is not changed by an edit: use POST /api/v1/reports/<id>/share.")),
        )


class ShareIn(MarkingIn):
    """The new marking of a report. A draft is published by sharing it."""


def _date_or_moment(value):
    """A day ("2026-03-04") or a moment with its time zone ("2026-03-04T02:30:00Z"). One
    validator rather than a union, so that an error names the parameter and nothing else."""
    if isinstance(value, date):
        return value
    try:
        if isinstance(value, str) and len(value.strip()) == 10:
            return date.fromisoformat(value.strip())
        moment = datetime.fromisoformat(value.strip())
        if moment.tzinfo is not None:
            return moment
    except (TypeError, ValueError, AttributeError):
        pass
    raise PydanticCustomError(
        "date_or_moment", str(_("Enter a date (2026-03-04) or a time with its time zone (2026-03-04T02:30:00Z)."))
    )


DateOrMoment = Annotated[
    date | datetime,
    PlainValidator(_date_or_moment),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}),
]


class ReportFilters(Schema):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    category: Category | None = None
    port: str | None = Field(None, max_length=_max_length(Port, "locode"), description="UN/LOCODE")
    tlp: Tlp | None = None
    status: ReportStatus | None = None
    occurred_from: DateOrMoment | None = Field(None, alias="from", description="From this date or time")
    occurred_to: DateOrMoment | None = Field(None, alias="to", description="Up to this date (inclusive) or time")
    q: str | None = Field(None, max_length=200, description="Full-text search")
    limit: int = Field(25, ge=1, le=100)
    cursor: str | None = Field(None, max_length=200)


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=_max_length(Comment, "body"))


class CommentOut(Schema):
    id: int
    body: str
    author: PersonRef
    organisation: OrganisationRef
    created_at: datetime

    @staticmethod
    def resolve_author(comment) -> dict:
        return _person(comment.author)

    @staticmethod
    def resolve_organisation(comment) -> dict:
        return _organisation(comment.organisation)


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: PersonRef
    created_at: datetime
    download_url: str

    @staticmethod
    def resolve_name(attachment) -> str:
        return attachment.original_name

    @staticmethod
    def resolve_uploaded_by(attachment) -> dict:
        return _person(attachment.uploaded_by)

    @staticmethod
    def resolve_download_url(attachment) -> str:
        return reverse("api:download_attachment", args=[attachment.report_id, attachment.pk])


class VersionOut(Schema):
    number: int
    action: str
    edited_by: PersonRef
    created_at: datetime
    snapshot: dict

    @staticmethod
    def resolve_edited_by(version) -> dict:
        return _person(version.edited_by)
