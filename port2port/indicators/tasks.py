"""Background work of the indicators: matching watched values (hit/no-hit deconfliction).

Run by `port2port worker` after the transaction that added indicators or a watch commits.
Who may see what is decided here, when the task runs, through the same sharing rule.
"""

from django.db import IntegrityError, transaction
from django.tasks import task

from port2port.core import audit
from port2port.organisations.models import viewer_for_organisation
from port2port.reports.models import Report

from .models import Indicator, Watch, WatchHit, WatchHitOutcome


@task()
def match_watches_for_indicators(indicator_ids: list[int]) -> int:
    """Match newly added indicators against every active watch; returns the hits recorded."""
    recorded = 0
    indicators = Indicator.objects.filter(pk__in=indicator_ids).select_related("report")
    for indicator in indicators:
        watches = Watch.objects.filter(is_active=True, kind=indicator.kind, value=indicator.value)
        for watch in watches.select_related("organisation"):
            recorded += record_match(watch, indicator)
    return recorded


@task()
def match_watch(watch_id: int) -> int:
    """Match a new watch against the indicators already on the platform."""
    watch = Watch.objects.select_related("organisation").filter(pk=watch_id, is_active=True).first()
    if watch is None:
        return 0
    indicators = Indicator.objects.filter(kind=watch.kind, value=watch.value).select_related("report")
    return sum(record_match(watch, indicator) for indicator in indicators.iterator())


def record_match(watch: Watch, indicator: Indicator) -> int:
    """One watched value found in one report. If the watching organisation may see the report,
    it gets a hit; if not, the report's owner is told that another organisation has an interest
    in that value, and the watcher learns nothing. Both are audited. Returns 1 if recorded."""
    report = indicator.report
    if report.owner_org_id == watch.organisation_id:
        return 0  # an organisation's own reports are no news to it
    may_see = Report.objects.visible_to(viewer_for_organisation(watch.organisation)).filter(pk=report.pk).exists()
    outcome = WatchHitOutcome.HIT if may_see else WatchHitOutcome.INTEREST
    try:
        with transaction.atomic():
            WatchHit.objects.create(watch=watch, indicator=indicator, outcome=outcome)
            audit.record(f"indicators.watch_{outcome}", organisation_id=watch.organisation_id, target=report,
                         subject_organisation_id=report.owner_org_id,
                         detail={"watch": watch.pk, "indicator": indicator.pk, "kind": indicator.kind})
    except IntegrityError:
        return 0  # matched before (the same batch twice, or a watch re-checked)
    return 1
