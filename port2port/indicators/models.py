"""Indicators: the identifiers that tie cases together across ports, their sightings, the
values organisations watch for, and the known-benign values left out of correlation.

An indicator belongs to a report and is read through the report's sharing rule: whoever may
see the report sees its indicators, nobody else. Correlation is an index lookup on
(kind, value) at read time, through `visible_to`; there is no pairwise correlation table.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from port2port.core.sharing import readable_q
from port2port.organisations.models import Organisation, Port, as_viewer
from port2port.reports.models import Report

from .types import REGISTRY

KIND_CHOICES = [(kind, kind_type.label) for kind, kind_type in REGISTRY.items()]
# Kinds that identify or reach a person: they carry a review date and are purged unless kept.
PERSONAL_KINDS = ("person", "phone")


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user_or_viewer):
        """Indicators of reports this reader may see: the report's rule is the indicator's,
        applied to the joined report row so the (kind, value) index drives the query."""
        return self.filter(readable_q(as_viewer(user_or_viewer), Report, prefix="report__"))

    def matching(self, kind: str, value: str):
        return self.filter(kind=kind, value=value)

    def due_for_review(self, moment):
        return self.filter(review_at__isnull=False, review_at__lte=moment)


class Indicator(models.Model):
    """A typed identifier in a report (a container, a vessel, a plate, a drone serial …),
    stored normalised so that the same thing written two ways is found as one."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("kind"), max_length=32, choices=KIND_CHOICES)
    value = models.CharField(_("value"), max_length=300)  # the canonical form exact matching compares
    display = models.CharField(max_length=300)
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
            models.Index(fields=["kind", "value"], name="indicator_kind_value"),
            models.Index(fields=["kind", "fuzzy_key"], name="indicator_kind_fuzzy"),
            models.Index(fields=["review_at"], name="indicator_review_at"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "value"], name="one_indicator_value_per_report"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.display}"

    @property
    def kind_label(self):
        return REGISTRY[self.kind].label


class SightingKind(models.TextChoices):
    SEEN = "seen", _("Seen at my port too")
    FALSE_POSITIVE = "false_positive", _("False positive")
    EXPIRED = "expired", _("Expired")


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


class WatchHit(models.Model):
    """One match of a watched value with an indicator, and what was done about it. A hit is
    shown to the watching organisation; an interest notice to the report's owner only."""

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="hits")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="watch_hits")
    outcome = models.CharField(max_length=16, choices=WatchHitOutcome.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

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
