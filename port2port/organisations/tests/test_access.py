"""Every page of this app: anonymous people are sent to sign in; outsiders get 404."""

import pytest

from port2port.organisations.models import ApiKey, Invitation, Membership
from port2port.organisations import actions


@pytest.fixture
def paths(world):
    key, _token = actions.create_api_key(acting_user=world.admin_a, organisation=world.org_a, name="k")
    invitation = actions.invite_member(acting_user=world.admin_a, organisation=world.org_a, email="n@p2p.test")
    seat = Membership.objects.get(user=world.analyst_a, organisation=world.org_a)
    group = world.drugs_group.pk
    return {
        "get": [
            "/organisations/port-a/", "/organisations/port-a/members/", "/organisations/port-a/api-keys/",
            "/organisations/port-a/audit/", f"/groups/{group}/",
        ],
        "post": [
            "/organisations/port-a/members/invite/", f"/organisations/port-a/members/{seat.pk}/role/",
            f"/organisations/port-a/members/{seat.pk}/deactivate/", f"/organisations/port-a/members/{seat.pk}/reactivate/",
            f"/organisations/port-a/invitations/{invitation.pk}/revoke/", "/organisations/port-a/api-keys/",
            f"/organisations/port-a/api-keys/{key.pk}/revoke/", f"/groups/{group}/edit/", f"/groups/{group}/delete/",
            f"/groups/{group}/members/", f"/groups/{group}/members/{world.org_b.pk}/remove/",
            "/platform/organisations/", "/platform/organisations/port-a/", "/platform/organisations/port-a/ports/",
            "/platform/organisations/port-a/deactivate/", "/platform/accounts/",
            f"/platform/accounts/{world.analyst_a.pk}/deactivate/",
        ],
        "signed_in_pages": ["/organisations/", "/organisations/mine/", "/groups/", "/profile/",
                            "/platform/organisations/", "/platform/accounts/"],
    }


def test_anonymous_people_are_sent_to_sign_in(world, client, paths):
    for path in paths["get"] + paths["signed_in_pages"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), path
    for path in paths["post"]:
        response = client.post(path, {"name": "x", "role": "viewer", "email": "x@x.test"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path


def test_an_outsider_gets_404_everywhere_and_changes_nothing(world, client_for, paths):
    client = client_for(world.outsider_c)
    for path in paths["get"]:
        assert client.get(path).status_code == 404, path
    for path in paths["post"]:
        assert client.post(path, {"name": "x", "role": "viewer", "email": "x@x.test", "organisation": world.org_c.pk}).status_code == 404, path
    assert Membership.objects.filter(is_active=True).count() == 7
    assert ApiKey.objects.filter(revoked_at__isnull=True).count() == 1
    assert Invitation.objects.count() == 1 and world.drugs_group.members.count() == 3


def test_the_404_body_is_the_same_as_for_something_that_does_not_exist(world, client_for, paths):
    client = client_for(world.outsider_c)
    missing = client.get("/organisations/port-zz/").content
    assert client.get("/organisations/port-a/members/").content == missing
    assert client.get(f"/groups/{world.drugs_group.pk}/").content == client.get("/groups/999999/").content
