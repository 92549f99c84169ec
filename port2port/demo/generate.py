"""Load the demo network and a year of its reports, through the real actions only.

Everything goes through `organisations.actions` and `reports.actions`, exactly as people would
act, so the demo's audit log is a real one and verifies. The draws come from one seeded
`random.Random`, so every load gives the same organisations, people and reports; only the
calendar moves, since the year of reports ends on the day it is loaded.
"""

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from port2port.core.permissions import Role
from port2port.core.sharing import Audience, Status, Tlp
from port2port.indicators import actions as indicator_actions
from port2port.indicators.actions import NewIndicator
from port2port.indicators.extract import extract
from port2port.organisations import actions as org_actions
from port2port.organisations.models import OrganisationKind, people_nameable_for
from port2port.reports import actions as report_actions
from port2port.reports.models import Category, ModusOperandi, Report

from . import knowledge, measures, narratives, sensors, training, workinggroups
from .network import DEMO_PASSWORD, ORGANISATIONS, PLATFORM_ADMIN, SHARING_GROUPS, OrganisationSpec, Place

SEED = 2026
REPORT_COUNT = 300
LOCAL = ZoneInfo("Europe/Brussels")
WRITERS = (Role.ANALYST, Role.SECURITY_OFFICER, Role.ORG_ADMIN)
# Police and customs: the usual named recipients of sensitive reports.
ENFORCEMENT = ("csd-limburg", "customs-and-excise")

# What each kind of organisation tends to report.
CATEGORY_WEIGHTS = {
    "port": {Category.DRUG_SMUGGLING: 30, Category.INTRUSION: 15, Category.DRONE: 13, Category.CYBER: 10,
             Category.INSIDER: 8, Category.SUSPICIOUS: 12, Category.THEFT: 8, Category.OTHER: 4},
    "inland": {Category.DRUG_SMUGGLING: 12, Category.INTRUSION: 20, Category.DRONE: 15, Category.CYBER: 10,
               Category.INSIDER: 5, Category.SUSPICIOUS: 18, Category.THEFT: 15, Category.OTHER: 5},
    "enforcement": {Category.DRUG_SMUGGLING: 60, Category.INSIDER: 12, Category.SUSPICIOUS: 15,
                    Category.INTRUSION: 4, Category.DRONE: 5, Category.CYBER: 4},
    "waterway": {Category.DRONE: 30, Category.SUSPICIOUS: 35, Category.THEFT: 25, Category.OTHER: 10},
}
KIND_PROFILE = {
    OrganisationKind.PORT_AUTHORITY: "port",
    OrganisationKind.INLAND_PORT: "inland",
    OrganisationKind.WATERWAY_OPERATOR: "waterway",
}
MODUS_WEIGHTS = {
    ModusOperandi.RIP_ON_RIP_OFF: 40, ModusOperandi.PIN_FRAUD: 12, ModusOperandi.CLONE_CONTAINER: 5,
    ModusOperandi.EXTRACTION_TEAM: 15, ModusOperandi.HULL_OR_DIVER: 6, ModusOperandi.CONTAMINATION_EN_ROUTE: 10,
    ModusOperandi.DROP_OFF_AT_SEA: 5, ModusOperandi.OTHER: 7,
}
SEVERITY_WEIGHTS = {
    Category.DRUG_SMUGGLING: {"low": 10, "medium": 35, "high": 40, "critical": 15},
    Category.CYBER: {"low": 10, "medium": 40, "high": 40, "critical": 10},
    Category.INSIDER: {"medium": 40, "high": 50, "critical": 10},
    Category.INTRUSION: {"low": 25, "medium": 50, "high": 25},
    Category.DRONE: {"low": 30, "medium": 50, "high": 20},
}
DEFAULT_SEVERITY = {"low": 45, "medium": 45, "high": 10}
RELIABILITY_WEIGHTS = {"A": 10, "B": 35, "C": 30, "D": 8, "E": 2, "F": 15}
CREDIBILITY_WEIGHTS = {"1": 12, "2": 35, "3": 30, "4": 10, "5": 3, "6": 10}
LABEL_WEIGHTS = {Tlp.RED: 6, Tlp.AMBER_STRICT: 14, Tlp.AMBER: 35, Tlp.GREEN: 33, Tlp.CLEAR: 12}
AUDIENCE_WEIGHTS = {
    Tlp.AMBER_STRICT: {Audience.ORGANISATIONS: 60, Audience.GROUP: 25, Audience.OWNER: 15},
    Tlp.AMBER: {Audience.GROUP: 35, Audience.ORGANISATIONS: 25, Audience.NETWORK: 25, Audience.OWNER: 15},
    Tlp.GREEN: {Audience.NETWORK: 75, Audience.GROUP: 25},
    Tlp.CLEAR: {Audience.NETWORK: 60, Audience.PUBLIC: 40},
}
# Smuggling, drones, intrusions and theft mostly happen at night.
NIGHT_CATEGORIES = {Category.DRUG_SMUGGLING, Category.DRONE, Category.INTRUSION, Category.THEFT}
SEA_ONLY_MODI = {ModusOperandi.DROP_OFF_AT_SEA, ModusOperandi.HULL_OR_DIVER}
INLAND_LOCODES = {port.locode for spec in ORGANISATIONS if spec.kind == OrganisationKind.INLAND_PORT for port in spec.ports}


def pick(rng: random.Random, weights: dict):
    """One key of `weights`, drawn in proportion to its weight (in the dict's stable order)."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class Network:
    """What the loader created, to draw authors, recipients and groups from."""

    admin: object
    organisations: dict = field(default_factory=dict)  # slug -> Organisation
    ports: dict = field(default_factory=dict)  # locode -> Port
    people: dict = field(default_factory=dict)  # slug -> [(user, role)]
    groups: dict = field(default_factory=dict)  # name -> (SharingGroup, member slugs)

    def writers(self, slug):
        return self.with_role(slug, *WRITERS)

    def with_role(self, slug, *roles):
        return [user for user, role in self.people[slug] if role in roles]


@dataclass
class Summary:
    """Counts of what a load created, for the command to print."""

    organisations: int = 0
    people: int = 0
    reports: Counter = field(default_factory=Counter)  # by status and by label
    comments: int = 0
    indicators: int = 0

    @property
    def report_total(self) -> int:
        return sum(self.reports[status] for status in Status.values)


def is_loaded() -> bool:
    """The demo is loaded once its platform admin exists (the first thing a load creates, in
    the same transaction as everything else)."""
    return get_user_model().objects.filter(email=PLATFORM_ADMIN.email).exists()


class NotDemoMode(RuntimeError):
    """The demo network holds a platform admin with a published password: it goes only into a
    database run in demo mode, never into a real one."""


@transaction.atomic
def load(*, report_count: int = REPORT_COUNT, now: datetime | None = None) -> Summary:
    """Create the whole demo network in one transaction: all of it or nothing."""
    if not settings.DEMO_MODE:
        raise NotDemoMode("The demo network loads only in demo mode (`port2port demo`), never into a real database.")
    rng = random.Random(SEED)
    RECURRING.clear()  # the same seed gives the same pool, load after load
    network = build_network()
    summary = Summary(organisations=len(network.organisations),
                      people=1 + sum(len(people) for people in network.people.values()))
    now = now or timezone.now()
    for _ in range(report_count):
        file_report(rng, network, now, summary)
    sensors.equip(network, now)
    knowledge.populate(network, now)
    measures.populate(network, now)
    training.populate(network, now)
    workinggroups.populate(network, now)
    return summary


# --- organisations and people ----------------------------------------------------------------


def build_network() -> Network:
    admin = org_actions.create_account(
        acting_user=None, email=PLATFORM_ADMIN.email, full_name=PLATFORM_ADMIN.full_name,
        password=DEMO_PASSWORD, is_platform_admin=True,
    )
    network = Network(admin=admin)
    for spec in ORGANISATIONS:
        add_organisation(network, spec)
    for spec in SHARING_GROUPS:
        owner = network.organisations[spec.owner]
        group = org_actions.create_sharing_group(
            acting_user=network.with_role(spec.owner, Role.ORG_ADMIN)[0], owner=owner, name=spec.name,
            description=spec.description, members=[network.organisations[slug] for slug in spec.members],
        )
        network.groups[spec.name] = (group, {spec.owner, *spec.members})
    return network


def add_organisation(network: Network, spec: OrganisationSpec) -> None:
    admin = network.admin
    organisation = org_actions.create_organisation(
        acting_user=admin, name=spec.name, short_name=spec.short_name, kind=spec.kind,
        country=spec.country, slug=spec.slug,
    )
    network.organisations[spec.slug] = organisation
    for port in spec.ports:
        network.ports[port.locode] = org_actions.add_port(
            acting_user=admin, organisation=organisation, locode=port.locode, name=port.name,
            latitude=port.latitude, longitude=port.longitude,
        )
    network.people[spec.slug] = []
    for person in spec.people:
        user = org_actions.create_account(acting_user=admin, email=person.email, full_name=person.full_name,
                                          password=DEMO_PASSWORD, language=person.language)
        org_actions.add_member(acting_user=admin, organisation=organisation, user=user, role=person.role)
        network.people[spec.slug].append((user, person.role))


# --- one report and its life ----------------------------------------------------------------


def file_report(rng: random.Random, network: Network, now: datetime, summary: Summary) -> None:
    """Draw one report, file it as its author would, then share, edit, close and comment."""
    spec = rng.choices(ORGANISATIONS, weights=[o.report_weight for o in ORGANISATIONS])[0]
    organisation = network.organisations[spec.slug]
    author = rng.choice(network.writers(spec.slug))
    content = draw_content(rng, network, spec, now)
    final = draw_marking(rng, network, spec, author, content["category"])
    fate = draw_fate(rng, final, content["occurred_at"], now)
    widen_later = fate == "widened"
    first = {"tlp": final["tlp"], "audience": Audience.OWNER} if widen_later else final
    report = report_actions.report_incident(
        acting_user=author, organisation=organisation, marking=first, share_now=fate != "draft", **content,
    )
    if widen_later:
        report = report_actions.share_report(report, acting_user=author, **final)
    if fate != "draft" and rng.random() < 0.15:
        report = report_actions.edit_report(report, acting_user=author,
                                            lessons_learned=rng.choice(narratives.LESSONS[report.category]))
    summary.indicators += add_found_indicators(report, author)
    if fate != "draft":
        summary.comments += add_comments(rng, network, report, author)
    if fate == "closed":
        closer = author if report.tlp == Tlp.RED else rng.choice(
            network.with_role(spec.slug, Role.SECURITY_OFFICER, Role.ORG_ADMIN))
        report = report_actions.close_report(report, acting_user=closer)
    summary.reports[report.status] += 1
    summary.reports[report.tlp] += 1


def draw_fate(rng: random.Random, marking: dict, occurred_at: datetime, now: datetime) -> str:
    """A report stays a draft, is shared as filed, is shared narrowly and widened later, or is
    shared and, once its case is a month old, closed."""
    roll = rng.random()
    if roll < 0.05:
        return "draft"
    if roll < 0.15 and marking["audience"] not in {Audience.OWNER, Audience.PEOPLE}:
        return "widened"
    if roll < 0.40 and now - occurred_at > timedelta(days=30):
        return "closed"
    return "shared"


def draw_content(rng: random.Random, network: Network, spec: OrganisationSpec, now: datetime) -> dict:
    profile = KIND_PROFILE.get(spec.kind, "enforcement")
    category = pick(rng, CATEGORY_WEIGHTS[profile])
    port_spec, place = draw_place(rng, spec)
    modus = draw_modus(rng, port_spec) if category == Category.DRUG_SMUGGLING else ""
    stories = narratives.DRUG_STORIES[modus] if modus else narratives.CATEGORY_STORIES[category]
    story = rng.choice(stories)
    occurred_at = draw_moment(rng, category, story, now)
    slots = draw_slots(rng, place, port_spec.name if port_spec else nearest_port_name(place), occurred_at)
    content = {
        "title": story.title.format(**slots)[:200],
        "category": category,
        "modus_operandi": modus,
        "port": network.ports[port_spec.locode] if port_spec else None,
        "place": place.name,
        "occurred_at": occurred_at,
        "severity": pick(rng, SEVERITY_WEIGHTS.get(category, DEFAULT_SEVERITY)),
        "source_reliability": pick(rng, RELIABILITY_WEIGHTS),
        "info_credibility": pick(rng, CREDIBILITY_WEIGHTS),
        "narrative": story.narrative.format(**slots),
        "measures_taken": draw_measures(rng, category) if rng.random() < 0.7 else "",
        "lessons_learned": rng.choice(narratives.LESSONS[category]) if rng.random() < 0.35 else "",
    }
    if rng.random() < 0.6:
        content["latitude"] = round(place.latitude + rng.uniform(-0.003, 0.003), 5)
        content["longitude"] = round(place.longitude + rng.uniform(-0.003, 0.003), 5)
    return content


def draw_modus(rng: random.Random, port_spec) -> str:
    """How the drugs came; nothing is dropped off at sea or hidden on a hull at an inland port."""
    at_sea = port_spec is not None and port_spec.locode not in INLAND_LOCODES
    weights = {modus: weight for modus, weight in MODUS_WEIGHTS.items() if at_sea or modus not in SEA_ONLY_MODI}
    return pick(rng, weights)


def draw_measures(rng: random.Random, category: str) -> str:
    measures = narratives.MEASURES[category]
    return " ".join(rng.sample(measures, k=min(2, len(measures))))


def draw_place(rng: random.Random, spec: OrganisationSpec):
    """Ports report at their own ports; police, customs and authorities at anyone's; the
    waterway operator along its canals (no port of its own)."""
    if spec.places:
        return None, rng.choice(spec.places)
    ports = spec.ports or tuple(port for org in ORGANISATIONS for port in org.ports)
    # The first port of an organisation is its busiest (Antwerp before Zeebrugge).
    weights = [3 if i == 0 else 1 for i in range(len(ports))] if spec.ports else [
        6 if port.locode == "BEANR" else 1 for port in ports]
    port = rng.choices(ports, weights=weights)[0]
    return port, rng.choice(port.places)


def nearest_port_name(place: Place) -> str:
    ports = [port for org in ORGANISATIONS for port in org.ports]
    return min(ports, key=lambda p: math.dist((p.latitude, p.longitude), (place.latitude, place.longitude))).name


def draw_moment(rng: random.Random, category: str, story: narratives.Story, now: datetime) -> datetime:
    """A moment in the year before `now`: at night when the story says so, mostly at night for
    the categories that happen at night, else in working hours."""
    day = now.astimezone(LOCAL).date() - timedelta(days=rng.randint(1, 364))
    at_night = "night" in story.title + story.narrative or (category in NIGHT_CATEGORIES and rng.random() < 0.75)
    hour = rng.choice([22, 23, 0, 1, 2, 3, 4]) if at_night else rng.randint(7, 19)
    return datetime(day.year, day.month, day.day, hour, rng.randrange(0, 60, 5), tzinfo=LOCAL)


def draw_slots(rng: random.Random, place: Place, port_name: str, occurred_at: datetime) -> dict:
    """Values for a story's {slots}; the time matches when the report says it happened."""
    return {
        "place": place.name,
        "port": port_name,
        "time": occurred_at.strftime("%H:%M"),
        "container": recurring(rng, "container", container_number),
        "vessel": rng.choice(narratives.VESSELS),
        "origin": rng.choice(narratives.ORIGINS),
        "transhipment": rng.choice(narratives.TRANSHIPMENTS),
        "cargo": rng.choice(narratives.CARGOES),
        "kg": rng.choice([85, 120, 240, 310, 450, 600, 980, 1200, 2400]),
        "bags": rng.randint(3, 14),
        "count": rng.randint(2, 6),
        "days": rng.randint(2, 6),
        "hours": rng.randint(2, 9),
        "minutes": rng.randint(4, 25),
        "altitude": rng.choice([40, 60, 80, 110]),
        "seal": f"{rng.choice('ABCHKM')}{rng.randint(1000000, 9999999)}",
        "plate": recurring(rng, "plate", licence_plate),
        "badge": f"{rng.choice('ABGKTZ')}{rng.choice('ABCDEF')}-{rng.randint(10000, 99999)}",
        "domain": rng.choice(narratives.PHISHING_DOMAINS),
    }


# A few containers and vehicles come back at several ports over the year, the way a clone
# container or an extraction team's van does: what the correlation and the waterbed view show.
RECURRING = {}
RECURRING_SHARE = 0.3


def recurring(rng: random.Random, kind: str, make) -> str:
    """Most values are new; some are drawn from a small pool that recurs across ports."""
    pool = RECURRING.setdefault(kind, [])
    if len(pool) < 8:
        pool.append(make(rng))
    return rng.choice(pool) if rng.random() < RECURRING_SHARE else make(rng)


def container_number(rng: random.Random) -> str:
    """An ISO 6346 container number with a correct check digit."""
    owner = rng.choice(narratives.CONTAINER_OWNERS)
    serial = f"{rng.randint(0, 999999):06d}"
    return f"{owner}{serial}{iso6346_check_digit(owner + serial)}"


def iso6346_check_digit(code: str) -> int:
    # Letters count from 10 upwards, skipping multiples of 11; each position doubles the weight.
    values = {}
    value = 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if value % 11 == 0:
            value += 1
        values[letter] = value
        value += 1
    total = sum((values[ch] if ch.isalpha() else int(ch)) * 2**i for i, ch in enumerate(code))
    return total % 11 % 10


def licence_plate(rng: random.Random) -> str:
    """A Belgian (1-ABC-234) or Dutch (AB-123-C) style plate."""
    letters = "BCDFGHJKLNPRSTXZ"
    if rng.random() < 0.75:
        return f"{rng.randint(1, 2)}-{''.join(rng.choices(letters, k=3))}-{rng.randint(100, 999)}"
    return f"{''.join(rng.choices(letters, k=2))}-{rng.randint(100, 999)}-{rng.choice(letters)}"


# --- who receives it ----------------------------------------------------------------------


def draw_marking(rng: random.Random, network: Network, spec: OrganisationSpec, author, category: str) -> dict:
    """A TLP label, then an audience the label allows, with its recipients."""
    tlp = pick(rng, LABEL_WEIGHTS)
    if tlp == Tlp.RED:
        return {"tlp": tlp, "audience": Audience.PEOPLE,
                "recipient_people": red_recipients(rng, network, spec.slug, author)}
    audience = pick(rng, AUDIENCE_WEIGHTS[tlp])
    group = group_for(rng, network, spec.slug, category) if audience == Audience.GROUP else None
    if audience == Audience.GROUP and group is None:
        audience = Audience.NETWORK
    marking = {"tlp": tlp, "audience": audience}
    if group is not None:
        marking["sharing_group"] = group
    if audience == Audience.ORGANISATIONS:
        marking["recipient_orgs"] = recipient_organisations(rng, network, spec.slug)
    return marking


def red_recipients(rng: random.Random, network: Network, owner_slug: str, author) -> list:
    """One to three named people elsewhere, mostly police and customs analysts, among those a
    RED report of this organisation may name (its members and its sharing-group partners)."""
    nameable = set(people_nameable_for([network.organisations[owner_slug].pk]).values_list("pk", flat=True))
    enforcement = [user for slug in ENFORCEMENT for user in network.with_role(slug, Role.ANALYST, Role.SECURITY_OFFICER)
                   if user != author and user.pk in nameable]
    officers = [user for slug in network.people for user in network.with_role(slug, Role.SECURITY_OFFICER)
                if user != author and user.pk in nameable]
    if not enforcement:
        enforcement = officers
    chosen = [*rng.sample(enforcement, k=min(1, len(enforcement))), *rng.sample(officers, k=min(len(officers), rng.randint(0, 2)))]
    return list(dict.fromkeys(chosen))


def recipient_organisations(rng: random.Random, network: Network, owner_slug: str) -> list:
    """Police or customs, and sometimes another port or the drug commissioner."""
    candidates = [slug for slug in network.organisations if slug != owner_slug]
    enforcement = [slug for slug in ENFORCEMENT if slug != owner_slug]
    slugs = [rng.choice(enforcement)] + rng.sample(candidates, k=rng.randint(0, 2))
    return [network.organisations[slug] for slug in dict.fromkeys(slugs)]


def group_for(rng: random.Random, network: Network, slug: str, category: str):
    """The working group for the subject (drones to the drones group, the rest to the drugs
    group) if the author's organisation sits in it, else any group it sits in."""
    mine = [(name, group) for name, (group, members) in network.groups.items() if slug in members]
    topical = [group for name, group in mine if (category == Category.DRONE) == name.startswith("Drones")]
    if topical:
        return topical[0]
    return rng.choice(mine)[1] if mine else None


# --- comments ------------------------------------------------------------------------------


def add_comments(rng: random.Random, network: Network, report: Report, author) -> int:
    """Some readers remark on the report; only people who may read it and may comment do."""
    if rng.random() >= 0.4:
        return 0
    texts = narratives.COMMENTS.get(report.category, ()) + narratives.COMMENTS["general"]
    pool = [user for slug in network.people for user in network.writers(slug) if user != author]
    wanted, added = rng.randint(1, 3), 0
    # A handful of candidates is enough: a RED report may have no reader who comments at all.
    for commenter in rng.sample(pool, k=10):
        if added == wanted:
            break
        if Report.objects.visible_to(commenter).filter(pk=report.pk).exists():
            report_actions.add_comment(report, acting_user=commenter, body=rng.choice(texts))
            added += 1
    return added


def add_found_indicators(report: Report, author) -> int:
    """The identifiers the narrative names (containers, plates, domains …), found the way a
    person's paste is, and added through the real action."""
    found = [c for c in extract(report.narrative) if c.confidence >= 0.6]
    if not found:
        return 0
    items = [NewIndicator(kind=c.kind, raw=c.normalised.display) for c in found]
    return len(indicator_actions.add_indicators(report, acting_user=author, items=items))
