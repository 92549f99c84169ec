"""Correlation: the same container, vessel, plate or drone in other reports, found at read time.

There is no table of pairs (MISP's 150 million correlation rows). A report's indicators are
looked up on the (kind, value) index, and on (kind, fuzzy_key) for misread plates and vessel
names, in one query each, through the reader's visibility rule, so a match in a report the
reader may not see is never returned, counted, or placed on a map.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from .models import Indicator, WarningListEntry

FUZZY_KINDS = ("plate", "vessel_name")
MATCHES_SHOWN = 20


@dataclass
class Correlation:
    """What the reader may see of one indicator elsewhere."""

    indicator: Indicator
    matches: list = field(default_factory=list)  # Indicator rows of other reports, newest first
    fuzzy: list = field(default_factory=list)  # near matches (misreads), marked as such
    total: int = 0  # exact matches the reader may see, all of them
    common: bool = False  # matched by more reports than the threshold: left out unless asked
    benign: str = ""  # on a warning list: the reason


def correlate(report, viewer, *, include_common: bool = False) -> list[Correlation]:
    """The correlations of every indicator of `report` (which the caller found through
    visible_to) with the other reports `viewer` may see."""
    indicators = list(report.indicators.all())
    if not indicators:
        return []
    results = {(i.kind, i.value): Correlation(indicator=i) for i in indicators}
    _mark_benign(results)
    visible = Indicator.objects.visible_to(viewer).exclude(report=report)
    counts = _exact_counts(visible, results)
    for key, total in counts.items():
        results[key].total = total
        results[key].common = total > settings.CORRELATION_COMMON_THRESHOLD
    wanted = [key for key, c in results.items() if c.total and not c.benign and (include_common or not c.common)]
    for match in _exact_matches(visible, wanted):
        bucket = results[(match.kind, match.value)].matches
        if len(bucket) < MATCHES_SHOWN:
            bucket.append(match)
    _add_fuzzy(visible, results)
    return list(results.values())


def _mark_benign(results: dict) -> None:
    keys = Q()
    for kind, value in results:
        keys |= Q(kind=kind, value=value)
    for entry in WarningListEntry.objects.filter(keys):
        results[(entry.kind, entry.value)].benign = entry.reason


def _by_kind(keys) -> dict[str, list[str]]:
    grouped = defaultdict(list)
    for kind, value in keys:
        grouped[kind].append(value)
    return grouped


def _kind_value_q(keys) -> Q:
    q = Q(pk__in=[])
    for kind, values in _by_kind(keys).items():
        q |= Q(kind=kind, value__in=values)
    return q


def _exact_counts(visible, results: dict) -> dict:
    rows = (visible.filter(_kind_value_q(results)).values("kind", "value")
            .annotate(n=Count("report", distinct=True)).order_by())
    return {(row["kind"], row["value"]): row["n"] for row in rows}


def _exact_matches(visible, keys):
    if not keys:
        return []
    return (visible.filter(_kind_value_q(keys))
            .select_related("report", "report__port", "report__owner_org")
            .order_by("-report__occurred_at", "-id"))


def _add_fuzzy(visible, results: dict) -> None:
    """Near matches for plates and vessel names: same fuzzy key, another exact value."""
    wanted = {(c.indicator.kind, c.indicator.fuzzy_key): c for c in results.values()
              if c.indicator.kind in FUZZY_KINDS and c.indicator.fuzzy_key and not c.benign}
    if not wanted:
        return
    q = Q(pk__in=[])
    for kind, key in wanted:
        q |= Q(kind=kind, fuzzy_key=key)
    rows = visible.filter(q).select_related("report", "report__port", "report__owner_org")
    for match in rows.order_by("-report__occurred_at", "-id")[: MATCHES_SHOWN * len(wanted)]:
        correlation = wanted[(match.kind, match.fuzzy_key)]
        if match.value != correlation.indicator.value and len(correlation.fuzzy) < MATCHES_SHOWN:
            correlation.fuzzy.append(match)


def search(viewer, *, kind: str | None, value: str, fuzzy: bool = False, limit: int = 50):
    """Indicators the viewer may see with this normalised value (or, when `fuzzy`, with the
    same fuzzy key), newest report first."""
    visible = Indicator.objects.visible_to(viewer)
    if kind:
        visible = visible.filter(kind=kind)
    lookup = Q(fuzzy_key=value) if fuzzy else Q(value=value)
    return visible.filter(lookup).select_related("report", "report__port", "report__owner_org").order_by(
        "-report__occurred_at", "-id")[:limit]


def timeline(viewer, kind: str, value: str):
    """Every visible report holding this value, oldest first, with port and date: the path of
    one container, vessel or drone across the network."""
    return (Indicator.objects.visible_to(viewer).filter(kind=kind, value=value)
            .select_related("report", "report__port", "report__owner_org")
            .order_by("report__occurred_at", "id"))
