"""Joint trainings, exercises and awareness campaigns across the network, people's seats in
them, attendance and feedback, and each person's secret calendar feed."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from port2port.core.sharing import Audience, Tlp, editable_q, readable_q
from port2port.knowledge.models import Article, Theme
from port2port.organisations.models import Organisation, Shareable, ShareableQuerySet, as_viewer

# A training announcement reaches people who are not security analysts (terminal staff, an
# operator's trainees), so it carries no RED, AMBER+STRICT or public marking: GREEN when it
# may be passed on within the network, AMBER when only the recipient organisations may know.
LABELS = (Tlp.GREEN, Tlp.AMBER)
AUDIENCES = (Audience.OWNER, Audience.ORGANISATIONS, Audience.GROUP, Audience.NETWORK)
MAX_CAPACITY = 10_000
MAX_REACH = 10_000_000


def _marking_limits(prefix: str) -> list[models.CheckConstraint]:
    return [
        *Shareable.marking_constraints(prefix),
        models.CheckConstraint(condition=Q(tlp__in=LABELS), name=f"{prefix}_green_or_amber"),
        models.CheckConstraint(condition=Q(audience__in=AUDIENCES), name=f"{prefix}_audience_of_organisations"),
    ]


class TrainingKind(models.TextChoices):
    COURSE = "course", _("Training course")
    TABLETOP = "tabletop", _("Tabletop exercise")
    LIVE = "live", _("Live exercise")
    DRILL = "drill", _("Drill")
    AWARENESS = "awareness", _("Awareness session")


class TrainingQuerySet(ShareableQuerySet):
    def for_list(self):
        return self.select_related("owner_org")

    def overlapping(self, start, end):
        """Trainings that take place at some moment of [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class Training(Shareable):
    """A joint training course, an exercise (tabletop, live or drill, as ISPS asks of port
    facilities) or an awareness session, organised by one organisation for an audience."""

    kind = models.CharField(_("kind"), max_length=16, choices=TrainingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)])
    materials = models.ManyToManyField(Article, blank=True, related_name="+", verbose_name=_("materials"))
    recipient_orgs = models.ManyToManyField(Organisation, blank=True, related_name="+", verbose_name=_("named organisations"))
    # The sharing rule asks every shareable model for named people; a training never names any
    # (no RED), so this stays empty.
    recipient_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # RFC 5545 SEQUENCE: raised whenever the time changes or the training is cancelled, so that
    # calendar clients take the newer version.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="training_period")]
        constraints = [
            *_marking_limits("training"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="training_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_at_least_one_seat"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("training:detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Attendance(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


ACTIVE_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user_or_viewer):
        """A seat is seen by its holder, the training's organisers, and the officers of the
        organisation the person registered for; never by the other participants. Always only
        for a training the viewer may read."""
        viewer = as_viewer(user_or_viewer)
        if viewer.is_anonymous:
            return self.none()
        whose = (Q(person_id=viewer.user_id) | editable_q(viewer, "training__")
                 | Q(organisation_id__in=viewer.editor_org_ids))
        return self.filter(readable_q(viewer, Training, "training__") & whose)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def queue_order(self):
        return self.order_by("queued_at", "pk")


class Registration(models.Model):
    """A person's seat, or place on the waiting list, at a training, for one of their
    organisations; afterwards whether they came."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    # The place in the queue: the first waiting person gets the next free seat.
    queued_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(_("attendance"), max_length=8, choices=Attendance.choices, blank=True, default="")
    attendance_marked_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "id"]
        indexes = [models.Index(fields=["training", "status", "queued_at"], name="registration_queue")]
        constraints = [
            models.UniqueConstraint(fields=["training", "person"], name="one_registration_per_person"),
            # Only a person who held a seat can have come or stayed away.
            models.CheckConstraint(condition=Q(attendance="") | Q(status=RegistrationStatus.REGISTERED),
                                   name="attendance_only_with_a_seat"),
        ]

    def __str__(self):
        return f"{self.person} @ {self.training}"


class FeedbackQuerySet(models.QuerySet):
    def visible_to(self, user_or_viewer):
        """Feedback is read by the person who gave it and by the training's organisers."""
        viewer = as_viewer(user_or_viewer)
        if viewer.is_anonymous:
            return self.none()
        prefix = "registration__training__"
        whose = Q(registration__person_id=viewer.user_id) | editable_q(viewer, prefix)
        return self.filter(readable_q(viewer, Training, prefix) & whose)


class Feedback(models.Model):
    """What an attendee thought of a training: a rating from 1 to 5 and a comment."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5")]


class CampaignQuerySet(ShareableQuerySet):
    def for_list(self):
        return self.select_related("owner_org")


class Campaign(Shareable):
    """An awareness campaign (phishing, insider risk, rip-off tactics) that ports and other
    organisations run together over a period, each reporting how many people it reached."""

    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    materials = models.ManyToManyField(Article, blank=True, related_name="+", verbose_name=_("materials"))
    recipient_orgs = models.ManyToManyField(Organisation, blank=True, related_name="+", verbose_name=_("named organisations"))
    recipient_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            *_marking_limits("campaign"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("training:campaign", args=[self.pk])


class ParticipationQuerySet(models.QuerySet):
    def visible_to(self, user_or_viewer):
        """Who takes part, and their reach, is read by whoever may read the campaign."""
        return self.filter(readable_q(as_viewer(user_or_viewer), Campaign, "campaign__"))

    def current(self):
        return self.filter(left_at__isnull=True)


class Participation(models.Model):
    """An organisation taking part in a campaign, with the reach it reports: people reached
    and sessions held, as running totals."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    joined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    people_reached = models.PositiveIntegerField(_("people reached"), default=0, validators=[MaxValueValidator(MAX_REACH)])
    sessions_held = models.PositiveIntegerField(_("sessions held"), default=0, validators=[MaxValueValidator(MAX_REACH)])
    reach_reported_at = models.DateTimeField(null=True, blank=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "organisation"], name="one_participation_per_org")]

    def __str__(self):
        return f"{self.organisation} in {self.campaign}"


class CalendarTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, person__is_active=True)


class CalendarToken(models.Model):
    """A person's secret calendar feed address. Only a hash is stored; the token is shown
    once. It reads that person's trainings and nothing else, and is revoked by a new one."""

    PREFIX = "p2p_cal_"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lookup = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(revoked_at__isnull=True),
                                               name="one_live_calendar_token_per_person")]

    def __str__(self):
        return f"{self.PREFIX}{self.lookup}…"

    @staticmethod
    def hash_secret(secret: str) -> str:
        # 32 random bytes: a fast hash is enough (there is no dictionary to guess from).
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def new_token(cls) -> tuple[str, str, str]:
        """A fresh (token, lookup, secret_hash); the token is what the person copies."""
        lookup, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        return f"{cls.PREFIX}{lookup}_{secret}", lookup, cls.hash_secret(secret)


def find_calendar_token(token: str) -> CalendarToken | None:
    """The usable token presented, or None (secret compared in constant time; the lookup part
    only finds the row)."""
    if not token.startswith(CalendarToken.PREFIX):
        return None
    lookup, _sep, secret = token[len(CalendarToken.PREFIX):].partition("_")
    row = CalendarToken.objects.usable().select_related("person").filter(lookup=lookup).first()
    if row is None or not hmac.compare_digest(row.secret_hash, CalendarToken.hash_secret(secret)):
        return None
    return row
