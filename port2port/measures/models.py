"""Common measures the network agrees, each organisation's self-assessment against them, and
what the network may see of those assessments.

Who reads what (the choke points are `MeasureQuerySet.visible_to` and
`AssessmentQuerySet.visible_to`):

- A measure that is adopted or retired is the network's standard: every member of a network
  organisation reads it, and so do the members of its working group.
- A proposal is under discussion: it is read by the proposer organisation and, when it belongs
  to a working group, by the members of that group. A proposal without a working group is its
  proposer's draft: only a working group's coordinator adopts measures, so it must be placed in
  a working group before it can become a standard (no organisation sets a network standard alone).
- An assessment is read in full (evidence included) by its own organisation only. The other
  network organisations read what its disclosure allows: nothing, its status, its status with
  maturity and target date, or everything but the evidence. Evidence never leaves the organisation.
  Network figures are computed from these visible answers alone (see measures/network.py).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

# The knowledge base's themes are the working groups' themes: one list for both.
from port2port.knowledge.models import Article, Theme
from port2port.organisations.models import Organisation, SharingGroup, as_viewer



class Threat(models.TextChoices):
    RIP_ON_RIP_OFF = "rip_on_rip_off", _("Drug smuggling via containers (rip-on/rip-off)")
    CORRUPTED_INSIDERS = "corrupted_insiders", _("Corrupted insiders")
    PIN_FRAUD = "pin_fraud", _("PIN-code fraud")
    EXTRACTION_TEAMS = "extraction_teams", _("Extraction teams")
    CYBER_ATTACKS = "cyber_attacks", _("Cyber attacks")
    DRONE_MISUSE = "drone_misuse", _("Drone misuse")
    INTRUSION = "intrusion", _("Intrusion and unauthorised access")
    CLONE_CONTAINERS = "clone_containers", _("Clone containers")
    STOWAWAYS = "stowaways", _("Stowaways")
    THEFT = "theft", _("Cargo theft")


class FacilityKind(models.TextChoices):
    CONTAINER_TERMINAL = "container_terminal", _("Container terminal")
    DRY_BULK = "dry_bulk", _("Dry bulk")
    LIQUID_BULK = "liquid_bulk", _("Liquid bulk and tankers")
    RO_RO = "ro_ro", _("Ro-ro")
    PASSENGER = "passenger", _("Passenger and cruise")
    GENERAL_CARGO = "general_cargo", _("General cargo")
    INLAND_PORT = "inland_port", _("Inland port")
    LOCKS_WATERWAYS = "locks_waterways", _("Locks and waterways")


class Level(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    RECOMMENDED = "recommended", _("Recommended")
    ADVANCED = "advanced", _("Advanced")


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    RETIRED = "retired", _("Retired")


STANDARD_STATUSES = (MeasureStatus.ADOPTED, MeasureStatus.RETIRED)


class MeasureQuerySet(models.QuerySet):
    def visible_to(self, user_or_viewer):
        """The measures this viewer may read (see the module docstring)."""
        viewer = as_viewer(user_or_viewer)
        if viewer.is_anonymous:
            return self.none()
        reached = Q(proposed_by_org_id__in=sorted(viewer.org_ids))
        reached |= Q(working_group_id__in=sorted(viewer.group_ids))
        if viewer.network_member:
            reached |= Q(status__in=STANDARD_STATUSES)
        return self.filter(reached)

    def for_list(self):
        return self.select_related("working_group", "proposed_by_org")


class Measure(models.Model):
    """A common security measure: proposed by an organisation, discussed in a working group,
    adopted by its coordinator as a network standard on a date, and retired when superseded."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=20000)
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)
    threats = models.JSONField(_("threats addressed"), default=list, blank=True)
    legal_reference = models.CharField(
        _("legal reference"), max_length=300, blank=True,
        help_text=_("ISPS Code part and paragraph (for example “ISPS A/16.3”) or national law."),
    )
    facility_kinds = models.JSONField(_("kinds of port or facility"), default=list, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.BASELINE)
    status = models.CharField(_("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    working_group = models.ForeignKey(
        SharingGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="measures",
        verbose_name=_("working group"),
    )
    proposed_by_org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("proposed by"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Readers see only the linked articles they may read themselves (Article.visible_to).
    articles = models.ManyToManyField(Article, blank=True, related_name="+", verbose_name=_("knowledge articles"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["theme", "title", "id"]
        indexes = [models.Index(fields=["status", "theme"], name="measure_status_theme")]
        constraints = [
            models.CheckConstraint(
                condition=Q(adopted_on__isnull=False) | Q(status=MeasureStatus.PROPOSED), name="measure_standard_has_adoption_date",
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(status=MeasureStatus.RETIRED), name="measure_retired_date_only_when_retired",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeasureStatus.RETIRED) | Q(retired_on__isnull=False), name="measure_retired_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("measures:detail", args=[self.pk])

    def threat_labels(self) -> list[str]:
        return [str(Threat(value).label) for value in self.threats if value in Threat.values]

    def facility_labels(self) -> list[str]:
        return [str(FacilityKind(value).label) for value in self.facility_kinds if value in FacilityKind.values]


class MeasureVersion(models.Model):
    """A measure as it stood after one proposal, edit, adoption or retirement, with who and why."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    note = models.CharField(_("note"), max_length=500, blank=True)
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "number"]
        constraints = [models.UniqueConstraint(fields=["measure", "number"], name="one_number_per_measure_version")]


# ---------------------------------------------------------------------------------------------
# Self-assessment
# ---------------------------------------------------------------------------------------------


class AssessmentStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    NOT_STARTED = "not_started", _("Not started")
    PLANNED = "planned", _("Planned")
    PARTLY = "partly", _("Partly implemented")
    IMPLEMENTED = "implemented", _("Implemented")


# From weakest to strongest; "not applicable" is no answer on this scale.
STATUS_RANK = {AssessmentStatus.NOT_STARTED: 0, AssessmentStatus.PLANNED: 1, AssessmentStatus.PARTLY: 2,
               AssessmentStatus.IMPLEMENTED: 3}


class Disclosure(models.TextChoices):
    """What the other network organisations see of an organisation's assessment. The evidence
    is never among it."""

    NOTHING = "nothing", _("Nothing")
    STATUS = "status", _("Status only")
    PROGRESS = "progress", _("Status, maturity and target date")
    FULL = "full", _("Everything but the evidence")


DEFAULT_DISCLOSURE = Disclosure.STATUS
# What the viewer's own organisation sees of its own assessment: all of it.
OWN = "own"
SHOWN_ORDER = [Disclosure.NOTHING, Disclosure.STATUS, Disclosure.PROGRESS, Disclosure.FULL, OWN]


class DisclosureSetting(models.Model):
    """An organisation's choice of what the network sees of its assessments (absent: status only)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="measures_disclosure")
    level = models.CharField(_("what the network sees"), max_length=16, choices=Disclosure.choices, default=DEFAULT_DISCLOSURE)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user_or_viewer):
        """The assessments this viewer may see, each annotated with `shown`: what of it they
        may see (`own` for their own organisation's, else the disclosure in force). Others'
        assessments reach network members only, of measures they may read, and never when the
        disclosure in force is "nothing". The disclosure is read now, so a change takes effect
        at once, on the history too."""
        viewer = as_viewer(user_or_viewer)
        if viewer.is_anonymous:
            return self.none()
        readable = Q(organisation_id__in=sorted(viewer.org_ids))
        if viewer.network_member:
            readable |= self._others_q(viewer) & ~Q(shown=Disclosure.NOTHING)
        return self._with_shown(viewer).filter(readable)

    def _with_shown(self, viewer):
        setting = DisclosureSetting.objects.filter(organisation_id=OuterRef("organisation_id")).values("level")[:1]
        in_force = Coalesce(F("disclosure"), Subquery(setting), Value(DEFAULT_DISCLOSURE), output_field=CharField())
        own = When(organisation_id__in=sorted(viewer.org_ids), then=Value(OWN))
        return self.annotate(shown=Case(own, default=in_force, output_field=CharField()))

    @staticmethod
    def _others_q(viewer):
        others = Q(organisation__is_network_member=True, organisation__is_active=True)
        return others & Q(measure__in=Measure.objects.visible_to(viewer).values("pk"))

    def current(self):
        return self.filter(is_current=True)


def evidence_path(instance, filename):
    # A random name: the original name may itself carry information, and must not collide.
    return f"measures/{instance.organisation_id}/{instance.evidence_sha256[:16]}-{instance.evidence_token}"


class AssessmentRecord(models.Model):
    """One organisation's answer to one measure at one moment. Answers are never changed: each
    new assessment is a new record, and the latest is the current one (`is_current`)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(_("status"), max_length=16, choices=AssessmentStatus.choices)
    maturity = models.PositiveSmallIntegerField(
        _("maturity"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(5)],
        help_text=_("0 (nothing in place) to 5 (measured and improving)."),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("owner"))
    note = models.TextField(_("note"), max_length=5000, blank=True)
    evidence_text = models.TextField(_("evidence"), max_length=10000, blank=True)
    evidence_file = models.FileField(upload_to=evidence_path, max_length=255, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveBigIntegerField(default=0)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    evidence_token = models.CharField(max_length=32, blank=True)
    disclosure = models.CharField(
        _("what the network sees of this answer"), max_length=16, choices=Disclosure.choices, null=True, blank=True,
        help_text=_("Leave empty to follow your organisation's setting."),
    )
    recorded_at = models.DateTimeField(_("assessed on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "measure", "-recorded_at"], name="assessment_org_measure_latest"),
            models.Index(fields=["measure", "is_current"], name="assessment_measure_current"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "measure"], condition=Q(is_current=True),
                                    name="one_current_assessment"),
            models.CheckConstraint(condition=Q(maturity__isnull=True) | Q(maturity__lte=5), name="assessment_maturity_0_to_5"),
        ]

    # What each disclosure shows besides the status (the status shows from STATUS upwards).
    def _shows(self, level: str) -> bool:
        shown = getattr(self, "shown", None)
        return shown in SHOWN_ORDER and SHOWN_ORDER.index(shown) >= SHOWN_ORDER.index(level)

    @property
    def shown_status(self):
        return self.status if self._shows(Disclosure.STATUS) else None

    @property
    def shown_maturity(self):
        return self.maturity if self._shows(Disclosure.PROGRESS) else None

    @property
    def shown_target_date(self):
        return self.target_date if self._shows(Disclosure.PROGRESS) else None

    @property
    def shown_owner(self):
        return self.owner if self._shows(Disclosure.FULL) else None

    @property
    def shown_note(self):
        return self.note if self._shows(Disclosure.FULL) else ""

    @property
    def is_own(self) -> bool:
        return getattr(self, "shown", None) == OWN

    @property
    def has_evidence_file(self) -> bool:
        return bool(self.evidence_file)
