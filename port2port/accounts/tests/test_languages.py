"""The organisation and account pages speak the person's language: English, Dutch, French, German."""

import pytest

from port2port.organisations import actions

EXPECTED = {
    "en": ("Pending invitations", "Invite a person"),
    "nl": ("Openstaande uitnodigingen", "Iemand uitnodigen"),
    "fr": ("Invitations en attente", "Inviter une personne"),
    "de": ("Offene Einladungen", "Eine Person einladen"),
}


@pytest.mark.parametrize("language", sorted(EXPECTED))
def test_the_members_page_speaks_the_persons_language(world, client_for, language):
    world.admin_a.language = language
    world.admin_a.save(update_fields=["language"])
    page = client_for(world.admin_a).get("/organisations/port-a/members/").content.decode()
    for text in EXPECTED[language]:
        assert text in page


@pytest.mark.parametrize("language, path, data, expected", [
    ("nl", "/organisations/port-a/members/invite/", {"email": "not-an-address", "role": "viewer"}, "E-mail: Voer een geldig e-mailadres in."),
    ("fr", "/organisations/port-a/members/invite/", {"email": "x@p2p.test", "role": "emperor"}, "Rôle : "),
    ("de", "/organisations/port-a/api-keys/", {"name": "k", "scope": "read", "days": 999}, "Gültig für (Tage): "),
])
def test_errors_name_the_field_in_the_persons_language(world, client_for, language, path, data, expected):
    world.admin_a.language = language
    world.admin_a.save(update_fields=["language"])
    response = client_for(world.admin_a).post(path, data)
    assert response.status_code == 400 and expected in response.content.decode()


def test_the_invitation_mail_goes_out_in_the_inviters_language(world, django_capture_on_commit_callbacks):
    from django.core import mail
    from django.utils import translation

    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        actions.invite_member(acting_user=world.admin_a, organisation=world.org_a, email="nouveau@p2p.test")
    assert mail.outbox[-1].subject == "Invitation à rejoindre Port A sur Port 2 Port"
