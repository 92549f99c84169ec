"""Correlation: the same container, vessel, plate or drone in other reports, found at read time.

There is no table of pairs (MISP's 150 million correlation rows). A report's indicators are
looked up on the (kind, value) index, and on (kind, fuzzy_key) for misread plates and vessel
names, through the reader's visibility rule, so a match in a report the reader may not see is
never returned, counted, or placed on a map. `correlate` runs a fixed number of queries
whatever the number of indicators (four, plus the two that read the viewer's memberships when
given a user).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from port2port.organisations.models import Organisation, Port, as_viewer
from port2port.reports.models import Report

from .models import Indicator, WarningListEntry

FUZZY_KINDS = ("plate", "vessel_name")
# Said in every fuzzy lookup: the (kind, fuzzy_key) index holds only rows with a key, and
# SQLite uses a partial index only when the query states the index's condition itself.
HAS_FUZZY_KEY = ~Q(fuzzy_key="")
MATCHES_SHOWN = 20
_NEWEST_REPORT_FIRST = (F("report__occurred_at").desc(), F("id").desc())
_WITH_REPORT = ("report", "report__port", "report__owner_org")
# What a match shows (the report's title, port, date, label and owner), read as plain values
# and made into objects here: loading whole report rows, narrative included, then making four
# model instances per match through select_related cost more than the lookup itself.


def _in_model_order(model, names) -> tuple[str, ...]:
    """`Model.from_db` takes a subset of fields in the model's own order, whatever it is told."""
    return tuple(field.attname for field in model._meta.concrete_fields if field.attname in names)


_INDICATOR_FIELDS = _in_model_order(Indicator, {"id", "report_id", "kind", "value", "display", "fuzzy_key", "owner_note"})
_REPORT_FIELDS = ("id", *_in_model_order(Report, {"title", "occurred_at", "tlp", "port_id", "owner_org_id"}))
_PORT_FIELDS = ("id", *_in_model_order(Port, {"name", "locode"}))
_ORGANISATION_FIELDS = ("id", *_in_model_order(Organisation, {"name", "short_name"}))
_REPORT_ID = _INDICATOR_FIELDS.index("report_id")
_MATCH_VALUES = (
    *_INDICATOR_FIELDS, *(f"report__{name}" for name in _REPORT_FIELDS[1:]),
    *(f"report__port__{name}" for name in _PORT_FIELDS[1:]),
    *(f"report__owner_org__{name}" for name in _ORGANISATION_FIELDS[1:]),
)


@dataclass
class Correlation:
    """What the reader may see of one indicator elsewhere."""

    indicator: Indicator
    matches: list = field(default_factory=list)  # Indicator rows of other reports, newest first
    fuzzy: list = field(default_factory=list)  # near matches (misreads), marked as such
    # Other reports the reader may see that hold the value: the exact number, except for a
    # common value left out, where it is threshold + 1 ("more than the threshold"), not counted.
    total: int = 0
    common: bool = False  # matched by more reports than the threshold: left out unless asked
    benign: str = ""  # on a warning list: the reason; such values are not looked up at all

    @property
    def is_fuzzy(self) -> bool:
        return bool(self.fuzzy)

    @property
    def more_than(self) -> int | None:
        """For a common value left out: the threshold it passed (the total is not counted)."""
        return self.total - 1 if self.common and not self.matches else None


def correlate(report, viewer, *, include_common: bool = False) -> list[Correlation]:
    """The correlations of every indicator of `report` (which the caller found through
    visible_to) with the other reports `viewer` may see, in the report's indicator order."""
    viewer = as_viewer(viewer)
    visible = Indicator.objects.visible_to(viewer).exclude(report_id=report.pk)
    indicators = list(_with_common_mark(report.indicators.all(), visible))
    if not indicators:
        return []
    results = {(i.kind, i.value): Correlation(indicator=i, common=i.is_common) for i in indicators}
    _mark_benign(results)
    looked_up = {key: c for key, c in results.items() if not c.benign}
    shown = {key: c for key, c in looked_up.items() if include_common or not c.common}
    for correlation in looked_up.values():
        if correlation.common and not include_common:
            correlation.total = settings.CORRELATION_COMMON_THRESHOLD + 1
    for match in _hide_notes(_exact_matches(visible, list(shown)), viewer):
        correlation = results[(match.kind, match.value)]
        correlation.matches.append(match)
        correlation.total = match.total
    _add_fuzzy(visible, shown, viewer)
    return list(results.values())


def _with_common_mark(indicators, visible):
    """Each indicator with `is_common`: whether more than the threshold of other visible
    reports hold its value. Asked as "is there a (threshold + 1)-th visible match?", which
    stops after that many rows, so a value held by 20,000 reports costs no more than one held
    by 51 (counting them all was the slowest part of correlating at a million indicators)."""
    threshold = settings.CORRELATION_COMMON_THRESHOLD
    beyond = visible.filter(kind=OuterRef("kind"), value=OuterRef("value")).order_by().values("id")[threshold:threshold + 1]
    return indicators.annotate(is_common=Exists(beyond))


def _by_kind(keys) -> dict[str, list[str]]:
    grouped = defaultdict(list)
    for kind, value in keys:
        grouped[kind].append(value)
    return grouped


def _kind_value_q(keys, field_name: str = "value", *, each: Q | None = None) -> Q:
    """One `kind = k AND value IN (...)` per kind: the (kind, value) index serves each. `each`
    is added to every branch: SQLite plans each branch of an OR on its own, and uses a
    partial index for a branch only when that branch states the index's condition."""
    q = Q(pk__in=[])
    for kind, values in _by_kind(keys).items():
        branch = Q(kind=kind, **{f"{field_name}__in": values})
        q |= branch & each if each is not None else branch
    return q


def _mark_benign(results: dict) -> None:
    for entry in WarningListEntry.objects.filter(_kind_value_q(results)):
        results[(entry.kind, entry.value)].benign = entry.reason


def _newest_per(partition: list[str]) -> Window:
    return Window(RowNumber(), partition_by=[F(name) for name in partition], order_by=_NEWEST_REPORT_FIRST)


def _exact_matches(visible, keys) -> list[Indicator]:
    """At most MATCHES_SHOWN newest matches per value, each with `total`, the number of all
    visible matches of its value, in one query (windows per value, so a common value asked for
    does not drag its thousands of rows into Python)."""
    if not keys:
        return []
    per_value = [F("kind"), F("value")]
    rows = (visible.filter(_kind_value_q(keys))
            .annotate(rank=_newest_per(["kind", "value"]), total=Window(Count("id"), partition_by=per_value))
            .filter(rank__lte=MATCHES_SHOWN).order_by(*_NEWEST_REPORT_FIRST))
    return _matches(rows, with_total=True)


def _add_fuzzy(visible, shown: dict, viewer) -> None:
    """Near matches for plates and vessel names: the same fuzzy key (misreads folded) and a
    value the report does not hold itself (those are exact matches)."""
    wanted = defaultdict(list)
    for correlation in shown.values():
        indicator = correlation.indicator
        if indicator.kind in FUZZY_KINDS and indicator.fuzzy_key:
            wanted[(indicator.kind, indicator.fuzzy_key)].append(correlation)
    if not wanted:
        return
    own_values = _kind_value_q((c.indicator.kind, c.indicator.value) for group in wanted.values() for c in group)
    rows = (visible.filter(_kind_value_q(wanted, "fuzzy_key", each=HAS_FUZZY_KEY)).exclude(own_values)
            .annotate(rank=_newest_per(["kind", "fuzzy_key"])).filter(rank__lte=MATCHES_SHOWN)
            .order_by(*_NEWEST_REPORT_FIRST))
    for match in _hide_notes(_matches(rows), viewer):
        for correlation in wanted[(match.kind, match.fuzzy_key)]:
            correlation.fuzzy.append(match)


def _matches(rows, *, with_total: bool = False) -> list[Indicator]:
    """The matching indicators of `rows`, each with its report, the report's port and owner
    (and `total`), made from one row of values: one object per report, port and organisation
    however many matches share it. Fields not read here load on access, as with `only`."""
    reports, ports, organisations, found = {}, {}, {}, []
    n_indicator, n_report, n_port = len(_INDICATOR_FIELDS), len(_REPORT_FIELDS) - 1, len(_PORT_FIELDS) - 1
    for values in rows.values_list(*_MATCH_VALUES, *(("total",) if with_total else ())):
        indicator = Indicator.from_db(None, _INDICATOR_FIELDS, values[:n_indicator])
        report_id, rest = values[_REPORT_ID], values[n_indicator:]
        report = reports.get(report_id)
        if report is None:
            report = reports[report_id] = Report.from_db(None, _REPORT_FIELDS, (report_id, *rest[:n_report]))
            port_values, organisation_values = rest[n_report:n_report + n_port], rest[n_report + n_port:][:2]
            report.port = _shared(ports, Port, _PORT_FIELDS, report.port_id, port_values)
            report.owner_org = _shared(organisations, Organisation, _ORGANISATION_FIELDS, report.owner_org_id,
                                       organisation_values)
        indicator.report = report
        if with_total:
            indicator.total = values[-1]
        found.append(indicator)
    return found


def _shared(made: dict, model, fields, pk, values):
    """One instance per primary key within a call (None for no key)."""
    if pk is None:
        return None
    if pk not in made:
        made[pk] = model.from_db(None, fields, (pk, *values))
    return made[pk]


def _hide_notes(rows, viewer) -> list[Indicator]:
    """A person's clear text stays with the organisation that wrote it: blank it on rows of
    other organisations' reports (in memory only; these rows are for reading)."""
    rows = list(rows)
    for row in rows:
        if row.report.owner_org_id not in viewer.org_ids:
            row.owner_note = ""
    return rows


def search(viewer, *, kind: str | None, value: str, fuzzy: bool = False, limit: int = 50) -> list[Indicator]:
    """Indicators the viewer may see with this normalised value (or, when `fuzzy`, with the
    same fuzzy key), newest report first, at most `limit`."""
    viewer = as_viewer(viewer)
    visible = Indicator.objects.visible_to(viewer)
    if kind:
        visible = visible.filter(kind=kind)
    lookup = HAS_FUZZY_KEY & Q(fuzzy_key=value) if fuzzy else Q(value=value)
    rows = visible.filter(lookup).select_related(*_WITH_REPORT).order_by(*_NEWEST_REPORT_FIRST)[:limit]
    return _hide_notes(rows, viewer)


def timeline(viewer, kind: str, value: str, *, limit: int = 500) -> list[Indicator]:
    """Every visible report holding this value, oldest first, with port and date: the path of
    one container, vessel or drone across the network (the oldest `limit` of them)."""
    viewer = as_viewer(viewer)
    rows = (Indicator.objects.visible_to(viewer).filter(kind=kind, value=value)
            .select_related(*_WITH_REPORT).order_by("report__occurred_at", "id")[:limit])
    return _hide_notes(rows, viewer)
