"""Named, audited writes to sensors, zones, credentials and events.

`ingest_events` is the hot path: a batch of up to 10,000 events in one transaction, one
multi-row insert that skips what the sensor already sent (idempotent on the sensor's own event
id), one audit record per batch, and the alert rules run after commit by the worker.
"""

import dataclasses
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.backend import DatabaseBackend
from django.utils.translation import gettext as _

from port2port.core import audit, bulk
from port2port.core.permissions import Permission
from port2port.organisations.models import Organisation, Port
from port2port.reports.forms import organisations_where

from .adapters import REGISTRY as ADAPTERS
from .adapters.base import Adapter
from .events import EventError, EventIn, max_age, validate
from .models import Event, Sensor, SensorCredential, SensorKind, Zone, ZoneKind, pseudonymise_badge

CREDENTIAL_LIFETIME_DAYS = 365
ROTATION_OVERLAP = timedelta(hours=24)


# --- Who may manage sensors -------------------------------------------------------------------

def manages_sensors(user, organisation_id: int) -> bool:
    """Sensors, zones, rules, credentials and webhooks are managed by the organisation's
    security officers and admins."""
    return organisations_where(user, Permission.SENSORS_MANAGE).filter(pk=organisation_id).exists()


def require_sensor_manager(user, organisation: Organisation) -> None:
    if not manages_sensors(user, organisation.pk):
        raise PermissionDenied(_("Only security officers and admins of the organisation manage its sensors."))


# --- Zones and sensors ------------------------------------------------------------------------

def _clean_outline(outline) -> list:
    """A ring of at least three [longitude, latitude] points, each in range."""
    if not isinstance(outline, list) or len(outline) < 3:
        raise ValidationError({"outline": _("Draw at least three points.")})
    points = []
    for point in outline:
        if (not isinstance(point, (list, tuple)) or len(point) != 2
                or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in point)):
            raise ValidationError({"outline": _("Each point is a [longitude, latitude] pair of numbers.")})
        longitude, latitude = float(point[0]), float(point[1])
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise ValidationError({"outline": _("A point is off the map (longitude −180…180, latitude −90…90).")})
        points.append([longitude, latitude])
    if points[0] == points[-1]:
        points = points[:-1]  # GeoJSON closes rings by repeating the first point; we do not need it
    if len(points) < 3:
        raise ValidationError({"outline": _("Draw at least three points.")})
    return points


def _unique_name(model, instance) -> None:
    """A sensor or zone name is unique in its organisation; say so on the name field (the
    constraint alone would answer without naming it)."""
    taken = model.objects.filter(organisation_id=instance.organisation_id, name__iexact=instance.name)
    if taken.exclude(pk=instance.pk).exists():
        raise ValidationError({"name": _("Your organisation already has one by this name.")})


def _own_port(organisation, port) -> Port | None:
    if port is not None and port.organisation_id != organisation.pk:
        raise ValidationError({"port": _("Choose one of your organisation's ports.")})
    return port


@transaction.atomic
def define_zone(*, acting_user, organisation: Organisation, name: str, outline, kind: str = ZoneKind.RESTRICTED,
                port: Port | None = None, ip=None) -> Zone:
    require_sensor_manager(acting_user, organisation)
    zone = Zone(organisation=organisation, name=(name or "").strip(), kind=kind, outline=_clean_outline(outline),
                port=_own_port(organisation, port))
    _unique_name(Zone, zone)
    zone.full_clean()
    zone.save()
    audit.record("sensors.zone.define", actor=acting_user, organisation_id=organisation.pk, target=zone, ip=ip)
    return zone


@transaction.atomic
def change_zone(zone: Zone, *, acting_user, ip=None, **changes) -> Zone:
    require_sensor_manager(acting_user, zone.organisation)
    if "outline" in changes:
        changes["outline"] = _clean_outline(changes["outline"])
    if "port" in changes:
        changes["port"] = _own_port(zone.organisation, changes["port"])
    for name in ("name", "kind", "outline", "port"):
        if name in changes:
            setattr(zone, name, changes[name].strip() if name == "name" else changes[name])
    _unique_name(Zone, zone)
    zone.full_clean()
    zone.save()
    audit.record("sensors.zone.change", actor=acting_user, organisation_id=zone.organisation_id, target=zone,
                 detail={"fields": sorted(changes)}, ip=ip)
    return zone


@transaction.atomic
def delete_zone(zone: Zone, *, acting_user, ip=None) -> None:
    """Delete a zone no alert rule watches (a rule would otherwise vanish with it, silently)."""
    require_sensor_manager(acting_user, zone.organisation)
    rules = [rule.name for rule in zone.rules.all()]
    if rules:
        raise ValidationError({"zone": _("Alert rules watch this zone: %(rules)s. Change or delete them first.")
                               % {"rules": ", ".join(rules)}})
    audit.record("sensors.zone.delete", actor=acting_user, organisation_id=zone.organisation_id, target=zone, ip=ip)
    zone.delete()


SENSOR_FIELDS = ("name", "kind", "adapter", "port", "latitude", "longitude", "expected_interval", "is_active")


def _check_sensor(sensor: Sensor, zones) -> None:
    if sensor.adapter not in ADAPTERS:
        raise ValidationError({"adapter": _("Unknown format; choose one of: %(formats)s.")
                               % {"formats": ", ".join(sorted(ADAPTERS))}})
    if (sensor.latitude is None) != (sensor.longitude is None):
        raise ValidationError({"latitude": _("Give both latitude and longitude, or neither.")})
    if any(zone.organisation_id != sensor.organisation_id for zone in zones):
        raise ValidationError({"zones": _("Choose zones of your own organisation.")})
    _own_port(sensor.organisation, sensor.port)
    _unique_name(Sensor, sensor)
    sensor.full_clean()


@transaction.atomic
def register_sensor(*, acting_user, organisation: Organisation, name: str, kind: str = SensorKind.OTHER,
                    adapter: str = "p2p", port: Port | None = None, latitude=None, longitude=None,
                    expected_interval: int | None = None, zones=(), ip=None) -> Sensor:
    require_sensor_manager(acting_user, organisation)
    sensor = Sensor(organisation=organisation, name=(name or "").strip(), kind=kind, adapter=adapter, port=port,
                    latitude=latitude, longitude=longitude, expected_interval=expected_interval,
                    created_by=acting_user)
    _check_sensor(sensor, zones)
    sensor.save()
    sensor.zones.set(zones)
    audit.record("sensors.register", actor=acting_user, organisation_id=organisation.pk, target=sensor, ip=ip)
    return sensor


@transaction.atomic
def change_sensor(sensor: Sensor, *, acting_user, zones=None, ip=None, **changes) -> Sensor:
    require_sensor_manager(acting_user, sensor.organisation)
    unknown = set(changes) - set(SENSOR_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    for name, value in changes.items():
        setattr(sensor, name, value.strip() if name == "name" else value)
    _check_sensor(sensor, zones if zones is not None else sensor.zones.all())
    sensor.save()
    if changes.get("is_active") is False:
        # Turning the sensor on again later must not revive tokens handed out before.
        sensor.credentials.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    if zones is not None:
        sensor.zones.set(zones)
    audit.record("sensors.change", actor=acting_user, organisation_id=sensor.organisation_id, target=sensor,
                 detail={"fields": sorted(changes) + (["zones"] if zones is not None else [])}, ip=ip)
    return sensor


# --- Credentials ------------------------------------------------------------------------------

@transaction.atomic
def issue_credential(sensor: Sensor, *, acting_user, days: int = CREDENTIAL_LIFETIME_DAYS, ip=None) -> tuple[SensorCredential, str]:
    """A new ingest-only token for the sensor; the clear token is returned once, never stored."""
    require_sensor_manager(acting_user, sensor.organisation)
    limit = getattr(settings, "SENSOR_CREDENTIAL_MAX_DAYS", CREDENTIAL_LIFETIME_DAYS)
    if not isinstance(days, int) or not 1 <= days <= limit:
        raise ValidationError({"days": _("A credential lives from 1 to %(n)d days.") % {"n": limit}})
    token, lookup, secret_hash = SensorCredential.new_token()
    credential = SensorCredential.objects.create(
        sensor=sensor, lookup=lookup, secret_hash=secret_hash, created_by=acting_user,
        expires_at=timezone.now() + timedelta(days=days))
    audit.record("sensors.credential.issue", actor=acting_user, organisation_id=sensor.organisation_id,
                 target=sensor, detail={"credential": credential.pk, "days": days}, ip=ip)
    return credential, token


@transaction.atomic
def rotate_credential(credential: SensorCredential, *, acting_user, overlap: timedelta = ROTATION_OVERLAP,
                      ip=None) -> tuple[SensorCredential, str]:
    """A new token; the old one keeps working for `overlap` (a day by default) so the sensor
    can be reconfigured without losing events, then expires."""
    require_sensor_manager(acting_user, credential.sensor.organisation)
    if not credential.is_usable:
        raise ValidationError({"credential": _("This credential is no longer usable; issue a new one.")})
    new, token = issue_credential(credential.sensor, acting_user=acting_user, ip=ip)
    credential.expires_at = min(credential.expires_at, timezone.now() + overlap)
    credential.save(update_fields=["expires_at"])
    audit.record("sensors.credential.rotate", actor=acting_user, organisation_id=credential.sensor.organisation_id,
                 target=credential.sensor, detail={"old": credential.pk, "new": new.pk}, ip=ip)
    return new, token


@transaction.atomic
def revoke_credential(credential: SensorCredential, *, acting_user, ip=None) -> None:
    require_sensor_manager(acting_user, credential.sensor.organisation)
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["revoked_at"])
    audit.record("sensors.credential.revoke", actor=acting_user, organisation_id=credential.sensor.organisation_id,
                 target=credential.sensor, detail={"credential": credential.pk}, ip=ip)


# --- Ingestion --------------------------------------------------------------------------------

ACCEPTED, DUPLICATE, REJECTED = "accepted", "duplicate", "rejected"

COLUMNS = ("sensor_id", "organisation_id", "external_id", "kind", "occurred_at", "received_at", "latitude",
           "longitude", "altitude_m", "zone_id", "zone_name", "confidence", "drone_serial", "drone_model",
           "rf_band", "track_id", "badge_hash", "operator_id", "raw")


@dataclasses.dataclass(slots=True)  # one per event: slots make it cheaper to build and read
class Fate:
    """What became of one event of a batch: accepted (with its id), a duplicate of one the
    sensor sent before (or earlier in the batch), or rejected with the reason per field."""

    index: int
    external_id: str
    status: str
    id: int | None = None
    errors: dict | None = None


class ZoneFinder:
    """Which zone an event is in: the zone the sensor named, else the first of the
    organisation's zones whose outline holds the event's position."""

    def __init__(self, organisation_id: int):
        self.zones = list(Zone.objects.filter(organisation_id=organisation_id))
        self.by_name = {zone.name.casefold(): zone for zone in self.zones}
        # Most positions are outside most zones' boxes: answered here, without a call per zone.
        self.boxes = [(zone, *zone.bounding_box()) for zone in self.zones]

    def find(self, event: EventIn) -> Zone | None:
        if event.zone and (zone := self.by_name.get(event.zone.casefold())):
            return zone
        latitude, longitude = event.latitude, event.longitude
        if latitude is None:
            return None
        for zone, west, south, east, north in self.boxes:
            if south <= latitude <= north and west <= longitude <= east and zone.contains(latitude, longitude):
                return zone
        return None


BADGE_PLACEHOLDER = "(badge, pseudonymised)"


def without_badge(raw, badge_id: str):
    """The payload with the badge number taken out wherever it appears, so that only the keyed
    hash of a badge is ever stored (a badge identifies a person)."""
    if isinstance(raw, dict):
        return {key: without_badge(value, badge_id) for key, value in raw.items()}
    if isinstance(raw, list):
        return [without_badge(value, badge_id) for value in raw]
    if isinstance(raw, (str, int)) and not isinstance(raw, bool) and str(raw).strip() == badge_id:
        return BADGE_PLACEHOLDER
    return raw


def read_events(adapter: Adapter, records: list, now) -> tuple[list[EventIn | None], list[Fate]]:
    """Convert and check each record; a bad record is rejected alone, naming its fields."""
    events, fates, oldest = [], [], now - max_age()
    for index, record in enumerate(records):
        try:
            event = adapter.convert(record)
            if event.badge_id:
                event.raw = without_badge(event.raw, event.badge_id)
            event = validate(event, now=now, oldest=oldest)
        except (EventError, RecursionError) as error:
            errors = error.errors if isinstance(error, EventError) else {"record": _("is nested too deeply")}
            external_id = record.get("id", "") if isinstance(record, dict) else ""
            fates.append(Fate(index, str(external_id)[:200], REJECTED,
                              errors={field: str(message) for field, message in errors.items()}))
            events.append(None)
            continue
        fates.append(Fate(index, event.external_id, ACCEPTED))
        events.append(event)
    return events, fates


def _row(sensor: Sensor, event: EventIn, zone: Zone | None, now) -> tuple:
    badge = pseudonymise_badge(sensor.organisation_id, event.badge_id) if event.badge_id else ""
    return (sensor.pk, sensor.organisation_id, event.external_id, event.kind, event.occurred_at, now,
            event.latitude, event.longitude, event.altitude_m, zone.pk if zone else None, event.zone,
            event.confidence, event.drone_serial, event.drone_model, event.rf_band, event.track_id, badge,
            event.operator_id, bulk.EncodedJSON(event.raw_json) if event.raw_json else event.raw)


def ingest_events(sensor: Sensor, *, records: list, adapter: Adapter | None = None, ip=None) -> list[Fate]:
    """Store a batch of a sensor's records (as its adapter split them) and say what became of
    each. One transaction; the answer is only given after commit. Events the sensor sent
    before (same event id) are duplicates and change nothing. The records are read and
    checked before the transaction opens, so the database's one writer is held for the
    insert only, not for the Python work (on SQLite, other batches wait for it)."""
    adapter = adapter or ADAPTERS[sensor.adapter]
    now = timezone.now()
    fates, rows, pending = _prepare(sensor, adapter, records, now)
    rows = bulk.prepare(Event, COLUMNS, rows)
    with transaction.atomic():
        inserted = dict((external_id, pk) for pk, external_id in bulk.insert_returning(
            Event, COLUMNS, rows, returning=("id", "external_id"), skip_conflicts_on=("sensor_id", "external_id")))
        for fate in pending:
            fate.id = inserted.get(fate.external_id)
            if fate.id is None:
                fate.status = DUPLICATE  # sent in an earlier batch
        _note_sensor_heard(sensor, now)
        audit.record("sensors.ingest", actor=None, organisation_id=sensor.organisation_id, target=sensor,
                     detail=_counts(fates), ip=ip)
        if inserted:
            _hand_over(sensor.pk, list(inserted.values()))
    return fates


def _prepare(sensor: Sensor, adapter: Adapter, records: list, now) -> tuple[list[Fate], list[tuple], list[Fate]]:
    """(the fate of every record, the rows to insert, the fates waiting on the insert)."""
    events, fates = read_events(adapter, records, now)
    zones, seen, rows, pending = ZoneFinder(sensor.organisation_id), set(), [], []
    for fate, event in zip(fates, events, strict=True):
        if event is None:
            continue
        if event.external_id in seen:
            fate.status = DUPLICATE  # the same event twice in one batch
            continue
        seen.add(event.external_id)
        rows.append(_row(sensor, event, zones.find(event), now))
        pending.append(fate)
    return fates, rows, pending


def _hand_over(sensor_id: int, event_ids: list[int]) -> None:
    """Give the new events to their consumers (the alert rules), as runs of ids (see
    core.bulk.id_runs). With the database queue the task is written in the same transaction as
    the events (both or neither, and no second write); with any other queue it is sent once the
    events are committed."""
    runs = bulk.id_runs(event_ids)
    for name in settings.SENSOR_EVENT_CONSUMERS:
        consumer = import_string(name)
        if isinstance(consumer.get_backend(), DatabaseBackend):
            consumer.enqueue(sensor_id, runs)
        else:
            transaction.on_commit(partial(consumer.enqueue, sensor_id, runs))


def _counts(fates: list[Fate]) -> dict:
    counts = {ACCEPTED: 0, DUPLICATE: 0, REJECTED: 0}
    for fate in fates:
        counts[fate.status] += 1
    return counts


def _note_sensor_heard(sensor: Sensor, now) -> None:
    """The sensor is alive (even a batch of rejects says so): remember when it last spoke."""
    Sensor.objects.filter(pk=sensor.pk).update(last_event_at=now, offline_since=None)
    sensor.last_event_at, sensor.offline_since = now, None


# --- Retention --------------------------------------------------------------------------------

@transaction.atomic
def prune_events(*, older_than_days: int) -> int:
    """Delete events that happened more than `older_than_days` ago, except those counted in an
    alert still open (someone is working on it). One audit record for the run."""
    if older_than_days < 1:
        raise ValidationError({"days": _("Keep at least one day of events.")})
    before = timezone.now() - timedelta(days=older_than_days)
    old = Event.objects.filter(occurred_at__lt=before).exclude(alerts__status__in=OPEN_ALERT_STATUSES)
    deleted, _per_model = Event.objects.filter(pk__in=old.values("pk")).delete()
    audit.record("sensors.prune", actor=None, organisation_id=None, target=None,
                 detail={"before": before.isoformat(), "deleted": deleted})
    return deleted


# The alert statuses that keep their events (alerts sit above this app: named by value).
OPEN_ALERT_STATUSES = ("new", "acknowledged", "escalated")
