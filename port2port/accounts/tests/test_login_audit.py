"""Logins, successful or failed, are audited; repeated failures lock the door for a while."""

from django.urls import reverse

from port2port.core.models import AuditEvent

PASSWORD = "correct horse battery"


def sign_in(client, email="analyst.a@p2p.test", password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_successful_login_is_audited_for_the_persons_organisation(world, client):
    response = sign_in(client)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(world.analyst_a.pk)
    event = AuditEvent.objects.filter(action="accounts.login").latest("seq")
    assert event.actor_id == world.analyst_a.pk and event.organisation_id == world.org_a.pk
    assert event.ip == "127.0.0.1"


def test_a_failed_login_is_audited_with_the_address_tried_and_no_password(world, client):
    response = sign_in(client, password="Tr0ub4dor&3-guess")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    event = AuditEvent.objects.filter(action="accounts.login_failed").latest("seq")
    assert event.detail == {"email": "analyst.a@p2p.test"}
    assert event.organisation_id == world.org_a.pk  # the admins of A see attempts on their people
    assert "Tr0ub4dor" not in str(event.detail) and "Tr0ub4dor" not in event.actor_label


def test_a_failed_login_for_an_unknown_address_is_audited_too(db, client):
    sign_in(client, email="nobody@nowhere.test", password="whatever it is")
    event = AuditEvent.objects.filter(action="accounts.login_failed").latest("seq")
    assert event.detail == {"email": "nobody@nowhere.test"} and event.organisation_id is None


def test_after_five_failures_even_the_right_password_is_refused(world, client):
    for _attempt in range(5):
        assert sign_in(client, password="wrong password guess").status_code == 200
    response = sign_in(client)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content
    assert not AuditEvent.objects.filter(action="accounts.login", actor_id=world.analyst_a.pk).exists()


def test_a_deactivated_account_cannot_sign_in(world, client):
    from port2port.organisations import actions

    actions.deactivate_account(world.analyst_a, acting_user=world.platform_admin)
    response = sign_in(client)
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302) and response.get("Location", "") != "/"


def test_a_password_typed_into_the_address_box_is_not_kept(db):
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.send(sender=__name__, credentials={"email": "Tr0ub4dor&3"}, request=None)
    event = AuditEvent.objects.filter(action="accounts.login_failed").latest("seq")
    assert event.detail == {"email": "(not an e-mail address)"}
