"""Security reports: what a member tells the network, with comments, attachments and versions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from port2port.organisations.models import Organisation, Port, Shareable, ShareableQuerySet, as_viewer


class Category(models.TextChoices):
    DRUG_SMUGGLING = "drug_smuggling", _("Drug smuggling")
    INTRUSION = "intrusion", _("Intrusion or access-control breach")
    DRONE = "drone", _("Drone")
    CYBER = "cyber", _("Cyber")
    INSIDER = "insider", _("Insider or corruption")
    SUSPICIOUS = "suspicious", _("Suspicious vessel, vehicle or person")
    THEFT = "theft", _("Theft or damage")
    OTHER = "other", _("Other")


class ModusOperandi(models.TextChoices):
    """How drugs were moved, for drug-smuggling reports."""

    RIP_ON_RIP_OFF = "rip_on_rip_off", _("Rip-on/rip-off")
    PIN_FRAUD = "pin_fraud", _("PIN or release-code fraud")
    CLONE_CONTAINER = "clone_container", _("Clone container")
    EXTRACTION_TEAM = "extraction_team", _("Extraction team")
    HULL_OR_DIVER = "hull_or_diver", _("Hull or diver")
    CONTAMINATION_EN_ROUTE = "contamination_en_route", _("Contamination en route")
    DROP_OFF_AT_SEA = "drop_off_at_sea", _("Drop-off at sea")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class SourceReliability(models.TextChoices):
    """Admiralty scale, first half: how far the source can be trusted."""

    A = "A", _("A – Completely reliable")
    B = "B", _("B – Usually reliable")
    C = "C", _("C – Fairly reliable")
    D = "D", _("D – Not usually reliable")
    E = "E", _("E – Unreliable")
    F = "F", _("F – Reliability cannot be judged")


class InfoCredibility(models.TextChoices):
    """Admiralty scale, second half: how far the information itself holds."""

    CONFIRMED = "1", _("1 – Confirmed by other sources")
    PROBABLY_TRUE = "2", _("2 – Probably true")
    POSSIBLY_TRUE = "3", _("3 – Possibly true")
    DOUBTFUL = "4", _("4 – Doubtful")
    IMPROBABLE = "5", _("5 – Improbable")
    CANNOT_JUDGE = "6", _("6 – Truth cannot be judged")


class ReportQuerySet(ShareableQuerySet):
    def for_list(self):
        return self.select_related("owner_org", "port", "author")


class Report(Shareable):
    """An incident or observation at a port, shared under a TLP label with an audience."""

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    modus_operandi = models.CharField(_("modus operandi"), max_length=32, choices=ModusOperandi.choices, blank=True)
    port = models.ForeignKey(Port, on_delete=models.PROTECT, null=True, blank=True, related_name="reports", verbose_name=_("port"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)])
    occurred_at = models.DateTimeField(_("when it happened"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    source_reliability = models.CharField(_("source reliability"), max_length=1, choices=SourceReliability.choices, default=SourceReliability.F)
    info_credibility = models.CharField(_("information credibility"), max_length=1, choices=InfoCredibility.choices, default=InfoCredibility.CANNOT_JUDGE)
    narrative = models.TextField(_("narrative"), max_length=20000)
    measures_taken = models.TextField(_("measures taken"), blank=True, max_length=10000)
    lessons_learned = models.TextField(_("lessons learned"), blank=True, max_length=10000)
    recipient_orgs = models.ManyToManyField(Organisation, blank=True, related_name="+", verbose_name=_("named organisations"))
    recipient_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("named people"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    shared_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="report_newest_first"),
            models.Index(fields=["owner_org", "-occurred_at"], name="report_owner_newest_first"),
            models.Index(fields=["audience", "status"], name="report_audience_status"),
        ]
        constraints = [
            *Shareable.marking_constraints("report"),
            models.CheckConstraint(
                condition=models.Q(modus_operandi="") | models.Q(category="drug_smuggling"),
                name="report_modus_only_for_drugs",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="report_point_has_both_coordinates",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reports:detail", args=[self.pk])


# The actions that set a report's marking: a version written under an earlier marking may
# hold what was meant for fewer people (text written while the report was RED, or a draft).
MARKING_ACTIONS = ("reports.create", "reports.share")


def last_marking_number(report: "Report") -> int:
    """The version at which the report was last given its label and audience."""
    versions = report.versions.filter(action__in=MARKING_ACTIONS)
    return versions.aggregate(n=models.Max("number"))["n"] or 0


class CommentQuerySet(models.QuerySet):
    def readable_by(self, report: "Report", user_or_viewer):
        """The comments on `report` this reader may see: editors all of them; others those
        written since the report was last given its marking, and their own. A remark written
        for the few people of a RED report does not travel when the owner loosens it later."""
        comments = self.filter(report=report)
        viewer = as_viewer(user_or_viewer)
        if Report.objects.editable_by(viewer).filter(pk=report.pk).exists():
            return comments
        return comments.filter(models.Q(report_version__gte=last_marking_number(report)) | models.Q(author_id=viewer.user_id))


class Comment(models.Model):
    """A remark on a report. It reaches whoever the report reaches, never more, and only as
    long as the report keeps the marking it was written under (editors see them all)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"), max_length=5000)
    # The report's version when the comment was written: the marking it was written under.
    report_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]


def attachment_path(instance, filename):
    # A random name: the original name may itself carry information, and must not collide.
    return f"reports/{instance.report_id}/{instance.sha256[:16]}-{instance.token}"


class Attachment(models.Model):
    """A file on a report (photo, document), stored outside the static root and served only to
    people who may see the report. Images are stored with their EXIF and GPS data removed."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    token = models.CharField(max_length=32)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name


class ReportVersionQuerySet(models.QuerySet):
    def readable_by(self, report: "Report", user_or_viewer):
        """The versions of `report` this reader may follow. Editors see every version; other
        readers only those since the report was last given its marking, so loosening a label
        never reveals what was written for a narrower audience. The caller has already found
        `report` through visible_to."""
        versions = self.filter(report=report)
        if Report.objects.editable_by(user_or_viewer).filter(pk=report.pk).exists():
            return versions
        return versions.filter(number__gte=last_marking_number(report))


class ReportVersion(models.Model):
    """A report as it stood after one create, edit or share: the history a reader can follow."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=32)
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_version_number_per_report")]
