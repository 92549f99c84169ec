"""The demo's common measures: a catalogue of about twenty measures the Belgian working groups
proposed and adopted, and the ports' self-assessments against them over the past eighteen
months, with a mix of disclosure choices. Everything through the real actions."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from port2port.core.permissions import Role
from port2port.core.sharing import Status
from port2port.knowledge.models import Article
from port2port.measures import actions
from port2port.measures.models import AssessmentStatus, FacilityKind as F, Level, Measure, Threat as T
from port2port.workinggroups import actions as wg_actions

SEED = 2031
DRUGS, DRONES = "Drugs working group", "Drones working group"
# Who coordinates each group, if the working-group demo has not appointed anyone yet.
COORDINATORS = {DRUGS: "port-of-antwerp-bruges", DRONES: "north-sea-port"}
ASSESSING = ("port-of-antwerp-bruges", "north-sea-port", "port-of-ostend", "port-of-liege", "port-of-brussels",
             "de-vlaamse-waterweg")
INLAND = {"port-of-liege", "port-of-brussels", "de-vlaamse-waterweg"}
# What each organisation lets the network see (Ostend and Brussels keep the default, status
# only). Liège shows nothing, so its answers count in no network figure; the others show
# enough for most themes to rest on at least three organisations.
DISCLOSURE = {"port-of-antwerp-bruges": "full", "north-sea-port": "progress", "port-of-liege": "nothing",
              "de-vlaamse-waterweg": "progress"}
CONTAINER = (F.CONTAINER_TERMINAL,)
ALL_PORTS = tuple(F.values)
SEA = (F.CONTAINER_TERMINAL, F.DRY_BULK, F.LIQUID_BULK, F.RO_RO, F.PASSENGER, F.GENERAL_CARGO)


@dataclass(frozen=True)
class Spec:
    title: str
    theme: str
    threats: tuple
    legal: str
    kinds: tuple
    level: str
    group: str
    proposer: str
    description: str
    state: str = "adopted"  # adopted, proposed, retired


CATALOGUE = (
    Spec("Identity-based container release instead of PIN codes", "access_control", (T.PIN_FRAUD, T.RIP_ON_RIP_OFF, T.CORRUPTED_INSIDERS),
         "ISPS A/16.3; Royal Decree of 21 April 2007 on port security, art. 5", CONTAINER, Level.BASELINE, DRUGS, "port-of-antwerp-bruges",
         "Containers are released to a trucker identified by a personal, verified identity (Certified Pick-up) bound to the "
         "transport order, instead of a PIN code that travels by e-mail and can be sold or intercepted."),
    Spec("PIN codes sent only over the port community system, valid 24 hours", "access_control", (T.PIN_FRAUD,),
         "ISPS A/16.3", CONTAINER, Level.BASELINE, DRUGS, "port-of-antwerp-bruges",
         "Release PIN codes are no longer sent by e-mail; they travel only through the port community system and expire "
         "after 24 hours.", state="retired"),
    Spec("Reefer inspection on arrival from high-risk origins", "inspections", (T.RIP_ON_RIP_OFF, T.EXTRACTION_TEAMS),
         "ISPS B/9.38-9.40", CONTAINER, Level.RECOMMENDED, DRUGS, "north-sea-port",
         "Reefers from high-risk origins have their machinery compartment and doors checked within two hours of discharge, "
         "before extraction teams can reach them."),
    Spec("Seal verification and seal-number reconciliation at the gate", "security_checks", (T.RIP_ON_RIP_OFF, T.CLONE_CONTAINERS),
         "ISPS A/16.3.2; ISO 17712", CONTAINER + (F.RO_RO,), Level.BASELINE, DRUGS, "port-of-antwerp-bruges",
         "Every outbound container's seal is checked against the seal number in the manifest; a mismatch stops the truck."),
    Spec("Badge check with photo comparison at terminal gates", "access_control", (T.INTRUSION, T.EXTRACTION_TEAMS),
         "ISPS A/14.2.2, B/9.14", SEA, Level.BASELINE, DRUGS, "port-of-ostend",
         "Every person entering a terminal presents a personal badge; the gate compares the holder with the badge photo "
         "(in person or by camera) and refuses shared badges."),
    Spec("Container scanning with risk profiling of reefers and transshipment", "inspections", (T.RIP_ON_RIP_OFF, T.CLONE_CONTAINERS),
         "Union Customs Code art. 46; ISPS B/9.33", CONTAINER, Level.RECOMMENDED, DRUGS, "customs-and-excise",
         "Customs' risk profile selects containers for scanning; terminals make scanned boxes available within the agreed time."),
    Spec("Insider vetting and rotation of sensitive posts", "insider_risk", (T.CORRUPTED_INSIDERS,),
         "Law of 11 December 1998 on security clearances; ISPS A/18", ALL_PORTS, Level.RECOMMENDED, DRUGS, "csd-limburg",
         "Staff in sensitive posts (planning, gate, crane, reefer) hold a security verification renewed every five years "
         "and rotate posts at least every three years."),
    Spec("Confidential reporting line for approaches by criminals", "insider_risk", (T.CORRUPTED_INSIDERS,),
         "EU Directive 2019/1937 (whistle-blowers)", ALL_PORTS, Level.BASELINE, DRUGS, "port-of-antwerp-bruges",
         "Port workers who are approached or threatened can report it confidentially, 24/7, with protection."),
    Spec("Fence and lighting standard for terminal perimeters", "security_checks", (T.INTRUSION, T.EXTRACTION_TEAMS),
         "ISPS B/16.8; national perimeter guideline", SEA, Level.BASELINE, DRUGS, "north-sea-port",
         "A 2.4 m anti-climb fence with no blind spots, lit to at least 20 lux at night, inspected weekly."),
    Spec("Visitor escort in restricted areas", "access_control", (T.INTRUSION, T.STOWAWAYS),
         "ISPS A/16.3.4, B/9.9", ALL_PORTS, Level.BASELINE, DRUGS, "port-of-ostend",
         "Visitors without a port badge are escorted at all times within restricted areas and logged in and out."),
    Spec("Patrols of the quay side of the reefer stack at night", "security_checks", (T.EXTRACTION_TEAMS, T.RIP_ON_RIP_OFF),
         "ISPS A/14.2.5", CONTAINER, Level.RECOMMENDED, DRUGS, "port-of-antwerp-bruges",
         "Unannounced patrols of the reefer stack between 22:00 and 06:00, at least twice a night."),
    Spec("Tracking of trucks between gate-in and pick-up", "access_control", (T.PIN_FRAUD, T.EXTRACTION_TEAMS),
         "ISPS A/16.3", CONTAINER, Level.ADVANCED, DRUGS, "north-sea-port",
         "Trucks are tracked from the gate to the stack and back; a stop outside the expected route raises an alert."),
    Spec("Drone detection at critical quays", "drones", (T.DRONE_MISUSE,),
         "Royal Decree of 10 April 2016 on remotely piloted aircraft; ISPS A/16.3", SEA + (F.INLAND_PORT,), Level.RECOMMENDED, DRONES, "north-sea-port",
         "RF and Remote ID detection covers critical quays (tankers, containers, passenger berths); detections reach the "
         "port security control room in real time."),
    Spec("Drone incident response procedure with the police", "drones", (T.DRONE_MISUSE,),
         "ISPS A/16.3.7", ALL_PORTS, Level.BASELINE, DRONES, "csd-limburg",
         "A written procedure says who calls the police, how the pilot is located and when operations stop."),
    Spec("AI camera perimeter analytics with operator confirmation", "ai_cameras", (T.INTRUSION, T.EXTRACTION_TEAMS),
         "ISPS B/16.8; GDPR art. 35 (impact assessment)", SEA + (F.INLAND_PORT,), Level.ADVANCED, DRONES, "port-of-antwerp-bruges",
         "Camera analytics flag people and vehicles crossing the perimeter; an operator confirms before anyone is sent. "
         "A data-protection impact assessment is on file."),
    Spec("Camera coverage of locks and bridges", "ai_cameras", (T.INTRUSION, T.THEFT),
         "Decree on the management of waterways", (F.LOCKS_WATERWAYS, F.INLAND_PORT), Level.RECOMMENDED, DRONES, "de-vlaamse-waterweg",
         "Locks and movable bridges are watched by cameras with recording kept 30 days."),
    Spec("Multi-factor authentication on the port community system", "cyber", (T.CYBER_ATTACKS, T.PIN_FRAUD),
         "NIS2 Directive art. 21(2)(j); Law of 26 April 2024 (NIS2)", ALL_PORTS, Level.BASELINE, DRUGS, "port-of-antwerp-bruges",
         "Every account on the port community system and terminal operating system uses a second factor."),
    Spec("Segmented network for terminal operating and gate systems", "cyber", (T.CYBER_ATTACKS,),
         "NIS2 Directive art. 21(2)", CONTAINER + (F.RO_RO,), Level.ADVANCED, DRUGS, "north-sea-port",
         "Terminal operating, gate and crane systems sit in their own segments, reachable only through monitored gateways."),
    Spec("Annual security awareness training for all port workers", "training", (T.CORRUPTED_INSIDERS, T.INTRUSION),
         "ISPS A/18.3, B/18.2", ALL_PORTS, Level.BASELINE, DRONES, "port-of-ostend",
         "All people working in the port follow awareness training once a year, covering approaches by criminals."),
    Spec("Joint drills with police and customs twice a year", "training", (T.EXTRACTION_TEAMS, T.DRONE_MISUSE),
         "ISPS A/18.5, B/18.6", SEA, Level.RECOMMENDED, DRONES, "port-of-ostend",
         "Two joint exercises a year with police and customs, one of them on a drone or extraction-team scenario.",
         state="proposed"),
    Spec("Counter-drone mitigation at passenger terminals", "drones", (T.DRONE_MISUSE,),
         "Law of 25 April 2024 on counter-drone measures", (F.PASSENGER,), Level.ADVANCED, DRONES, "port-of-ostend",
         "Passenger terminals can have a drone taken down by the police's mitigation team within 30 minutes.",
         state="proposed"),
)


def populate(network, now) -> None:
    rng = random.Random(SEED)
    coordinators = {name: _coordinator(network, name) for name in (DRUGS, DRONES)}
    measures = [_measure(network, spec, coordinators, rng, now) for spec in CATALOGUE]
    for slug, level in DISCLOSURE.items():
        actions.set_disclosure(acting_user=_officer(network, slug), organisation=network.organisations[slug], level=level)
    for spec, measure in zip(CATALOGUE, measures):
        if measure.status == "adopted":
            for slug in ASSESSING:
                _history(network, slug, spec, measure, rng, now)
    for spec, measure in zip(CATALOGUE, measures):
        if spec.state == "retired":
            actions.retire_measure(measure, acting_user=coordinators[spec.group], retired_on=timezone.localdate(now) - timedelta(days=60),
                                   note="Superseded by identity-based container release.")


def _officer(network, slug):
    return network.with_role(slug, Role.SECURITY_OFFICER)[0]


def _coordinator(network, name):
    group, _members = network.groups[name]
    if group.coordinator_id is None:
        owner_admin = network.with_role(group.owner.slug, Role.ORG_ADMIN)[0]
        wg_actions.appoint_coordinator(group, acting_user=owner_admin, coordinator=_officer(network, COORDINATORS[name]))
    return group.coordinator


def _measure(network, spec: Spec, coordinators, rng, now) -> Measure:
    group, _members = network.groups[spec.group]
    proposer = _officer(network, spec.proposer)
    articles = Article.objects.visible_to(proposer).filter(theme=spec.theme).exclude(status=Status.DRAFT)[:2]
    measure = actions.propose_measure(
        acting_user=proposer, organisation=network.organisations[spec.proposer], title=spec.title,
        description=spec.description, theme=spec.theme, threats=list(spec.threats), legal_reference=spec.legal,
        facility_kinds=list(spec.kinds), level=spec.level, working_group=group, articles=list(articles),
        note="Proposed after the working group's review of recent incidents.",
    )
    if spec.state != "proposed":
        adopted_on = timezone.localdate(now) - timedelta(days=rng.randint(500, 600))
        actions.adopt_measure(measure, acting_user=coordinators[spec.group], adopted_on=adopted_on,
                              note="Adopted in the working group's plenary meeting.")
    return measure


# From where an organisation starts towards where it goes, one step at a time.
LADDER = [AssessmentStatus.NOT_STARTED, AssessmentStatus.PLANNED, AssessmentStatus.PARTLY, AssessmentStatus.IMPLEMENTED]


def _history(network, slug: str, spec: Spec, measure: Measure, rng, now) -> None:
    """One to four answers over the past eighteen months, each a step up (or staying put)."""
    officer, organisation = _officer(network, slug), network.organisations[slug]
    applies = not (slug in INLAND and F.INLAND_PORT not in spec.kinds and F.LOCKS_WATERWAYS not in spec.kinds)
    if not applies and rng.random() < 0.7:
        actions.record_assessment(acting_user=officer, organisation=organisation, measure=measure,
                                  status=AssessmentStatus.NOT_APPLICABLE, recorded_at=now - timedelta(days=rng.randint(300, 520)),
                                  note="No container terminal on our premises.")
        return
    step = rng.choice([0, 0, 1, 1, 2])
    moments = sorted(rng.sample(range(5, 480), rng.randint(1, 4)), reverse=True)
    for days_ago in moments:
        status = LADDER[step]
        actions.record_assessment(
            acting_user=officer, organisation=organisation, measure=measure, status=status,
            maturity=min(5, step + rng.randint(0, 2)), target_date=_target(now, rng) if status in LADDER[1:3] else None,
            owner=officer, note=_note(status), evidence_text=_evidence(status, spec),
            # Antwerp-Bruges shows everything but keeps its drone answers to itself.
            disclosure="nothing" if slug == "port-of-antwerp-bruges" and spec.theme == "drones" else None,
            recorded_at=now - timedelta(days=days_ago, hours=rng.randint(0, 8)),
        )
        step = min(3, step + rng.choice([0, 1, 1]))


def _target(now, rng):
    return timezone.localdate(now) + timedelta(days=rng.randint(30, 400))


def _note(status) -> str:
    return {
        AssessmentStatus.NOT_STARTED: "Budget requested for next year.",
        AssessmentStatus.PLANNED: "Project approved by the board; tender running.",
        AssessmentStatus.PARTLY: "In place at the main terminals; smaller terminals follow.",
        AssessmentStatus.IMPLEMENTED: "In place everywhere; reviewed at the annual security audit.",
    }[status]


def _evidence(status, spec: Spec) -> str:
    if status in (AssessmentStatus.NOT_STARTED, AssessmentStatus.PLANNED):
        return ""
    return f"Internal audit of {spec.theme.replace('_', ' ')} measures; procedure reference PFSP annex 4."
