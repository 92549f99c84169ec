"""The sensors API for the people who run them: sensors, the zones they watch, their ingest
credentials, and the events they sent. (Sensors themselves send events to /ingest, in
ingest_api.py.)

Sensors, zones and events are their organisation's alone. Every read starts from the model's
`visible_to(caller)`, so another organisation's sensor is a 404 exactly like a missing one;
every write is one of `port2port.sensors.actions`, which decide who may manage sensors (a
refusal is a 403). The caller is `request.auth` (see port2port/api.py); an API key sees and acts
for its own organisation only, because its viewer holds that organisation alone.
"""

from datetime import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from port2port.organisations.models import Organisation
from port2port.reports.api import port_named
from port2port.reports.schemas import MAX_ID

from . import actions
from .models import Event, Sensor, SensorCredential, Zone
from .schemas import (
    CredentialIn, CredentialOut, EventFilters, EventPage, IssuedCredentialOut, RotatedCredentialOut, SensorIn,
    SensorOut, SensorPatch, ZoneIn, ZoneOut, ZonePatch,
)

router = Router()


# ---------------------------------------------------------------------------------------------
# Finding things: through the owner-only rule, always (the alerts API uses these too)
# ---------------------------------------------------------------------------------------------


def visible_or_404(queryset, pk: int):
    """The row if the caller may see it (the queryset is already narrowed to that); otherwise
    404, the same as for an id that does not exist."""
    row = queryset.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if row is None:
        raise Http404
    return row


def own_organisation(request, requested_id: int | None) -> Organisation:
    """The organisation a new sensor, zone, rule or webhook is for: the one asked for, which
    must be the caller's (the key's, for a key), or the caller's only one."""
    org_ids = request.auth.viewer.org_ids
    if not org_ids:
        raise PermissionDenied(_("You are not an active member of any organisation."))
    if requested_id is None and len(org_ids) > 1:
        raise ValidationError({"organisation": _("You belong to several organisations: say which one this is for.")})
    org_id = requested_id if requested_id is not None else next(iter(org_ids))
    if org_id not in org_ids:
        raise ValidationError({"organisation": _("Choose one of your own organisations.")})
    return Organisation.objects.get(pk=org_id)


def organisation_or_404(request, organisation_id: int) -> Organisation:
    """One of the caller's organisations, named in the path; any other is a 404."""
    if organisation_id not in request.auth.viewer.org_ids:
        raise Http404
    return Organisation.objects.get(pk=organisation_id)


def visible_zones(request):
    return Zone.objects.visible_to(request.auth.viewer).select_related("organisation", "port")


def visible_sensors(request):
    return (Sensor.objects.visible_to(request.auth.viewer).select_related("organisation", "port")
            .prefetch_related("zones"))


def visible_credentials(request):
    """A credential is seen through its sensor."""
    sensors = Sensor.objects.visible_to(request.auth.viewer)
    return SensorCredential.objects.filter(sensor__in=sensors).select_related("created_by", "sensor__organisation")


def zones_named(request, ids: list[int], field: str = "zones") -> list[Zone]:
    """The zones with these ids that the caller may see. An id of another organisation's zone
    gets the same answer as one that does not exist."""
    zones = list(Zone.objects.visible_to(request.auth.viewer).filter(pk__in=[pk for pk in ids if pk <= MAX_ID]))
    if len(zones) != len(set(ids)):
        raise ValidationError({field: _("Choose zones of your own organisation.")})
    return zones


class Keyset:
    """Pages of a newest-first list ordered by (a moment, id), behind a signed, opaque cursor.
    A keyset, not an offset: rows added meanwhile never shift the pages, so each row comes once."""

    def __init__(self, field: str, salt: str):
        self.field, self.salt = field, salt

    def encode(self, row) -> str:
        return signing.dumps([getattr(row, self.field).isoformat(), row.pk], salt=self.salt, compress=True)

    def after(self, queryset, cursor: str):
        try:
            moment, pk = signing.loads(cursor, salt=self.salt)
            moment = datetime.fromisoformat(moment)
        except (signing.BadSignature, ValueError, TypeError):
            raise ValidationError({"cursor": _("This cursor is not valid. Start again without one.")}) from None
        return queryset.filter(Q(**{f"{self.field}__lt": moment}) | Q(**{self.field: moment, "pk__lt": pk}))

    def page(self, queryset, *, limit: int, cursor: str | None) -> dict:
        queryset = queryset.order_by(f"-{self.field}", "-pk")
        if cursor:
            queryset = self.after(queryset, cursor)
        rows = list(queryset[: limit + 1])
        items = rows[:limit]
        return {"items": items, "next_cursor": self.encode(items[-1]) if len(rows) > limit else None}


EVENT_PAGES = Keyset("occurred_at", "port2port.sensors.api.events")


def _who(request) -> dict:
    return {"acting_user": request.auth.user, "ip": request.auth.ip}


# ---------------------------------------------------------------------------------------------
# Sensors
# ---------------------------------------------------------------------------------------------


@router.get("/sensors", response=list[SensorOut], summary="Your organisations' sensors")
def list_sensors(request):
    """With when each last reported (`last_event_at`) and since when it is reported offline."""
    return visible_sensors(request).order_by("organisation__name", "name")


@router.post("/sensors", response={201: SensorOut}, summary="Register a sensor")
def register_sensor(request, payload: SensorIn):
    """Security officers and admins register sensors. Then issue it a credential
    (POST /sensors/{id}/credentials) to send events with."""
    organisation = own_organisation(request, payload.organisation)
    fields = payload.model_dump(exclude={"organisation", "zones", "port"})
    sensor = actions.register_sensor(organisation=organisation, port=port_named(payload.port),
                                     zones=zones_named(request, payload.zones), **fields, **_who(request))
    return Status(201, visible_sensors(request).get(pk=sensor.pk))


@router.get("/sensors/{int:sensor_id}", response=SensorOut, summary="A sensor")
def read_sensor(request, sensor_id: int):
    return visible_or_404(visible_sensors(request), sensor_id)


@router.patch("/sensors/{int:sensor_id}", response=SensorOut, summary="Change a sensor")
def change_sensor(request, sensor_id: int, payload: SensorPatch):
    """Fields left out stay as they are; `is_active: false` stops its credentials working."""
    sensor = visible_or_404(visible_sensors(request), sensor_id)
    changes = payload.model_dump(exclude_unset=True)
    if "port" in changes:
        changes["port"] = port_named(changes["port"])
    zones = zones_named(request, changes.pop("zones")) if "zones" in changes else None
    actions.change_sensor(sensor, zones=zones, **changes, **_who(request))
    return visible_sensors(request).get(pk=sensor.pk)


@router.get("/sensors/{int:sensor_id}/events", response=EventPage, summary="A sensor's events, newest first")
def sensor_events(request, sensor_id: int, filters: Query[EventFilters]):
    """Pass `next_cursor` back as `cursor` for the next page."""
    sensor = visible_or_404(Sensor.objects.visible_to(request.auth.viewer), sensor_id)
    events = Event.objects.visible_to(request.auth.viewer).filter(sensor=sensor).select_related("sensor", "zone")
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.since:
        events = events.filter(occurred_at__gte=filters.since)
    return EVENT_PAGES.page(events, limit=filters.limit, cursor=filters.cursor)


# ---------------------------------------------------------------------------------------------
# Credentials
# ---------------------------------------------------------------------------------------------


@router.get("/sensors/{int:sensor_id}/credentials", response=list[CredentialOut],
            summary="A sensor's credentials (never their secrets)")
def list_credentials(request, sensor_id: int):
    sensor = visible_or_404(Sensor.objects.visible_to(request.auth.viewer), sensor_id)
    return visible_credentials(request).filter(sensor=sensor)


@router.post("/sensors/{int:sensor_id}/credentials", response={201: IssuedCredentialOut},
             summary="Issue a sensor credential: the token is shown once")
def issue_credential(request, sensor_id: int, payload: CredentialIn):
    """The answer holds the token (`p2p_sensor_…`) this once; only a hash of it is kept. The
    sensor sends it as `Authorization: Bearer …` to POST /api/v1/ingest, and can do nothing else."""
    sensor = visible_or_404(Sensor.objects.visible_to(request.auth.viewer), sensor_id)
    credential, token = actions.issue_credential(sensor, days=payload.days, **_who(request))
    return Status(201, _with_token(request, credential, token))


@router.post("/sensor-credentials/{int:credential_id}/rotate", response={201: RotatedCredentialOut},
             summary="Rotate a credential: a new token, the old one works one more day")
def rotate_credential(request, credential_id: int):
    """The new token is shown once. The old one keeps working for a day (the overlap), so the
    sensor can be reconfigured without losing events, then expires."""
    old = visible_or_404(visible_credentials(request), credential_id)
    new, token = actions.rotate_credential(old, **_who(request))
    answer = _with_token(request, new, token)
    answer.replaces = visible_credentials(request).get(pk=old.pk)
    return Status(201, answer)


@router.delete("/sensor-credentials/{int:credential_id}", response={204: None}, summary="Revoke a credential now")
def revoke_credential(request, credential_id: int):
    credential = visible_or_404(visible_credentials(request), credential_id)
    actions.revoke_credential(credential, **_who(request))
    return Status(204, None)


def _with_token(request, credential: SensorCredential, token: str) -> SensorCredential:
    # The clear token rides on the answer's object only; it is never stored.
    credential = visible_credentials(request).get(pk=credential.pk)
    credential.token = token
    return credential


# ---------------------------------------------------------------------------------------------
# Zones
# ---------------------------------------------------------------------------------------------


@router.get("/zones", response=list[ZoneOut], summary="Your organisations' zones")
def list_zones(request):
    return visible_zones(request).order_by("organisation__name", "name")


@router.post("/zones", response={201: ZoneOut}, summary="Draw a zone")
def define_zone(request, payload: ZoneIn):
    """The outline is a ring of [longitude, latitude] points, or a GeoJSON Polygon."""
    organisation = own_organisation(request, payload.organisation)
    zone = actions.define_zone(organisation=organisation, name=payload.name, kind=payload.kind,
                               outline=payload.outline, port=port_named(payload.port), **_who(request))
    return Status(201, visible_zones(request).get(pk=zone.pk))


@router.get("/zones/{int:zone_id}", response=ZoneOut, summary="A zone")
def read_zone(request, zone_id: int):
    return visible_or_404(visible_zones(request), zone_id)


@router.patch("/zones/{int:zone_id}", response=ZoneOut, summary="Change a zone")
def change_zone(request, zone_id: int, payload: ZonePatch):
    zone = visible_or_404(visible_zones(request), zone_id)
    changes = payload.model_dump(exclude_unset=True)
    if "port" in changes:
        changes["port"] = port_named(changes["port"])
    actions.change_zone(zone, **changes, **_who(request))
    return visible_zones(request).get(pk=zone.pk)


@router.delete("/zones/{int:zone_id}", response={204: None}, summary="Delete a zone")
def delete_zone(request, zone_id: int):
    zone = visible_or_404(visible_zones(request), zone_id)
    actions.delete_zone(zone, **_who(request))
    return Status(204, None)
