"""Rules that turn sensor events into alerts, the alerts themselves, who is told of them, and
the log of every delivery.

Alerts belong to the organisation whose sensors raised them and are read by its members only
(the same owner-only rule as sensors). Recipients are worked out when a message is sent,
through that rule, so a person who left the organisation is not told.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from port2port.organisations.models import Organisation, Port
from port2port.reports.models import Report
from port2port.sensors.events import EventKind
from port2port.sensors.models import Event, OwnedQuerySet, Sensor, Zone


class Severity(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class Rule(models.Model):
    """When events of a kind (in a zone, in a time window, more than a count within a period)
    raise an alert. Drones on the allowlist (the port's own inspection drones) never do."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="alert_rules")
    name = models.CharField(_("name"), max_length=100)
    event_kind = models.CharField(_("event kind"), max_length=24, choices=EventKind.choices)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, related_name="rules",
                             verbose_name=_("zone"), help_text=_("Empty: anywhere."))
    # A window that may wrap midnight (22:00–06:00 is "night"); both empty: at any time.
    active_from = models.TimeField(_("from"), null=True, blank=True)
    active_until = models.TimeField(_("until"), null=True, blank=True)
    threshold = models.PositiveIntegerField(_("events"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10_000)],
                                            help_text=_("Raise the alert from this many events within the period."))
    period_minutes = models.PositiveIntegerField(_("period (minutes)"), default=10,
                                                 validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)])
    allowlist = models.JSONField(_("authorised drones"), default=list, blank=True,
                                 help_text=_("Serial numbers of drones that may fly here."))
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, default=Severity.HIGH)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(threshold__gte=1), name="rule_threshold_positive"),
            models.CheckConstraint(condition=models.Q(period_minutes__gte=1), name="rule_period_positive"),
            models.CheckConstraint(
                condition=models.Q(active_from__isnull=True, active_until__isnull=True)
                | models.Q(active_from__isnull=False, active_until__isnull=False),
                name="rule_window_both_or_neither"),
        ]

    def __str__(self):
        return self.name

    def is_active_at(self, local_time) -> bool:
        """Whether `local_time` (the port's wall clock) falls in the window, which may wrap midnight."""
        if self.active_from is None:
            return True
        if self.active_from <= self.active_until:
            return self.active_from <= local_time < self.active_until
        return local_time >= self.active_from or local_time < self.active_until


class AlertStatus(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ESCALATED = "escalated", _("Escalated")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.ESCALATED)


class AlertQuerySet(OwnedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def newest_first(self):
        return self.order_by("-last_event_at", "-id")


class Alert(models.Model):
    """Something at a port that needs a person: a rule met by events, or a silent sensor.
    A burst of events makes one alert whose count grows, not one alert per event."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="alerts")
    rule = models.ForeignKey(Rule, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts")
    sensor = models.ForeignKey(Sensor, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts")
    zone = models.ForeignKey(Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts")
    port = models.ForeignKey(Port, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    event_kind = models.CharField(_("event kind"), max_length=24, choices=EventKind.choices, blank=True)
    is_offline = models.BooleanField(default=False)  # a "sensor offline" alert, not an event rule
    title = models.CharField(_("title"), max_length=200)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    status = models.CharField(_("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.NEW)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("assignee"))
    first_event_at = models.DateTimeField()
    last_event_at = models.DateTimeField()
    event_count = models.PositiveIntegerField(default=0)
    events = models.ManyToManyField(Event, through="AlertEvent", related_name="alerts")
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-last_event_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "last_event_at"], name="alert_org_status_time")]

    def __str__(self):
        return self.title


class AlertEvent(models.Model):
    """An event counted in an alert."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE)
    event = models.ForeignKey(Event, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "event"], name="one_link_per_alert_event")]


class Subscription(models.Model):
    """What alerts a person wants to hear of, and how: every new alert of their organisation
    shows in the in-app inbox; a subscription adds e-mail for some kinds, ports and severities."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    event_kinds = models.JSONField(_("event kinds"), default=list, blank=True, help_text=_("Empty: all kinds."))
    ports = models.ManyToManyField(Port, blank=True, related_name="+", verbose_name=_("ports"))
    min_severity = models.PositiveSmallIntegerField(_("from severity"), choices=Severity.choices, default=Severity.HIGH)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_subscription_per_user_org")]

    def wants(self, alert: Alert, port_ids: set[int]) -> bool:
        if alert.severity < self.min_severity:
            return False
        if self.event_kinds and (alert.event_kind or "offline") not in self.event_kinds:
            return False
        return not port_ids or alert.port_id in port_ids


class Webhook(models.Model):
    """A partner system (a SIEM, a control room) told of an organisation's alerts by signed
    HTTP POST. The body carries a title and a link, never event content."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="webhooks")
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(max_length=64)  # shown once; needed in clear to sign
    min_severity = models.PositiveSmallIntegerField(_("from severity"), choices=Severity.choices, default=Severity.HIGH)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    def __str__(self):
        return self.name


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    GAVE_UP = "gave_up", _("Gave up")
    DROPPED = "dropped", _("Not sent: recipient may no longer see it")


class DeliveryQuerySet(models.QuerySet):
    def visible_to(self, user_or_viewer):
        return self.filter(alert__in=Alert.objects.visible_to(user_or_viewer))

    def due(self, moment):
        return self.filter(status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED), next_attempt_at__lte=moment)


class Delivery(models.Model):
    """One message about an alert to one person or one webhook, with its attempts: the
    delivery log."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16, choices=DeliveryChannel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries")
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel="email", user__isnull=False, webhook__isnull=True)
                | models.Q(channel="webhook", user__isnull=True, webhook__isnull=False),
                name="delivery_has_one_recipient"),
        ]


class AutoShare(models.Model):
    """An organisation's choice to share some event kinds with the whole network, as GREEN
    summaries (time, place, drone model; no personal data), so a wave across ports is seen.
    The summaries are reports written in the name of the person who turned this on, and stop
    if that person leaves the organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="auto_shares")
    event_kind = models.CharField(_("event kind"), max_length=24, choices=EventKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "event_kind"], name="one_auto_share_per_kind")]
