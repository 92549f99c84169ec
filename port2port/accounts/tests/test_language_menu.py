"""The language menu: a signed-in person's choice sticks, because it is saved on the profile."""

from port2port.core.models import AuditEvent


def test_choosing_a_language_saves_it_and_the_next_page_speaks_it(world, client_for):
    client = client_for(world.analyst_b)
    response = client.post("/profile/language/", {"language": "nl", "next": "/reports/"})
    assert response.status_code == 302 and response["Location"] == "/reports/"
    world.analyst_b.refresh_from_db()
    assert world.analyst_b.language == "nl"
    assert client.get("/reports/").headers["Content-Language"] == "nl"
    assert AuditEvent.objects.filter(action="accounts.update_profile", actor_id=world.analyst_b.pk).exists()


def test_it_refuses_an_unknown_language_and_keeps_the_old_one(world, client_for):
    client = client_for(world.analyst_b)
    client.post("/profile/language/", {"language": "xx", "next": "/reports/"})
    world.analyst_b.refresh_from_db()
    assert world.analyst_b.language == "en"


def test_it_does_not_redirect_off_site(world, client_for):
    response = client_for(world.analyst_b).post("/profile/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
