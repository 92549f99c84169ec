"""The demo network's sensors: what Antwerp-Bruges and North Sea Port watch, and what they send.

Both port authorities get what a port that watches for drones and intruders has: RF detectors
and Remote ID receivers at their container quays, AI cameras on the fences, access control at
the terminal gates; zones drawn around real docks and terminals; the rules the drones working
group recommends; e-mail subscriptions for their security officers; and a few days of past
events, so the alert inbox is not empty on the first sign-in. Antwerp-Bruges shares its drone
sightings with the network as GREEN summaries.

Everything goes through `sensors.actions` and `alerts.actions`, and the past events are written
in each sensor's own format and read back through its adapter, exactly as `port2port simulate`
sends them over HTTP: so the demo exercises the same path a real sensor does.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from port2port.alerts import actions as alert_actions
from port2port.alerts.models import Severity
from port2port.core.permissions import Role
from port2port.sensors import actions as sensor_actions
from port2port.sensors.adapters import REGISTRY as ADAPTERS
from port2port.sensors.events import EventKind
from port2port.sensors.models import Sensor, SensorKind, Zone, ZoneKind

from .sensor_formats import Observation, body, record

SEED = 2026
LOCAL = ZoneInfo("Europe/Brussels")
NIGHT = (time(22, 0), time(6, 0))


# --- What the ports have --------------------------------------------------------------------

@dataclass(frozen=True)
class ZoneSpec:
    """A zone around a real dock, quay, terminal or gate; the outline is [longitude, latitude]."""

    name: str
    port: str  # UN/LOCODE
    kind: str
    outline: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class SensorSpec:
    """A sensor, and `code`: the name it gives itself in its records (a receiver or camera id)."""

    name: str
    code: str
    port: str
    kind: str
    adapter: str
    latitude: float
    longitude: float
    zones: tuple[str, ...] = ()


@dataclass(frozen=True)
class Drone:
    serial: str  # ANSI/CTA-2063-A
    model: str
    mac: str = ""
    operator_id: str = ""  # the EU UAS operator number its Remote ID sends


@dataclass(frozen=True)
class SiteSpec:
    """One organisation's sensors, zones and rules. Its security officer sets them up."""

    organisation: str  # slug
    zones: tuple[ZoneSpec, ...]
    sensors: tuple[SensorSpec, ...]
    inspection_drones: tuple[Drone, ...]


def _square(longitude: float, latitude: float, half: float = 0.0004) -> tuple:
    """A small square around a point (a gate, a turnstile): about 60 by 90 metres."""
    return ((longitude - half, latitude - half), (longitude + half, latitude - half),
            (longitude + half, latitude + half), (longitude - half, latitude + half))


# Deurganck dock, Antwerp's left bank: the dock and both terminal quays, about 2.8 km long,
# running north-north-east to its mouth on the Scheldt.
DEURGANCK = ZoneSpec("Deurganck dock", "BEANR", ZoneKind.RESTRICTED,
                     ((4.2385, 51.2670), (4.2595, 51.2650), (4.2775, 51.2915), (4.2565, 51.2935)))
QUAY_1742 = ZoneSpec("Quay 1742 fence", "BEANR", ZoneKind.PERIMETER,
                     ((4.2640, 51.2785), (4.2680, 51.2780), (4.2700, 51.2815), (4.2660, 51.2820)))
GATE_4 = ZoneSpec("Deurganck gate 4 turnstile", "BEANR", ZoneKind.PERIMETER, _square(4.2760, 51.2760))
ALBERT_II = ZoneSpec("Albert II dock", "BEZEE", ZoneKind.RESTRICTED,
                     ((3.1830, 51.3330), (3.1970, 51.3330), (3.1990, 51.3520), (3.1850, 51.3520)))
LNG_TERMINAL = ZoneSpec("Zeebrugge LNG terminal", "BEZEE", ZoneKind.RESTRICTED,
                        ((3.2080, 51.3405), (3.2230, 51.3405), (3.2230, 51.3490), (3.2080, 51.3490)))
SLOEHAVEN = ZoneSpec("Vlissingen-Oost, Sloehaven quays", "NLVLI", ZoneKind.RESTRICTED,
                     ((3.6580, 51.4425), (3.6800, 51.4425), (3.6800, 51.4510), (3.6580, 51.4510)))
WESTBUITENHAVEN = ZoneSpec("Terneuzen Westbuitenhaven", "NLTNZ", ZoneKind.RESTRICTED,
                           ((3.7960, 51.3345), (3.8100, 51.3345), (3.8100, 51.3400), (3.7960, 51.3400)))
KLUIZENDOK = ZoneSpec("Kluizendok terminal", "BEGNE", ZoneKind.TERMINAL,
                      ((3.7620, 51.1640), (3.7790, 51.1640), (3.7790, 51.1760), (3.7620, 51.1760)))
KLUIZENDOK_FENCE = ZoneSpec("Kluizendok north fence", "BEGNE", ZoneKind.PERIMETER,
                            ((3.7640, 51.1745), (3.7770, 51.1745), (3.7770, 51.1758), (3.7640, 51.1758)))
KLUIZENDOK_GATE = ZoneSpec("Kluizendok gate 1", "BEGNE", ZoneKind.PERIMETER, _square(3.7800, 51.1660))

SITES: tuple[SiteSpec, ...] = (
    SiteSpec(
        "port-of-antwerp-bruges",
        zones=(DEURGANCK, QUAY_1742, GATE_4, ALBERT_II, LNG_TERMINAL),
        sensors=(
            SensorSpec("RF detector Deurganck dock", "rf-deurganck-01", "BEANR", SensorKind.DRONE_RF, "p2p",
                       51.2800, 4.2620, (DEURGANCK.name,)),
            SensorSpec("Remote ID receiver Deurganck dock", "rx-antwerp-01", "BEANR", SensorKind.DRONE_REMOTE_ID,
                       "remote_id", 51.2840, 4.2680, (DEURGANCK.name,)),
            SensorSpec("AI camera Quay 1742", "cam-q1742-03", "BEANR", SensorKind.CAMERA, "onvif",
                       51.2800, 4.2672, (QUAY_1742.name,)),
            SensorSpec("Access control Deurganck gate 4", "acs-deurganck-g4", "BEANR", SensorKind.ACCESS_CONTROL,
                       "access_control", 51.2760, 4.2760, (GATE_4.name,)),
            SensorSpec("Remote ID receiver Zeebrugge", "rx-zeebrugge-01", "BEZEE", SensorKind.DRONE_REMOTE_ID,
                       "remote_id", 51.3400, 3.1930, (ALBERT_II.name,)),
            SensorSpec("RF detector Zeebrugge LNG", "rf-zeebrugge-lng", "BEZEE", SensorKind.DRONE_RF, "p2p",
                       51.3440, 3.2150, (LNG_TERMINAL.name,)),
        ),
        inspection_drones=(Drone("1581F6BHA23110042PXA", "DJI Matrice 350 RTK", "0C:9A:3C:11:20:7E", "BELk2m8v4q1x7r3z"),),
    ),
    SiteSpec(
        "north-sea-port",
        zones=(SLOEHAVEN, WESTBUITENHAVEN, KLUIZENDOK, KLUIZENDOK_FENCE, KLUIZENDOK_GATE),
        sensors=(
            SensorSpec("RF detector Vlissingen-Oost", "rf-vlissingen-01", "NLVLI", SensorKind.DRONE_RF, "p2p",
                       51.4470, 3.6700, (SLOEHAVEN.name,)),
            SensorSpec("Remote ID receiver Vlissingen-Oost", "rx-vlissingen-01", "NLVLI", SensorKind.DRONE_REMOTE_ID,
                       "remote_id", 51.4475, 3.6750, (SLOEHAVEN.name,)),
            SensorSpec("Remote ID receiver Terneuzen", "rx-terneuzen-01", "NLTNZ", SensorKind.DRONE_REMOTE_ID,
                       "remote_id", 51.3375, 3.8050, (WESTBUITENHAVEN.name,)),
            SensorSpec("AI camera Kluizendok", "cam-kluizendok-02", "BEGNE", SensorKind.CAMERA, "onvif",
                       51.1750, 3.7700, (KLUIZENDOK_FENCE.name,)),
            SensorSpec("Access control Kluizendok gate 1", "acs-kluizendok-g1", "BEGNE", SensorKind.ACCESS_CONTROL,
                       "access_control", 51.1660, 3.7800, (KLUIZENDOK_GATE.name,)),
        ),
        inspection_drones=(Drone("1581F5FHB22280017QKD", "DJI Matrice 30T", "0C:9A:3C:4E:02:B1", "NLDx7c2r9w4k8m1p"),),
    ),
)

# Drones that are not the ports' own. The wanderer is seen at two ports in one night.
WANDERER = Drone("1581F6BHK2291047RZ3M", "DJI Mavic 3 Classic", "6C:3E:9A:21:4F:0B", "BEL8vdc5r2kjq3m7")
HOBBY_DRONES = (
    Drone("1581F45T3B2140098LMN", "DJI Mini 4 Pro", "60:60:1F:5A:01:C2", "BELq4n7d2s9v1c6x"),
    Drone("1581F7GDR2330051HKW", "DJI Air 3", "60:60:1F:77:3B:90", "NLDb3k9m2x7q4w8z"),
    Drone("1748A9XK22M0451", "Autel EVO Lite+", "D2:11:7B:90:3A:5E", ""),
)


def site(slug: str) -> SiteSpec:
    return next(spec for spec in SITES if spec.organisation == slug)


def sensor_spec(name: str) -> SensorSpec:
    return next(sensor for spec in SITES for sensor in spec.sensors if sensor.name == name)


def zone_spec(name: str) -> ZoneSpec:
    return next(zone for spec in SITES for zone in spec.zones if zone.name == name)


def inside(zone: ZoneSpec, rng: random.Random) -> tuple[float, float]:
    """A random (latitude, longitude) inside the zone."""
    shape = Zone(outline=[list(point) for point in zone.outline])
    longitudes, latitudes = zip(*zone.outline, strict=True)
    while True:
        latitude, longitude = rng.uniform(min(latitudes), max(latitudes)), rng.uniform(min(longitudes), max(longitudes))
        if shape.contains(latitude, longitude):
            return round(latitude, 6), round(longitude, 6)


def outside(sensor: SensorSpec, zones: tuple[ZoneSpec, ...], rng: random.Random) -> tuple[float, float]:
    """A random (latitude, longitude) within about two kilometres of the sensor, in none of the
    zones: a drone over the river or a public road, which no rule is about."""
    shapes = [Zone(outline=[list(point) for point in zone.outline]) for zone in zones]
    while True:
        latitude = sensor.latitude + rng.uniform(-0.018, 0.018)
        longitude = sensor.longitude + rng.uniform(-0.028, 0.028)
        if not any(shape.contains(latitude, longitude) for shape in shapes):
            return round(latitude, 6), round(longitude, 6)


# --- Scenes: what happened, as observations ---------------------------------------------------

def drone_flight(drone: Drone, zone: ZoneSpec, start: datetime, count: int, every: timedelta, rng: random.Random,
                 *, first_number: int = 1, prefix: str = "h", pilot: bool = False) -> list[Observation]:
    """A drone over a zone: `count` detections, `every` apart, wandering inside it."""
    latitude, longitude = inside(zone, rng)
    pilot_at = (round(latitude - 0.006, 6), round(longitude + 0.009, 6)) if pilot else None
    seen = []
    for step in range(count):
        latitude, longitude = _wander(zone, latitude, longitude, rng)
        seen.append(Observation(EventKind.DRONE_DETECTED, start + step * every, first_number + step, prefix,
                                latitude, longitude, round(rng.uniform(45, 120), 1), drone=drone, pilot=pilot_at,
                                track=f"T-{drone.serial[-4:]}"))
    return seen


def _wander(zone: ZoneSpec, latitude: float, longitude: float, rng: random.Random) -> tuple[float, float]:
    """A few metres on from the last position, staying inside the zone."""
    shape = Zone(outline=[list(point) for point in zone.outline])
    for _ in range(20):
        step = (round(latitude + rng.uniform(-0.0004, 0.0004), 6), round(longitude + rng.uniform(-0.0006, 0.0006), 6))
        if shape.contains(*step):
            return step
    return latitude, longitude


def at_local(now: datetime, days_ago: int, hour: int, minute: int) -> datetime:
    """A wall-clock time at the ports, some days before `now`."""
    day = now.astimezone(LOCAL).date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL)


# --- Setting it up ----------------------------------------------------------------------------

@dataclass
class Equipment:
    """What `equip` created, by name, for the history and for the simulator to use."""

    sensors: dict = field(default_factory=dict)  # name -> Sensor
    zones: dict = field(default_factory=dict)  # name -> Zone
    rules: list = field(default_factory=list)
    alerts: list = field(default_factory=list)
    events: int = 0


def equip(network, now: datetime) -> Equipment:
    """Zones, sensors, rules, subscriptions and automatic sharing at the two port authorities,
    then a few days of their past events and alerts (the demo loader calls this)."""
    equipment = Equipment()
    for spec in SITES:
        officer = network.with_role(spec.organisation, Role.SECURITY_OFFICER)[0]
        organisation = network.organisations[spec.organisation]
        _add_zones(equipment, spec, organisation, officer, network.ports)
        _add_sensors(equipment, spec, organisation, officer, network.ports)
        _add_rules(equipment, spec, organisation, officer)
        _subscribe_officers(network, spec, organisation)
    antwerp_bruges = site("port-of-antwerp-bruges").organisation
    alert_actions.set_auto_share(acting_user=network.with_role(antwerp_bruges, Role.SECURITY_OFFICER)[0],
                                 organisation=network.organisations[antwerp_bruges],
                                 event_kinds=[EventKind.DRONE_DETECTED])
    add_history(network, equipment, now)
    return equipment


def _add_zones(equipment, spec, organisation, officer, ports) -> None:
    for zone in spec.zones:
        equipment.zones[zone.name] = sensor_actions.define_zone(
            acting_user=officer, organisation=organisation, name=zone.name, kind=zone.kind,
            outline=[list(point) for point in zone.outline], port=ports[zone.port])


def _add_sensors(equipment, spec, organisation, officer, ports) -> None:
    for sensor in spec.sensors:
        equipment.sensors[sensor.name] = sensor_actions.register_sensor(
            acting_user=officer, organisation=organisation, name=sensor.name, kind=sensor.kind,
            adapter=sensor.adapter, port=ports[sensor.port], latitude=sensor.latitude, longitude=sensor.longitude,
            zones=[equipment.zones[name] for name in sensor.zones])


def _add_rules(equipment, spec, organisation, officer) -> None:
    """The drones working group's rules: any drone in a restricted zone, at any hour, is high
    (the port's own inspection drones excepted); loitering at night is medium; three badges
    refused at one gate within ten minutes is high."""
    allowlist = [drone.serial for drone in spec.inspection_drones]
    write = alert_actions.write_rule
    for zone in spec.zones:
        if zone.kind == ZoneKind.RESTRICTED:
            equipment.rules.append(write(
                acting_user=officer, organisation=organisation, name=f"Drone over {zone.name}",
                event_kind=EventKind.DRONE_DETECTED, zone=equipment.zones[zone.name], allowlist=allowlist,
                severity=Severity.HIGH))
        elif "gate" in zone.name.lower():
            equipment.rules.append(write(
                acting_user=officer, organisation=organisation, name=f"Three badges refused at {zone.name}",
                event_kind=EventKind.BADGE_DENIED, zone=equipment.zones[zone.name], threshold=3,
                period_minutes=10, severity=Severity.HIGH))
    equipment.rules.append(write(
        acting_user=officer, organisation=organisation, name="Loitering at night", event_kind=EventKind.LOITERING,
        active_from=NIGHT[0], active_until=NIGHT[1], severity=Severity.MEDIUM))


def _subscribe_officers(network, spec, organisation) -> None:
    """Security officers hear of high alerts by e-mail; the inbox shows every alert anyway."""
    for officer in network.with_role(spec.organisation, Role.SECURITY_OFFICER):
        alert_actions.subscribe(acting_user=officer, organisation=organisation, min_severity=Severity.HIGH)


# --- A few days of history --------------------------------------------------------------------

def add_history(network, equipment: Equipment, now: datetime) -> None:
    """Past nights at the two ports, sent through each sensor's adapter, the rules run over
    them, and some of the alerts already handled by the officers."""
    rng = random.Random(SEED)
    handled = {}
    for name, scene, handling in _scenes(now, rng):
        sensor = equipment.sensors[name]
        fates = send(sensor, [record(sensor_spec(name), seen) for seen in scene])
        ids = [fate.id for fate in fates if fate.id is not None]
        equipment.events += len(ids)
        for alert in alert_actions.evaluate_events(ids):
            equipment.alerts.append(alert)
            handled.setdefault(alert.pk, (alert, handling))
    for alert, handling in handled.values():
        _handle(network, alert, handling)


def send(sensor: Sensor, records: list[dict]):
    """Ingest records as they would arrive: written as a body, read back by the adapter."""
    data, content_type = body(sensor_spec(sensor.name), records)
    adapter = ADAPTERS[sensor.adapter]
    return sensor_actions.ingest_events(sensor, records=adapter.records(data, content_type), adapter=adapter)


def _scenes(now: datetime, rng: random.Random):
    """(sensor name, observations, what the officers did with the alert) for past nights."""
    minute, ten_s = timedelta(minutes=1), timedelta(seconds=10)
    hobby, air3, autel = HOBBY_DRONES
    inspection = site("port-of-antwerp-bruges").inspection_drones[0]
    yield ("RF detector Deurganck dock",
           drone_flight(hobby, DEURGANCK, at_local(now, 5, 2, 10), 24, ten_s, rng), "closed")
    yield ("Remote ID receiver Zeebrugge",
           drone_flight(air3, ALBERT_II, at_local(now, 2, 23, 20), 18, ten_s, rng, first_number=101, pilot=True),
           "assigned")
    yield ("RF detector Deurganck dock",  # the port's own inspection drone: no alert
           drone_flight(inspection, DEURGANCK, at_local(now, 1, 10, 0), 12, minute, rng, first_number=201), "")
    yield ("AI camera Quay 1742", [
        Observation(EventKind.LINE_CROSSING, at_local(now, 1, 1, 33), 1, zone=QUAY_1742.name, track="4471"),
        Observation(EventKind.LOITERING, at_local(now, 1, 1, 35), 2, zone=QUAY_1742.name, track="4471"),
    ], "new")
    yield ("Access control Deurganck gate 4", [  # a lone refusal: no alert
        Observation(EventKind.BADGE_DENIED, at_local(now, 3, 14, 5), 1, zone=GATE_4.name, badge="04A1B2C3D4E5F6",
                    detail="expired"),
    ], "")
    yield ("Access control Deurganck gate 4", [
        *(Observation(EventKind.BADGE_DENIED, at_local(now, 1, 5, 40 + 3 * n), 2 + n, zone=GATE_4.name,
                      badge=badge, detail="unknown badge")
          for n, badge in enumerate(("04C7D10A55E2F9", "04C7D10A55E2F9", "04FF0193AB11C2"))),
        Observation(EventKind.OTHER, at_local(now, 1, 7, 12), 5, zone="Crew gate B", detail="held open 90 s"),
    ], "new")
    yield ("Remote ID receiver Vlissingen-Oost",
           drone_flight(autel, SLOEHAVEN, at_local(now, 3, 22, 50), 15, ten_s, rng, first_number=301), "new")
    yield ("AI camera Kluizendok", [
        Observation(EventKind.INTRUSION, at_local(now, 2, 3, 10), 1, zone=KLUIZENDOK_FENCE.name, track="88"),
    ], "")


def _handle(network, alert, handling: str) -> None:
    """What an officer of the alert's organisation already did with it."""
    slug = next(slug for slug, organisation in network.organisations.items() if organisation.pk == alert.organisation_id)
    officers = network.with_role(slug, Role.SECURITY_OFFICER)
    if handling == "closed":
        alert_actions.acknowledge_alert(alert, acting_user=officers[0])
        alert_actions.close_alert(alert, acting_user=officers[0])
    elif handling == "assigned":
        alert_actions.assign_alert(alert, acting_user=officers[0], assignee=officers[-1])
