"""Role changes and deactivation: what a role allows changes with the next request, and a
deactivated member's sessions and keys stop at once."""

import pytest
from django.contrib.sessions.models import Session

from port2port.core.models import AuditEvent
from port2port.core.permissions import Role
from port2port.organisations import actions
from port2port.organisations.models import ApiKey, Membership, find_api_key, viewer_for
from port2port.reports.models import Report


def seat(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


def test_members_see_their_colleagues_and_admins_see_the_controls(world, client_for):
    analyst_page = client_for(world.analyst_a).get("/organisations/port-a/members/")
    assert analyst_page.status_code == 200
    assert b"olga" in analyst_page.content.lower() and b"Deactivate" not in analyst_page.content
    admin_page = client_for(world.admin_a).get("/organisations/port-a/members/")
    assert b"Deactivate" in admin_page.content and b"Invite a person" in admin_page.content


def test_an_admin_changes_a_role_and_it_counts_on_the_next_request(world, client_for):
    officer = seat(world.officer_a, world.org_a)
    report = world.report(world.analyst_a, tlp="amber", audience="owner")
    assert Report.objects.editable_by(world.officer_a).filter(pk=report.pk).exists()
    response = client_for(world.admin_a).post(f"/organisations/port-a/members/{officer.pk}/role/", {"role": Role.VIEWER})
    assert response.status_code == 302
    assert seat(world.officer_a, world.org_a).role == Role.VIEWER
    assert not Report.objects.editable_by(world.officer_a).filter(pk=report.pk).exists()
    event = AuditEvent.objects.filter(action="organisations.change_role").latest("seq")
    assert event.detail == {"user": world.officer_a.pk, "from": Role.SECURITY_OFFICER, "to": Role.VIEWER}


def test_an_unknown_role_names_the_field_and_changes_nothing(world, client_for):
    officer = seat(world.officer_a, world.org_a)
    response = client_for(world.admin_a).post(f"/organisations/port-a/members/{officer.pk}/role/", {"role": "captain"})
    assert response.status_code == 400 and b"Role:" in response.content
    assert seat(world.officer_a, world.org_a).role == Role.SECURITY_OFFICER


def test_non_admins_get_403_on_member_controls_they_can_see(world, client_for):
    analyst = seat(world.analyst_a, world.org_a)
    client = client_for(world.officer_a)
    assert client.post(f"/organisations/port-a/members/{analyst.pk}/role/", {"role": Role.ORG_ADMIN}).status_code == 403
    assert client.post(f"/organisations/port-a/members/{analyst.pk}/deactivate/").status_code == 403
    assert seat(world.analyst_a, world.org_a).role == Role.ANALYST and seat(world.analyst_a, world.org_a).is_active


def test_other_organisations_members_do_not_exist_for_outsiders(world, client_for):
    analyst = seat(world.analyst_a, world.org_a)
    for person in (world.outsider_c, world.analyst_b, world.platform_admin):
        client = client_for(person)
        assert client.get("/organisations/port-a/members/").status_code == 404
        assert client.post(f"/organisations/port-a/members/{analyst.pk}/deactivate/").status_code == 404
    # An admin of A cannot reach B's memberships through A's address either.
    bart = seat(world.analyst_b, world.org_b)
    assert client_for(world.admin_a).post(f"/organisations/port-a/members/{bart.pk}/deactivate/").status_code == 404
    assert seat(world.analyst_a, world.org_a).is_active and seat(world.analyst_b, world.org_b).is_active


def test_a_deactivated_member_gets_nothing_on_their_next_request(world, client_for):
    report = world.report(world.analyst_a, tlp="green", audience="owner")
    victim = client_for(world.analyst_a)
    assert victim.get("/organisations/port-a/").status_code == 200
    response = client_for(world.admin_a).post(f"/organisations/port-a/members/{seat(world.analyst_a, world.org_a).pk}/deactivate/")
    assert response.status_code == 302
    after = victim.get("/organisations/port-a/")
    assert after.status_code == 302 and after["Location"].startswith("/accounts/login/")
    assert victim.get(f"/reports/{report.pk}/").status_code in (302, 404)
    world.analyst_a.refresh_from_db()
    assert not world.analyst_a.is_active  # their only membership: the account closes too
    assert not Report.objects.visible_to(world.analyst_a).exists()


def test_deactivating_one_of_two_memberships_still_ends_every_session(world, client_for):
    actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=world.analyst_a, role=Role.VIEWER)
    victim = client_for(world.analyst_a)
    bystander = client_for(world.analyst_b)
    actions.deactivate_member(seat(world.analyst_a, world.org_a), acting_user=world.admin_a)
    world.analyst_a.refresh_from_db()
    assert world.analyst_a.is_active  # still a member of B
    assert victim.get("/organisations/port-b/").status_code == 302  # signed out everywhere
    assert bystander.get("/organisations/port-b/").status_code == 200
    assert Session.objects.count() == 1


def test_a_deactivated_members_api_keys_stop_working(world):
    key_a, token_a = actions.create_api_key(acting_user=world.admin_a, organisation=world.org_a, name="sensor")
    actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=world.admin_a, role=Role.ORG_ADMIN)
    key_b, token_b = actions.create_api_key(acting_user=world.admin_a, organisation=world.org_b, name="other")
    actions.change_role(seat(world.officer_a, world.org_a), acting_user=world.admin_a, role=Role.ORG_ADMIN)
    assert find_api_key(token_a) == key_a
    actions.deactivate_member(seat(world.admin_a, world.org_a), acting_user=world.officer_a)
    assert find_api_key(token_a) is None
    assert ApiKey.objects.get(pk=key_a.pk).revoked_at is not None
    assert find_api_key(token_b) == key_b  # made for another organisation, where they are still admin


def test_an_organisation_keeps_one_active_admin(world, client_for):
    admin = seat(world.admin_a, world.org_a)
    client = client_for(world.admin_a)
    response = client.post(f"/organisations/port-a/members/{admin.pk}/role/", {"role": Role.ANALYST})
    assert response.status_code == 400 and b"at least one active admin" in response.content
    response = client.post(f"/organisations/port-a/members/{admin.pk}/deactivate/")
    assert response.status_code == 400
    assert seat(world.admin_a, world.org_a).role == Role.ORG_ADMIN and seat(world.admin_a, world.org_a).is_active


def test_an_admin_reactivates_a_member_whose_account_is_still_open(world, client_for):
    actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=world.analyst_a, role=Role.VIEWER)
    membership = seat(world.analyst_a, world.org_a)
    actions.deactivate_member(membership, acting_user=world.admin_a)
    response = client_for(world.admin_a).post(f"/organisations/port-a/members/{membership.pk}/reactivate/")
    assert response.status_code == 302 and seat(world.analyst_a, world.org_a).is_active
    assert world.org_a.pk in viewer_for(world.analyst_a).org_ids


def test_only_a_platform_admin_reopens_a_closed_account(world, client_for):
    membership = seat(world.analyst_a, world.org_a)
    actions.deactivate_member(membership, acting_user=world.admin_a)
    actions.reactivate_member(membership, acting_user=world.admin_a)
    world.analyst_a.refresh_from_db()
    assert not world.analyst_a.is_active
    response = client_for(world.platform_admin).post(f"/platform/accounts/{world.analyst_a.pk}/reactivate/")
    assert response.status_code == 302
    world.analyst_a.refresh_from_db()
    assert world.analyst_a.is_active


@pytest.mark.parametrize("path", ["/organisations/port-a/", "/organisations/port-a/members/"])
def test_member_pages_are_read_without_n_plus_one(world, client_for, django_assert_max_num_queries, path):
    client = client_for(world.admin_a)
    client.get(path)
    for index in range(5):
        actions.add_member(acting_user=world.platform_admin, organisation=world.org_a,
                           user=actions.create_account(acting_user=world.platform_admin, email=f"extra{index}@p2p.test"))
    with django_assert_max_num_queries(14):
        assert client.get(path).status_code == 200
