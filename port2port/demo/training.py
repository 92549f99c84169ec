"""The demo network's joint trainings, exercises and awareness campaigns, over the past and the
next six months: a drone-incident tabletop with the police, rip-off awareness for terminal staff,
ISPS drills, an AI camera operator course, a phishing and an insider-risk campaign.

Everything goes through `training.actions`. Registration is open only before a training starts,
so a past one is announced, filled, then given the dates it took place, before its organiser
records attendance and the attendees give feedback.
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from port2port.core.permissions import Role
from port2port.core.sharing import Audience, Tlp
from port2port.knowledge.models import Article, Theme
from port2port.training import actions
from port2port.training.models import RegistrationStatus, TrainingKind

SEED = 2026
LOCAL = ZoneInfo("Europe/Brussels")
COMMENTS = [
    "Realistic scenario; the hand-over to the police was the part we needed to practise.",
    "Good mix of ports. More time for the debrief next time.",
    "Useful, and the checklist is already on our control-room wall.",
    "A bit long, but the injects were close to what we see at night.",
    "",
]

TRAININGS = [
    # (organiser slug, days from today, start hour, hours, kind, theme, title, place, online, seats, tlp, audience,
    #  audience detail, who registers)
    ("north-sea-port", -55, 9, 4, TrainingKind.TABLETOP, Theme.DRONES,
     "Drone over the container quay: tabletop exercise with the police",
     "North Sea Port, John Kennedylaan 79, Ghent", "", 24, Tlp.GREEN, Audience.GROUP, "Drones working group",
     ("port-of-antwerp-bruges", "port-of-ostend", "port-of-liege", "csd-limburg", "de-vlaamse-waterweg")),
    ("port-of-ostend", -24, 7, 3, TrainingKind.DRILL, Theme.SECURITY_CHECKS,
     "ISPS drill: security level 2 at the Ro-Ro ramp", "Port of Ostend, Slijkensesteenweg 2", "", 16,
     Tlp.AMBER, Audience.OWNER, None, ("port-of-ostend",)),
    ("port-of-antwerp-bruges", -10, 13, 2, TrainingKind.AWARENESS, Theme.CYBER,
     "Phishing and CEO fraud: what terminal planners see", "", "https://meet.example.org/p2p-phishing", 60,
     Tlp.GREEN, Audience.NETWORK, None, ("port-of-antwerp-bruges", "north-sea-port", "port-of-brussels")),
    ("port-of-antwerp-bruges", 12, 14, 3, TrainingKind.AWARENESS, Theme.INSPECTIONS,
     "Rip-off awareness for terminal staff: spotting the signs", "Port House, Zaha Hadidplein 1, Antwerp", "", 40,
     Tlp.GREEN, Audience.NETWORK, None, ("port-of-antwerp-bruges", "north-sea-port", "port-of-ostend", "customs-and-excise")),
    ("port-of-antwerp-bruges", 38, 9, 7, TrainingKind.COURSE, Theme.AI_CAMERAS,
     "AI camera operator course: alarms, false positives and privacy", "Zeebrugge, Port Security Centre", "", 6,
     Tlp.GREEN, Audience.ORGANISATIONS, ("north-sea-port", "port-of-liege", "port-of-brussels"),
     ("port-of-antwerp-bruges", "north-sea-port", "port-of-liege", "port-of-brussels")),
    ("csd-limburg", 75, 10, 3, TrainingKind.TABLETOP, Theme.INSIDER_RISK,
     "Insider recruitment by criminal networks: tabletop", "Federal Police, Hasselt", "", 20,
     Tlp.AMBER, Audience.GROUP, "Drugs working group", ("port-of-antwerp-bruges", "north-sea-port", "customs-and-excise")),
    ("port-of-liege", 120, 8, 4, TrainingKind.LIVE, Theme.ACCESS_CONTROL,
     "Live exercise: intrusion at the Renory container terminal", "Port of Liège, Renory terminal", "", 30,
     Tlp.GREEN, Audience.NETWORK, None, ("port-of-liege", "port-of-brussels", "de-vlaamse-waterweg")),
    ("north-sea-port", 160, 9, 3, TrainingKind.DRILL, Theme.DRONES,
     "Drone detection drill at the Terneuzen locks", "Terneuzen, Westbuitenhaven", "", 18,
     Tlp.GREEN, Audience.GROUP, "Drones working group", ("north-sea-port", "port-of-antwerp-bruges", "de-vlaamse-waterweg")),
]

CAMPAIGNS = [
    ("port-of-antwerp-bruges", -40, 50, Theme.CYBER, "Think before you click: phishing awareness",
     "Posters in the control rooms, a short quiz and a test e-mail for every planner and gate clerk.",
     Tlp.GREEN, Audience.NETWORK, None,
     {"port-of-antwerp-bruges": (1850, 22), "north-sea-port": (940, 11), "port-of-ostend": (210, 4), "port-of-liege": (160, 3)}),
    ("national-drug-commissioner", 20, 90, Theme.INSIDER_RISK, "Not for sale: insider-risk awareness in the ports",
     "How criminal networks approach dockers, drivers and clerks, and where to report an approach safely.",
     Tlp.AMBER, Audience.GROUP, "Drugs working group",
     {"port-of-antwerp-bruges": (0, 0), "north-sea-port": (0, 0), "customs-and-excise": (0, 0)}),
]


def populate(network, now) -> None:
    rng = random.Random(SEED)
    for spec in TRAININGS:
        _training(rng, network, now, *spec)
    for spec in CAMPAIGNS:
        _campaign(network, now, *spec)


def _officer(network, slug):
    return network.with_role(slug, Role.SECURITY_OFFICER)[0]


def _marking(network, tlp, audience, detail) -> dict:
    marking = {"tlp": tlp, "audience": audience}
    if audience == Audience.GROUP:
        marking["sharing_group"] = network.groups[detail][0]
    if audience == Audience.ORGANISATIONS:
        marking["recipient_orgs"] = [network.organisations[slug] for slug in detail]
    return marking


def _materials(organiser, theme) -> list:
    # Whatever knowledge the demo already holds on the theme and the organiser may read.
    return list(Article.objects.visible_to(organiser).filter(theme=theme, status="shared").order_by("pk")[:2])


def _local(now, days, hour) -> datetime:
    day = (now.astimezone(LOCAL) + timedelta(days=days)).date()
    return datetime.combine(day, time(hour), tzinfo=LOCAL)


def _training(rng, network, now, slug, days, hour, hours, kind, theme, title, place, online, seats, tlp, audience,
              detail, registering) -> None:
    organiser = _officer(network, slug)
    starts = _local(now, days if days > 0 else 30, hour)
    training = actions.schedule_training(
        acting_user=organiser, organisation=network.organisations[slug], marking=_marking(network, tlp, audience, detail),
        materials=_materials(organiser, theme), kind=kind, title=title, theme=theme, place=place, online_url=online,
        capacity=seats, starts_at=starts, ends_at=starts + timedelta(hours=hours),
        description=f"{title}. Organised by {network.organisations[slug].name} for the network's security staff.")
    seats_taken = _register(rng, network, training, registering)
    if days < 0:
        _took_place(rng, network, organiser, training, seats_taken, _local(now, days, hour), hours)


def _register(rng, network, training, slugs) -> list:
    seats = []
    for slug in slugs:
        people = [user for user, role in network.people[slug] if role != Role.VIEWER]
        for person in rng.sample(people, k=min(len(people), rng.randint(1, 3))):
            seats.append(actions.register(training, acting_user=person))
    return seats


def _took_place(rng, network, organiser, training, seats, starts, hours) -> None:
    training = actions.edit_training(training, acting_user=organiser, starts_at=starts,
                                     ends_at=starts + timedelta(hours=hours))
    for seat in seats:
        if seat.status != RegistrationStatus.REGISTERED:
            continue
        came = rng.random() < 0.85
        actions.mark_attendance(seat, acting_user=organiser, attended=came)
        if came and rng.random() < 0.7:
            seat.refresh_from_db()
            actions.give_feedback(seat, acting_user=seat.person, rating=rng.choice([3, 4, 4, 5, 5]),
                                  comment=rng.choice(COMMENTS))


def _campaign(network, now, slug, days, length, theme, title, description, tlp, audience, detail, reach) -> None:
    organiser = _officer(network, slug)
    first = (now.astimezone(LOCAL) + timedelta(days=days)).date()
    campaign = actions.launch_campaign(
        acting_user=organiser, organisation=network.organisations[slug], marking=_marking(network, tlp, audience, detail),
        materials=_materials(organiser, theme), title=title, theme=theme, description=description,
        starts_on=first, ends_on=first + timedelta(days=length))
    for participant, (people, sessions) in reach.items():
        officer = _officer(network, participant)
        organisation = network.organisations[participant]
        if participant != slug:
            actions.join_campaign(campaign, acting_user=officer, organisation=organisation)
        if people:
            actions.report_reach(campaign, acting_user=officer, organisation=organisation,
                                 people_reached=people, sessions_held=sessions)
