"""The personas every test module shares, set up through the real actions.

Port A (Antwerp) and partner port B (North Sea Port) sit together in the "Drugs" sharing group;
port C (Liège here) is an outsider: not a network member, in no group. A police directorate is
a network member in the group too. Nobody is anyone's friend by accident.
"""

from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from django.test import Client

from port2port.core.permissions import Role
from port2port.core.sharing import Audience, Tlp
from port2port.organisations import actions as org_actions
from port2port.organisations.models import OrganisationKind
from port2port.reports import actions as report_actions
from port2port.reports.models import Category


@dataclass
class World:
    platform_admin: object
    org_a: object
    org_b: object
    org_c: object
    police: object
    port_a: object
    port_b: object
    port_c: object
    analyst_a: object
    officer_a: object
    admin_a: object
    analyst_b: object
    red_reader_b: object
    outsider_c: object
    police_analyst: object
    drugs_group: object

    def report(self, author=None, organisation=None, *, tlp=Tlp.AMBER, audience=Audience.NETWORK,
               share_now=True, **overrides):
        """File a report through the real action; by default an AMBER report to the network."""
        author = author or self.analyst_a
        organisation = organisation or self.org_a
        marking = {"tlp": tlp, "audience": audience}
        for key in ("recipient_orgs", "recipient_people", "sharing_group"):
            if key in overrides:
                marking[key] = overrides.pop(key)
        content = {
            "title": "Rip-off attempt at quay 1742",
            "category": Category.DRUG_SMUGGLING,
            "port": self.port_a if organisation == self.org_a else None,
            "occurred_at": datetime(2026, 3, 4, 2, 30, tzinfo=timezone.utc),
            "narrative": "Two men in high-visibility vests opened a reefer container at night.",
            **overrides,
        }
        return report_actions.report_incident(
            acting_user=author, organisation=organisation, marking=marking, share_now=share_now, **content
        )


def _person(admin, email, org=None, role=Role.ANALYST, name=""):
    user = org_actions.create_account(acting_user=admin, email=email, full_name=name, password="correct horse battery")
    if org is not None:
        org_actions.add_member(acting_user=admin, organisation=org, user=user, role=role)
    return user


@pytest.fixture
def world(db) -> World:
    admin = org_actions.create_account(acting_user=None, email="platform@p2p.test", password="correct horse battery",
                                       is_platform_admin=True, full_name="Pat Platform")

    def org(name, kind, network=True):
        return org_actions.create_organisation(acting_user=admin, name=name, kind=kind, is_network_member=network)

    org_a = org("Port A", OrganisationKind.PORT_AUTHORITY)
    org_b = org("Port B", OrganisationKind.PORT_AUTHORITY)
    org_c = org("Port C", OrganisationKind.INLAND_PORT, network=False)
    police = org("Police Directorate", OrganisationKind.POLICE)
    port = org_actions.add_port
    port_a = port(acting_user=admin, organisation=org_a, locode="BEANR", name="Antwerp", latitude=51.26, longitude=4.40)
    port_b = port(acting_user=admin, organisation=org_b, locode="BEGNE", name="Ghent", latitude=51.06, longitude=3.73)
    port_c = port(acting_user=admin, organisation=org_c, locode="BELGG", name="Liège", latitude=50.63, longitude=5.57)
    admin_a = _person(admin, "admin.a@p2p.test", org_a, Role.ORG_ADMIN, "Anna Admin")
    group = org_actions.create_sharing_group(acting_user=admin_a, owner=org_a, name="Drugs", members=[org_b, police])
    return World(
        platform_admin=admin, org_a=org_a, org_b=org_b, org_c=org_c, police=police,
        port_a=port_a, port_b=port_b, port_c=port_c,
        analyst_a=_person(admin, "analyst.a@p2p.test", org_a, Role.ANALYST, "Arne Analyst"),
        officer_a=_person(admin, "officer.a@p2p.test", org_a, Role.SECURITY_OFFICER, "Olga Officer"),
        admin_a=admin_a,
        analyst_b=_person(admin, "analyst.b@p2p.test", org_b, Role.ANALYST, "Bart Analyst"),
        red_reader_b=_person(admin, "red.b@p2p.test", org_b, Role.VIEWER, "Rita Recipient"),
        outsider_c=_person(admin, "outsider.c@p2p.test", org_c, Role.ORG_ADMIN, "Oscar Outsider"),
        police_analyst=_person(admin, "analyst@police.test", police, Role.ANALYST, "Paula Police"),
        drugs_group=group,
    )


@pytest.fixture
def client_for():
    """A test client signed in as the given person (MFA is satisfied by the session here;
    the MFA tests sign in through the real pages)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _mfa_checked_elsewhere(settings):
    # The MFA requirement has its own tests (accounts/tests/test_mfa.py); elsewhere a session
    # made by force_login stands for a person who passed it.
    settings.MFA_REQUIRED = False


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    # A request activates its person's language for the whole thread and nothing switches it
    # back; without this, a test after a Dutch-speaking request would render in Dutch.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_in_the_live_server():
    # Browser tests run against Django's live server, which shares the test's in-memory SQLite
    # connection with its request threads. A page and the alerts badge it loads at once would
    # use that one connection from two threads ("bad parameter or other API misuse"). Served
    # one request at a time (Django then closes each connection), they never overlap. A real
    # server has a connection per thread and is not concerned.
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # The live server thread itself holds the shared connections (LiveServerThread.run).
            super().__init__(*args, **kwargs)

    LiveServerThread.server_class = OneAtATime
