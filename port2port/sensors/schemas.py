"""The shapes of the sensors API: sensors, zones, credentials and events, as a caller sends and
receives them.

Lengths and choices come from the models, so the API and the database never disagree. A zone's
outline is a ring of [longitude, latitude] points (GeoJSON order); a GeoJSON Polygon object is
accepted too, and every zone is also returned as one (`geometry`) for map libraries.
"""

import enum
from datetime import datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AwareDatetime, ConfigDict, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from port2port.organisations.models import Port
from port2port.reports.schemas import Id, OrganisationRef, PersonRef, _organisation, _person

from .adapters import REGISTRY as ADAPTERS
from .events import EventKind
from .models import Sensor, SensorKind, Zone, ZoneKind

# The formats a sensor's events may arrive in, as an enum so the schema lists them.
SensorFormat = enum.StrEnum("SensorFormat", {name: name for name in sorted(ADAPTERS)})

MAX_ZONES_PER_SENSOR = 200
MAX_OUTLINE_POINTS = 1000
# A year of minutes: a sensor silent longer than that is not "offline", it is gone.
MAX_EXPECTED_INTERVAL = 366 * 24 * 60


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _port(row) -> str | None:
    return row.port.locode if row.port_id else None


LOCODE = Field(None, max_length=_max_length(Port, "locode"), description="UN/LOCODE of one of your ports, e.g. BEANR")
LATITUDE = Field(None, ge=-90, le=90, allow_inf_nan=False)
LONGITUDE = Field(None, ge=-180, le=180, allow_inf_nan=False)


class ZoneRef(Schema):
    id: int
    name: str


class SensorRef(Schema):
    id: int
    name: str


# ---------------------------------------------------------------------------------------------
# Zones
# ---------------------------------------------------------------------------------------------


def _ring_of(value):
    """The ring of points a client sent: as it is, or the outer ring of a GeoJSON Polygon. The
    points themselves are checked by the action (count, pairs of numbers, on the map)."""
    if isinstance(value, dict):
        rings = value.get("coordinates")
        if value.get("type") != "Polygon" or not isinstance(rings, list) or not rings:
            raise PydanticCustomError("zone_outline", str(_(
                "Send a list of [longitude, latitude] points, or a GeoJSON object of type Polygon.")))
        if len(rings) > 1:
            raise PydanticCustomError("zone_outline", str(_(
                "A zone is one ring without holes: send a Polygon with a single ring.")))
        value = rings[0]
    if not isinstance(value, list):
        raise PydanticCustomError("zone_outline", str(_(
            "Send a list of [longitude, latitude] points, or a GeoJSON object of type Polygon.")))
    if len(value) > MAX_OUTLINE_POINTS:
        raise PydanticCustomError("zone_outline", str(_("Draw at most %(n)d points.") % {"n": MAX_OUTLINE_POINTS}))
    return value


_POINT = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
          "description": "[longitude, latitude]"}
Outline = Annotated[
    Any,
    PlainValidator(_ring_of),
    WithJsonSchema({
        "description": "A ring of at least three [longitude, latitude] points, or a GeoJSON Polygon with one ring",
        "anyOf": [
            {"type": "array", "items": _POINT, "minItems": 3, "maxItems": MAX_OUTLINE_POINTS},
            {"type": "object", "required": ["type", "coordinates"],
             "properties": {"type": {"const": "Polygon"},
                            "coordinates": {"type": "array", "items": {"type": "array", "items": _POINT},
                                            "minItems": 1, "maxItems": 1}}},
        ],
    }),
]


class ZoneOut(Schema):
    id: int
    organisation: OrganisationRef
    name: str
    kind: ZoneKind
    port: str | None = Field(description="UN/LOCODE of the port")
    outline: list[list[float]] = Field(description="The ring of [longitude, latitude] points, not closed")
    geometry: dict = Field(description="The same outline as a GeoJSON Polygon (ring closed)")
    created_at: datetime

    @staticmethod
    def resolve_organisation(zone) -> dict:
        return _organisation(zone.organisation)

    @staticmethod
    def resolve_port(zone) -> str | None:
        return _port(zone)

    @staticmethod
    def resolve_geometry(zone) -> dict:
        ring = list(zone.outline or [])
        return {"type": "Polygon", "coordinates": [ring + ring[:1]]}


class ZoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organisation: Id | None = Field(None, description="The zone's organisation; needed if you belong to several")
    name: str = Field(min_length=1, max_length=_max_length(Zone, "name"))
    kind: ZoneKind = ZoneKind.RESTRICTED
    outline: Outline
    port: str | None = LOCODE


class ZonePatch(Schema):
    """Changes to a zone; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=_max_length(Zone, "name"))
    kind: ZoneKind = None
    outline: Outline = None
    port: str | None = LOCODE


# ---------------------------------------------------------------------------------------------
# Sensors
# ---------------------------------------------------------------------------------------------


class SensorOut(Schema):
    id: int
    organisation: OrganisationRef
    name: str
    kind: SensorKind
    adapter: SensorFormat = Field(description="The format its events arrive in")
    port: str | None = Field(description="UN/LOCODE of the port")
    latitude: float | None
    longitude: float | None
    zones: list[ZoneRef]
    expected_interval: int | None = Field(description="Minutes of silence before it is reported offline; null: never")
    last_event_at: datetime | None = Field(description="When it last sent a batch")
    offline_since: datetime | None = Field(description="Reported offline since; null while it reports")
    is_active: bool
    created_at: datetime

    @staticmethod
    def resolve_organisation(sensor) -> dict:
        return _organisation(sensor.organisation)

    @staticmethod
    def resolve_port(sensor) -> str | None:
        return _port(sensor)

    @staticmethod
    def resolve_zones(sensor) -> list:
        return list(sensor.zones.all())


class SensorIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organisation: Id | None = Field(None, description="The sensor's organisation; needed if you belong to several")
    name: str = Field(min_length=1, max_length=_max_length(Sensor, "name"))
    kind: SensorKind = SensorKind.OTHER
    adapter: SensorFormat = Field("p2p", description="The format its events arrive in (docs/sensor-format.md)")
    port: str | None = LOCODE
    latitude: float | None = LATITUDE
    longitude: float | None = LONGITUDE
    zones: list[Id] = Field(default_factory=list, max_length=MAX_ZONES_PER_SENSOR, description="Zone ids")
    expected_interval: int | None = Field(None, ge=1, le=MAX_EXPECTED_INTERVAL,
                                          description="Minutes of silence before it is reported offline")


class SensorPatch(Schema):
    """Changes to a sensor; fields left out stay as they are. Null clears the port, the position
    or the expected interval."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=_max_length(Sensor, "name"))
    kind: SensorKind = None
    adapter: SensorFormat = None
    port: str | None = LOCODE
    latitude: float | None = LATITUDE
    longitude: float | None = LONGITUDE
    zones: list[Id] = Field(None, max_length=MAX_ZONES_PER_SENSOR)
    expected_interval: int | None = Field(None, ge=1, le=MAX_EXPECTED_INTERVAL)
    is_active: bool = None


# ---------------------------------------------------------------------------------------------
# Credentials
# ---------------------------------------------------------------------------------------------


class CredentialOut(Schema):
    """A sensor credential without its secret: only a hash is stored."""

    id: int
    sensor: int
    prefix: str = Field(description="The token's public start, to tell credentials apart")
    created_by: PersonRef
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    is_usable: bool

    @staticmethod
    def resolve_sensor(credential) -> int:
        return credential.sensor_id

    @staticmethod
    def resolve_prefix(credential) -> str:
        return str(credential)

    @staticmethod
    def resolve_created_by(credential) -> dict:
        return _person(credential.created_by)


class IssuedCredentialOut(CredentialOut):
    token: str = Field(description="Shown this once and never again: configure the sensor with it now")


class RotatedCredentialOut(IssuedCredentialOut):
    replaces: CredentialOut = Field(description="The previous credential, now expiring after the overlap")


class CredentialIn(Schema):
    model_config = ConfigDict(extra="forbid")

    days: int = Field(365, ge=1, description="Lifetime in days (at most the platform's limit, a year by default)")


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


class EventOut(Schema):
    """One event a sensor sent. The raw payload is not returned: it may hold a badge number in
    clear, and only its keyed hash (`badge_hash`) is for people to see."""

    id: int
    sensor: SensorRef
    external_id: str = Field(description="The sensor's own id of the event")
    kind: EventKind
    occurred_at: datetime
    received_at: datetime
    latitude: float | None
    longitude: float | None
    altitude_m: float | None
    zone: ZoneRef | None
    zone_name: str = Field(description="The zone as the sensor named it")
    confidence: float | None
    drone_serial: str
    drone_model: str
    rf_band: str
    track_id: str
    badge_hash: str = Field(description="A keyed hash of the badge, the same for the same badge at your port")
    operator_id: str

    @staticmethod
    def resolve_sensor(event) -> dict:
        return {"id": event.sensor_id, "name": event.sensor.name}

    @staticmethod
    def resolve_zone(event) -> dict | None:
        return {"id": event.zone_id, "name": event.zone.name} if event.zone_id else None


class EventFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: EventKind | None = None
    since: AwareDatetime | None = Field(None, description="Events that happened at or after this time")
    limit: int = Field(100, ge=1, le=500)
    cursor: str | None = Field(None, max_length=200, description="`next_cursor` of the previous page")


class EventPage(Schema):
    items: list[EventOut] = Field(description="Newest first")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")

