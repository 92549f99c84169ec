"""API keys: made by organisation admins, shown once, listed without their secret, revocable."""

import re

import pytest

from port2port.organisations.models import ApiKey, find_api_key


def create(client, **data):
    return client.post("/organisations/port-a/api-keys/", {"name": "Drone detector", "scope": "read", "days": 30, **data})


def test_an_admin_makes_a_key_and_sees_its_token_once(world, client_for):
    client = client_for(world.admin_a)
    response = create(client, scope="write")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    token = re.search(rb'value="(p2p_org_[^"]+)"', response.content).group(1).decode()
    key = find_api_key(token)
    assert key is not None and key.scope == "write" and key.organisation == world.org_a
    listing = client.get("/organisations/port-a/api-keys/")
    assert token.encode() not in listing.content and key.lookup.encode() in listing.content


def test_a_revoked_key_stops_working_at_once(world, client_for):
    client = client_for(world.admin_a)
    token = re.search(rb'value="(p2p_org_[^"]+)"', create(client).content).group(1).decode()
    key = ApiKey.objects.get()
    assert client_for(world.analyst_a).post(f"/organisations/port-a/api-keys/{key.pk}/revoke/").status_code == 403
    assert client_for(world.outsider_c).post(f"/organisations/port-a/api-keys/{key.pk}/revoke/").status_code == 404
    assert find_api_key(token) is not None
    assert client.post(f"/organisations/port-a/api-keys/{key.pk}/revoke/").status_code == 302
    assert find_api_key(token) is None


@pytest.mark.parametrize("data, message", [
    ({"days": 366}, b"Valid for (days):"),
    ({"days": 0}, b"Valid for (days):"),
    ({"days": "soon"}, b"Valid for (days):"),
    ({"scope": "admin"}, b"Scope:"),
    ({"name": ""}, b"Name:"),
    ({"name": "k" * 81}, b"Name:"),
])
def test_bad_input_names_the_field_and_makes_no_key(world, client_for, data, message):
    response = create(client_for(world.admin_a), **data)
    assert response.status_code == 400 and message in response.content
    assert not ApiKey.objects.exists()


def test_members_who_are_not_admins_get_403(world, client_for):
    client = client_for(world.officer_a)
    assert client.get("/organisations/port-a/api-keys/").status_code == 403
    assert create(client).status_code == 403
    assert not ApiKey.objects.exists()


def test_other_organisations_keys_do_not_exist_for_outsiders(world, client_for):
    for person in (world.outsider_c, world.platform_admin, world.analyst_b):
        assert client_for(person).get("/organisations/port-a/api-keys/").status_code == 404
        assert create(client_for(person)).status_code == 404
    assert not ApiKey.objects.exists()
