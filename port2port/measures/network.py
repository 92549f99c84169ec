"""The network view: organisations × measures, coverage per theme, the weakest links and the
change over time, as one viewer may see them.

Individual answers come through `AssessmentRecord.objects.visible_to(viewer)` and show only what
their organisation discloses. Network figures (coverage per theme and per quarter) pool every
network organisation's answers, those it shows nobody included, since a steering committee needs
the whole picture; a figure is shown only when it cannot single anyone out:

- it rests on answers of at least MIN_GROUP_SIZE organisations, and
- the answers in it that this viewer cannot see come from none or from at least MIN_GROUP_SIZE
  organisations. With one hidden organisation among visible ones, subtracting the visible
  answers from the figure would give that organisation's answers away.

Only the figures per theme pool hidden answers: themes split the current answers into disjoint
parts, so no figure can be subtracted from another. The change over time counts only answers
this viewer may see: each quarter overlaps the themes and the other quarters, and the difference
between two overlapping figures can rest on a single hidden organisation (one hiding the only
answer of a suppressed theme, say) even when each figure passes the rule on its own.

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
    OWN, STATUS_RANK, AssessmentRecord, AssessmentStatus, Disclosure, Measure, MeasureStatus, Theme,
)

QUARTERS_SHOWN = 6


def min_group_size() -> int:
    # Read at each call, so an operator's setting (and a test's) takes effect without a restart.
    return max(1, settings.MEASURES_MIN_GROUP_SIZE)


@dataclass
class Figure:
    """A share of implemented answers, or suppressed (None) with the reason."""

    share: float | None
    suppressed: bool = False

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


@dataclass
class Row:
    organisation: object
    cells: list  # one AssessmentRecord (as visible) or None a measure, in the order of `measures`


@dataclass
class NetworkView:
    measures: list
    rows: list
    themes: list = field(default_factory=list)     # [(theme value, label, Figure)]
    weakest: list = field(default_factory=list)    # [(measure, status, its label, [organisations], shown)]
    quarters: list = field(default_factory=list)   # [(label, Figure)]
    min_group_size: int = 3


def network_view(viewer, *, today: date | None = None) -> NetworkView:
    """Everything the network page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    measures = list(Measure.objects.visible_to(viewer).filter(status=MeasureStatus.ADOPTED).order_by("theme", "title", "pk"))
    ids = [measure.pk for measure in measures]
    visible = list(AssessmentRecord.objects.visible_to(viewer).current().filter(measure_id__in=ids)
                   .select_related("organisation", "owner").order_by("organisation__name", "measure_id"))
    pooled = list(statistics_rows(viewer, ids))
    k = min_group_size()
    return NetworkView(
        measures=measures, rows=_matrix(measures, visible), themes=_coverage_by_theme(measures, pooled, k),
        weakest=_weakest(measures, visible, k), quarters=_quarters(measures, pooled, today, k), min_group_size=k,
    )


def statistics_rows(viewer, measure_ids):
    """Every answer of the network's organisations to these measures, reduced to what pooled
    figures need, with what this viewer may see of each. Only this module reads them, and it
    publishes nothing of them but suppressed-or-safe figures."""
    rows = AssessmentRecord.objects.for_statistics(viewer).filter(measure_id__in=measure_ids)
    return rows.values("organisation_id", "measure_id", "status", "recorded_at", "is_current", "pk", "shown")


def _matrix(measures, visible) -> list[Row]:
    by_org = defaultdict(dict)
    organisations = {}
    for record in visible:
        by_org[record.organisation_id][record.measure_id] = record
        organisations[record.organisation_id] = record.organisation
    ordered = sorted(organisations.values(), key=lambda org: org.name)
    return [Row(org, [by_org[org.pk].get(measure.pk) for measure in measures]) for org in ordered]


def _figure(answers, k: int) -> Figure:
    """The share implemented among `answers` [(organisation id, status, hidden)], or suppressed."""
    answers = [a for a in answers if a[1] != AssessmentStatus.NOT_APPLICABLE]
    organisations = {org for org, _, _ in answers}
    hidden = {org for org, _, is_hidden in answers if is_hidden}
    if len(organisations) < k or 0 < len(hidden) < k:
        return Figure(None, suppressed=True)
    implemented = sum(1 for _, status, _ in answers if status == AssessmentStatus.IMPLEMENTED)
    return Figure(implemented / len(answers))


def _hidden(row) -> bool:
    return row["shown"] == Disclosure.NOTHING


def _coverage_by_theme(measures, pooled, k: int) -> list:
    theme_of = {measure.pk: measure.theme for measure in measures}
    answers = defaultdict(list)
    for row in pooled:
        if row["is_current"]:
            answers[theme_of[row["measure_id"]]].append((row["organisation_id"], row["status"], _hidden(row)))
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
            result.append((measure, None, "", [], False))
            continue
        lowest = min(rank for rank, _, _ in found)
        orgs = sorted((org for rank, _, org in found if rank == lowest), key=lambda org: org.name)
        status = next(status for rank, status, _ in found if rank == lowest)
        result.append((measure, status, AssessmentStatus(status).label, orgs, True))
    return result


def quarter_ends(today: date, count: int = QUARTERS_SHOWN) -> list[tuple[str, date]]:
    """The last day of this quarter and of the `count - 1` before it, oldest first."""
    ends, year, quarter = [], today.year, (today.month - 1) // 3 + 1
    for _ in range(count):
        first_of_next = date(year + (quarter == 4), quarter % 4 * 3 + 1, 1)
        ends.append((f"{year} Q{quarter}", first_of_next - timedelta(days=1)))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return ends[::-1]


def _quarters(measures, pooled, today: date, k: int) -> list:
    """Network coverage at the end of each quarter: each organisation's latest answer by then
    to each measure adopted by then, among the answers this viewer may see (module docstring)."""
    adopted = {measure.pk: measure.adopted_on for measure in measures}
    ordered = sorted((row for row in pooled if not _hidden(row)), key=lambda row: (row["recorded_at"], row["pk"]))
    result = []
    for label, end in quarter_ends(today):
        cutoff = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
        latest = {}
        for row in ordered:
            if row["recorded_at"] < cutoff and adopted[row["measure_id"]] <= end:
                latest[(row["organisation_id"], row["measure_id"])] = row
        answers = [(row["organisation_id"], row["status"], _hidden(row)) for row in latest.values()]
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
    """The matrix as one row per disclosed answer, then the network figures per theme."""
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
    writer.writerow(["theme", "implemented_percent"])
    for value, _label, figure in view.themes:
        writer.writerow([value, "suppressed" if figure.suppressed else figure.percent])
    return out.getvalue()


def _safe(text: str) -> str:
    # A spreadsheet runs a cell that starts with one of these as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
