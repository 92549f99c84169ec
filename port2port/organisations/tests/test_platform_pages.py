"""Platform admins manage organisations and accounts, never content."""

import pytest

from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience, Tlp
from port2port.organisations.models import Organisation, OrganisationKind, Port, find_api_key
from port2port.organisations import actions

PLATFORM_PAGES = ["/platform/organisations/", "/platform/organisations/port-a/", "/platform/accounts/"]


def new_org(**overrides):
    return {"name": "Port of Ostend", "short_name": "Ostend", "kind": OrganisationKind.PORT_AUTHORITY,
            "country": "be", "is_network_member": "on", **overrides}


def test_a_platform_admin_adds_an_organisation_and_its_port(world, client_for):
    client = client_for(world.platform_admin)
    response = client.post("/platform/organisations/", new_org())
    organisation = Organisation.objects.get(name="Port of Ostend")
    assert response.status_code == 302 and organisation.country == "BE" and organisation.is_network_member
    response = client.post(f"/platform/organisations/{organisation.slug}/ports/",
                           {"locode": "beost", "name": "Ostend", "latitude": "51.23", "longitude": "2.92"})
    assert response.status_code == 302 and Port.objects.get(locode="BEOST").organisation == organisation


@pytest.mark.parametrize("overrides, message", [
    ({"name": ""}, b"Name:"),
    ({"name": "Port A"}, b"Name:"),  # taken
    ({"kind": "pirate_ship"}, b"Kind:"),
    ({"country": "B"}, b"Country:"),
    ({"country": "B1"}, b"Country:"),
    ({"short_name": "s" * 41}, b"Short name:"),
])
def test_bad_organisation_input_names_the_field_and_saves_nothing(world, client_for, overrides, message):
    response = client_for(world.platform_admin).post("/platform/organisations/", new_org(**overrides))
    assert response.status_code == 400 and message in response.content
    assert Organisation.objects.count() == 4


@pytest.mark.parametrize("data, message", [
    ({"locode": "BEANR"}, b"UN/LOCODE:"),  # taken by Antwerp
    ({"locode": "B1234"}, b"UN/LOCODE:"),
    ({"locode": "BEO"}, b"UN/LOCODE:"),
    ({"latitude": "91"}, b"Latitude:"),
    ({"longitude": "east"}, b"Longitude:"),
    ({"name": ""}, b"Name:"),
])
def test_bad_port_input_names_the_field_and_saves_nothing(world, client_for, data, message):
    port = {"locode": "BEZEE", "name": "Zeebrugge", "latitude": "51.33", "longitude": "3.20", **data}
    response = client_for(world.platform_admin).post("/platform/organisations/port-a/ports/", port)
    assert response.status_code == 400 and message in response.content
    assert Port.objects.count() == 3


def test_a_platform_admin_edits_and_deactivates_an_organisation(world, client_for):
    client = client_for(world.platform_admin)
    key, token = actions.create_api_key(acting_user=world.admin_a, organisation=world.org_a, name="sensor")
    response = client.post("/platform/organisations/port-a/", new_org(name="Port of Antwerp-Bruges", short_name="AB"))
    world.org_a.refresh_from_db()
    assert response.status_code == 302 and world.org_a.name == "Port of Antwerp-Bruges"
    bad = client.post("/platform/organisations/port-a/", new_org(name="Port B"))
    assert bad.status_code == 400 and b"Name:" in bad.content
    assert client.post("/platform/organisations/port-a/deactivate/").status_code == 302
    world.org_a.refresh_from_db()
    assert not world.org_a.is_active and find_api_key(token) is None
    assert client_for(world.analyst_a).get("/organisations/port-a/").status_code == 404
    assert AuditEvent.objects.filter(action="organisations.deactivate", subject_organisation_id=world.org_a.pk).exists()


def test_a_platform_admin_closes_an_account_and_its_sessions_and_keys(world, client_for):
    key, token = actions.create_api_key(acting_user=world.admin_a, organisation=world.org_a, name="sensor")
    victim = client_for(world.admin_a)
    response = client_for(world.platform_admin).post(f"/platform/accounts/{world.admin_a.pk}/deactivate/")
    assert response.status_code == 302
    assert victim.get("/organisations/port-a/").status_code == 302
    assert find_api_key(token) is None


def test_a_platform_admin_cannot_close_their_own_account(world, client_for):
    client = client_for(world.platform_admin)
    response = client.post(f"/platform/accounts/{world.platform_admin.pk}/deactivate/", follow=True)
    assert b"your own account" in response.content
    world.platform_admin.refresh_from_db()
    assert world.platform_admin.is_active


def test_the_accounts_list_searches_by_name_or_email(world, client_for):
    page = client_for(world.platform_admin).get("/platform/accounts/?q=outsider")
    assert b"outsider.c@p2p.test" in page.content and b"analyst.a@p2p.test" not in page.content


@pytest.mark.parametrize("data, message", [
    ({"organisation": "", "email": "a@b.test", "role": "viewer"}, b"Organisation:"),
    ({"organisation": "999", "email": "a@b.test", "role": "viewer"}, b"Organisation:"),
    ({"email": "nope", "role": "viewer"}, b"E-mail:"),
    ({"email": "a@b.test", "role": "god"}, b"Role:"),
])
def test_bad_invitation_input_names_the_field(world, client_for, data, message):
    data = {"organisation": world.org_a.pk, **data}
    response = client_for(world.platform_admin).post("/platform/accounts/", data)
    assert response.status_code == 400 and message in response.content


@pytest.mark.parametrize("person", ["admin_a", "analyst_a", "outsider_c"])
def test_platform_pages_do_not_exist_for_anyone_else(world, client_for, person):
    client = client_for(getattr(world, person))
    for path in PLATFORM_PAGES:
        assert client.get(path).status_code == 404
    assert client.post("/platform/organisations/", new_org()).status_code == 404
    assert client.post(f"/platform/accounts/{world.analyst_b.pk}/deactivate/").status_code == 404
    assert client.post("/platform/organisations/port-b/deactivate/").status_code == 404
    assert Organisation.objects.filter(is_active=True).count() == 4


def test_a_platform_admin_sees_no_report_content_on_any_of_these_pages(world, client_for):
    secret = world.report(world.analyst_a, tlp=Tlp.AMBER, audience=Audience.NETWORK,
                          title="Cocaine in reefer MSCU1234565", narrative="Extraction team at berth 1742")
    world.report(world.analyst_a, tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b],
                 title="Insider at gate 7", narrative="Named person")
    client = client_for(world.platform_admin)
    paths = PLATFORM_PAGES + ["/organisations/", "/groups/", "/profile/", "/platform/organisations/port-b/"]
    for path in paths:
        body = client.get(path).content
        for word in (b"Cocaine", b"MSCU1234565", b"berth 1742", b"Insider at gate", b"Named person"):
            assert word not in body, (path, word)
    assert client.get("/organisations/port-a/audit/").status_code == 404
    assert secret.title  # the report exists; the pages just do not show it
