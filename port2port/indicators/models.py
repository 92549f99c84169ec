"""Indicators: the identifiers that tie cases together across ports, their sightings, the
values organisations watch for, and the known-benign values left out of correlation.

An indicator belongs to a report and is read through the report's sharing rule: whoever may
see the report sees its indicators, nobody else. Correlation is an index lookup on
(kind, value) at read time, through `visible_to`; there is no pairwise correlation table.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from port2port.core.sharing import editable_q, readable_q
from port2port.organisations.models import Organisation, Port, as_viewer, viewer_for_organisation
from port2port.reports.models import Report

from .types import REGISTRY, IndicatorError

KIND_CHOICES = [(kind, kind_type.label) for kind, kind_type in REGISTRY.items()]
# Kinds that identify or reach a person: they carry a review date and are purged unless kept.
PERSONAL_KINDS = ("person", "phone")
# Kinds whose near matches are found by value, on the (kind, value) index, so their fuzzy key
# is not stored: a container's is its number without the check digit, and the numbers near it
# are the eleven values `values_near` lists. Containers are a third of a bulk import, and
# indexing their keys cost a write at a random place of a second index for each of them
# (benchmarks/correlation.py).
NEAR_BY_VALUE_KINDS = ("container",)


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user_or_viewer):
        """Indicators of reports this reader may see: the report's rule is the indicator's,
        applied to the joined report row so the (kind, value) index drives the query."""
        return self.filter(readable_q(as_viewer(user_or_viewer), Report, prefix="report__"))

    def editable_by(self, user_or_viewer):
        """Indicators of reports this person may edit (the report's editors manage them)."""
        return self.filter(editable_q(as_viewer(user_or_viewer), prefix="report__"))

    def matching(self, kind: str, value: str):
        return self.filter(kind=kind, value=value)

    def due_for_review(self, moment):
        return self.filter(review_at__isnull=False, review_at__lte=moment)

    def due_for_review_for(self, user_or_viewer, moment=None):
        """The review list: personal indicators past their review date on reports this person
        may edit, those already asked about first (they are purged first)."""
        due = self.editable_by(user_or_viewer).due_for_review(moment or timezone.now())
        return due.select_related("report", "report__port", "report__owner_org").order_by(
            models.F("review_asked_at").asc(nulls_last=True), "review_at", "id")


class Indicator(models.Model):
    """A typed identifier in a report (a container, a vessel, a plate, a drone serial …),
    stored normalised so that the same thing written two ways is found as one."""

    # No index of its own: the unique (report, kind, value) constraint starts with it and serves
    # every lookup by report, so a separate one only cost a write per imported indicator.
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicators", db_index=False)
    kind = models.CharField(_("kind"), max_length=32, choices=KIND_CHOICES)
    value = models.CharField(_("value"), max_length=300)  # the canonical form exact matching compares
    display = models.CharField(max_length=300)
    # The key near matches share, stored for the kinds looked up by it (not NEAR_BY_VALUE_KINDS).
    fuzzy_key = models.CharField(max_length=300, blank=True)
    flags = models.JSONField(default=list, blank=True)
    suggestion = models.CharField(max_length=300, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # For a person: the clear text the owner typed; shown to the owner organisation only, while
    # everyone else sees (and matches on) the keyed hash in `value`.
    owner_note = models.CharField(max_length=300, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Personal kinds only: when the owner must decide to keep (with a reason) or purge.
    review_at = models.DateTimeField(null=True, blank=True)
    review_asked_at = models.DateTimeField(null=True, blank=True)
    kept_reason = models.CharField(max_length=300, blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["report", "kind", "value"]
        indexes = [
            # report_id makes the index covering for counting matches per value (correlation,
            # watch matching): no table row is read per match. Measured with
            # benchmarks/correlation.py at 1M indicators: the count query 44 -> 13 ms (p50).
            models.Index(fields=["kind", "value", "report"], name="indicator_kind_value_report"),
            # Partial: only plates and vessel names have a fuzzy key, and only person and phone
            # indicators a review date. Indexing the empty ones cost a write per imported
            # indicator for rows no lookup reads (a fuzzy lookup says `fuzzy_key <> ''`, see
            # correlation.HAS_FUZZY_KEY, so that SQLite may use the index).
            models.Index(fields=["kind", "fuzzy_key"], name="indicator_kind_fuzzy_partial",
                         condition=~Q(fuzzy_key="")),
            models.Index(fields=["review_at"], name="indicator_review_at_partial",
                         condition=Q(review_at__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "value"], name="one_indicator_value_per_report"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.display}"

    @property
    def warnings(self) -> list[str]:
        """The value's warnings (a wrong check digit …) in the reader's language: worked out
        again from the value, since `flags` holds them in the language of whoever added it."""
        try:
            return [str(flag) for flag in REGISTRY[self.kind].normalise(self.display).flags]
        except IndicatorError:
            return list(self.flags)

    @property
    def kind_label(self):
        return REGISTRY[self.kind].label

    def note_for(self, user_or_viewer) -> str:
        """The clear text of a person indicator, for members of the report's owner only;
        everyone else matches on the pseudonym and sees nothing more."""
        viewer = as_viewer(user_or_viewer)
        return self.owner_note if self.report.owner_org_id in viewer.org_ids else ""

    @property
    def purge_after(self):
        """When the retention run purges this indicator unless it is kept (None: not asked yet)."""
        if self.review_asked_at is None:
            return None
        return self.review_asked_at + timedelta(days=settings.RETENTION_GRACE_DAYS)


class SightingKind(models.TextChoices):
    SEEN = "seen", _("Seen at my port too")
    FALSE_POSITIVE = "false_positive", _("False positive")
    EXPIRED = "expired", _("Expired")


class SightingQuerySet(models.QuerySet):
    def visible_to(self, user_or_viewer):
        """Sightings on indicators this reader may see: they reach whoever the report reaches."""
        return self.filter(readable_q(as_viewer(user_or_viewer), Report, prefix="indicator__report__"))

    def per_port(self):
        """Counts by port and kind: rows of {port, port__name, port__locode, kind, n}, biggest
        first. Sightings without a port count under port None."""
        return (self.values("port", "port__name", "port__locode", "kind")
                .annotate(n=models.Count("id")).order_by("-n", "port__name", "kind"))

    def per_kind(self) -> dict[str, int]:
        """{kind: count}: how often an indicator was seen again, called a false positive, or expired."""
        rows = self.values("kind").annotate(n=models.Count("id")).order_by()
        return {row["kind"]: row["n"] for row in rows}


class Sighting(models.Model):
    """Another organisation's word on an indicator: seen here too, a false positive, expired.
    It reaches whoever the indicator's report reaches."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="sightings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=SightingKind.choices, default=SightingKind.SEEN)
    seen_at = models.DateTimeField(_("when"))
    port = models.ForeignKey(Port, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("port"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SightingQuerySet.as_manager()

    class Meta:
        ordering = ["-seen_at", "-id"]


class Watch(models.Model):
    """A value an organisation looks for (a container, a vessel, a plate, a drone serial).
    Matches raise a hit for the organisation when it may see the report; otherwise the report's
    owner is told that another organisation has an interest (hit/no-hit deconfliction)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="watches")
    kind = models.CharField(_("kind"), max_length=32, choices=KIND_CHOICES)
    value = models.CharField(_("value"), max_length=300)
    display = models.CharField(max_length=300)
    label = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "value"]
        indexes = [models.Index(fields=["kind", "value"], name="watch_kind_value")]
        constraints = [models.UniqueConstraint(fields=["organisation", "kind", "value"], name="one_watch_per_value")]

    def __str__(self):
        return f"{self.kind}: {self.display}"


class WatchHitOutcome(models.TextChoices):
    HIT = "hit", _("Hit: the watching organisation may see the report")
    INTEREST = "interest", _("Interest: the report's owner was told")


def _report_rule(viewer, prefix="indicator__report__"):
    return readable_q(viewer, Report, prefix=prefix)


class WatchHitQuerySet(models.QuerySet):
    def hits_for(self, user_or_viewer):
        """Matches the reader's organisations may act on, decided now, not when they were
        recorded: a match counts when the watching organisation may see the report today
        (so an earlier interest becomes a hit once the owner shares with it, and a hit
        disappears when the report is narrowed) and the reader may see it too."""
        viewer = as_viewer(user_or_viewer)
        if not viewer.org_ids:
            return self.none()
        by_organisation = models.Q(pk__in=[])
        for organisation in Organisation.objects.filter(pk__in=viewer.org_ids, is_active=True):
            by_organisation |= models.Q(watch__organisation=organisation) & _report_rule(
                viewer_for_organisation(organisation))
        return (self.filter(by_organisation).filter(_report_rule(viewer))
                .select_related("watch", "indicator", "indicator__report", "indicator__report__port",
                                "indicator__report__owner_org"))

    def interest_notices_for(self, user_or_viewer):
        """Interest notices on reports this person may edit: another organisation looks for a
        value of their report and may not see it. Which organisation is not said (issue 3:
        "neither side learns more than that"); the owner may share more widely if it wishes."""
        viewer = as_viewer(user_or_viewer)
        return (self.filter(outcome=WatchHitOutcome.INTEREST)
                .filter(editable_q(viewer, prefix="indicator__report__"))
                .select_related("indicator", "indicator__report", "indicator__report__port"))


class WatchHit(models.Model):
    """One match of a watched value with an indicator, and what was done about it. A hit is
    shown to the watching organisation; an interest notice to the report's owner only."""

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="hits")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="watch_hits")
    outcome = models.CharField(max_length=16, choices=WatchHitOutcome.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WatchHitQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["watch", "indicator"], name="one_hit_per_watch_and_indicator")]


class WarningListEntry(models.Model):
    """A known-benign value (a test number, a common domain) left out of correlation."""

    kind = models.CharField(max_length=32, choices=KIND_CHOICES)
    value = models.CharField(max_length=300)
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="one_warning_per_value")]

    def __str__(self):
        return f"{self.kind}: {self.value} ({self.reason})"
