"""The shapes of the measures API. Lengths and choices come from the models, so a wrong type,
an unknown choice or a text too long is a field error before any action runs.

An assessment carries `shown`: what of it the caller sees (`own` for their own organisation's,
else the disclosure its organisation chose). Fields beyond that are null; evidence travels only
in the caller's own organisation's assessments."""

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from port2port.reports.schemas import Id, OrganisationRef, PersonRef, _organisation, _person

from .models import (
    OWN, AssessmentStatus, Disclosure, FacilityKind, Level, Measure, MeasureStatus, Theme, Threat,
)


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class GroupRef(Schema):
    id: int
    name: str


class MeasureOut(Schema):
    id: int
    title: str
    description: str
    theme: Theme
    threats: list[Threat]
    legal_reference: str
    facility_kinds: list[FacilityKind]
    level: Level
    status: MeasureStatus
    adopted_on: date | None
    retired_on: date | None
    working_group: GroupRef | None
    proposed_by: OrganisationRef
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_working_group(measure) -> dict | None:
        group = measure.working_group
        return {"id": group.pk, "name": group.name} if group else None

    @staticmethod
    def resolve_proposed_by(measure) -> dict:
        return _organisation(measure.proposed_by_org)


class ArticleRef(Schema):
    id: int
    title: str


class MeasureRef(Schema):
    id: int
    title: str


class MeasureDetailOut(MeasureOut):
    articles: list[ArticleRef] = Field(description="Linked knowledge articles you may read yourself")

    @staticmethod
    def resolve_articles(measure) -> list:
        return [{"id": a.pk, "title": a.title} for a in getattr(measure, "readable_articles", [])]


class MeasurePage(Schema):
    items: list[MeasureOut] = Field(description="Most recently changed first")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class MeasureFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    theme: Theme | None = None
    level: Level | None = None
    status: MeasureStatus | None = None
    threat: Threat | None = None
    facility: FacilityKind | None = None
    limit: int = Field(50, ge=1, le=200)
    cursor: str | None = Field(None, max_length=200)


class MeasurePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(None, min_length=1, max_length=_max(Measure, "title"))
    description: str = Field(None, min_length=1, max_length=20000)
    theme: Theme = None
    threats: list[Threat] = Field(None, max_length=len(Threat))
    legal_reference: str = Field(None, max_length=_max(Measure, "legal_reference"))
    facility_kinds: list[FacilityKind] = Field(None, max_length=len(FacilityKind))
    level: Level = None
    working_group: Id | None = Field(None, description="A working group the proposer organisation sits in")
    articles: list[Id] = Field(None, max_length=100, description="Ids of knowledge articles you may read")
    note: str = Field("", max_length=500, description="Why; required for changes to an adopted measure")


class MeasureIn(MeasurePatch):
    title: str = Field(..., min_length=1, max_length=_max(Measure, "title"))
    description: str = Field(..., min_length=1, max_length=20000)
    theme: Theme
    level: Level = Level.BASELINE
    organisation: Id | None = Field(None, description="The proposing organisation; needed if you belong to several")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    on: date | None = Field(None, description="Effective date; today if left out")
    note: str = Field("", max_length=500)


class VersionOut(Schema):
    number: int
    action: str
    note: str
    author: PersonRef
    created_at: datetime
    snapshot: dict

    @staticmethod
    def resolve_author(version) -> dict:
        return _person(version.author)


class AssessmentOut(Schema):
    id: int
    organisation: OrganisationRef
    measure: int
    shown: str = Field(description="`own`, or the disclosure in force: status, progress or full")
    status: AssessmentStatus | None
    maturity: int | None
    target_date: date | None
    owner: PersonRef | None
    note: str | None
    recorded_at: datetime
    disclosure: Disclosure | None = Field(description="This answer's own disclosure (own organisation only)")
    evidence_text: str | None = Field(description="Own organisation only")
    evidence_file: str | None = Field(description="The file's name (own organisation only); download it on the web page")

    @staticmethod
    def resolve_organisation(record) -> dict:
        return _organisation(record.organisation)

    @staticmethod
    def resolve_measure(record) -> int:
        return record.measure_id

    @staticmethod
    def resolve_status(record):
        return record.shown_status

    @staticmethod
    def resolve_maturity(record):
        return record.shown_maturity

    @staticmethod
    def resolve_target_date(record):
        return record.shown_target_date

    @staticmethod
    def resolve_owner(record):
        return _person(record.shown_owner) if record.shown_owner else None

    @staticmethod
    def resolve_note(record):
        return record.shown_note if record.shown in (Disclosure.FULL, OWN) else None

    @staticmethod
    def resolve_disclosure(record):
        return record.disclosure if record.is_own else None

    @staticmethod
    def resolve_evidence_text(record):
        return record.evidence_text if record.is_own else None

    @staticmethod
    def resolve_evidence_file(record):
        return record.evidence_name if record.is_own and record.evidence_file else None


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organisation: Id | None = Field(None, description="Your organisation; needed if you belong to several")
    status: AssessmentStatus
    maturity: int | None = Field(None, ge=0, le=5)
    target_date: date | None = None
    owner: Id | None = Field(None, description="A person of your organisation")
    note: str = Field("", max_length=5000)
    evidence_text: str = Field("", max_length=10000, description="Stays inside your organisation")
    disclosure: Disclosure | None = Field(None, description="Override your organisation's setting for this answer")
    recorded_at: AwareDatetime | None = Field(None, description="When the assessment was made, if earlier than now")


class DisclosureIn(Schema):
    model_config = ConfigDict(extra="forbid")

    level: Disclosure


class DisclosureOut(Schema):
    organisation: OrganisationRef
    level: Disclosure


class FigureOut(Schema):
    implemented_percent: int | None
    suppressed: bool
    based_on: int = Field(description="How many organisations' answers, as the caller may see them, the figure rests on")


class ThemeFigureOut(FigureOut):
    theme: Theme


class QuarterFigureOut(FigureOut):
    quarter: str


class WeakestOut(Schema):
    measure: int
    suppressed: bool
    based_on: int = Field(description="How many organisations show the caller their status on this measure")
    status: AssessmentStatus | None
    organisations: list[OrganisationRef]


class CellOut(Schema):
    measure: int
    status: AssessmentStatus | None
    maturity: int | None
    target_date: date | None


class RowOut(Schema):
    organisation: OrganisationRef
    cells: list[CellOut]


class NetworkOut(Schema):
    min_group_size: int
    measures: list[MeasureRef] = Field(description="The adopted measures, in the order of each row's cells")
    rows: list[RowOut]
    themes: list[ThemeFigureOut]
    quarters: list[QuarterFigureOut]
    weakest: list[WeakestOut]

