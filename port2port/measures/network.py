"""The network view: organisations × measures, coverage per theme, the weakest links and the
change over time, as one viewer may see them.

Every figure is computed from `AssessmentRecord.objects.visible_to(viewer)` alone: the answers
this viewer may see under each organisation's disclosure choice (and their own organisation's).
An answer shown to nobody is never counted, so no figure, nor the difference between two
figures (across themes, quarters, or over time as disclosure choices change), can reveal it.
Each figure says how many organisations it rests on, and is suppressed when they are fewer than
MIN_GROUP_SIZE: an aggregate over the history or a whole theme must not single one out, and a
share over one or two organisations says little.

The weakest link of a measure names only organisations whose status this viewer may see, and
only when at least MIN_GROUP_SIZE such answers exist.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from .models import (
    OWN, STATUS_RANK, AssessmentRecord, AssessmentStatus, Measure, MeasureStatus, Theme,
)

QUARTERS_SHOWN = 6


def min_group_size() -> int:
    # Read at each call, so an operator's setting (and a test's) takes effect without a restart.
    return max(1, settings.MEASURES_MIN_GROUP_SIZE)


@dataclass
class Figure:
    """A share of implemented answers among the answers the viewer may see, the number of
    organisations it rests on, or suppressed (share None) when they are too few."""

    share: float | None
    organisations: int = 0
    suppressed: bool = False

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


@dataclass
class Row:
    organisation: object
    cells: list  # one AssessmentRecord (as visible) or None a measure, in the order of `measures`


@dataclass
class Weakest:
    """A measure's lowest status among the answers the viewer may see, and who stands there."""

    measure: object
    status: str | None
    label: str
    organisations: list
    shown: bool
    based_on: int  # organisations whose status the viewer may see (not applicable left out)


@dataclass
class NetworkView:
    measures: list
    rows: list
    themes: list = field(default_factory=list)     # [(theme value, label, Figure)]
    weakest: list = field(default_factory=list)    # [Weakest]
    quarters: list = field(default_factory=list)   # [(label, Figure)]
    min_group_size: int = 3


def network_view(viewer, *, today: date | None = None) -> NetworkView:
    """Everything the network page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    measures = list(Measure.objects.visible_to(viewer).filter(status=MeasureStatus.ADOPTED).order_by("theme", "title", "pk"))
    ids = [measure.pk for measure in measures]
    visible = list(AssessmentRecord.objects.visible_to(viewer).current().filter(measure_id__in=ids)
                   .select_related("organisation", "owner").order_by("organisation__name", "measure_id"))
    history = list(AssessmentRecord.objects.visible_to(viewer).filter(measure_id__in=ids)
                   .values("organisation_id", "measure_id", "status", "recorded_at", "is_current", "pk"))
    k = min_group_size()
    return NetworkView(
        measures=measures, rows=_matrix(measures, visible), themes=_coverage_by_theme(measures, history, k),
        weakest=_weakest(measures, visible, k), quarters=_quarters(measures, history, today, k), min_group_size=k,
    )


def _matrix(measures, visible) -> list[Row]:
    by_org = defaultdict(dict)
    organisations = {}
    for record in visible:
        by_org[record.organisation_id][record.measure_id] = record
        organisations[record.organisation_id] = record.organisation
    ordered = sorted(organisations.values(), key=lambda org: org.name)
    return [Row(org, [by_org[org.pk].get(measure.pk) for measure in measures]) for org in ordered]


def _figure(answers, k: int) -> Figure:
    """The share implemented among visible `answers` [(organisation id, status)], or suppressed."""
    answers = [a for a in answers if a[1] != AssessmentStatus.NOT_APPLICABLE]
    organisations = len({org for org, _ in answers})
    if organisations < k:
        return Figure(None, organisations=organisations, suppressed=True)
    implemented = sum(1 for _, status in answers if status == AssessmentStatus.IMPLEMENTED)
    return Figure(implemented / len(answers), organisations=organisations)


def _coverage_by_theme(measures, history, k: int) -> list:
    theme_of = {measure.pk: measure.theme for measure in measures}
    answers = defaultdict(list)
    for row in history:
        if row["is_current"]:
            answers[theme_of[row["measure_id"]]].append((row["organisation_id"], row["status"]))
    themes = [theme for theme in Theme if theme.value in answers or theme.value in theme_of.values()]
    return [(theme.value, theme.label, _figure(answers[theme.value], k)) for theme in themes]


def _weakest(measures, visible, k: int) -> list:
    """Per measure, the organisations at the lowest status this viewer may see."""
    answers = defaultdict(list)
    for record in visible:
        status = record.shown_status
        if status and status != AssessmentStatus.NOT_APPLICABLE:
            answers[record.measure_id].append((STATUS_RANK[status], status, record.organisation))
    result = []
    for measure in measures:
        found = answers[measure.pk]
        if len(found) < k:
            result.append(Weakest(measure, None, "", [], False, len(found)))
            continue
        lowest = min(rank for rank, _, _ in found)
        orgs = sorted((org for rank, _, org in found if rank == lowest), key=lambda org: org.name)
        status = next(status for rank, status, _ in found if rank == lowest)
        result.append(Weakest(measure, status, AssessmentStatus(status).label, orgs, True, len(found)))
    return result


def quarter_ends(today: date, count: int = QUARTERS_SHOWN) -> list[tuple[str, date]]:
    """The last day of this quarter and of the `count - 1` before it, oldest first."""
    ends, year, quarter = [], today.year, (today.month - 1) // 3 + 1
    for _ in range(count):
        first_of_next = date(year + (quarter == 4), quarter % 4 * 3 + 1, 1)
        ends.append((f"{year} Q{quarter}", first_of_next - timedelta(days=1)))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return ends[::-1]


def _quarters(measures, history, today: date, k: int) -> list:
    """Network coverage at the end of each quarter: each organisation's latest answer by then
    to each measure adopted by then, among the answers this viewer may see."""
    adopted = {measure.pk: measure.adopted_on for measure in measures}
    ordered = sorted(history, key=lambda row: (row["recorded_at"], row["pk"]))
    result = []
    for label, end in quarter_ends(today):
        cutoff = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
        latest = {}
        for row in ordered:
            if row["recorded_at"] < cutoff and adopted[row["measure_id"]] <= end:
                latest[(row["organisation_id"], row["measure_id"])] = row
        answers = [(row["organisation_id"], row["status"]) for row in latest.values()]
        result.append((label, _figure(answers, k)))
    return result


def cell_fields(record) -> dict:
    """What one matrix cell says, as the viewer may see it (CSV and JSON share this)."""
    if record is None:
        return {"status": None, "maturity": None, "target_date": None, "disclosed": False}
    return {
        "status": record.shown_status, "maturity": record.shown_maturity, "target_date": record.shown_target_date,
        "disclosed": record.shown_status is not None or record.shown == OWN,
    }


CSV_HEADER = ["organisation", "measure_id", "measure", "theme", "level", "status", "maturity", "target_date"]


def network_csv_text(view) -> str:
    """The matrix as one row per disclosed answer, then the network figures per theme and quarter."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in view.rows:
        for measure, record in zip(view.measures, row.cells):
            if record is None:
                continue
            cell = cell_fields(record)
            writer.writerow([_safe(row.organisation.name), measure.pk, _safe(measure.title), measure.theme, measure.level,
                             cell["status"] or "", "" if cell["maturity"] is None else cell["maturity"],
                             cell["target_date"].isoformat() if cell["target_date"] else ""])
    writer.writerow([])
    writer.writerow(["theme", "implemented_percent", "based_on_organisations"])
    for value, _label, figure in view.themes:
        writer.writerow([value, "suppressed" if figure.suppressed else figure.percent, figure.organisations])
    writer.writerow([])
    writer.writerow(["quarter", "implemented_percent", "based_on_organisations"])
    for label, figure in view.quarters:
        writer.writerow([label, "suppressed" if figure.suppressed else figure.percent, figure.organisations])
    return out.getvalue()


def _safe(text: str) -> str:
    # A spreadsheet runs a cell that starts with one of these as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
