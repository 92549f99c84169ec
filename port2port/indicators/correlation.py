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
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import F, Q
from django.db.models.expressions import Col

from port2port.organisations.models import Organisation, Port, as_viewer
from port2port.reports.models import Report

from .models import NEAR_BY_VALUE_KINDS, Indicator, WarningListEntry
from .types import REGISTRY

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


def _field(model, attname: str):
    return next(field for field in model._meta.concrete_fields if field.attname == attname)


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


# The tables a match is read from: the indicator and its report as the visibility rule names
# them (by their table names), the report's owner and port under names of their own, as the
# rule may join those tables too, for other reasons.
INDICATOR_TABLE, REPORT_TABLE = Indicator._meta.db_table, Report._meta.db_table
OWNER, PORT = "match_owner", "match_port"
# The columns of a match as (table alias, field), in the order _matches reads them.
_MATCH_FIELDS = (
    *((INDICATOR_TABLE, _field(Indicator, name)) for name in _INDICATOR_FIELDS),
    *((REPORT_TABLE, _field(Report, name)) for name in _REPORT_FIELDS[1:]),
    *((PORT, _field(Port, name)) for name in _PORT_FIELDS[1:]),
    *((OWNER, _field(Organisation, name)) for name in _ORGANISATION_FIELDS[1:]),
)
_MATCH_COLUMNS = tuple(f"{_quoted(alias)}.{_quoted(field.column)}" for alias, field in _MATCH_FIELDS)
_OCCURRED_AT = _MATCH_FIELDS.index((REPORT_TABLE, _field(Report, "occurred_at")))
_NEWEST_FIRST = f"{_MATCH_COLUMNS[_OCCURRED_AT]} DESC, {_MATCH_COLUMNS[0]} DESC"


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
    # One report's indicators: its own order is (kind, value), without joining the report.
    indicators = list(report.indicators.order_by("kind", "value"))
    if not indicators:
        return []
    visible = OtherVisibleIndicators(viewer, report)
    results = {(i.kind, i.value): Correlation(indicator=i) for i in indicators}
    for kind, value, common, benign in visible.marks(report):
        marked = results[(kind, value)]
        marked.common, marked.benign = bool(common), benign or ""
    looked_up = {key: c for key, c in results.items() if not c.benign}
    shown = {key: c for key, c in looked_up.items() if include_common or not c.common}
    for correlation in looked_up.values():
        if correlation.common and not include_common:
            correlation.total = settings.CORRELATION_COMMON_THRESHOLD + 1
    for match in _hide_notes(visible.exact_matches(list(shown)), viewer):
        correlation = results[(match.kind, match.value)]
        correlation.matches.append(match)
        correlation.total = match.total
    _add_fuzzy(visible, shown, viewer)
    return list(results.values())


class OtherVisibleIndicators:
    """The indicators of other reports than `report` that `viewer` may see, looked up in SQL.

    The rule is `Indicator.objects.visible_to(viewer)`'s own, compiled once into its FROM
    clause (indicators joined to their reports) and its WHERE condition; each lookup adds its
    condition to that WHERE. Through the ORM, the rule and its subqueries were built and
    compiled again for each of the three lookups, which cost twice as much as running them (20
    of 37 ms for a report of 100 indicators among a million, benchmarks/correlation.py)."""

    def __init__(self, viewer, report):
        # The annotation only makes sure the report is joined, which every lookup reads.
        queryset = (Indicator.objects.visible_to(viewer).exclude(report_id=report.pk)
                    .annotate(report_occurred_at=F("report__occurred_at")).order_by())
        compiler = queryset.query.get_compiler(using=queryset.db)
        from_parts, from_params = compiler.get_from_clause()
        try:
            where, where_params = compiler.compile(queryset.query.where)
        except EmptyResultSet:  # the rule lets this viewer see nothing
            where, where_params = "1 = 0", []
        aliases = queryset.query.alias_map
        if any(name not in aliases or aliases[name].table_name != name for name in (INDICATOR_TABLE, REPORT_TABLE)):
            raise AssertionError(f"the visibility rule names its tables otherwise than expected: {list(aliases)}")
        self.connection = connections[queryset.db]
        self.from_clause, self.where = " ".join(from_parts), where or "1 = 1"
        self.params = [*from_params, *where_params]

    def marks(self, report) -> list[tuple]:
        """(kind, value, common, benign reason or None) for each indicator of `report`: common
        when more than the threshold of visible reports hold the value, asked as "is there a
        (threshold + 1)-th visible match?", which stops after that many rows (a value held by
        20,000 reports costs no more than one held by 51)."""
        i, w = _quoted(INDICATOR_TABLE), _quoted(WarningListEntry._meta.db_table)
        sql = (f"SELECT own.kind, own.value, "
               f"EXISTS(SELECT 1 FROM {self.from_clause} WHERE {self.where} "
               f"AND {i}.kind = own.kind AND {i}.value = own.value LIMIT 1 OFFSET %s), "
               f"(SELECT benign.reason FROM {w} benign WHERE benign.kind = own.kind AND benign.value = own.value) "
               f"FROM {i} own WHERE own.report_id = %s")
        return self._rows(sql, [*self.params, settings.CORRELATION_COMMON_THRESHOLD, report.pk])

    def exact_matches(self, keys) -> list[Indicator]:
        """At most MATCHES_SHOWN newest matches per (kind, value) of `keys`, each with `total`,
        the number of all visible matches of its value (windows per value, so that a common
        value asked for does not drag its thousands of rows into Python)."""
        if not keys:
            return []
        condition, params = _kind_value_sql(keys, "value")
        rows = self._match_rows(*self._newest(condition, params, "value", with_total=True))
        return _matches(rows, with_total=True)

    def near_matches(self, fuzzy_keys, own_values) -> list[Indicator]:
        """At most MATCHES_SHOWN newest indicators per (kind, fuzzy key) of `fuzzy_keys` whose
        value is not one of `own_values` (those are exact matches)."""
        condition, params = _kind_value_sql(fuzzy_keys, "fuzzy_key", each_has_a_fuzzy_key=True)
        own, own_params = _kind_value_sql(own_values, "value")
        rows = self._match_rows(*self._newest(f"({condition}) AND NOT ({own})", [*params, *own_params],
                                              "fuzzy_key", with_total=False))
        return _matches(rows)

    def _newest(self, condition: str, params: list, partition: str, *, with_total: bool) -> tuple[str, list]:
        i, r = _quoted(INDICATOR_TABLE), _quoted(REPORT_TABLE)
        owners, ports = _quoted(Organisation._meta.db_table), _quoted(Port._meta.db_table)
        o, p = _quoted(OWNER), _quoted(PORT)
        columns = _MATCH_COLUMNS
        windows = f"ROW_NUMBER() OVER (PARTITION BY {i}.kind, {i}.{partition} ORDER BY {_NEWEST_FIRST}) AS newest"
        if with_total:
            windows += f", COUNT(*) OVER (PARTITION BY {i}.kind, {i}.{partition}) AS total"
        sql = (f"SELECT {', '.join(f'c{n}' for n in range(len(columns)))}{', total' if with_total else ''} FROM ("
               f"SELECT {', '.join(f'{column} AS c{n}' for n, column in enumerate(columns))}, {windows} "
               f"FROM {self.from_clause} INNER JOIN {owners} {o} ON ({r}.owner_org_id = {o}.id) "
               f"LEFT OUTER JOIN {ports} {p} ON ({r}.port_id = {p}.id) WHERE {self.where} AND ({condition})"
               f") ranked WHERE newest <= %s ORDER BY c{_OCCURRED_AT} DESC, c0 DESC")
        return sql, [*self.params, *params, MATCHES_SHOWN]

    def _rows(self, sql: str, params: list) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _match_rows(self, sql: str, params: list) -> list[list]:
        """The rows of a match lookup with each value as the ORM would give it (SQLite, for
        one, hands a date and time back as text)."""
        conversions = []
        for index, (alias, model_field) in enumerate(_MATCH_FIELDS):
            column = Col(alias, model_field)
            converters = self.connection.ops.get_db_converters(column) + column.get_db_converters(self.connection)
            conversions += [(index, convert, column) for convert in converters]
        rows = [list(row) for row in self._rows(sql, params)]
        for row in rows:
            for index, convert, column in conversions:
                row[index] = convert(row[index], column, self.connection)
        return rows



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


def _kind_value_sql(keys, column: str, *, each_has_a_fuzzy_key: bool = False) -> tuple[str, list]:
    """One `kind = k AND column IN (...)` per kind, which the (kind, value) index serves (the
    SQL of _kind_value_q). SQLite plans each branch of an OR on its own and uses the partial
    fuzzy index for a branch only when that branch states the index's condition itself."""
    i = _quoted(INDICATOR_TABLE)
    branches, params = [], []
    for kind, values in _by_kind(keys).items():
        branch = f"{i}.kind = %s AND {i}.{column} IN ({', '.join(['%s'] * len(values))})"
        params += [kind, *values]
        if each_has_a_fuzzy_key:
            branch += f" AND NOT ({i}.fuzzy_key = %s)"
            params.append("")
        branches.append(f"({branch})")
    return " OR ".join(branches) or "1 = 0", params


def _add_fuzzy(visible: OtherVisibleIndicators, shown: dict, viewer) -> None:
    """Near matches for plates and vessel names: the same fuzzy key (misreads folded) and a
    value the report does not hold itself (those are exact matches)."""
    wanted = defaultdict(list)
    for correlation in shown.values():
        indicator = correlation.indicator
        if indicator.kind in FUZZY_KINDS and indicator.fuzzy_key:
            wanted[(indicator.kind, indicator.fuzzy_key)].append(correlation)
    if not wanted:
        return
    own_values = [(c.indicator.kind, c.indicator.value) for group in wanted.values() for c in group]
    for match in _hide_notes(visible.near_matches(list(wanted), own_values), viewer):
        for correlation in wanted[(match.kind, match.fuzzy_key)]:
            correlation.fuzzy.append(match)


def _matches(rows, *, with_total: bool = False) -> list[Indicator]:
    """The matching indicators of `rows` (values in the order of _MATCH_COLUMNS, then `total`),
    each with its report, the report's port and owner: one object per report, port and
    organisation however many matches share it. Fields not read here load on access, as with
    `only`."""
    reports, ports, organisations, found = {}, {}, {}, []
    n_indicator, n_report, n_port = len(_INDICATOR_FIELDS), len(_REPORT_FIELDS) - 1, len(_PORT_FIELDS) - 1
    for values in rows:
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
    lookup = _near(kind, value) if fuzzy else Q(value=value)
    rows = visible.filter(lookup).select_related(*_WITH_REPORT).order_by(*_NEWEST_REPORT_FIRST)[:limit]
    return _hide_notes(rows, viewer)


def _near(kind: str | None, fuzzy_key: str) -> Q:
    """The rows near a fuzzy key: by value for the kinds whose key is not stored (a container's
    numbers with any check digit), else by the stored key on the partial index."""
    if kind in NEAR_BY_VALUE_KINDS:
        return Q(value__in=REGISTRY[kind].values_near(fuzzy_key))
    return HAS_FUZZY_KEY & Q(fuzzy_key=fuzzy_key)


def timeline(viewer, kind: str, value: str, *, limit: int = 500) -> list[Indicator]:
    """Every visible report holding this value, oldest first, with port and date: the path of
    one container, vessel or drone across the network (the oldest `limit` of them)."""
    viewer = as_viewer(viewer)
    rows = (Indicator.objects.visible_to(viewer).filter(kind=kind, value=value)
            .select_related(*_WITH_REPORT).order_by("report__occurred_at", "id")[:limit])
    return _hide_notes(rows, viewer)
