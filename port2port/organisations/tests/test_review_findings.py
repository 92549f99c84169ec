"""Security review of accounts, organisations and operations: the ways around the sharing rule
that do not go through a report page (platform powers, demo mode, password reset).

Each section names a finding of the review; its tests show the fix holds. The others pin down
guarantees that no other test held yet.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from port2port.core.permissions import Role
from port2port.core.sharing import Audience, Tlp
from port2port.organisations import actions
from port2port.reports.models import Report


def token_from_last_mail() -> str:
    return re.search(r"/invitations/([A-Za-z0-9_-]+)/", mail.outbox[-1].body).group(1)


# --- finding 6: a platform admin reads an organisation's content by inviting themselves ---------


def test_a_platform_admin_cannot_invite_themselves_into_an_organisation(world, django_capture_on_commit_callbacks):
    report = world.report(tlp=Tlp.AMBER_STRICT, audience=Audience.OWNER, title="Port A internal only")
    admin = world.platform_admin
    try:
        with django_capture_on_commit_callbacks(execute=True):
            actions.invite_member(acting_user=admin, organisation=world.org_a, email=admin.email, role=Role.VIEWER)
        actions.accept_invitation(token_from_last_mail(), email=admin.email, password="correct horse battery")
    except Exception:  # refused: the finding is fixed
        pass
    assert not Report.objects.visible_to(admin).filter(pk=report.pk).exists()


def test_a_platform_admin_without_a_seat_reads_nothing(world):
    world.report(tlp=Tlp.GREEN, audience=Audience.NETWORK)
    world.report(tlp=Tlp.CLEAR, audience=Audience.PUBLIC)
    assert not Report.objects.visible_to(world.platform_admin).exists()


# --- finding 7: the demo network loads into any database --------------------------------------


def test_the_demo_network_is_not_loaded_outside_demo_mode(db, settings):
    from port2port.demo.network import DEMO_PASSWORD, PLATFORM_ADMIN

    settings.DEMO_MODE = False
    try:
        call_command("load_demo", reports=0, verbosity=0)
    except CommandError:
        pass
    account = get_user_model().objects.filter(email=PLATFORM_ADMIN.email).first()
    assert account is None or not account.check_password(DEMO_PASSWORD)


# --- finding 9: demo mode is accepted by the production server ---------------------------------


@pytest.fixture
def collected_static(settings, tmp_path):
    """A server ready to start: static files collected, and mail through SMTP as the operator
    configured it (P2P_EMAIL_CONSOLE=false). Console mail would fail the deployment checks on
    its own (mail.E001), which today is the only thing that stops demo mode in production."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text("{}")
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}


def test_serve_refuses_demo_mode(db, settings, collected_static):
    from port2port.core.management.commands.serve import refuse_unsafe_start

    settings.DEBUG = False
    settings.DEMO_MODE = True
    with pytest.raises(CommandError):
        refuse_unsafe_start()


def test_serve_still_starts_in_production_mode(db, settings, collected_static):
    """The other side of finding 9: the refusal must not catch an ordinary production start."""
    from port2port.core.management.commands.serve import refuse_unsafe_start

    settings.DEBUG = False
    settings.DEMO_MODE = False
    refuse_unsafe_start()


# --- guarantees that hold (no other test pinned them) ------------------------------------------


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(world, client):
    known = client.post("/accounts/password/reset/", {"email": world.analyst_a.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody.here@p2p.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_an_invitation_to_someone_elses_address_does_not_touch_their_account(world, client,
                                                                               django_capture_on_commit_callbacks):
    """Port C's admin invites port A's analyst: the link goes to the analyst, and whoever holds
    it still needs the analyst's password; nothing changes until then."""
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite_member(acting_user=world.outsider_c, organisation=world.org_c, email=world.analyst_a.email,
                              role=Role.ORG_ADMIN)
    assert mail.outbox[-1].to == [world.analyst_a.email]
    token = token_from_last_mail()
    response = client.post(f"/invitations/{token}/", {"password": "a guess at the password"})
    assert response.status_code == 400
    world.analyst_a.refresh_from_db()
    assert world.analyst_a.check_password("correct horse battery")
    assert not world.analyst_a.memberships.filter(organisation=world.org_c).exists()
    assert "_auth_user_id" not in client.session


def test_the_invitation_page_is_not_cached_and_sends_no_referrer_off_site(world, client,
                                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite_member(acting_user=world.admin_a, organisation=world.org_a, email="new@p2p.test")
    response = client.get(f"/invitations/{token_from_last_mail()}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
