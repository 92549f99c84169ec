"""`port2port simulate`: the demo's sensors come alive, for a minute or for as long as you like.

Run beside `port2port demo` (in another terminal). It issues each demo sensor a fresh
credential (kept in memory, revoked when the run ends) and streams synthetic events through
the real ingestion API, each sensor in its own format: RF detectors in Port 2 Port's JSON,
Remote ID receivers as decoded frames, AI cameras as ONVIF notification XML, gate readers as
access-control CSV. Around the background traffic (drones outside the restricted zones, the
ports' own inspection drones, line crossings, doors held open) it plays scripted incidents:

- one drone, the same serial number, over Zeebrugge and then over Vlissingen-Oost a few
  minutes later: an alert at each port, and Antwerp-Bruges shares its sighting as GREEN;
- a burst of hundreds of detections over Deurganck dock: one alert whose count grows;
- three badges refused at a terminal gate within minutes: one high alert;
- the port's inspection drone over its own dock: no alert (it is on the allowlist);
- someone loitering at the quay fence: a medium alert, at night (22:00-06:00) only.

Only in demo mode, like `load_demo`: the credentials are real ones of the demo's sensors.
"""

import json
import random
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from port2port.alerts.models import Alert
from port2port.core.permissions import Role
from port2port.core.sharing import Audience, Tlp
from port2port.demo import sensor_formats as formats
from port2port.demo import sensors as demo
from port2port.organisations.models import Membership
from port2port.reports.models import Report
from port2port.sensors import actions as sensor_actions
from port2port.sensors.events import EventKind
from port2port.sensors.models import Sensor

TICK_SECONDS = 0.5
MOST_PER_BATCH = 500
HTTP_TIMEOUT = 30
# How long to wait at the end for the worker to run the rules over the last batches.
SETTLE_SECONDS = 15
# The worker's tasks that turn the run's batches into alerts and network summaries.
ALERT_TASKS = ("port2port.alerts.tasks.evaluate_events", "port2port.alerts.tasks.after_new_alert")
# The share of background events each kind of sensor sends.
BACKGROUND_WEIGHTS = {"drone_rf": 3, "drone_remote_id": 3, "camera": 2, "access_control": 2}
DOORS_WITHOUT_RULES = ("Crew gate B", "Office block door 3", "Truck lane 2 exit")


@dataclass
class Planned:
    """An observation to send once the run is `offset` seconds old."""

    offset: float
    sensor: str
    seen: formats.Observation


@dataclass
class Incident:
    """A scripted incident: what is sent, and what it should lead to."""

    offset: float
    story: str
    expect: str
    planned: list[Planned]


@dataclass
class Feed:
    """One sensor's link to the ingestion API: its fresh credential and what became of its events."""

    spec: demo.SensorSpec
    sensor: Sensor
    credential: object
    token: str
    batches: int = 0
    events: int = 0
    fates: Counter = field(default_factory=Counter)
    refused_batches: list = field(default_factory=list)
    sample_errors: list = field(default_factory=list)
    numbers: int = 0

    def next_number(self) -> int:
        self.numbers += 1
        return self.numbers


class Command(BaseCommand):
    help = ("Stream synthetic sensor events from the demo's sensors through the ingestion API, with a few "
            "scripted incidents that raise alerts. Run it beside `port2port demo`.")

    def add_arguments(self, parser):
        parser.add_argument("--rate", type=float, default=20.0,
                            help="Background events per second, all sensors together (default %(default)s).")
        parser.add_argument("--duration", type=float, default=60.0, help="Seconds to run (default %(default)s).")
        parser.add_argument("--url", default="http://127.0.0.1:8000",
                            help="Where the demo answers (default %(default)s).")
        parser.add_argument("--burst", type=int, default=300,
                            help="Detections in the burst over Deurganck dock (default %(default)s).")
        parser.add_argument("--seed", type=int, default=None, help="Seed of the random draws (default: a new one).")
        parser.add_argument("--data-dir", default=None,
                            help="The demo's data folder, if `port2port demo` was given one.")

    def handle(self, *, rate: float, duration: float, url: str, burst: int, seed, data_dir, **options):
        require_demo(data_dir)
        if rate < 0 or duration <= 0 or burst < 1:
            raise CommandError("--rate must be 0 or more, --duration and --burst more than 0.")
        run = Run(self, url.rstrip("/"), rate, duration, burst, random.Random(seed))
        run.start()
        try:
            run.stream()
        except KeyboardInterrupt:
            self.stdout.write("\nStopped early.")
        finally:
            run.revoke()
        run.report()


def require_demo(data_dir: str | None) -> None:
    if not settings.DEMO_MODE:
        raise CommandError("`port2port simulate` runs only beside the demo, in demo mode (P2P_DEMO_MODE=true): "
                           "the sensors and credentials it uses are the demo's.")
    if data_dir and Path(data_dir).expanduser().resolve() != settings.DATA_DIR:
        raise CommandError(f"The settings point at {settings.DATA_DIR}, not {data_dir}; set P2P_DATA_DIR as well.")
    missing = {s.name for spec in demo.SITES for s in spec.sensors} - set(
        Sensor.objects.filter(is_active=True).values_list("name", flat=True))
    if missing:
        raise CommandError("The demo's sensors are not there: start `port2port demo` first (it loads them).")


class Run:
    """One simulation: its feeds, its plan, and its running totals."""

    def __init__(self, command, url, rate, duration, burst, rng):
        self.out, self.style = command.stdout, command.style
        self.url, self.rate, self.duration, self.burst, self.rng = url, rate, duration, burst, rng
        self.prefix = "s" + format(int(time.time()), "x")
        self.feeds: dict[str, Feed] = {}
        self.began = timezone.now()
        self.incidents: list[Incident] = []
        self.background_sent = 0

    # --- credentials ---

    def start(self) -> None:
        for spec in (sensor for site in demo.SITES for sensor in site.sensors):
            sensor = Sensor.objects.select_related("organisation").get(name=spec.name)
            credential, token = sensor_actions.issue_credential(sensor, acting_user=officer_of(sensor), days=1)
            self.feeds[spec.name] = Feed(spec, sensor, credential, token)
        self.incidents = plan_incidents(self)
        self.out.write(f"Simulating the demo's sensors at {self.url} for {self.duration:g} s, {self.rate:g} background "
                       f"events/s (run {self.prefix}); {len(self.feeds)} sensors got fresh credentials, revoked at the end.\n")

    def revoke(self) -> None:
        for feed in self.feeds.values():
            sensor_actions.revoke_credential(feed.credential, acting_user=officer_of(feed.sensor))

    # --- streaming ---

    def stream(self) -> None:
        pending = sorted((p for incident in self.incidents for p in incident.planned), key=lambda p: p.offset)
        stories = sorted(self.incidents, key=lambda incident: incident.offset)
        started = time.monotonic()
        while True:
            elapsed = time.monotonic() - started
            while stories and stories[0].offset <= elapsed:
                self.tell(stories.pop(0), elapsed)
            due = [p for p in pending if p.offset <= elapsed]
            pending = pending[len(due):]
            due += self.background(min(elapsed, self.duration))
            self.send(due)
            if elapsed >= self.duration and not pending:
                return
            time.sleep(max(0.0, TICK_SECONDS - (time.monotonic() - started - elapsed)))

    def tell(self, incident: Incident, elapsed: float) -> None:
        self.out.write(f"[{elapsed:5.1f} s] {incident.story}\n          -> {incident.expect}\n")
        self.out.flush()

    def background(self, elapsed: float) -> list[Planned]:
        """The background events due by now, their times spread over the last tick (a receiver
        stamps each frame to the millisecond; two at once would be one frame)."""
        wanted = max(0, int(self.rate * elapsed) - self.background_sent)
        self.background_sent += wanted
        now = timezone.now()
        return [background_event(self, elapsed, now - timedelta(seconds=TICK_SECONDS * n / wanted))
                for n in range(wanted)]

    def send(self, due: list[Planned]) -> None:
        by_sensor = defaultdict(list)
        for planned in due:
            feed = self.feeds[planned.sensor]
            by_sensor[planned.sensor].append(formats.record(feed.spec, planned.seen))
        for name, records in by_sensor.items():
            for start in range(0, len(records), MOST_PER_BATCH):
                post(self.url, self.feeds[name], records[start:start + MOST_PER_BATCH])

    # --- the end ---

    def report(self) -> None:
        self.out.write("\nWhat was sent, and what became of it:\n")
        self.out.write(f"  {'sensor':<36} {'format':<15} {'batches':>7} {'events':>7} {'accepted':>8} "
                       f"{'duplicate':>9} {'rejected':>8}\n")
        total = Counter()
        for feed in self.feeds.values():
            total.update(batches=feed.batches, events=feed.events, **feed.fates)
            self.out.write(f"  {feed.spec.name:<36} {feed.spec.adapter:<15} {feed.batches:>7} {feed.events:>7} "
                           f"{feed.fates['accepted']:>8} {feed.fates['duplicate']:>9} {feed.fates['rejected']:>8}\n")
        self.out.write(f"  {'total':<36} {'':<15} {total['batches']:>7} {total['events']:>7} {total['accepted']:>8} "
                       f"{total['duplicate']:>9} {total['rejected']:>8}\n")
        for feed in self.feeds.values():
            for problem in feed.refused_batches[:3]:
                self.out.write(self.style.WARNING(f"  {feed.spec.name}: a batch was refused: {problem}\n"))
            for error in feed.sample_errors[:3]:
                self.out.write(self.style.WARNING(f"  {feed.spec.name}: an event was rejected: {error}\n"))
        self.report_alerts(wait_for_rules())

    def report_alerts(self, settled: bool) -> None:
        alerts = (Alert.objects.filter(updated_at__gte=self.began).select_related("organisation", "port")
                  .order_by("organisation__name", "-last_event_at"))
        if not settled:
            self.out.write(self.style.WARNING(
                "\nThe worker has not run the rules over every batch yet (is `port2port demo` running its worker?)."))
        self.out.write(f"\nAlerts raised or grown during the run: {len(alerts)}\n")
        for alert in alerts:
            port = alert.port.name if alert.port else ""
            self.out.write(f"  {alert.organisation.short_name or alert.organisation.name:<16} {port:<11} "
                           f"{alert.get_severity_display():<7} {alert.get_status_display():<13} "
                           f"{alert.event_count:>5} events  {alert.title}\n")
        self.report_summaries()
        self.out.write("Open the demo's alert inbox to see them (officer@antwerp-bruges.demo, officer@northseaport.demo).\n")


    def report_summaries(self) -> None:
        shared = (Report.objects.filter(created_at__gte=self.began, tlp=Tlp.GREEN, audience=Audience.NETWORK,
                                        owner_org__auto_shares__isnull=False)
                  .select_related("owner_org").distinct().order_by("created_at"))
        for report in shared:
            self.out.write(f"  Shared with the network as GREEN by {report.owner_org.name}: {report.title}\n")


def officer_of(sensor: Sensor):
    """The security officer in whose name the run's credentials are issued and revoked."""
    membership = (Membership.objects.active().filter(organisation_id=sensor.organisation_id, role=Role.SECURITY_OFFICER)
                  .select_related("user").order_by("pk").first())
    if membership is None:
        raise CommandError(f"{sensor.organisation} has no active security officer to issue sensor credentials.")
    return membership.user


def post(url: str, feed: Feed, records: list[dict]) -> None:
    """One batch through POST /api/v1/ingest, in the sensor's format; its fates are counted."""
    data, content_type = formats.body(feed.spec, records)
    request = urllib.request.Request(f"{url}/api/v1/ingest", data=data, method="POST", headers={
        "Authorization": f"Bearer {feed.token}", "Content-Type": content_type})
    feed.batches += 1
    feed.events += len(records)
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        feed.refused_batches.append(f"HTTP {error.code}: {problem_detail(error)}")
        feed.fates["refused"] += len(records)
        return
    except OSError as error:
        raise CommandError(f"Nothing answers at {url} ({error}). Start the demo first: `port2port demo`.") from None
    for status in ("accepted", "duplicate", "rejected"):
        feed.fates[status] += answer[status]
    feed.sample_errors += [event["errors"] for event in answer["events"] if event.get("errors")][:3]


def problem_detail(error: urllib.error.HTTPError) -> str:
    try:
        problem = json.load(error)
    except ValueError:
        return error.reason
    return problem.get("detail") or problem.get("title") or error.reason


def wait_for_rules() -> bool:
    """Give the worker time to run the rules over the last batches; False if it did not."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while DBTaskResult.objects.filter(task_path__in=ALERT_TASKS, status__in=("READY", "RUNNING")).exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


# --- What happens -----------------------------------------------------------------------------

def background_event(run: Run, elapsed: float, now: datetime) -> Planned:
    """Ordinary traffic, which no rule is about: drones outside the restricted zones, the ports'
    own inspection drones inside them, people crossing lines, doors held open."""
    rng = run.rng
    kind = rng.choices(list(BACKGROUND_WEIGHTS), weights=list(BACKGROUND_WEIGHTS.values()))[0]
    spec = rng.choice([s for site in demo.SITES for s in site.sensors if s.kind == kind])
    feed = run.feeds[spec.name]
    number = feed.next_number()
    if kind == "camera":
        seen = formats.Observation(rng.choices((EventKind.LINE_CROSSING, EventKind.INTRUSION), weights=(4, 1))[0],
                                   now, number, run.prefix, zone=spec.zones[0], track=str(rng.randint(100, 9999)))
    elif kind == "access_control":
        seen = formats.Observation(EventKind.OTHER, now, number, run.prefix, zone=rng.choice(DOORS_WITHOUT_RULES),
                                   detail=f"held open {rng.randint(40, 300)} s")
    else:
        seen = drone_outside_zones(run, spec, now, number)
    return Planned(elapsed, spec.name, seen)


def drone_outside_zones(run: Run, spec: demo.SensorSpec, now: datetime, number: int) -> formats.Observation:
    rng = run.rng
    site = next(site for site in demo.SITES if spec in site.sensors)
    if rng.random() < 0.15:  # the port's inspection drone at work over its own dock
        zone = demo.zone_spec(spec.zones[0])
        latitude, longitude = demo.inside(zone, rng)
        drone = site.inspection_drones[0]
    else:
        latitude, longitude = demo.outside(spec, tuple(z for s in demo.SITES for z in s.zones), rng)
        drone = rng.choice(demo.HOBBY_DRONES)
    return formats.Observation(EventKind.DRONE_DETECTED, now, number, run.prefix, latitude, longitude,
                               round(rng.uniform(20, 110), 1), drone=drone, track=f"T-{drone.serial[-4:]}")


def plan_incidents(run: Run) -> list[Incident]:
    """The scripted incidents, spread over the run."""
    d = run.duration
    return [
        wanderer_at(run, "Remote ID receiver Zeebrugge", demo.ALBERT_II, 0.05 * d, minutes_ago=6, pilot=True,
                    expect="a high alert at Antwerp-Bruges, shared with the network as a GREEN summary"),
        wanderer_at(run, "Remote ID receiver Vlissingen-Oost", demo.SLOEHAVEN, 0.15 * d, minutes_ago=1,
                    expect="a high alert at North Sea Port: the same serial number as at Zeebrugge, "
                           "five minutes later"),
        burst_over_deurganck(run, 0.30 * d),
        badges_refused(run, "Access control Deurganck gate 4", demo.GATE_4, 0.45 * d),
        inspection_flight(run, 0.55 * d),
        loitering(run, 0.65 * d),
        badges_refused(run, "Access control Kluizendok gate 1", demo.KLUIZENDOK_GATE, 0.75 * d),
    ]


def wanderer_at(run: Run, sensor: str, zone: demo.ZoneSpec, offset: float, *, minutes_ago: int, expect: str,
                pilot: bool = False) -> Incident:
    """The wandering drone's frames over a zone, stamped from some minutes before they are sent."""
    feed, drone = run.feeds[sensor], demo.WANDERER
    start = timezone.now() + timedelta(seconds=offset) - timedelta(minutes=minutes_ago)
    flight = demo.drone_flight(drone, zone, start, 30, timedelta(seconds=2), run.rng, first_number=1,
                               prefix=run.prefix, pilot=pilot)
    planned = [Planned(offset, sensor, replace_number(seen, feed.next_number())) for seen in flight]
    local = timezone.localtime(start).strftime("%H:%M")
    return Incident(offset, f"{sensor}: drone {drone.serial} ({drone.model}) over {zone.name}, 30 Remote ID frames "
                            f"from {local}", expect, planned)


def burst_over_deurganck(run: Run, offset: float) -> Incident:
    """A drone hovering over the dock for minutes: hundreds of detections, sent over a few seconds."""
    sensor, feed, drone = "RF detector Deurganck dock", run.feeds["RF detector Deurganck dock"], demo.HOBBY_DRONES[1]
    start = timezone.now() + timedelta(seconds=offset) - timedelta(seconds=run.burst)
    flight = demo.drone_flight(drone, demo.DEURGANCK, start, run.burst, timedelta(seconds=1), run.rng,
                               prefix=run.prefix)
    spread = min(3.0, 0.1 * run.duration)
    planned = [Planned(offset + spread * i / run.burst, sensor, replace_number(seen, feed.next_number()))
               for i, seen in enumerate(flight)]
    return Incident(offset, f"{sensor}: a burst of {run.burst} detections of a {drone.model} over "
                            f"{demo.DEURGANCK.name}, in several batches", "one high alert whose count grows", planned)


def badges_refused(run: Run, sensor: str, gate: demo.ZoneSpec, offset: float) -> Incident:
    feed, apart = run.feeds[sensor], min(2.0, 0.05 * run.duration)
    planned = [
        Planned(offset + apart * n, sensor, formats.Observation(
            EventKind.BADGE_DENIED, timezone.now() + timedelta(seconds=offset + apart * n), feed.next_number(),
            run.prefix, zone=gate.name, badge=f"04{run.rng.randrange(16**12):012X}", detail="unknown badge"))
        for n in range(3)]
    return Incident(offset, f"{sensor}: three badges refused at {gate.name}, {apart:.1f} s apart (CSV)",
                    "one high alert", planned)


def inspection_flight(run: Run, offset: float) -> Incident:
    sensor, feed = "RF detector Deurganck dock", run.feeds["RF detector Deurganck dock"]
    drone = demo.site("port-of-antwerp-bruges").inspection_drones[0]
    flight = demo.drone_flight(drone, demo.DEURGANCK, timezone.now() + timedelta(seconds=offset), 10,
                               timedelta(seconds=1), run.rng, prefix=run.prefix)
    apart = min(1.0, 0.02 * run.duration)
    planned = [Planned(offset + apart * i, sensor, replace_number(seen, feed.next_number()))
               for i, seen in enumerate(flight)]
    return Incident(offset, f"{sensor}: the port's inspection drone {drone.serial} over {demo.DEURGANCK.name}",
                    "no alert: it is on the rule's allowlist", planned)


def loitering(run: Run, offset: float) -> Incident:
    sensor, feed = "AI camera Quay 1742", run.feeds["AI camera Quay 1742"]
    at = timezone.now() + timedelta(seconds=offset)
    seen = formats.Observation(EventKind.LOITERING, at, feed.next_number(), run.prefix, zone=demo.QUAY_1742.name,
                               track=str(run.rng.randint(100, 9999)))
    night = not demo.NIGHT[1] <= timezone.localtime(at).time() < demo.NIGHT[0]
    expect = "a medium alert (it is night at the port)" if night else \
        "no alert now: the rule watches the night, 22:00-06:00 (the event is stored all the same)"
    return Incident(offset, f"{sensor}: someone loitering at {demo.QUAY_1742.name} (ONVIF XML)", expect,
                    [Planned(offset, sensor, seen)])


def replace_number(seen: formats.Observation, number: int) -> formats.Observation:
    """The same observation under the sensor's next running number (ids stay unique in a run)."""
    return replace(seen, number=number)
