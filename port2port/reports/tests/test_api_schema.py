"""The API describes itself: an OpenAPI 3 schema at a stable URL and docs that work offline under
the strict Content Security Policy. Also the directory endpoints (/me, /organisations,
/sharing-groups)."""

import json
import re
from pathlib import Path

import pytest

from .api_helpers import Api, api_key

ENDPOINTS = {
    ("/api/v1/reports", "get"), ("/api/v1/reports", "post"),
    ("/api/v1/reports/{report_id}", "get"), ("/api/v1/reports/{report_id}", "patch"),
    ("/api/v1/reports/{report_id}/share", "post"), ("/api/v1/reports/{report_id}/close", "post"),
    ("/api/v1/reports/{report_id}/comments", "get"), ("/api/v1/reports/{report_id}/comments", "post"),
    ("/api/v1/reports/{report_id}/attachments", "get"), ("/api/v1/reports/{report_id}/attachments", "post"),
    ("/api/v1/reports/{report_id}/attachments/{attachment_id}", "get"),
    ("/api/v1/reports/{report_id}/history", "get"),
    ("/api/v1/me", "get"), ("/api/v1/organisations", "get"), ("/api/v1/sharing-groups", "get"),
    # indicators (port2port/indicators/api.py)
    ("/api/v1/reports/{report_id}/indicators", "get"), ("/api/v1/reports/{report_id}/indicators", "post"),
    ("/api/v1/reports/{report_id}/indicators/{indicator_id}", "delete"),
    ("/api/v1/indicators/search", "get"), ("/api/v1/indicators/{kind}/{value}/timeline", "get"),
    ("/api/v1/indicators/{indicator_id}/sightings", "get"), ("/api/v1/indicators/{indicator_id}/sightings", "post"),
    ("/api/v1/watches", "get"), ("/api/v1/watches", "post"), ("/api/v1/watches/{watch_id}", "delete"),
    ("/api/v1/watches/hits", "get"), ("/api/v1/watches/interest", "get"),
    # sensors (port2port/sensors/ingest_api.py, api.py)
    ("/api/v1/ingest", "post"),
    ("/api/v1/sensors", "get"), ("/api/v1/sensors", "post"),
    ("/api/v1/sensors/{sensor_id}", "get"), ("/api/v1/sensors/{sensor_id}", "patch"),
    ("/api/v1/sensors/{sensor_id}/credentials", "get"), ("/api/v1/sensors/{sensor_id}/credentials", "post"),
    ("/api/v1/sensors/{sensor_id}/events", "get"),
    ("/api/v1/sensor-credentials/{credential_id}", "delete"), ("/api/v1/sensor-credentials/{credential_id}/rotate", "post"),
    ("/api/v1/zones", "get"), ("/api/v1/zones", "post"), ("/api/v1/zones/{zone_id}", "get"),
    ("/api/v1/zones/{zone_id}", "patch"), ("/api/v1/zones/{zone_id}", "delete"),
    # alerts (port2port/alerts/api.py)
    ("/api/v1/alerts", "get"), ("/api/v1/alerts/{alert_id}", "get"),
    ("/api/v1/alerts/{alert_id}/acknowledge", "post"), ("/api/v1/alerts/{alert_id}/assign", "post"),
    ("/api/v1/alerts/{alert_id}/close", "post"), ("/api/v1/alerts/{alert_id}/escalate", "post"),
    ("/api/v1/alerts/{alert_id}/deliveries", "get"),
    ("/api/v1/alert-rules", "get"), ("/api/v1/alert-rules", "post"),
    ("/api/v1/alert-rules/{rule_id}", "get"), ("/api/v1/alert-rules/{rule_id}", "patch"),
    ("/api/v1/alert-subscriptions/{organisation_id}", "get"), ("/api/v1/alert-subscriptions/{organisation_id}", "put"),
    ("/api/v1/webhooks", "get"), ("/api/v1/webhooks", "post"), ("/api/v1/webhooks/{webhook_id}", "delete"),
    ("/api/v1/organisations/{organisation_id}/auto-share", "get"),
    ("/api/v1/organisations/{organisation_id}/auto-share", "put"),
    # knowledge (port2port/knowledge/api.py)
    ("/api/v1/articles", "get"), ("/api/v1/articles", "post"), ("/api/v1/articles/{article_id}", "get"),
    ("/api/v1/articles/{article_id}", "patch"), ("/api/v1/articles/{article_id}/attachments", "get"),
    ("/api/v1/articles/{article_id}/attachments", "post"),
    ("/api/v1/articles/{article_id}/attachments/{attachment_id}", "get"),
    ("/api/v1/articles/{article_id}/comments", "get"), ("/api/v1/articles/{article_id}/comments", "post"),
    ("/api/v1/articles/{article_id}/diff", "get"), ("/api/v1/articles/{article_id}/feedback", "delete"),
    ("/api/v1/articles/{article_id}/feedback", "get"), ("/api/v1/articles/{article_id}/feedback", "post"),
    ("/api/v1/articles/{article_id}/proposals", "get"), ("/api/v1/articles/{article_id}/proposals", "post"),
    ("/api/v1/articles/{article_id}/proposals/{proposal_id}", "get"),
    ("/api/v1/articles/{article_id}/proposals/{proposal_id}/accept", "post"),
    ("/api/v1/articles/{article_id}/proposals/{proposal_id}/decline", "post"),
    ("/api/v1/articles/{article_id}/share", "post"), ("/api/v1/articles/{article_id}/versions", "get"),
    # training (port2port/training/api.py)
    ("/api/v1/awareness-campaigns", "get"), ("/api/v1/awareness-campaigns", "post"),
    ("/api/v1/awareness-campaigns/{campaign_id}", "get"), ("/api/v1/awareness-campaigns/{campaign_id}", "patch"),
    ("/api/v1/awareness-campaigns/{campaign_id}/participants", "post"),
    ("/api/v1/awareness-campaigns/{campaign_id}/participants/{organisation_id}", "delete"),
    ("/api/v1/awareness-campaigns/{campaign_id}/participants/{organisation_id}/reach", "put"),
    ("/api/v1/awareness-campaigns/{campaign_id}/share", "post"),
    ("/api/v1/training-registrations/{registration_id}/attendance", "post"),
    ("/api/v1/training-registrations/{registration_id}/cancel", "post"), ("/api/v1/trainings", "get"),
    ("/api/v1/trainings", "post"), ("/api/v1/trainings/{training_id}", "get"),
    ("/api/v1/trainings/{training_id}", "patch"), ("/api/v1/trainings/{training_id}/cancel", "post"),
    ("/api/v1/trainings/{training_id}/feedback", "get"), ("/api/v1/trainings/{training_id}/feedback", "put"),
    ("/api/v1/trainings/{training_id}/registrations", "get"),
    ("/api/v1/trainings/{training_id}/registrations", "post"), ("/api/v1/trainings/{training_id}/share", "post"),
    # measures (port2port/measures/api.py)
    ("/api/v1/measures", "get"), ("/api/v1/measures", "post"),
    ("/api/v1/measures/disclosure/{organisation_id}", "get"),
    ("/api/v1/measures/disclosure/{organisation_id}", "put"), ("/api/v1/measures/network", "get"),
    ("/api/v1/measures/network.csv", "get"), ("/api/v1/measures/{measure_id}", "get"),
    ("/api/v1/measures/{measure_id}", "patch"), ("/api/v1/measures/{measure_id}/adopt", "post"),
    ("/api/v1/measures/{measure_id}/assessments", "get"), ("/api/v1/measures/{measure_id}/assessments", "post"),
    ("/api/v1/measures/{measure_id}/assessments/{organisation_id}/history", "get"),
    ("/api/v1/measures/{measure_id}/retire", "post"), ("/api/v1/measures/{measure_id}/versions", "get"),
    # working groups (port2port/workinggroups/api.py)
    ("/api/v1/working-groups", "get"), ("/api/v1/working-groups/actions/{action_id}", "get"),
    ("/api/v1/working-groups/actions/{action_id}", "patch"),
    ("/api/v1/working-groups/decisions/{decision_id}", "get"), ("/api/v1/working-groups/directory", "get"),
    ("/api/v1/working-groups/meetings/{meeting_id}", "get"),
    ("/api/v1/working-groups/meetings/{meeting_id}", "patch"),
    ("/api/v1/working-groups/meetings/{meeting_id}/actions", "get"),
    ("/api/v1/working-groups/meetings/{meeting_id}/actions", "post"),
    ("/api/v1/working-groups/meetings/{meeting_id}/calendar", "get"),
    ("/api/v1/working-groups/meetings/{meeting_id}/decisions", "get"),
    ("/api/v1/working-groups/meetings/{meeting_id}/decisions", "post"), ("/api/v1/working-groups/{group_id}", "get"),
    ("/api/v1/working-groups/{group_id}/actions", "get"), ("/api/v1/working-groups/{group_id}/coordinator", "put"),
    ("/api/v1/working-groups/{group_id}/delegates", "post"),
    ("/api/v1/working-groups/{group_id}/delegates/{person_id}", "delete"),
    ("/api/v1/working-groups/{group_id}/meetings", "get"), ("/api/v1/working-groups/{group_id}/meetings", "post"),
}


def test_the_openapi_schema_loads_and_lists_every_endpoint(db):
    response = Api().get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Port 2 Port API" and schema["info"]["version"] == "1"
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert operations == ENDPOINTS


def test_the_schema_documents_auth_enums_limits_and_problems(db):
    schema = Api().get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["OrganisationApiKey"].items()
    report_in = schema["components"]["schemas"]["ReportIn"]["properties"]
    assert report_in["title"]["maxLength"] == 200 and report_in["narrative"]["maxLength"] == 20000
    assert set(schema["components"]["schemas"]["Tlp"]["enum"]) == {"clear", "green", "amber", "amber+strict", "red"}
    read = schema["paths"]["/api/v1/reports/{report_id}"]["get"]["responses"]
    assert read["404"]["content"]["application/problem+json"]["schema"]["$ref"] == "#/components/schemas/Problem"
    patch = schema["components"]["schemas"]["ReportPatch"]["properties"]
    assert "tlp" not in patch  # the marking changes through /share only


def test_the_docs_page_is_served_offline_without_inline_script(db):
    response = Api().get("/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost)", html), "the docs page must not load from the internet"
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag  # JSON data runs nothing
    assert "style=" not in html and "<style" not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self';" in policy and "unsafe" not in policy


def test_the_swagger_files_are_served_locally(db):
    for name in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        response = Api().client.get(f"/static/ninja/{name}")
        assert response.status_code == 200, name


# --- the directory ------------------------------------------------------------------------------


def test_me_tells_who_i_am_and_my_roles(world):
    body = Api(world.officer_a).get("/me").json()
    assert body["email"] == "officer.a@p2p.test" and body["authenticated_by"] == "session"
    [membership] = body["memberships"]
    assert membership["organisation"]["id"] == world.org_a.pk and membership["role"] == "security_officer"
    assert "reports:edit-organisation" in membership["permissions"]


def test_the_directory_lists_the_active_network_with_ports(world):
    body = Api(world.analyst_b).get("/organisations").json()
    names = [org["name"] for org in body]
    assert names == ["Police Directorate", "Port A", "Port B"]  # Port C is not in the network
    port_a = next(org for org in body if org["name"] == "Port A")
    assert port_a["ports"] == [{"locode": "BEANR", "name": "Antwerp", "latitude": 51.26, "longitude": 4.40}]


def test_the_directory_shows_an_organisation_outside_the_network_only_itself(world):
    assert [org["name"] for org in Api(world.outsider_c).get("/organisations").json()] == ["Port C"]


def test_sharing_groups_are_those_of_my_organisations(world):
    groups = Api(world.analyst_b).get("/sharing-groups").json()
    assert [g["name"] for g in groups] == ["Drugs"]
    assert {m["name"] for m in groups[0]["members"]} == {"Port A", "Port B", "Police Directorate"}
    assert Api(world.outsider_c).get("/sharing-groups").json() == []


def test_a_key_sees_the_groups_of_its_organisation_only(world):
    from port2port.organisations import actions as org_actions

    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_c, user=world.admin_a)
    org_actions.create_sharing_group(acting_user=world.outsider_c, owner=world.org_c, name="Liège only")
    assert {g["name"] for g in Api(world.admin_a).get("/sharing-groups").json()} == {"Drugs", "Liège only"}
    assert [g["name"] for g in Api(token=api_key(world)).get("/sharing-groups").json()] == ["Drugs"]


def test_the_schema_repeats_no_key(db):
    # Swagger UI reads the schema as YAML and refuses a repeated key (ninja's int status keys
    # beside string ones once produced two "200"s).
    def no_repeats(pairs):
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(Api().get("/openapi.json").content, object_pairs_hook=no_repeats)


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_the_docs_render_in_a_browser_with_no_internet_and_no_csp_violation(live_server):
    from playwright.sync_api import sync_playwright

    problems, outside = [], []

    def local_only(route):
        if route.request.url.startswith(live_server.url):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        page = browser.new_page()
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.route("**/*", local_only)
        page.goto(f"{live_server.url}/api/v1/docs", wait_until="networkidle")
        page.wait_for_selector(".opblock", timeout=15000)
        operations = page.locator(".opblock").count()
        browser.close()
    assert operations == len(ENDPOINTS)
    assert problems == [] and outside == []
