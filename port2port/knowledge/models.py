"""Shared knowledge: articles with versions, tags, comments, attachments, proposed edits and
feedback. Articles are shareable items like reports: the same labels, audiences and rule."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from port2port.organisations.models import Organisation, Shareable, ShareableQuerySet, as_viewer


class Theme(models.TextChoices):
    INSPECTIONS = "inspections", _("Inspections")
    ACCESS_CONTROL = "access_control", _("Access control")
    SECURITY_CHECKS = "security_checks", _("Security checks")
    DRONES = "drones", _("Drones (detection and response)")
    AI_CAMERAS = "ai_cameras", _("AI camera surveillance")
    CYBER = "cyber", _("Cyber")
    INSIDER_RISK = "insider_risk", _("Insider risk")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    EN = "en", _("English")
    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    DE = "de", _("German")


BODY_MAX = 100_000

tag_slug = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("A tag is lowercase letters and digits, words joined by hyphens.")
)


class Tag(models.Model):
    """A lowercase keyword shared by articles across the network, such as "reefer" or "pin-code"."""

    slug = models.CharField(_("tag"), max_length=40, unique=True, validators=[tag_slug])

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.slug


class ArticleQuerySet(ShareableQuerySet):
    def for_list(self):
        return self.select_related("owner_org", "author").prefetch_related("tags")


class Article(Shareable):
    """A piece of shared knowledge (a practice, a checklist, lessons from a pilot), written in
    Markdown and improved in versions."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    # Reports whose lessons this article draws on; shown only to readers who may see them.
    lessons_from = models.ManyToManyField(
        "reports.Report", blank=True, related_name="+", verbose_name=_("lessons learned from reports")
    )
    recipient_orgs = models.ManyToManyField(Organisation, blank=True, related_name="+", verbose_name=_("named organisations"))
    recipient_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("named people"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    shared_at = models.DateTimeField(null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="article_newest_first"),
            models.Index(fields=["theme", "-updated_at"], name="article_theme_newest"),
            models.Index(fields=["audience", "status"], name="article_audience_status"),
        ]
        constraints = [*Shareable.marking_constraints("article")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("knowledge:detail", args=[self.pk])


# The versions at which an article was given its label and audience; what was written before
# the last of them may have been meant for fewer people.
MARKING_NOTES = ("create", "share")


def last_marking_number(article: Article) -> int:
    versions = article.versions.filter(kind__in=MARKING_NOTES)
    return versions.aggregate(n=models.Max("number"))["n"] or 0


def _editable(article: Article, viewer) -> bool:
    return Article.objects.editable_by(viewer).filter(pk=article.pk).exists()


class ArticleVersionQuerySet(models.QuerySet):
    def readable_by(self, article: Article, user_or_viewer):
        """Editors follow every version; other readers those since the article was last given
        its marking, so that loosening a label never reveals text written for fewer people."""
        versions = self.filter(article=article)
        viewer = as_viewer(user_or_viewer)
        if _editable(article, viewer):
            return versions
        return versions.filter(number__gte=last_marking_number(article))


class ArticleVersion(models.Model):
    """The article's text as it stood after one write, revision, accepted proposal or re-marking."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    # What made this version: create, revise, proposal or share.
    kind = models.CharField(max_length=16, default="revise")
    note = models.CharField(_("note"), max_length=300, blank=True)
    tlp = models.CharField(max_length=16, blank=True)
    audience = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleVersionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="one_number_per_article_version")]

    def __str__(self):
        return f"{self.article_id} v{self.number}"


class ArticleCommentQuerySet(models.QuerySet):
    def readable_by(self, article: Article, user_or_viewer):
        """Comments reach whoever the article reaches, and only while it keeps the marking
        they were written under (editors and the comment's author see them all)."""
        comments = self.filter(article=article)
        viewer = as_viewer(user_or_viewer)
        if _editable(article, viewer):
            return comments
        return comments.filter(
            models.Q(article_version__gte=last_marking_number(article)) | models.Q(author_id=viewer.user_id)
        )


class ArticleComment(models.Model):
    """A remark on an article, in Markdown."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"), max_length=5000)
    article_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]


def attachment_path(instance, filename):
    # A random name: the original may itself carry information, and must not collide.
    return f"knowledge/{instance.article_id}/{instance.sha256[:16]}-{instance.token}"


class ArticleAttachment(models.Model):
    """A file on an article, stored outside the static root and served only to its readers.
    Images are stored with their EXIF and GPS data removed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
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


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ProposalQuerySet(models.QuerySet):
    def readable_by(self, article: Article, user_or_viewer):
        """Editors see every proposal on the article; other readers only their own."""
        proposals = self.filter(article=article)
        viewer = as_viewer(user_or_viewer)
        if _editable(article, viewer):
            return proposals
        return proposals.filter(proposer_id=viewer.user_id)


class Proposal(models.Model):
    """An edit suggested by a reader, which the article's editors accept or decline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="proposals")
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The version the proposal was written against, to show what changed since.
    base_version = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    note = models.CharField(_("why this change"), max_length=300)
    status = models.CharField(_("status"), max_length=8, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(reason=""), name="proposal_decline_has_reason"
            ),
        ]


class FeedbackKind(models.TextChoices):
    HELPFUL = "helpful", _("Helpful")
    ADOPTED = "adopted", _("We adopted this")


class Feedback(models.Model):
    """A reader's "helpful" or an organisation's "we adopted this". One of each per person and
    organisation; counts include only readers who may still see the article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(_("feedback"), max_length=8, choices=FeedbackKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], condition=models.Q(kind="helpful"), name="one_helpful_per_person"
            ),
            models.UniqueConstraint(
                fields=["article", "organisation"], condition=models.Q(kind="adopted"), name="one_adoption_per_org"
            ),
        ]
