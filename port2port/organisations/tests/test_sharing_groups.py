"""Sharing groups: members see the circle; the owner's admins change it, and a change counts at
the very next request."""

import pytest

from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience, Tlp
from port2port.organisations.models import GroupMembership, SharingGroup
from port2port.reports.models import Report


def group_report(world):
    return world.report(world.analyst_a, tlp=Tlp.AMBER, audience=Audience.GROUP, sharing_group=world.drugs_group)


def test_members_see_their_groups_and_outsiders_see_none(world, client_for):
    listing = client_for(world.analyst_b).get("/groups/")
    assert b"Drugs" in listing.content and b"<td>3</td>" in listing.content  # all members counted
    assert b"Drugs" not in client_for(world.outsider_c).get("/groups/").content
    page = client_for(world.police_analyst).get(f"/groups/{world.drugs_group.pk}/")
    assert page.status_code == 200 and b"Port B" in page.content and b"Remove" not in page.content


def test_a_group_does_not_exist_for_organisations_outside_it(world, client_for):
    for person in (world.outsider_c, world.platform_admin):
        client = client_for(person)
        assert client.get(f"/groups/{world.drugs_group.pk}/").status_code == 404
        assert client.post(f"/groups/{world.drugs_group.pk}/members/", {"organisation": world.org_c.pk}).status_code == 404
        assert client.post(f"/groups/{world.drugs_group.pk}/members/{world.org_b.pk}/remove/").status_code == 404
        assert client.post(f"/groups/{world.drugs_group.pk}/edit/", {"name": "Mine"}).status_code == 404
        assert client.post(f"/groups/{world.drugs_group.pk}/delete/").status_code == 404
    assert world.drugs_group.members.count() == 3


def test_members_who_do_not_own_the_group_get_403_on_its_controls(world, client_for):
    group = world.drugs_group
    for person in (world.analyst_b, world.analyst_a):  # another member's analyst; the owner's analyst
        client = client_for(person)
        assert client.post(f"/groups/{group.pk}/members/", {"organisation": world.org_c.pk}).status_code == 403
        assert client.post(f"/groups/{group.pk}/members/{world.police.pk}/remove/").status_code == 403
        assert client.post(f"/groups/{group.pk}/edit/", {"name": "Hijacked"}).status_code == 403
        assert client.post(f"/groups/{group.pk}/delete/").status_code == 403
    group.refresh_from_db()
    assert group.name == "Drugs" and group.members.count() == 3


def test_removing_an_organisation_ends_its_access_at_once(world, client_for):
    report = group_report(world)
    assert Report.objects.visible_to(world.analyst_b).filter(pk=report.pk).exists()
    response = client_for(world.admin_a).post(f"/groups/{world.drugs_group.pk}/members/{world.org_b.pk}/remove/")
    assert response.status_code == 302
    assert not Report.objects.visible_to(world.analyst_b).filter(pk=report.pk).exists()
    assert client_for(world.analyst_b).get(f"/groups/{world.drugs_group.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="groups.remove_member", detail__organisation=world.org_b.pk).exists()


def test_adding_an_organisation_gives_it_access_at_once(world, client_for):
    report = group_report(world)
    assert not Report.objects.visible_to(world.outsider_c).filter(pk=report.pk).exists()
    response = client_for(world.admin_a).post(f"/groups/{world.drugs_group.pk}/members/", {"organisation": world.org_c.pk})
    assert response.status_code == 302
    assert Report.objects.visible_to(world.outsider_c).filter(pk=report.pk).exists()


def test_the_owner_cannot_leave_its_own_group(world, client_for):
    response = client_for(world.admin_a).post(f"/groups/{world.drugs_group.pk}/members/{world.org_a.pk}/remove/", follow=True)
    assert b"cannot leave" in response.content
    assert GroupMembership.objects.filter(group=world.drugs_group, organisation=world.org_a).exists()


@pytest.mark.parametrize("data, message", [
    ({"organisation": ""}, b"Organisation:"),
    ({"organisation": "999999"}, b"Organisation:"),
    ({"organisation": "police"}, b"Organisation:"),
])
def test_bad_input_when_adding_names_the_field_and_saves_nothing(world, client_for, data, message):
    response = client_for(world.admin_a).post(f"/groups/{world.drugs_group.pk}/members/", data)
    assert response.status_code == 400 and message in response.content
    assert world.drugs_group.members.count() == 3


def test_an_organisation_already_in_the_group_is_not_offered_again(world, client_for):
    response = client_for(world.admin_a).post(f"/groups/{world.drugs_group.pk}/members/", {"organisation": world.org_b.pk})
    assert response.status_code == 400 and b"Organisation:" in response.content


def test_an_org_admin_opens_a_group_owned_by_their_organisation(world, client_for):
    response = client_for(world.admin_a).post("/groups/", {"owner": world.org_a.pk, "name": "Drones", "description": "UAV sightings"})
    group = SharingGroup.objects.get(name="Drones")
    assert response.status_code == 302 and list(group.members.all()) == [world.org_a]


@pytest.mark.parametrize("data, message", [
    ({"name": ""}, b"Name:"),
    ({"name": "x" * 121}, b"Name:"),
    ({"name": "Drugs"}, b"Name:"),  # taken
    ({"name": "Cyber", "owner": "port-b"}, b"Owner:"),
])
def test_bad_input_when_opening_a_group_names_the_field_and_saves_nothing(world, client_for, data, message):
    data = {"owner": world.org_a.pk, **data}
    if data["owner"] == "port-b":
        data["owner"] = world.org_b.pk  # not an organisation admin_a may open groups for
    response = client_for(world.admin_a).post("/groups/", data)
    assert response.status_code == 400 and message in response.content
    assert SharingGroup.objects.count() == 1


def test_members_who_are_not_admins_may_not_open_groups(world, client_for):
    assert client_for(world.analyst_a).post("/groups/", {"owner": world.org_a.pk, "name": "Mine"}).status_code == 403
    assert b"Open a sharing group" not in client_for(world.analyst_a).get("/groups/").content


def test_the_owner_renames_a_group_and_bad_names_are_refused(world, client_for):
    client = client_for(world.admin_a)
    assert client.post(f"/groups/{world.drugs_group.pk}/edit/", {"name": "Drugs working group", "description": "x"}).status_code == 302
    world.drugs_group.refresh_from_db()
    assert world.drugs_group.name == "Drugs working group"
    response = client.post(f"/groups/{world.drugs_group.pk}/edit/", {"name": "", "description": "y"})
    assert response.status_code == 400 and b"Name:" in response.content
    world.drugs_group.refresh_from_db()
    assert world.drugs_group.description == "x"


def test_a_group_with_shared_items_cannot_be_deleted_but_an_empty_one_can(world, client_for):
    group_report(world)
    client = client_for(world.admin_a)
    response = client.post(f"/groups/{world.drugs_group.pk}/delete/", follow=True)
    assert b"cannot be deleted" in response.content and SharingGroup.objects.filter(pk=world.drugs_group.pk).exists()
    client.post("/groups/", {"owner": world.org_a.pk, "name": "Spare"})
    spare = SharingGroup.objects.get(name="Spare")
    assert client.post(f"/groups/{spare.pk}/delete/").status_code == 302
    assert not SharingGroup.objects.filter(pk=spare.pk).exists()
    assert AuditEvent.objects.filter(action="groups.delete", detail__name="Spare").exists()
