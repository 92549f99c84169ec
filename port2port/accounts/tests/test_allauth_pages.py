"""allauth's pages wear the product's frame, keep to the strict CSP, and sign-up stays shut."""

import re

import pytest
from django.urls import reverse

from port2port.organisations.models import Membership

EXECUTABLE_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)


def assert_product_page(response):
    assert response.status_code == 200
    body = response.content
    assert b'class="topbar"' in body and b"/static/css/organisations.css" in body
    assert not EXECUTABLE_INLINE_SCRIPT.search(body), EXECUTABLE_INLINE_SCRIPT.search(body)
    assert b" style=" not in body and b"<style" not in body
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_open_sign_up_is_closed(db, client):
    response = client.get("/accounts/signup/")
    assert_product_page(response)
    assert b"Sign Up Closed" in response.content
    client.post("/accounts/signup/", {"email": "walk-in@p2p.test", "password1": "Quay-lights 1742 at dusk",
                                      "password2": "Quay-lights 1742 at dusk"})
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="walk-in@p2p.test").exists()


def test_the_sign_in_page_invites_no_sign_up(db, client):
    response = client.get(reverse("account_login"))
    assert_product_page(response)
    assert b"/accounts/signup/" not in response.content and b"by invitation" in response.content


@pytest.mark.parametrize("name", ["account_reset_password", "account_login"])
def test_anonymous_pages_wear_the_product_frame(db, client, name):
    assert_product_page(client.get(reverse(name)))


@pytest.mark.parametrize("name", ["mfa_index", "mfa_activate_totp", "mfa_add_webauthn", "account_change_password"])
def test_account_pages_wear_the_product_frame(world, client_for, name, settings):
    settings.MFA_REQUIRED = True
    response = client_for(world.analyst_a).get(reverse(name))
    if response.status_code == 302:  # allauth asks to confirm the password before adding a key
        response = client_for(world.analyst_a).get(response["Location"])
    assert_product_page(response)


def test_the_totp_page_shows_a_qr_code_as_an_image_the_csp_allows(world, client):
    client.post(reverse("account_login"), {"login": "analyst.a@p2p.test", "password": "correct horse battery"})
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
    response = client.get(reverse("mfa_activate_totp"))
    assert b'class="qr" src="data:image/svg+xml;base64,' in response.content
    assert "img-src 'self' data:" in response.headers["Content-Security-Policy"]


def test_webauthn_scripts_load_from_static_files(world, client_for):
    client = client_for(world.analyst_a)
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery"})
    response = client.get(reverse("mfa_add_webauthn"))
    assert response.status_code == 200
    for script in (b"mfa/js/webauthn-json.js", b"mfa/js/webauthn.js", b"account/js/onload.js"):
        assert b'src="/static/' + script in response.content
    assert not EXECUTABLE_INLINE_SCRIPT.search(response.content)


def test_the_admin_site_does_not_exist(world, client_for):
    assert Membership.objects.exists()
    assert client_for(world.platform_admin).get("/admin/").status_code == 404
