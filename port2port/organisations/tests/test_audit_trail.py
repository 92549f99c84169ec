"""An organisation's admins read its audit trail: their people's acts and what was done to
their items. Nobody else does, platform admins included."""

from port2port.core import audit
from port2port.core.models import AuditEvent
from port2port.reports import actions as report_actions


def test_an_org_admin_sees_their_organisations_trail_only(world, client_for):
    audit.record("test.ours", actor=world.analyst_a, organisation_id=world.org_a.pk)
    audit.record("test.on_ours", actor=world.analyst_b, organisation_id=world.org_b.pk, subject_organisation_id=world.org_a.pk)
    audit.record("test.theirs", actor=world.analyst_b, organisation_id=world.org_b.pk, subject_organisation_id=world.org_b.pk)
    page = client_for(world.admin_a).get("/organisations/port-a/audit/")
    assert page.status_code == 200
    assert b"test.ours" in page.content and b"test.on_ours" in page.content
    assert b"test.theirs" not in page.content
    content = page.content.decode()
    assert content.index("test.on_ours") < content.index("test.ours")  # newest first


def test_a_read_of_our_report_by_a_partner_shows_in_our_trail(world, client_for):
    report = world.report(world.analyst_a, tlp="amber")
    report_actions.record_read(report, reader=world.analyst_b, channel="web")
    page = client_for(world.admin_a).get("/organisations/port-a/audit/?action=reports.read")
    assert b"analyst.b@p2p.test" in page.content and b"<code>reports.create</code>" not in page.content
    # The trail carries no content of the report.
    assert report.title.encode() not in page.content and report.narrative.encode() not in page.content


def test_the_trail_is_paginated(world, client_for):
    for index in range(60):
        audit.record("test.bulk", organisation_id=world.org_a.pk, detail={"n": index})
    client = client_for(world.admin_a)
    first = client.get("/organisations/port-a/audit/?action=test.bulk")
    assert b"Page 1 of 2" in first.content and b"action=test.bulk&amp;page=2" in first.content
    second = client.get("/organisations/port-a/audit/?action=test.bulk&page=2")
    assert second.status_code == 200 and b"Page 2 of 2" in second.content


def test_an_unknown_filter_shows_everything_rather_than_failing(world, client_for):
    response = client_for(world.admin_a).get("/organisations/port-a/audit/?action=<script>&page=abc")
    assert response.status_code == 200 and b"<script>" not in response.content


def test_members_who_are_not_admins_get_403(world, client_for):
    assert client_for(world.officer_a).get("/organisations/port-a/audit/").status_code == 403


def test_platform_admins_and_outsiders_do_not_get_other_organisations_trails(world, client_for):
    for person in (world.platform_admin, world.outsider_c, world.analyst_b):
        assert client_for(person).get("/organisations/port-a/audit/").status_code == 404


def test_the_trail_page_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    for index in range(30):
        audit.record("test.bulk", actor=world.analyst_a, organisation_id=world.org_a.pk, subject_organisation_id=world.org_b.pk)
    client = client_for(world.admin_a)
    with django_assert_max_num_queries(12):
        assert client.get("/organisations/port-a/audit/").status_code == 200
    assert AuditEvent.objects.count() > 30
