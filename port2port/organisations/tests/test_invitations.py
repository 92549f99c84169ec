"""People arrive by invitation: an e-mailed link that works once, before it expires."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from port2port.core.models import AuditEvent
from port2port.core.permissions import Role
from port2port.organisations import actions
from port2port.organisations.models import Invitation, Membership

GOOD_PASSWORD = "Quay-lights 1742 at dusk"


def invite(world, email="new.analyst@p2p.test", role=Role.ANALYST, by=None, organisation=None, capture=None):
    with capture(execute=True):
        actions.invite_member(acting_user=by or world.admin_a, organisation=organisation or world.org_a,
                              email=email, role=role)
    return link_token(mail.outbox[-1].body)


def link_token(body: str) -> str:
    return re.search(r"/invitations/([A-Za-z0-9_-]+)/", body).group(1)


def accept_form(**overrides):
    data = {"full_name": "Nina Newcomer", "language": "nl", "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD}
    data.update(overrides)
    return data


def test_it_mails_a_title_and_a_link_and_stores_only_a_hash(world, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://p2p.example"
    token = invite(world, capture=django_capture_on_commit_callbacks)
    message = mail.outbox[-1]
    assert message.to == ["new.analyst@p2p.test"]
    assert "Port A" in message.subject
    assert f"https://p2p.example/invitations/{token}/" in message.body
    # Nothing else: no report, no member list, no names of colleagues.
    assert "Anna" not in message.body and "Rip-off" not in message.body
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash and invitation.token_hash == actions.hash_invitation_token(token)
    assert AuditEvent.objects.filter(action="organisations.invite", subject_organisation_id=world.org_a.pk).exists()


def test_it_sends_no_mail_when_the_invitation_is_not_committed(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.invite_member(acting_user=world.admin_a, organisation=world.org_a, email="x@p2p.test", role=Role.VIEWER)
    assert len(callbacks) == 1 and mail.outbox == []


def test_a_newcomer_accepts_signs_in_and_gets_the_invited_role(world, client, django_capture_on_commit_callbacks, settings):
    settings.MFA_REQUIRED = False
    token = invite(world, role=Role.SECURITY_OFFICER, capture=django_capture_on_commit_callbacks)
    page = client.get(f"/invitations/{token}/")
    assert page.status_code == 200 and b"Port A" in page.content
    response = client.post(f"/invitations/{token}/", accept_form())
    assert response.status_code == 302 and response["Location"] == reverse("organisations:detail", args=["port-a"])
    user = get_user_model().objects.get(email="new.analyst@p2p.test")
    assert (user.full_name, user.language) == ("Nina Newcomer", "nl")
    assert Membership.objects.get(user=user, organisation=world.org_a).role == Role.SECURITY_OFFICER
    assert client.get(reverse("organisations:detail", args=["port-a"])).status_code == 200
    assert AuditEvent.objects.filter(action="organisations.accept_invitation", actor_id=user.pk).exists()


def test_a_newcomer_lands_on_mfa_setup_when_mfa_is_required(world, client, django_capture_on_commit_callbacks, settings):
    token = invite(world, capture=django_capture_on_commit_callbacks)
    settings.MFA_REQUIRED = True
    response = client.post(f"/invitations/{token}/", accept_form())
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("organisations:directory"))["Location"] == reverse("mfa_activate_totp")
    # The password they just chose counts: the setup page does not ask for it again.
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200 and b"data:image/svg+xml;base64," in setup.content


def test_an_invitation_works_once(world, client, django_capture_on_commit_callbacks):
    token = invite(world, capture=django_capture_on_commit_callbacks)
    client.post(f"/invitations/{token}/", accept_form())
    again = client.__class__().post(f"/invitations/{token}/", accept_form(password="Another-quay 1743 tonight"))
    assert again.status_code == 404 and b"used already" in again.content
    assert get_user_model().objects.filter(email="new.analyst@p2p.test").count() == 1


def test_an_expired_invitation_is_refused(world, client, django_capture_on_commit_callbacks):
    token = invite(world, capture=django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(f"/invitations/{token}/", accept_form())
    assert response.status_code == 404 and b"expired" in response.content
    assert not get_user_model().objects.filter(email="new.analyst@p2p.test").exists()


def test_a_made_up_or_withdrawn_link_is_refused(world, client, django_capture_on_commit_callbacks):
    assert client.get("/invitations/not-a-real-token/").status_code == 404
    token = invite(world, capture=django_capture_on_commit_callbacks)
    actions.revoke_invitation(Invitation.objects.get(), acting_user=world.admin_a)
    assert client.get(f"/invitations/{token}/").status_code == 404


@pytest.mark.parametrize("field, value, message", [
    ("password", "short", b"Password:"),
    ("password", "password123456", b"too common"),
    ("password_again", "something else entirely", b"Password (again):"),
    ("full_name", "", b"Full name:"),
    ("full_name", "x" * 151, b"Full name:"),
    ("language", "xx", b"Language:"),
])
def test_bad_input_on_the_acceptance_form_names_the_field_and_saves_nothing(
        world, client, django_capture_on_commit_callbacks, field, value, message):
    token = invite(world, capture=django_capture_on_commit_callbacks)
    data = accept_form(**{field: value})
    if field == "password":
        data["password_again"] = value
    response = client.post(f"/invitations/{token}/", data)
    assert response.status_code == 400 and message in response.content
    assert not get_user_model().objects.filter(email="new.analyst@p2p.test").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_password_like_the_email_is_refused(world, client, django_capture_on_commit_callbacks):
    token = invite(world, email="harbourmaster1742@p2p.test", capture=django_capture_on_commit_callbacks)
    response = client.post(f"/invitations/{token}/", accept_form(password="harbourmaster1742", password_again="harbourmaster1742"))
    assert response.status_code == 400 and b"too similar" in response.content


def test_someone_with_an_account_joins_with_their_password_and_signs_in_normally(
        world, client, django_capture_on_commit_callbacks):
    token = invite(world, email="analyst.b@p2p.test", role=Role.VIEWER, capture=django_capture_on_commit_callbacks)
    wrong = client.post(f"/invitations/{token}/", {"password": "not my password at all"})
    assert wrong.status_code == 400 and b"current password" in wrong.content
    assert not Membership.objects.filter(user=world.analyst_b, organisation=world.org_a).exists()
    response = client.post(f"/invitations/{token}/", {"password": "correct horse battery"})
    # No session from the link: their second factor still stands between them and the data.
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    assert Membership.objects.get(user=world.analyst_b, organisation=world.org_a).role == Role.VIEWER


def test_a_deactivated_account_is_not_revived_by_an_invitation(world, django_capture_on_commit_callbacks):
    actions.deactivate_account(world.analyst_b, acting_user=world.platform_admin)
    token = invite(world, email="analyst.b@p2p.test", capture=django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        actions.accept_invitation(token, email="analyst.b@p2p.test", password="correct horse battery")
    world.analyst_b.refresh_from_db()
    assert not world.analyst_b.is_active


def test_an_org_admin_invites_from_the_members_page(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organisations/port-a/members/invite/", {"email": "Diver@P2P.test", "role": Role.VIEWER})
    assert response.status_code == 302
    assert Invitation.objects.get().email == "diver@p2p.test"
    assert mail.outbox[-1].to == ["diver@p2p.test"]
    assert b"diver@p2p.test" in client.get("/organisations/port-a/members/").content


@pytest.mark.parametrize("data, message", [
    ({"email": "not-an-address", "role": Role.VIEWER}, b"E-mail:"),
    ({"email": "", "role": Role.VIEWER}, b"E-mail:"),
    ({"email": "x@p2p.test", "role": "emperor"}, b"Role:"),
    ({"email": "analyst.a@p2p.test", "role": Role.VIEWER}, b"already a member"),
])
def test_bad_input_on_the_invite_form_names_the_field_and_sends_nothing(world, client_for, data, message,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.admin_a).post("/organisations/port-a/members/invite/", data)
    assert response.status_code == 400 and message in response.content
    assert not Invitation.objects.exists() and mail.outbox == []


def test_members_who_are_not_admins_may_not_invite(world, client_for):
    response = client_for(world.officer_a).post("/organisations/port-a/members/invite/", {"email": "x@p2p.test", "role": Role.VIEWER})
    assert response.status_code == 403 and not Invitation.objects.exists()


def test_nobody_invites_into_an_organisation_they_are_not_in(world, client_for):
    for person in (world.outsider_c, world.admin_a):
        response = client_for(person).post("/organisations/port-b/members/invite/", {"email": "x@p2p.test", "role": Role.VIEWER})
        assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_a_platform_admin_invites_into_any_organisation(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.platform_admin).post(
            "/platform/accounts/", {"organisation": world.org_c.pk, "email": "boss@liege.test", "role": Role.ORG_ADMIN})
    assert response.status_code == 302
    assert Invitation.objects.get().organisation == world.org_c and len(mail.outbox) == 1


def test_an_admin_withdraws_a_pending_invitation(world, client_for, django_capture_on_commit_callbacks):
    invite(world, capture=django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert client_for(world.analyst_a).post(f"/organisations/port-a/invitations/{invitation.pk}/revoke/").status_code == 403
    assert client_for(world.outsider_c).post(f"/organisations/port-a/invitations/{invitation.pk}/revoke/").status_code == 404
    response = client_for(world.admin_a).post(f"/organisations/port-a/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert not invitation.is_open
