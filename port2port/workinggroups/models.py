"""Working groups: a sharing group with a coordinator and a space (its articles, the measures
it discusses, its meetings with their agenda, minutes, decisions and action items).

The space belongs to the group's member organisations *now*: every row here is read through
`visible_to`, which asks whether the viewer's organisation sits in the group at this request.
An organisation the owner removes loses the space at once; nobody else ever sees it.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from port2port.organisations.models import SharingGroup, as_viewer

AGENDA_MAX = 20_000
MINUTES_MAX = 100_000


class WorkingGroupQuerySet(models.QuerySet):
    def visible_to(self, user_or_viewer):
        """Working groups whose space the viewer may enter: one of their organisations is a
        member of the group now."""
        viewer = as_viewer(user_or_viewer)
        return self.filter(is_working_group=True, pk__in=viewer.group_ids)

    def listed_for(self, user_or_viewer):
        """Working groups whose name, owner and coordinator the viewer may know of: every one
        for a member of the network (so people can ask to join), their own for anyone else.
        Knowing of a group opens nothing of its space."""
        viewer = as_viewer(user_or_viewer)
        if viewer.network_member:
            return self.filter(is_working_group=True)
        return self.visible_to(viewer)


class WorkingGroup(SharingGroup):
    """A sharing group seen as a working group (no table of its own: the flag and the
    coordinator live on the sharing group)."""

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        proxy = True
        ordering = ["name"]


class SpaceQuerySet(models.QuerySet):
    """Rows of a working group's space, read by the people of its member organisations now."""

    group_path = "group"

    def visible_to(self, user_or_viewer):
        viewer = as_viewer(user_or_viewer)
        return self.filter(**{f"{self.group_path}_id__in": viewer.group_ids,
                              f"{self.group_path}__is_working_group": True})


class Delegate(models.Model):
    """A person the coordinator names to prepare meetings and write minutes with them."""

    group = models.ForeignKey(SharingGroup, on_delete=models.CASCADE, related_name="delegates")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("person"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_delegation_per_person")]


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingQuerySet(SpaceQuerySet):
    def upcoming(self, now):
        return self.filter(starts_at__gte=now).order_by("starts_at", "pk")

    def past(self, now):
        return self.filter(starts_at__lt=now).order_by("-starts_at", "-pk")


class Meeting(models.Model):
    """A meeting of a working group: when and where, its agenda beforehand and its minutes
    afterwards, in Markdown."""

    group = models.ForeignKey(SharingGroup, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=90, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)])
    place = models.CharField(_("place"), max_length=200, blank=True,
                             help_text=_("An address or a room; leave empty for an online meeting."))
    online_url = models.CharField(_("online meeting link"), max_length=500, blank=True,
                                  validators=[URLValidator(schemes=["https"])],
                                  help_text=_("An https:// link to the video call, if any."))
    # TextField's max_length sizes form widgets only; the validator makes full_clean hold it.
    agenda = models.TextField(_("agenda"), max_length=AGENDA_MAX, blank=True, help_text=_("Markdown."),
                              validators=[MaxLengthValidator(AGENDA_MAX)])
    minutes = models.TextField(_("minutes"), max_length=MINUTES_MAX, blank=True, help_text=_("Markdown."),
                               validators=[MaxLengthValidator(MINUTES_MAX)])
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["group", "starts_at"], name="meeting_group_start")]

    def __str__(self):
        return self.title


class DecisionQuerySet(SpaceQuerySet):
    group_path = "meeting__group"


class Decision(models.Model):
    """What a meeting decided, in one or two sentences, and on which day."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField(_("decision"), max_length=2000, validators=[MaxLengthValidator(2000)])
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["decided_on", "id"]

    def __str__(self):
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ActionItemQuerySet(SpaceQuerySet):
    group_path = "meeting__group"

    def open(self):
        return self.filter(status=ActionStatus.OPEN)


class ActionItem(models.Model):
    """Something a meeting asked one person of a member organisation to do, by a date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_items")
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=4, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="action_item_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ActionStatus.DONE, done_at__isnull=False) | Q(status=ActionStatus.OPEN, done_at__isnull=True),
                name="action_item_done_iff_done_at",
            ),
        ]

    def __str__(self):
        return self.title
