"""The network directory: who is in the network, of what kind, with which ports."""

from port2port.organisations import actions


def test_members_see_every_active_network_organisation_with_its_ports(world, client_for):
    page = client_for(world.analyst_b).get("/organisations/")
    assert page.status_code == 200
    for name in (b"Port A", b"Port B", b"Police Directorate", b"Antwerp", b"BEANR", b"Ghent"):
        assert name in page.content
    assert b"Port C" not in page.content  # not a network member


def test_a_deactivated_organisation_leaves_the_directory(world, client_for):
    actions.set_organisation_active(world.police, acting_user=world.platform_admin, active=False)
    assert b"Police Directorate" not in client_for(world.analyst_a).get("/organisations/").content


def test_my_organisation_leads_to_my_own_page(world, client_for):
    response = client_for(world.analyst_b).get("/organisations/mine/")
    assert response["Location"] == "/organisations/port-b/"
    assert client_for(world.platform_admin).get("/organisations/mine/")["Location"] == "/organisations/"


def test_an_organisations_page_is_for_its_members_only(world, client_for):
    assert client_for(world.analyst_a).get("/organisations/port-a/").status_code == 200
    assert client_for(world.outsider_c).get("/organisations/port-a/").status_code == 404
    assert client_for(world.analyst_b).get("/organisations/port-a/").status_code == 404
    missing = client_for(world.analyst_b).get("/organisations/no-such-port/")
    assert missing.status_code == 404
    assert missing.content == client_for(world.analyst_b).get("/organisations/port-a/").content


def test_the_directory_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.analyst_a)
    for index in range(5):
        actions.create_organisation(acting_user=world.platform_admin, name=f"Extra {index}", kind="police")
    with django_assert_max_num_queries(10):
        client.get("/organisations/")
