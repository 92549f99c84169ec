"""The shapes of the indicators API: what a caller sends and what it gets back.

A report reached through an indicator (a match, a search result, a step of a timeline, a hit)
is shown as a `ReportRef`: which report, where, when, whose. The caller may see each of them
(every query goes through `visible_to`), and may open it with GET /reports/<id>.
"""

import enum
from datetime import datetime

from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict

from port2port.organisations.models import Port
from port2port.reports.schemas import Id, OrganisationRef, _organisation

from .actions import MAX_BATCH
from .models import Indicator, Sighting, SightingKind, Watch
from .types import REGISTRY

# The kinds as an enum, so that the schema lists them and an unknown one is a field error.
IndicatorKind = enum.StrEnum("IndicatorKind", {kind: kind for kind in REGISTRY})


def _max_length(model, name: str) -> int:
    """The model's own limit, so the API and the database never disagree."""
    return model._meta.get_field(name).max_length


class ReportRef(Schema):
    """A report the caller may see, as a list shows it."""

    id: int
    title: str
    port: str | None = Field(description="UN/LOCODE of the port")
    occurred_at: datetime
    tlp: str
    owner_org: OrganisationRef

    @staticmethod
    def resolve_port(report) -> str | None:
        return report.port.locode if report.port_id else None

    @staticmethod
    def resolve_owner_org(report) -> dict:
        return _organisation(report.owner_org)


class IndicatorOut(Schema):
    """An indicator of a report: its normalised `value` (what matching compares), how people
    write it (`display`), warnings about it (`flags`, e.g. a wrong check digit, kept as typed)
    and a corrected value when one is obvious (`suggestion`)."""

    id: int
    kind: IndicatorKind
    kind_label: str
    value: str
    display: str
    flags: list[str]
    suggestion: str
    comment: str
    created_at: datetime
    review_at: datetime | None = Field(description="Personal kinds: when the owner decides to keep or purge it")
    owner_note: str | None = Field(description="A person's clear text: shown to the owner organisation only")

    @staticmethod
    def resolve_kind_label(indicator) -> str:
        return str(indicator.kind_label)

    @staticmethod
    def resolve_flags(indicator) -> list[str]:
        return indicator.warnings  # in the caller's language, not the adder's

    @staticmethod
    def resolve_owner_note(indicator, context) -> str | None:
        # The clear text of a pseudonymised person never leaves the organisation that wrote it.
        return indicator.note_for(context["request"].auth.viewer) or None


class MatchOut(Schema):
    """The same value (or, for a fuzzy match, a likely misread of it) in another report."""

    indicator: int
    display: str
    report: ReportRef

    @staticmethod
    def resolve_indicator(indicator) -> int:
        return indicator.pk


class CorrelationOut(Schema):
    indicator: IndicatorOut
    total: int = Field(description="Other reports you may see that hold the same value; for a common value "
                             "whose matches are left out, the threshold + 1 (more than the threshold, not counted)")
    common: bool = Field(description="More reports than the threshold hold it: matches left out unless include_common")
    benign: str = Field(description="On a warning list of known-benign values: the reason; matches left out")
    matches: list[MatchOut] = Field(description="Exact matches, newest first (at most 20)")
    fuzzy: list[MatchOut] = Field(description="Plates and vessel names: likely misreads (O/0, I/1, B/8 …)")


class IndicatorRowIn(Schema):
    """One indicator to add: its kind, the value as written, an optional comment."""

    model_config = ConfigDict(extra="forbid")

    kind: IndicatorKind
    value: str = Field(min_length=1, max_length=_max_length(Indicator, "value"))
    comment: str = Field("", max_length=_max_length(Indicator, "comment"))


class ImportIn(Schema):
    """A bulk import: added all together or not at all."""

    model_config = ConfigDict(extra="forbid")

    indicators: list[IndicatorRowIn] = Field(description=f"At most {MAX_BATCH} rows")


class ImportOut(Schema):
    added: int = Field(description="Indicators added; values the report already held are skipped")
    indicators: list[IndicatorOut]


class SearchFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    value: str = Field(min_length=1, max_length=_max_length(Indicator, "value"), description="As written; normalised first")
    kind: IndicatorKind | None = Field(None, description="Without a kind: every kind that accepts the value")
    fuzzy: bool = Field(False, description="Also near matches: plates, vessel names and seals with misread characters "
                                           "(O/0, I/1, B/8 …), containers with another check digit or none, "
                                           "company names spaced otherwise")
    limit: int = Field(50, ge=1, le=200)


class NormalisedOut(Schema):
    kind: IndicatorKind
    value: str
    display: str


class SearchHitOut(MatchOut):
    kind: IndicatorKind
    fuzzy: bool


class SearchOut(Schema):
    searched: list[NormalisedOut] = Field(description="The value as each kind normalised it")
    results: list[SearchHitOut] = Field(description="Newest report first")


class TimelineOut(Schema):
    kind: IndicatorKind
    value: str
    display: str
    steps: list[MatchOut] = Field(description="Every report you may see holding the value, oldest first")


class TimelineFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(200, ge=1, le=1000)


class SightingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: SightingKind = SightingKind.SEEN
    seen_at: AwareDatetime | None = Field(None, description="When; now if left out")
    port: str | None = Field(None, max_length=_max_length(Port, "locode"), description="UN/LOCODE, e.g. BEANR")
    place: str = Field("", max_length=_max_length(Sighting, "place"))


class SightingOut(Schema):
    id: int
    kind: SightingKind
    seen_at: datetime
    port: str | None
    place: str
    organisation: OrganisationRef
    created_at: datetime

    @staticmethod
    def resolve_port(sighting) -> str | None:
        return sighting.port.locode if sighting.port_id else None

    @staticmethod
    def resolve_organisation(sighting) -> dict:
        return _organisation(sighting.organisation)


class SightingCount(Schema):
    port: str | None
    kind: SightingKind
    count: int


class SightingsOut(Schema):
    counts: list[SightingCount] = Field(description="Per port and kind")
    items: list[SightingOut] = Field(description="Newest first")


class WatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: IndicatorKind
    value: str = Field(min_length=1, max_length=_max_length(Watch, "value"))
    label: str = Field("", max_length=_max_length(Watch, "label"))
    organisation: Id | None = Field(None, description="The watching organisation; needed if you belong to several")


class WatchOut(Schema):
    id: int
    kind: IndicatorKind
    value: str
    display: str
    label: str
    organisation: OrganisationRef
    is_active: bool
    created_at: datetime

    @staticmethod
    def resolve_organisation(watch) -> dict:
        return _organisation(watch.organisation)


class WatchRef(Schema):
    id: int
    kind: IndicatorKind
    display: str
    label: str


class HitOut(Schema):
    """A watched value found in a report the caller may see."""

    id: int
    watch: WatchRef
    indicator: int
    report: ReportRef
    created_at: datetime

    @staticmethod
    def resolve_indicator(hit) -> int:
        return hit.indicator_id

    @staticmethod
    def resolve_report(hit):
        return hit.indicator.report


class InterestOut(Schema):
    """Another organisation looks for a value of one of your reports and may not see the
    report; which one is not said. You may choose to share the report more widely."""

    id: int
    indicator: int
    kind: IndicatorKind
    display: str
    report: int
    report_title: str
    created_at: datetime

    @staticmethod
    def resolve_indicator(hit) -> int:
        return hit.indicator_id

    @staticmethod
    def resolve_kind(hit) -> str:
        return hit.indicator.kind

    @staticmethod
    def resolve_display(hit) -> str:
        return hit.indicator.display

    @staticmethod
    def resolve_report(hit) -> int:
        return hit.indicator.report_id

    @staticmethod
    def resolve_report_title(hit) -> str:
        return hit.indicator.report.title
