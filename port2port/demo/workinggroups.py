"""The demo's working groups: the Drugs and Drones sharing groups run as working groups, each
with a coordinator, a delegate, a year of quarterly meetings with minutes, decisions and actions
(older ones done, recent ones open, one overdue), a cancelled meeting and two ahead with their
agenda. Everything through the real actions."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from port2port.core.permissions import Role
from port2port.workinggroups import actions
from port2port.workinggroups.models import MeetingStatus

LOCAL = ZoneInfo("Europe/Brussels")
DRUGS, DRONES = "Drugs working group", "Drones working group"


@dataclass(frozen=True)
class Act:
    title: str
    owner: tuple[str, str]  # (organisation slug, role)
    due_in_days: int  # after the meeting
    done: bool = False


@dataclass(frozen=True)
class MeetingSpec:
    title: str
    days_from_now: int
    place: str = ""
    online: bool = False
    agenda: str = ""
    minutes: str = ""
    decisions: tuple[str, ...] = ()
    actions: tuple[Act, ...] = field(default_factory=tuple)
    cancelled: bool = False


@dataclass(frozen=True)
class GroupPlan:
    coordinator: tuple[str, str]
    delegate: tuple[str, str]
    meetings: tuple[MeetingSpec, ...]


OFFICER, ANALYST = Role.SECURITY_OFFICER, Role.ANALYST
AB, NSP, OST, BRU, LIE, DVW = ("port-of-antwerp-bruges", "north-sea-port", "port-of-ostend", "port-of-brussels",
                               "port-of-liege", "de-vlaamse-waterweg")
CSD, CUSTOMS, NDC, NMSA = "csd-limburg", "customs-and-excise", "national-drug-commissioner", "national-maritime-security-authority"

PLANS = {
    DRUGS: GroupPlan(
        coordinator=(AB, OFFICER), delegate=(CSD, ANALYST),
        meetings=(
            MeetingSpec(
                "Plenary: PIN code fraud and container release", -330, place="Antwerp, Havenhuis, room Scheldt",
                agenda="1. Cases of PIN code fraud since January\n2. Certified Pick-up: state of play\n3. Any other business",
                minutes="## PIN code fraud\nCustoms presented **14 cases** of PIN codes intercepted or sold since January, "
                        "mostly through compromised forwarder mailboxes.\n\n## Certified Pick-up\nAntwerp-Bruges showed the "
                        "first months of identity-based release on two terminals: no fraudulent pick-up so far.",
                decisions=("Adopt identity-based container release as a network standard by Q2.",
                           "Stop sending release PIN codes by e-mail at all member ports."),
                actions=(Act("Draft the network standard for identity-based container release", (AB, OFFICER), 45, done=True),
                         Act("Share the PIN fraud case list with the member ports (TLP:AMBER)", (CUSTOMS, OFFICER), 14, done=True)),
            ),
            MeetingSpec(
                "Reefer rip-offs: inspection on arrival", -240, online=True,
                agenda="1. Reefer cases at North Sea Port\n2. Inspection within two hours of discharge\n3. Insider vetting",
                minutes="North Sea Port described three rip-on/rip-off attempts in **reefer machinery compartments**. "
                        "Extraction teams reached the stack within hours of discharge.\n\n- Inspection on arrival for "
                        "high-risk origins is feasible at both terminals\n- Police asks for the seal numbers in every report",
                decisions=("Inspect reefers from high-risk origins within two hours of discharge.",),
                actions=(Act("Write the reefer inspection checklist as a knowledge article", (NSP, OFFICER), 60, done=True),
                         Act("Report seal numbers as indicators in every drug report", (CSD, ANALYST), 30, done=True)),
            ),
            MeetingSpec(
                "Insider risk and vetting of port workers", -150, place="Brussels, FOD Justitie, room 2.14",
                agenda="1. Recruitment of insiders by criminal networks\n2. Vetting: legal basis\n3. Badge checks at gates",
                minutes="The National Drug Commissioner summarised recent cases of **corrupted insiders**.\n\n"
                        "- Vetting of port workers needs a legal basis; the commissioner drafts a note\n"
                        "- Badge checks at terminal gates differ per port",
                decisions=("Prepare a common vetting policy for staff with access to container stacks.",),
                actions=(Act("Draft a note on the legal basis for vetting port workers", (NDC, OFFICER), 90),
                         Act("Compare badge checks at terminal gates across the member ports", (OST, OFFICER), 60, done=True)),
            ),
            MeetingSpec(
                "Plenary: displacement to smaller ports", -55, place="Ostend, port authority, board room",
                agenda="1. Waterbed effect: figures\n2. Brussels and Ostend: what changed\n3. Next steps",
                minutes="Figures show attempts moving from Antwerp-Bruges to **smaller ports** after identity-based "
                        "release. Ostend and Brussels report more suspicious pick-ups.",
                decisions=("Extend identity-based release to the ports of Ostend and Brussels.",),
                actions=(Act("Plan identity-based release at the port of Ostend", (OST, OFFICER), 75),
                         Act("Weekly displacement figures to the working group", (CSD, ANALYST), 21)),
            ),
            MeetingSpec("Extra meeting on the Ostend case", -20, online=True, cancelled=True,
                        agenda="1. The Ostend case (moved to the next plenary)"),
            MeetingSpec("Plenary: one year of identity-based release", 18, place="Antwerp, Havenhuis, room Scheldt",
                        agenda="1. Evaluation of identity-based release\n2. Vetting policy: draft\n3. Work plan for next year"),
            MeetingSpec("Joint session with the Drones working group", 110, online=True,
                        agenda="1. Drones used for counter-surveillance by smuggling networks\n2. Shared reporting"),
        ),
    ),
    DRONES: GroupPlan(
        coordinator=(NSP, OFFICER), delegate=(OST, OFFICER),
        meetings=(
            MeetingSpec(
                "Kick-off: drones over port areas", -300, place="Ghent, North Sea Port, Kennedylaan",
                agenda="1. Drone sightings last year\n2. Detection technologies: RF, radar, Remote ID\n3. Legal limits of response",
                minutes="Members reported **drone sightings** over quays, locks and tank farms, mostly at night.\n\n"
                        "- RF detection finds most consumer drones\n- Remote ID receivers are cheap but miss modified drones\n"
                        "- No member may jam or take down a drone; police must be called",
                decisions=("Share every drone sighting with the working group within 24 hours.",),
                actions=(Act("Survey the detection systems already installed at each port", (NSP, ANALYST), 45, done=True),),
            ),
            MeetingSpec(
                "Detection pilots at critical quays", -200, online=True,
                agenda="1. Survey results\n2. Choosing two pilot sites\n3. Procurement",
                minutes="The survey shows detection at **two of seven** members. Liège and Brussels have none.",
                decisions=("Pilot RF drone detection at two critical quays.",),
                actions=(Act("Prepare the tender for RF detection at two quays", (NSP, OFFICER), 60, done=True),
                         Act("Choose the pilot quay at the port of Liège", (LIE, OFFICER), 30, done=True)),
            ),
            MeetingSpec(
                "Pilot results and response procedure", -90, place="Liège, Port autonome, salle Meuse",
                agenda="1. First results of the pilots\n2. Response procedure with the police\n3. Inland waterways",
                minutes="The pilots detected **41 flights** in ten weeks, 6 of them at night over the container stacks.\n\n"
                        "| Site | Flights | At night |\n|---|---|---|\n| Ghent | 27 | 4 |\n| Liège | 14 | 2 |",
                decisions=("Adopt a common response procedure: detect, locate the pilot, call the police.",
                           "Extend detection to the locks of De Vlaamse Waterweg."),
                actions=(Act("Write the response procedure as a knowledge article", (NSP, OFFICER), 30, done=True),
                         Act("Study detection at the locks of Wintam and Evergem", (DVW, OFFICER), 45),
                         Act("Agree on a police call-out number for drone incidents", (CSD, ANALYST), 21)),
            ),
            MeetingSpec(
                "AI camera analytics for perimeter intrusions", -25, online=True,
                agenda="1. AI cameras at Antwerp-Bruges\n2. Privacy: what is recorded\n3. Link with drone detection",
                minutes="Antwerp-Bruges presented **AI camera perimeter analytics** on two terminals. The national "
                        "authority reminded members that faces are not stored.",
                decisions=("Evaluate AI camera perimeter analytics at one more port before proposing a measure.",),
                actions=(Act("Host a site visit of the AI camera room", (AB, OFFICER), 40),),
            ),
            MeetingSpec("Plenary: a network standard for drone detection", 30, place="Ghent, North Sea Port, Kennedylaan",
                        agenda="1. Pilot evaluation\n2. Proposal: drone detection at critical quays as a network measure\n"
                               "3. Budget"),
        ),
    ),
}


def _person(network, spec: tuple[str, str]):
    slug, role = spec
    return network.with_role(slug, role)[0]


def _moment(now, days: int) -> datetime:
    day = (now + timedelta(days=days)).astimezone(LOCAL).date()
    return datetime.combine(day, time(10, 0), tzinfo=LOCAL)


def populate(network, now) -> None:
    for name, plan in PLANS.items():
        group, _members = network.groups[name]
        coordinator = _coordinator(network, group, plan)
        actions.name_delegate(group, acting_user=coordinator, person=_person(network, plan.delegate))
        for spec in plan.meetings:
            _meeting(network, group, coordinator, spec, now)


def _coordinator(network, group, plan: GroupPlan):
    """The group's coordinator; appointed by the owner's admin unless the measures demo did already."""
    group.refresh_from_db()
    if group.coordinator_id is None:
        owner_admin = network.with_role(group.owner.slug, Role.ORG_ADMIN)[0]
        actions.appoint_coordinator(group, acting_user=owner_admin, coordinator=_person(network, plan.coordinator))
        group.refresh_from_db()
    return group.coordinator


def _meeting(network, group, coordinator, spec: MeetingSpec, now) -> None:
    starts_at = _moment(now, spec.days_from_now)
    held = starts_at < now and not spec.cancelled
    status = MeetingStatus.CANCELLED if spec.cancelled else MeetingStatus.HELD if held else MeetingStatus.PLANNED
    meeting = actions.plan_meeting(
        group, acting_user=coordinator, title=spec.title, starts_at=starts_at, place=spec.place,
        online_url=f"https://meet.port2port.demo/{group.pk}-{abs(spec.days_from_now)}" if spec.online else "",
        agenda=spec.agenda, minutes=spec.minutes, status=status,
    )
    for text in spec.decisions:
        actions.record_decision(meeting, acting_user=coordinator, text=text)
    for act in spec.actions:
        owner = _person(network, act.owner)
        item = actions.assign_action_item(meeting, acting_user=coordinator, title=act.title, owner=owner,
                                          due_on=starts_at.date() + timedelta(days=act.due_in_days))
        if act.done:
            actions.mark_action_item(item, acting_user=owner, done=True)
