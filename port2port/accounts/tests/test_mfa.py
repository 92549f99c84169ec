"""Outside demo mode, nobody reaches shared data without a second factor."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED = True


def test_a_person_without_a_second_factor_is_sent_to_set_one_up(world, client_for, mfa_required):
    client = client_for(world.analyst_a)
    for path in ("/reports/", "/organisations/", "/organisations/port-a/", "/profile/", "/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), path


def signed_in(client, email="analyst.a@p2p.test"):
    """Sign in through the real page, so allauth knows the password was just proven."""
    response = client.post(reverse("account_login"), {"login": email, "password": "correct horse battery"})
    assert response.status_code == 302
    # allauth asks for the password again before a second factor is added.
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
    return client


def test_signing_in_without_a_second_factor_leads_to_its_setup(world, client, mfa_required):
    signed_in(client)
    assert client.get("/organisations/")["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content


def test_activating_an_authenticator_app_opens_the_platform(world, client, mfa_required):
    from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time, format_hotp_value

    signed_in(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert client.get("/organisations/").status_code == 200


def test_sign_out_stays_reachable_without_a_second_factor(world, client_for, mfa_required):
    assert client_for(world.analyst_a).post(reverse("account_logout")).status_code == 302


def test_a_person_with_an_authenticator_app_passes(world, client_for, mfa_required):
    TOTP.activate(world.analyst_a, generate_totp_secret())
    response = client_for(world.analyst_a).get("/organisations/")
    assert response.status_code == 200


def test_demo_mode_does_not_ask_for_a_second_factor(world, client_for, settings):
    settings.MFA_REQUIRED = False
    assert client_for(world.analyst_a).get("/organisations/").status_code == 200


def test_anonymous_people_are_not_sent_to_mfa_setup(client, mfa_required):
    response = client.get("/organisations/")
    assert response["Location"].startswith(reverse("account_login"))


def test_signing_in_with_a_second_factor_asks_for_the_code(world, client, mfa_required):
    TOTP.activate(world.analyst_a, generate_totp_secret())
    response = client.post(reverse("account_login"), {"login": "analyst.a@p2p.test", "password": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
