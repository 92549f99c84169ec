"""The Belgian demo network, as data: organisations, their ports and places, people, groups.

Taken from the launch of the Port 2 Port Security Platform (press release of 21 November 2025):
all Belgian sea and inland ports, their waterway operator, a police coordination directorate
and the National Drug Commissioner, with a national maritime security authority and customs.
The people are invented; their addresses use the reserved-looking `.demo` domains.
"""

from dataclasses import dataclass, field

from port2port.core.permissions import Role
from port2port.organisations.models import OrganisationKind

# One password for every demo account, printed by `port2port demo` and in the README.
DEMO_PASSWORD = "port2port-demo"


@dataclass(frozen=True)
class Place:
    """A named spot in or near a port (a dock, a lock, a gate), with real coordinates."""

    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class PortSpec:
    locode: str
    name: str
    latitude: float
    longitude: float
    places: tuple[Place, ...]


@dataclass(frozen=True)
class PersonSpec:
    email: str
    full_name: str
    role: str
    language: str = "en"


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    short_name: str
    kind: str
    domain: str
    country: str = "BE"
    ports: tuple[PortSpec, ...] = ()
    # Places outside any port where this organisation works (canals, locks).
    places: tuple[Place, ...] = ()
    people: tuple[PersonSpec, ...] = field(default_factory=tuple)
    # How many of the year's reports this organisation files, relative to the others.
    report_weight: int = 1


@dataclass(frozen=True)
class GroupSpec:
    name: str
    description: str
    owner: str  # slug
    members: tuple[str, ...]  # slugs


def _staff(domain: str, admin: str, officer: str, analyst: str, viewer: str, language: str = "en",
           extra: tuple[PersonSpec, ...] = ()) -> tuple[PersonSpec, ...]:
    """The four role accounts every demo organisation has (admin@, officer@, analyst@, viewer@),
    so a visitor can try each role anywhere, plus any named extras."""
    return (
        PersonSpec(f"admin@{domain}", admin, Role.ORG_ADMIN, language),
        PersonSpec(f"officer@{domain}", officer, Role.SECURITY_OFFICER, language),
        PersonSpec(f"analyst@{domain}", analyst, Role.ANALYST, language),
        PersonSpec(f"viewer@{domain}", viewer, Role.VIEWER, language),
        *extra,
    )


PLATFORM_ADMIN = PersonSpec("admin@port2port.demo", "Platform Administrator", "platform_admin")

ANTWERP = PortSpec("BEANR", "Antwerp", 51.2804, 4.3480, (
    Place("Deurganck dock", 51.2790, 4.2560),
    Place("Delwaide dock", 51.2970, 4.3260),
    Place("Berendrecht lock", 51.3420, 4.3010),
    Place("Churchill dock", 51.2830, 4.3740),
    Place("Kieldrecht lock", 51.2890, 4.2330),
    Place("Albert dock", 51.2480, 4.3960),
))
ZEEBRUGGE = PortSpec("BEZEE", "Zeebrugge", 51.3333, 3.2000, (
    Place("Albert II dock", 51.3460, 3.1900),
    Place("Container dock West", 51.3510, 3.1770),
    Place("Wielingen dock", 51.3300, 3.1870),
    Place("Pierre Vandamme lock", 51.3190, 3.2010),
    Place("LNG terminal", 51.3450, 3.2150),
))
GHENT = PortSpec("BEGNE", "Ghent", 51.1000, 3.7667, (
    Place("Kluizendok", 51.1700, 3.7700),
    Place("Rodenhuizedok", 51.1330, 3.7830),
    Place("Moervaartdok", 51.1000, 3.7870),
    Place("Grootdok", 51.0900, 3.7650),
))
TERNEUZEN = PortSpec("NLTNZ", "Terneuzen", 51.3333, 3.8167, (
    Place("Axelse Vlakte", 51.3180, 3.8530),
    Place("Westbuitenhaven", 51.3370, 3.8030),
    Place("Terneuzen sea locks", 51.3370, 3.8260),
))
VLISSINGEN = PortSpec("NLVLI", "Vlissingen", 51.4425, 3.5736, (
    Place("Sloehaven", 51.4460, 3.6680),
    Place("Kaloothaven", 51.4440, 3.6960),
    Place("Vlissingen-Oost", 51.4480, 3.6800),
))
LIEGE = PortSpec("BELGG", "Liège", 50.6333, 5.5667, (
    Place("Trilogiport", 50.6960, 5.6320),
    Place("Renory", 50.6000, 5.5620),
    Place("Monsin", 50.6480, 5.6150),
))
BRUSSELS = PortSpec("BEBRU", "Brussels", 50.8700, 4.3580, (
    Place("Vergote dock", 50.8690, 4.3600),
    Place("TIR centre", 50.8640, 4.3440),
    Place("Biestebroeck dock", 50.8330, 4.3120),
))
OSTEND = PortSpec("BEOST", "Ostend", 51.2300, 2.9250, (
    Place("Oostdiep", 51.2330, 2.9330),
    Place("Ro-Ro ramp", 51.2350, 2.9400),
    Place("Plassendale", 51.2150, 2.9600),
    Place("Fishing port", 51.2280, 2.9230),
))

ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        "port-of-antwerp-bruges", "Port of Antwerp-Bruges", "Antwerp-Bruges", OrganisationKind.PORT_AUTHORITY,
        "antwerp-bruges.demo", ports=(ANTWERP, ZEEBRUGGE), report_weight=34,
        people=_staff("antwerp-bruges.demo", "Sofie Janssens", "Pieter Van den Broeck", "Lotte Peeters", "Wim Claes",
                      "nl", extra=(
                          PersonSpec("karim.elamrani@antwerp-bruges.demo", "Karim El Amrani", Role.ANALYST),
                          PersonSpec("annelies.desmet@antwerp-bruges.demo", "Annelies De Smet", Role.SECURITY_OFFICER, "nl"),
                      )),
    ),
    OrganisationSpec(
        "north-sea-port", "North Sea Port", "North Sea Port", OrganisationKind.PORT_AUTHORITY,
        "northseaport.demo", ports=(GHENT, TERNEUZEN, VLISSINGEN), report_weight=20,
        people=_staff("northseaport.demo", "Bart Vermeulen", "Marieke de Jong", "Jeroen Van Damme", "Femke Bakker",
                      "nl", extra=(
                          PersonSpec("sanne.verhoeven@northseaport.demo", "Sanne Verhoeven", Role.ANALYST, "nl"),
                      )),
    ),
    OrganisationSpec(
        "port-of-liege", "Port of Liège", "Liège", OrganisationKind.INLAND_PORT,
        "portofliege.demo", ports=(LIEGE,), report_weight=6,
        people=_staff("portofliege.demo", "Julien Lambert", "Céline Dubois", "Maxime Leclercq", "Nathalie Renard", "fr"),
    ),
    OrganisationSpec(
        "port-of-brussels", "Port of Brussels", "Brussels", OrganisationKind.INLAND_PORT,
        "portofbrussels.demo", ports=(BRUSSELS,), report_weight=6,
        people=_staff("portofbrussels.demo", "Thomas Wouters", "Aïcha Benali", "Nicolas Lemaire", "Eline Maes", "fr"),
    ),
    OrganisationSpec(
        "port-of-ostend", "Port of Ostend", "Ostend", OrganisationKind.PORT_AUTHORITY,
        "portofoostende.demo", ports=(OSTEND,), report_weight=7,
        people=_staff("portofoostende.demo", "Koen Desmet", "Griet Vandenberghe", "Ruben Lievens", "Hanne Decock", "nl"),
    ),
    OrganisationSpec(
        "de-vlaamse-waterweg", "De Vlaamse Waterweg", "Vlaamse Waterweg", OrganisationKind.WATERWAY_OPERATOR,
        "vlaamsewaterweg.demo", report_weight=6,
        places=(
            Place("Albert Canal, Wijnegem lock", 51.2280, 4.5300),
            Place("Sea Canal Brussels–Scheldt, Wintam lock", 51.1040, 4.3160),
            Place("Albert Canal, Genk", 50.9700, 5.4900),
            Place("Ghent–Terneuzen canal, Zelzate bridge", 51.1990, 3.8100),
        ),
        people=_staff("vlaamsewaterweg.demo", "Dirk Mertens", "Inge Hermans", "Stijn Goossens", "Tine Jacobs", "nl"),
    ),
    OrganisationSpec(
        "csd-limburg", "Federal Police – CSD Limburg", "CSD Limburg", OrganisationKind.POLICE,
        "csd-limburg.demo", report_weight=9,
        people=_staff("csd-limburg.demo", "Luc Vanderlinden", "Kristof Geerts", "Evelien Smets", "Bram Nijs", "nl"),
    ),
    OrganisationSpec(
        "customs-and-excise", "General Administration of Customs and Excise", "Customs", OrganisationKind.CUSTOMS,
        "customs.demo", report_weight=8,
        people=_staff("customs.demo", "Marc Dupont", "Veerle Aerts", "Yannick Coppens", "Sarah Bogaerts"),
    ),
    OrganisationSpec(
        "national-drug-commissioner", "National Drug Commissioner", "Drug Commissioner", OrganisationKind.COORDINATOR,
        "drugcommissioner.demo", report_weight=1,
        people=_staff("drugcommissioner.demo", "Hilde Verbruggen", "Frederik Willems", "Laura Michiels", "Joris Stevens"),
    ),
    OrganisationSpec(
        "national-maritime-security-authority", "National Authority for Maritime Security", "NAMS",
        OrganisationKind.NATIONAL_AUTHORITY, "maritime-security.demo", report_weight=3,
        people=_staff("maritime-security.demo", "Patrick Lenaerts", "An Van Hoof", "Olivier Martin", "Elke Segers"),
    ),
)

SHARING_GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        "Drugs working group",
        "Ports, police and customs sharing what they see of drug trafficking through the ports.",
        owner="national-drug-commissioner",
        members=("port-of-antwerp-bruges", "north-sea-port", "port-of-ostend", "port-of-brussels",
                 "csd-limburg", "customs-and-excise"),
    ),
    GroupSpec(
        "Drones working group",
        "Detection of and response to drones over port areas, waterways and critical sites.",
        owner="north-sea-port",
        members=("port-of-antwerp-bruges", "port-of-ostend", "port-of-liege", "port-of-brussels",
                 "de-vlaamse-waterweg", "csd-limburg", "national-maritime-security-authority"),
    ),
)


def organisation(slug: str) -> OrganisationSpec:
    return next(spec for spec in ORGANISATIONS if spec.slug == slug)
