"""Who may call the API and how: organisation API keys in the Authorization header only, read
and write scopes, sessions with CSRF and MFA, and the shared throttle."""

from datetime import timedelta

import pytest
from django.utils import timezone

from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience, Tlp
from port2port.organisations import actions as org_actions
from port2port.organisations.models import ApiKey, ApiKeyScope, Membership
from port2port.reports.models import Report

from .api_helpers import NOT_FOUND, Api, api_key, bad_fields, problem, report_body


# --- API keys -----------------------------------------------------------------------------------


def test_a_read_key_reads_what_its_organisation_sees(world):
    report = world.report(world.analyst_b, world.org_b, tlp=Tlp.AMBER, audience=Audience.NETWORK)
    api = Api(token=api_key(world))
    assert api.get(f"/reports/{report.pk}").status_code == 200
    assert [item["id"] for item in api.get("/reports").json()["items"]] == [report.pk]
    read = AuditEvent.objects.get(action="reports.read")
    assert read.detail["channel"] == "api" and read.organisation_id == world.org_a.pk
    assert read.detail["api_key"] == ApiKey.objects.get().lookup


def test_a_read_key_may_not_write(world):
    report = world.report()
    api = Api(token=api_key(world, scope=ApiKeyScope.READ))
    refused = [
        api.post("/reports", report_body(world)),
        api.patch(f"/reports/{report.pk}", {"title": "changed"}),
        api.post(f"/reports/{report.pk}/comments", {"body": "hello"}),
        api.post(f"/reports/{report.pk}/close"),
    ]
    assert [r.status_code for r in refused] == [403] * 4
    assert problem(refused[0])["detail"] == "This API key may only read."
    assert Report.objects.count() == 1 and Report.objects.get().title != "changed"


def test_a_write_key_files_a_report_for_its_organisation(world):
    api = Api(token=api_key(world, scope=ApiKeyScope.WRITE))
    response = api.post("/reports", report_body(world))
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.owner_org == world.org_a and report.author == world.admin_a


def test_a_key_acts_for_its_own_organisation_only(world):
    # Its maker is also an officer of port B, but a key of port A files and edits as port A.
    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=world.admin_a,
                           role="security_officer")
    b_report = world.report(world.analyst_b, world.org_b)
    api = Api(token=api_key(world, scope=ApiKeyScope.WRITE))
    refused = api.post("/reports", report_body(world, organisation=world.org_b.pk))
    assert {e["field"] for e in problem(refused)["errors"]} == {"organisation"}
    assert api.patch(f"/reports/{b_report.pk}", {"title": "edited through A"}).status_code == 403
    assert Api(world.admin_a).patch(f"/reports/{b_report.pk}", {"title": "edited in person"}).status_code == 200


def test_red_never_travels_through_a_key_even_to_its_named_recipient(world):
    red = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.admin_a])
    own_red = world.report(world.admin_a, tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.analyst_a])
    assert Api(world.admin_a).get(f"/reports/{red.pk}").status_code == 200
    api = Api(token=api_key(world, scope=ApiKeyScope.WRITE))
    for report in (red, own_red):
        assert problem(api.get(f"/reports/{report.pk}")) == NOT_FOUND
        assert problem(api.get(f"/reports/{report.pk}/history")) == NOT_FOUND
        assert problem(api.patch(f"/reports/{report.pk}", {"title": "x"})) == NOT_FOUND
    assert api.get("/reports").json()["items"] == []


@pytest.mark.parametrize("spoil", ["expired", "revoked", "unknown", "creator_left", "account_closed", "tampered"])
def test_a_key_that_is_no_longer_good_is_refused_with_401(world, spoil):
    token = api_key(world)
    key = ApiKey.objects.get()
    if spoil == "expired":
        ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif spoil == "revoked":
        org_actions.revoke_api_key(key, acting_user=world.admin_a)
    elif spoil == "unknown":
        token = "p2p_org_000000000000_" + "x" * 43
    elif spoil == "creator_left":
        # The membership ends (e.g. set inactive by a platform operation) while the key was not
        # revoked: the key still stops working, since it acts with its maker's rights.
        Membership.objects.filter(user=world.admin_a, organisation=world.org_a).update(is_active=False)
    elif spoil == "account_closed":
        type(world.admin_a).objects.filter(pk=world.admin_a.pk).update(is_active=False)
    elif spoil == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    world.report()
    response = Api(token=token).get("/reports")
    assert response.status_code == 401
    body = problem(response)
    assert body["title"] == "Not signed in" and "not valid" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_key_in_the_query_string_is_ignored(world):
    token = api_key(world)
    for name in ("key", "api_key", "token", "access_token", "Authorization"):
        assert Api().get("/reports", {name: token}).status_code == 401
        assert Api().get("/reports", {name: f"Bearer {token}"}).status_code == 401


def test_a_bad_key_is_refused_even_beside_a_good_session(world):
    response = Api(world.analyst_a, token="p2p_org_nope_nope").get("/reports")
    assert response.status_code == 401


def test_key_use_is_recorded_at_most_once_a_minute(world):
    api = Api(token=api_key(world))
    for _ in range(3):
        assert api.get("/me").status_code == 200
    key = ApiKey.objects.get()
    assert key.last_used_at is not None
    assert AuditEvent.objects.filter(action="api_keys.use").count() == 1
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    api.get("/me")
    assert AuditEvent.objects.filter(action="api_keys.use").count() == 2
    assert AuditEvent.objects.filter(action="api_keys.use").last().detail == {"lookup": key.lookup}


def test_me_names_the_key_and_only_its_organisation(world):
    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=world.admin_a)
    body = Api(token=api_key(world)).get("/me").json()
    assert body["authenticated_by"] == "api_key" and body["api_key"]["scope"] == "read"
    assert [m["organisation"]["id"] for m in body["memberships"]] == [world.org_a.pk]
    session = Api(world.admin_a).get("/me").json()
    assert session["authenticated_by"] == "session" and session["api_key"] is None
    assert {m["organisation"]["id"] for m in session["memberships"]} == {world.org_a.pk, world.org_b.pk}


# --- sessions -------------------------------------------------------------------------------------


def test_a_session_write_without_csrf_token_is_refused(world):
    report = world.report()
    api = Api(world.analyst_a, csrf=False)
    assert api.get("/reports").status_code == 200  # reading needs no token
    refused = [
        api.post("/reports", report_body(world)),
        api.patch(f"/reports/{report.pk}", {"title": "forged"}),
        api.post(f"/reports/{report.pk}/comments", {"body": "forged"}),
    ]
    assert [r.status_code for r in refused] == [403] * 3
    assert "CSRF" in problem(refused[0])["detail"]
    assert Report.objects.count() == 1 and Report.objects.get().title != "forged"


def test_a_session_without_a_second_factor_reaches_nothing_when_mfa_is_required(world, settings):
    from allauth.mfa.models import Authenticator

    settings.MFA_REQUIRED = True
    report = world.report()
    response = Api(world.analyst_b).get(f"/reports/{report.pk}")
    assert response.status_code == 403
    assert "two-factor" in problem(response)["detail"]
    Authenticator.objects.create(user=world.analyst_b, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert Api(world.analyst_b).get(f"/reports/{report.pk}").status_code == 200


def test_a_deactivated_member_loses_the_api_at_once(world):
    report = world.report()
    api = Api(world.analyst_b)
    assert api.get(f"/reports/{report.pk}").status_code == 200
    Membership.objects.filter(user=world.analyst_b).update(is_active=False)
    assert problem(api.get(f"/reports/{report.pk}")) == NOT_FOUND


# --- language -------------------------------------------------------------------------------------


def test_messages_follow_the_profile_language_of_a_session(world):
    type(world.analyst_a).objects.filter(pk=world.analyst_a.pk).update(language="nl")
    world.analyst_a.refresh_from_db()
    response = Api(world.analyst_a).post("/reports", {k: v for k, v in report_body(world).items() if k != "narrative"})
    assert problem(response)["errors"] == [{"field": "narrative", "message": "Dit veld is verplicht."}]


def test_messages_follow_accept_language_for_a_key(world):
    api = Api(token=api_key(world, scope=ApiKeyScope.WRITE), language="fr")
    response = api.post("/reports", {k: v for k, v in report_body(world).items() if k != "narrative"})
    assert problem(response)["errors"] == [{"field": "narrative", "message": "Ce champ est obligatoire."}]
    assert response["Content-Language"] == "fr"


# --- throttling -----------------------------------------------------------------------------------


def test_too_many_requests_get_a_429_problem(world, settings):
    settings.API_THROTTLE_RATE = "3/m"
    api = Api(token=api_key(world))
    assert [api.get("/me").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/me")
    assert response.status_code == 429
    assert problem(response)["status"] == 429
    assert int(response["Retry-After"]) >= 1
    # Each caller has its own allowance: a person's session is counted apart from the key.
    assert Api(world.analyst_b).get("/me").status_code == 200


def test_the_throttle_counts_in_the_shared_database_cache(world, settings):
    from django.core.cache import cache

    settings.API_THROTTLE_RATE = "5/m"
    Api(world.analyst_b).get("/me")
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert len(cache.get(f"p2p_api_throttle:user:{world.analyst_b.pk}")) == 1


def test_a_form_body_where_json_is_expected_is_a_415_not_a_crash(world):
    api = Api(world.analyst_a)
    response = api.client.post("/api/v1/reports", {"title": "x"}, headers=api.headers)  # multipart
    assert response.status_code == 415
    assert bad_fields(response) == {"body"}
    assert Report.objects.count() == 0


def test_a_method_a_path_does_not_take_is_a_problem_document(world):
    response = Api(world.analyst_a).client.delete("/api/v1/reports", headers=Api(world.analyst_a).headers)
    assert response.status_code == 405
    assert problem(response)["status"] == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
