"""`visible_to` against a small, independent reference, over random worlds.

The reference below is written from the table in ARCHITECTURE.md section 2 and
docs/sharing-rules.md, in plain Python over plain facts; it shares no code with
port2port.core.sharing. Hypothesis builds worlds of organisations, groups, people (some with
ended memberships or deactivated accounts) and reports, through the real actions, and checks
that the database query and the reference agree for every person and report.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone

from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from port2port.organisations import actions as org_actions
from port2port.organisations.models import Membership, OrganisationKind
from port2port.reports import actions as report_actions
from port2port.reports.models import Category, Report

LABELS = ["clear", "green", "amber", "amber+strict", "red"]
ROLES = ["viewer", "analyst", "security_officer", "org_admin"]
AUDIENCES_FOR = {
    "red": ["people"],
    "clear": ["owner", "organisations", "group", "network", "public"],
    **{label: ["owner", "organisations", "group", "network"] for label in ("green", "amber", "amber+strict")},
}


# --- the reference ---------------------------------------------------------------------------


@dataclass
class Facts:
    org_network: dict = field(default_factory=dict)  # org index -> member of the network
    group_members: dict = field(default_factory=dict)  # group index -> set of org indexes
    memberships: dict = field(default_factory=dict)  # person index -> {org index: (role, active)}
    account_active: dict = field(default_factory=dict)  # person index -> bool


def reference_may_read(person, report, facts: Facts, public_pages: bool) -> bool:
    public = report["tlp"] == "clear" and report["audience"] == "public" and report["status"] != "draft"
    if person is None or not facts.account_active[person]:
        return public_pages and public
    orgs = {org for org, (role, active) in facts.memberships[person].items() if active}
    officer_orgs = {org for org, (role, active) in facts.memberships[person].items()
                    if active and role in ("security_officer", "org_admin")}
    wrote_it = report["author"] == person and report["owner"] in orgs
    if report["tlp"] == "red":
        return wrote_it or (report["status"] != "draft" and person in report["people"] and bool(orgs))
    if wrote_it or report["owner"] in officer_orgs:
        return True
    if report["status"] == "draft":
        return False
    if public and public_pages:
        return True
    if report["owner"] in orgs:
        return True
    if report["audience"] == "organisations" and orgs & report["orgs"]:
        return True
    if report["audience"] == "group" and orgs & facts.group_members[report["group"]]:
        return True
    network_member = any(facts.org_network[org] for org in orgs)
    return report["audience"] in ("network", "public") and network_member


# --- random worlds -------------------------------------------------------------------------------


@st.composite
def worlds(draw):
    n_orgs = draw(st.integers(2, 4))
    org_network = {i: draw(st.booleans()) for i in range(n_orgs)}
    n_groups = draw(st.integers(1, 2))
    group_members = {g: set(draw(st.sets(st.integers(0, n_orgs - 1), min_size=1))) for g in range(n_groups)}
    n_people = draw(st.integers(2, 6))
    memberships, account_active = {}, {}
    for person in range(n_people):
        orgs = draw(st.sets(st.integers(0, n_orgs - 1), max_size=2))
        memberships[person] = {org: (draw(st.sampled_from(ROLES)), draw(st.booleans() | st.just(True))) for org in orgs}
        account_active[person] = draw(st.booleans() | st.just(True))
    facts = Facts(org_network, group_members, memberships, account_active)
    reports = draw(st.lists(report_facts(facts), min_size=1, max_size=6))
    return facts, reports, draw(st.booleans())


@st.composite
def report_facts(draw, facts: Facts):
    n_orgs, n_people = len(facts.org_network), len(facts.memberships)
    tlp = draw(st.sampled_from(LABELS))
    audience = draw(st.sampled_from(AUDIENCES_FOR[tlp]))
    owner = draw(st.integers(0, n_orgs - 1))
    group_choices = [g for g, members in facts.group_members.items() if owner in members]
    if audience == "group" and not group_choices:
        audience = "owner"
    if audience == "network" and not facts.org_network[owner]:
        audience = "owner"
    return {
        "owner": owner,
        "author": draw(st.integers(0, n_people - 1)),
        "tlp": tlp,
        "audience": audience,
        "orgs": set(draw(st.sets(st.integers(0, n_orgs - 1), min_size=1))) if audience == "organisations" else set(),
        "people": set(draw(st.sets(st.integers(0, n_people - 1), min_size=1))) if audience == "people" else set(),
        "group": draw(st.sampled_from(group_choices)) if audience == "group" else None,
        "status": draw(st.sampled_from(["draft", "shared", "closed"])),
    }


class VisibilityMatchesReference(TestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(worlds())
    def test_visible_to_agrees_with_the_reference(self, world):
        facts, reports, public_pages = world
        people, db_reports = build(facts, reports)
        with override_settings(PUBLIC_PAGES=public_pages):
            for person in [None, *people]:
                user = people[person] if person is not None else None
                seen = set(Report.objects.visible_to(user).values_list("pk", flat=True))
                for index, report in enumerate(reports):
                    expected = reference_may_read(person, report, facts, public_pages)
                    assert (db_reports[index].pk in seen) == expected, (person, report, facts)


def build(facts: Facts, reports: list[dict]):
    """Make the world through the real actions. Authors and named people get a temporary seat
    in the owner organisation while the report is filed; the drawn memberships come after."""
    admin = org_actions.create_account(acting_user=None, email="root@world.test", is_platform_admin=True)
    orgs = {i: org_actions.create_organisation(acting_user=admin, name=f"Org {i}", kind=OrganisationKind.PORT_AUTHORITY,
                                               is_network_member=member) for i, member in facts.org_network.items()}
    people = {p: org_actions.create_account(acting_user=admin, email=f"p{p}@world.test") for p in facts.memberships}
    groups = {}
    coordinator = org_actions.create_account(acting_user=admin, email="coordinator@world.test")
    for g, members in facts.group_members.items():
        owner = orgs[min(members)]
        org_actions.add_member(acting_user=admin, organisation=owner, user=coordinator, role="org_admin")
        groups[g] = org_actions.create_sharing_group(acting_user=coordinator, owner=owner, name=f"Group {g}",
                                                     members=[orgs[m] for m in members])
    db_reports = [file_report(report, orgs, people, groups) for report in reports]
    Membership.objects.all().delete()
    for person, seats in facts.memberships.items():
        for org, (role, active) in seats.items():
            Membership.objects.create(user=people[person], organisation=orgs[org], role=role, is_active=active)
        if not facts.account_active[person]:
            people[person].is_active = False
            people[person].save(update_fields=["is_active"])
    return people, db_reports


def file_report(report, orgs, people, groups):
    author, owner = people[report["author"]], orgs[report["owner"]]
    # Temporary seats in the owner organisation: the author may file, the named may be named.
    for person in {report["author"], *report["people"]}:
        Membership.objects.update_or_create(user=people[person], organisation=owner,
                                            defaults={"role": "analyst", "is_active": True})
    marking = {"tlp": report["tlp"], "audience": report["audience"],
               "recipient_orgs": [orgs[o] for o in report["orgs"]],
               "recipient_people": [people[p] for p in report["people"]],
               "sharing_group": groups[report["group"]] if report["group"] is not None else None}
    filed = report_actions.report_incident(
        acting_user=author, organisation=owner, marking=marking, share_now=report["status"] != "draft",
        title="Random report", category=Category.OTHER, narrative="…",
        occurred_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
    )
    if report["status"] == "closed":
        report_actions.close_report(filed, acting_user=author)
    return filed
