"""Background work of the indicators: matching watched values (hit/no-hit deconfliction).

Run by `port2port worker` after the transaction that added indicators or a watch commits.
Who may see what is decided here, when the task runs, through the same sharing rule; and
decided again whenever hits are read (`hits_for`), since a report can be shared or narrowed
after the match.

What each side learns:
- the watching organisation, when it may see the report: a hit (the indicator, its report);
- the watching organisation, when it may not: nothing at all, not even that a match exists;
- the report's owner, in that case: an interest notice saying that another organisation has
  an interest in that value of its report, so that it can choose to share it. Which
  organisation is not said, nor anything of the watch (issue 3: "neither side learns more
  than that"); the audit trail of the owner does not name it either.
Once the owner shares the report so that the watching organisation may see it, the interest
counts as a hit for that organisation (at read time; nothing is rewritten).
"""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.tasks import task

from port2port.core import audit
from port2port.organisations.models import viewer_for_organisation
from port2port.reports.models import Report

from .models import Indicator, Watch, WatchHit, WatchHitOutcome

BATCH = 2000


@task()
def match_watches_for_indicators(report_id: int, first_id: int, last_id: int) -> int:
    """Match the indicators one import added to a report (ids `first_id` to `last_id`) against
    every active watch; returns the matches recorded. A fixed number of queries per batch of
    indicators, plus one write per match. An indicator another import added to the same report
    in that range meanwhile is matched too, which is harmless: a match is recorded once."""
    added = (Indicator.objects.filter(report_id=report_id, pk__gte=first_id, pk__lte=last_id)
             .select_related("report").order_by("pk"))
    recorded, last_seen = 0, first_id - 1
    while indicators := list(added.filter(pk__gt=last_seen)[:BATCH]):
        recorded += _match_batch(indicators)
        last_seen = indicators[-1].pk
    return recorded


def _match_batch(indicators: list[Indicator]) -> int:
    by_value = defaultdict(list)
    for indicator in indicators:
        by_value[(indicator.kind, indicator.value)].append(indicator)
    if not by_value:
        return 0
    from .correlation import _kind_value_q

    watches = (Watch.objects.filter(is_active=True, organisation__is_active=True)
               .filter(_kind_value_q(by_value)).select_related("organisation"))
    pairs = [(watch, indicator) for watch in watches for indicator in by_value[(watch.kind, watch.value)]]
    return _record_pairs(pairs)


@task()
def match_watch(watch_id: int) -> int:
    """Match a new watch against the indicators already on the platform."""
    watch = (Watch.objects.select_related("organisation")
             .filter(pk=watch_id, is_active=True, organisation__is_active=True).first())
    if watch is None:
        return 0
    indicators = Indicator.objects.filter(kind=watch.kind, value=watch.value).select_related("report")
    return _record_pairs([(watch, indicator) for indicator in indicators.iterator()])


def _record_pairs(pairs) -> int:
    """Record each (watch, indicator) match not recorded before, deciding visibility once per
    watching organisation for all the reports at hand."""
    pairs = [(w, i) for w, i in pairs if i.report.owner_org_id != w.organisation_id]
    if not pairs:
        return 0
    done = set(WatchHit.objects.filter(watch__in={w.pk for w, _ in pairs}, indicator__in={i.pk for _, i in pairs})
               .values_list("watch_id", "indicator_id"))
    visible = _visible_reports_by_organisation(pairs)
    recorded = 0
    for watch, indicator in pairs:
        if (watch.pk, indicator.pk) not in done:
            may_see = indicator.report_id in visible[watch.organisation_id]
            recorded += record_match(watch, indicator, may_see=may_see)
    return recorded


def _visible_reports_by_organisation(pairs) -> dict[int, set[int]]:
    reports_by_org, organisations = defaultdict(set), {}
    for watch, indicator in pairs:
        reports_by_org[watch.organisation_id].add(indicator.report_id)
        organisations[watch.organisation_id] = watch.organisation
    return {
        org_id: set(Report.objects.visible_to(viewer_for_organisation(organisations[org_id]))
                    .filter(pk__in=report_ids).values_list("pk", flat=True))
        for org_id, report_ids in reports_by_org.items()
    }


def record_match(watch: Watch, indicator: Indicator, *, may_see: bool | None = None) -> int:
    """One watched value found in one report. If the watching organisation may see the report,
    it gets a hit; if not, the report's owner is told that this organisation has an interest
    in that value, and the watcher learns nothing. Both are audited (the hit under the
    watcher's organisation, the interest under the owner's, each for that side only).
    Returns 1 if recorded."""
    report = indicator.report
    if report.owner_org_id == watch.organisation_id:
        return 0  # an organisation's own reports are no news to it
    if may_see is None:
        may_see = Report.objects.visible_to(viewer_for_organisation(watch.organisation)).filter(pk=report.pk).exists()
    outcome = WatchHitOutcome.HIT if may_see else WatchHitOutcome.INTEREST
    told = watch.organisation_id if may_see else report.owner_org_id
    try:
        with transaction.atomic():
            WatchHit.objects.create(watch=watch, indicator=indicator, outcome=outcome)
            # Each event lands in the audit trail of the side that was told, and only there: an
            # interest event in the watcher's trail would tell its admins that a match exists.
            audit.record(f"indicators.watch_{outcome}", organisation_id=told, target=report,
                         subject_organisation_id=told,
                         detail=_told_detail(watch, indicator, may_see))
    except IntegrityError:
        return 0  # matched before (the same batch twice, or a watch re-checked)
    return 1


def _told_detail(watch: Watch, indicator: Indicator, watcher_told: bool) -> dict:
    detail = {"indicator": indicator.pk, "kind": indicator.kind}
    if watcher_told:  # the watcher's own trail may name its own watch; the owner's may not
        detail["watch"] = watch.pk
    return detail


def hits_for(user_or_viewer):
    """Hits the reader's organisations may act on, decided at read time (see the module)."""
    return WatchHit.objects.hits_for(user_or_viewer)


def interest_notices_for(user_or_viewer):
    """Interest notices on reports this person may edit (the watcher is not named)."""
    return WatchHit.objects.interest_notices_for(user_or_viewer)
