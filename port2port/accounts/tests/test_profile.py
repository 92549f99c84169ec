"""A person's profile: their name and the language the platform speaks to them in."""

import pytest

from port2port.core.models import AuditEvent


def test_a_person_chooses_their_language_and_the_platform_speaks_it(world, client_for):
    client = client_for(world.analyst_a)
    response = client.post("/profile/", {"full_name": "Arne Analist", "language": "nl"})
    assert response.status_code == 302
    world.analyst_a.refresh_from_db()
    assert (world.analyst_a.full_name, world.analyst_a.language) == ("Arne Analist", "nl")
    page = client.get("/profile/")
    assert page.headers.get("Content-Language") == "nl" and b'lang="nl"' in page.content
    event = AuditEvent.objects.filter(action="accounts.update_profile").latest("seq")
    assert event.detail == {"changed": ["full_name", "language"]}


@pytest.mark.parametrize("data, message", [
    ({"full_name": "", "language": "fr"}, b"Full name:"),
    ({"full_name": "x" * 151, "language": "fr"}, b"Full name:"),
    ({"full_name": "Arne", "language": "klingon"}, b"Language:"),
])
def test_bad_input_names_the_field_and_saves_nothing(world, client_for, data, message):
    response = client_for(world.analyst_a).post("/profile/", data)
    assert response.status_code == 400 and message in response.content
    world.analyst_a.refresh_from_db()
    assert (world.analyst_a.full_name, world.analyst_a.language) == ("Arne Analyst", "en")


def test_the_profile_links_to_second_factors_and_password(world, client_for):
    page = client_for(world.analyst_a).get("/profile/")
    assert b'href="/accounts/2fa/"' in page.content and b'href="/accounts/password/change/"' in page.content
    assert b"Port A" in page.content


def test_anonymous_people_are_sent_to_sign_in(db, client):
    assert client.get("/profile/")["Location"].startswith("/accounts/login/")


def test_people_cannot_change_their_sign_in_address_themselves(world, client):
    client.post("/accounts/login/", {"login": "analyst.a@p2p.test", "password": "correct horse battery"})
    page = client.get("/accounts/email/")
    assert page.status_code == 200 and b"analyst.a@p2p.test" in page.content and b"platform admin" in page.content
    response = client.post("/accounts/email/", {"action_add": "", "email": "ceo@port-b.test"})
    assert response.status_code == 405
    client.post("/accounts/email/", {"action_primary": "", "email": "ceo@port-b.test"})
    world.analyst_a.refresh_from_db()
    assert world.analyst_a.email == "analyst.a@p2p.test"
