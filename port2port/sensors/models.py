"""Sensors (drone detectors, AI cameras, access control), the zones they watch, their
ingest-only credentials, and the events they send.

Sensors, zones and events belong to one organisation and are read by its members only: a
port's raw sensor feed is not shared. What the network sees of it is what the organisation
chooses to share (an alert turned into a report, or automatic GREEN summaries).
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from port2port.organisations.models import Organisation, Port, as_viewer

from .events import MAX_LENGTHS, EventKind


class SensorKind(models.TextChoices):
    DRONE_RF = "drone_rf", _("Drone detection: RF")
    DRONE_RADAR = "drone_radar", _("Drone detection: radar")
    DRONE_REMOTE_ID = "drone_remote_id", _("Drone detection: Remote ID receiver")
    CAMERA = "camera", _("AI camera / video analytics")
    ACCESS_CONTROL = "access_control", _("Access control")
    PERIMETER = "perimeter", _("Perimeter intrusion detection")
    OTHER = "other", _("Other")


class OwnedQuerySet(models.QuerySet):
    """Rows of one organisation, read by that organisation's active members only."""

    organisation_field = "organisation"

    def visible_to(self, user_or_viewer):
        viewer = as_viewer(user_or_viewer)
        return self.filter(**{f"{self.organisation_field}_id__in": sorted(viewer.org_ids)})


class ZoneKind(models.TextChoices):
    RESTRICTED = "restricted", _("Restricted area")
    QUAY = "quay", _("Quay")
    TERMINAL = "terminal", _("Terminal")
    PERIMETER = "perimeter", _("Perimeter")
    OTHER = "other", _("Other")


class Zone(models.Model):
    """An area drawn on the map (a restricted area, a quay, a terminal) that events fall in
    and rules watch. The outline is a GeoJSON polygon ring of [longitude, latitude] points."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="zones")
    port = models.ForeignKey(Port, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("port"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ZoneKind.choices, default=ZoneKind.RESTRICTED)
    outline = models.JSONField(_("outline"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="one_zone_name_per_organisation")]

    def __str__(self):
        return self.name

    def contains(self, latitude: float, longitude: float) -> bool:
        """Whether the point is inside the outline (ray casting; a zone is a few hundred
        metres across, so the plane is flat enough). A point outside the outline's bounding
        box, as most events of a batch are for most zones, is answered without the edges."""
        edges, (west, south, east, north) = self._edges_and_box()
        if not (south <= latitude <= north and west <= longitude <= east):
            return False
        inside = False
        for x1, y1, x2, y2 in edges:
            if (y1 > latitude) != (y2 > latitude):
                crossing = x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
                if longitude < crossing:
                    inside = not inside
        return inside

    def bounding_box(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the outline; a box nothing is inside for no outline."""
        return self._edges_and_box()[1]

    def _edges_and_box(self):
        """The outline's edges and its bounding box, worked out once per outline (a batch of
        1,000 events asks every zone up to 1,000 times); a new outline is worked out anew."""
        cached = self.__dict__.get("_geometry")
        if cached is not None and cached[0] is self.outline:
            return cached[1]
        ring = self.outline or []
        if ring:
            edges = tuple((x1, y1, x2, y2) for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
            longitudes, latitudes = [x for x, _ in ring], [y for _, y in ring]
            geometry = edges, (min(longitudes), min(latitudes), max(longitudes), max(latitudes))
        else:
            geometry = (), (1.0, 1.0, -1.0, -1.0)  # an empty box: nothing is inside
        self.__dict__["_geometry"] = (self.outline, geometry)
        return geometry


class Sensor(models.Model):
    """A detector, camera or access-control system of one organisation that sends events.
    A sensor silent longer than its expected interval raises a "sensor offline" alert."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sensors")
    port = models.ForeignKey(Port, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("port"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=SensorKind.choices)
    adapter = models.CharField(_("format"), max_length=32, default="p2p",
                               help_text=_("The format its events arrive in."))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    zones = models.ManyToManyField(Zone, blank=True, related_name="sensors", verbose_name=_("zones"))
    expected_interval = models.PositiveIntegerField(
        _("expected reporting interval (minutes)"), null=True, blank=True,
        help_text=_("Silent longer than this, the sensor is reported offline. Empty: never."))
    last_event_at = models.DateTimeField(null=True, blank=True)
    offline_since = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="one_sensor_name_per_organisation"),
            models.CheckConstraint(condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                                   name="sensor_latitude_in_range"),
            models.CheckConstraint(condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                                   name="sensor_longitude_in_range"),
        ]

    def __str__(self):
        return self.name


class CredentialQuerySet(models.QuerySet):
    def usable(self, moment=None):
        moment = moment or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=moment, sensor__is_active=True,
                           sensor__organisation__is_active=True)


class SensorCredential(models.Model):
    """An ingest-only token of one sensor. Only a hash is stored; the token is shown once.
    Rotation makes a new one and lets the old one live on for an overlap, so a sensor can be
    reconfigured without losing events."""

    PREFIX = "p2p_sensor_"

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="credentials")
    lookup = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.PREFIX}{self.lookup}…"

    @staticmethod
    def hash_secret(secret: str) -> str:
        # 32 random bytes: a fast hash is enough (there is no dictionary to guess from).
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def new_token(cls) -> tuple[str, str, str]:
        """A fresh (token, lookup, secret_hash); the token is what the operator copies."""
        lookup, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        return f"{cls.PREFIX}{lookup}_{secret}", lookup, cls.hash_secret(secret)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


def find_credential(token: str) -> SensorCredential | None:
    """The usable credential a presented token belongs to, or None (secret compared in
    constant time; the lookup part only finds the row)."""
    if not token.startswith(SensorCredential.PREFIX):
        return None
    lookup, _sep, secret = token[len(SensorCredential.PREFIX):].partition("_")
    credential = (SensorCredential.objects.usable().select_related("sensor", "sensor__organisation")
                  .filter(lookup=lookup).first())
    if credential is None or not hmac.compare_digest(credential.secret_hash, SensorCredential.hash_secret(secret)):
        return None
    return credential


class EventQuerySet(OwnedQuerySet):
    def recent(self):
        return self.order_by("-occurred_at", "-id")


class Event(models.Model):
    """One thing a sensor saw: a drone, an intrusion, a denied badge. Kept with its raw
    payload; the sensor's own event id makes a resent batch harmless (idempotent)."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="events")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(max_length=MAX_LENGTHS["external_id"])
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("time"))
    received_at = models.DateTimeField()
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    altitude_m = models.FloatField(null=True)
    zone = models.ForeignKey(Zone, on_delete=models.SET_NULL, null=True, related_name="events")
    zone_name = models.CharField(max_length=MAX_LENGTHS["zone"], blank=True)  # as the sensor named it
    confidence = models.FloatField(null=True)
    drone_serial = models.CharField(max_length=MAX_LENGTHS["drone_serial"], blank=True)
    drone_model = models.CharField(max_length=MAX_LENGTHS["drone_model"], blank=True)
    rf_band = models.CharField(max_length=MAX_LENGTHS["rf_band"], blank=True)
    track_id = models.CharField(max_length=MAX_LENGTHS["track_id"], blank=True)
    # A badge identifies a person: only a keyed hash is kept, enough to see the same badge again.
    badge_hash = models.CharField(max_length=64, blank=True)
    operator_id = models.CharField(max_length=MAX_LENGTHS["operator_id"], blank=True)
    raw = models.JSONField(default=dict)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The rules' time windows and the retention prune read by time. No index on the drone
            # serial: nothing looks events up by it (a drone is followed across ports through
            # its indicators), and its random insert positions doubled the pages each batch wrote.
            models.Index(fields=["organisation", "occurred_at"], name="event_org_time"),
        ]
        constraints = [models.UniqueConstraint(fields=["sensor", "external_id"], name="one_event_per_sensor_id")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


def pseudonymise_badge(organisation_id: int, badge_id: str) -> str:
    """A keyed hash of a badge id, different per organisation, so badges can be followed
    within a port without the number itself being stored or compared across ports."""
    key = f"{settings.P2P_PERSON_PEPPER or settings.SECRET_KEY}:badge:{organisation_id}".encode()
    return hmac.new(key, badge_id.strip().upper().encode(), hashlib.sha256).hexdigest()
