"""A small catalogue on top of the shared personas: the Drugs group becomes a working group
coordinated by Bart (an analyst at port B: coordinating is a seat, not a role), port A proposes,
Bart adopts. Everything through the real actions."""

from datetime import date

import pytest

from port2port.core.permissions import Role
from port2port.measures import actions
from port2port.measures.models import FacilityKind, Level, Threat
from port2port.organisations import actions as org_actions
from port2port.organisations.models import OrganisationKind
from port2port.workinggroups import actions as wg_actions

ADOPTED_ON = date(2025, 1, 15)


def propose(world, title="Identity-based container release", *, organisation=None, user=None, group="drugs", **extra):
    content = {
        "title": title, "description": "Release containers to an identified driver instead of a PIN code.",
        "theme": "access_control", "threats": [Threat.PIN_FRAUD, Threat.RIP_ON_RIP_OFF],
        "legal_reference": "ISPS A/16.3", "facility_kinds": [FacilityKind.CONTAINER_TERMINAL],
        "level": Level.BASELINE, "working_group": world.drugs_group if group == "drugs" else group, **extra,
    }
    return actions.propose_measure(acting_user=user or world.officer_a, organisation=organisation or world.org_a,
                                   **content)


def adopt(world, measure, on=ADOPTED_ON):
    return actions.adopt_measure(measure, acting_user=world.analyst_b, adopted_on=on, note="Agreed in plenary.")


@pytest.fixture
def wg(world):
    return wg_actions.appoint_coordinator(world.drugs_group, acting_user=world.admin_a, coordinator=world.analyst_b)


@pytest.fixture
def measure(world, wg):
    return adopt(world, propose(world))


@pytest.fixture
def officers(world):
    """Security officers who assess: A's, B's and the police's, plus two more network ports."""
    admin = world.platform_admin
    people = {"a": world.officer_a}
    for key, org in (("b", world.org_b), ("police", world.police)):
        user = org_actions.create_account(acting_user=admin, email=f"officer.{key}@p2p.test", full_name=f"Officer {key}",
                                          password="correct horse battery")
        org_actions.add_member(acting_user=admin, organisation=org, user=user, role=Role.SECURITY_OFFICER)
        people[key] = user
    for key in ("d", "e"):
        org = org_actions.create_organisation(acting_user=admin, name=f"Port {key.upper()}", kind=OrganisationKind.PORT_AUTHORITY)
        user = org_actions.create_account(acting_user=admin, email=f"officer.{key}@p2p.test", full_name=f"Officer {key}",
                                          password="correct horse battery")
        org_actions.add_member(acting_user=admin, organisation=org, user=user, role=Role.SECURITY_OFFICER)
        people[key] = user
    return people


def org_of(user):
    return user.memberships.get().organisation


def assess(user, measure, status="implemented", **extra):
    if status in ("planned", "partly"):
        extra.setdefault("target_date", date(2027, 6, 30))
    return actions.record_assessment(acting_user=user, organisation=org_of(user), measure=measure, status=status, **extra)


from port2port.reports.tests.api_helpers import Api as _Api  # noqa: E402


class Api(_Api):
    """The reports tests' API client, with PUT (the disclosure setting is replaced whole)."""

    def put(self, path, body=None, *, raw=None, **headers):
        return self._send("put", path, body, raw, headers)
