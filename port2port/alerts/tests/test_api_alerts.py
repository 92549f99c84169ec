"""Alerts through /api/v1: members list and read their organisation's alerts and handle them
(acknowledge, assign, close, escalate to a draft report), read the delivery log; officers and
admins write rules, webhooks and automatic sharing; everyone chooses their own e-mail. Outsiders
get a 404 like a missing id and change nothing; bad input is named field by field.

Alerts are raised for real: a rule, then events POSTed to /api/v1/ingest with the rig's
credential, the worker's tasks running inline once the batch commits."""

import json
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from port2port.alerts import actions
from port2port.alerts.models import (
    Alert, AlertStatus, AutoShare, Delivery, DeliveryStatus, Rule, Severity, Subscription, Webhook,
)
from port2port.core.models import AuditEvent
from port2port.core.permissions import Role
from port2port.core.sharing import Status as ReportStatus
from port2port.organisations import actions as org_actions
from port2port.organisations.models import ApiKeyScope
from port2port.reports.models import Report
from port2port.reports.tests.api_helpers import API, NOT_FOUND, Api, api_key, bad_fields, problem
from port2port.sensors import actions as sensor_actions
from port2port.sensors.events import EventKind
# The sensors' `rig` fixture (a sensor of port A with a zone and a credential), imported to be used here.
from port2port.sensors.tests.conftest import native_event, rig  # noqa: F401

MISSING = 999_999
SIEM = "https://siem.example/hooks/p2p"


def delete(api: Api, path: str):
    return api.client.delete(API + path, headers=api.headers)


def put(api: Api, path: str, body: dict):
    return api.client.put(API + path, json.dumps(body), content_type="application/json", headers=api.headers)


def outsiders(world) -> list:
    return [world.outsider_c, world.analyst_b, world.platform_admin]


def person(world, email: str, organisation, role):
    user = org_actions.create_account(acting_user=world.platform_admin, email=email, password="correct horse battery",
                                      full_name=email.split("@")[0])
    org_actions.add_member(acting_user=world.platform_admin, organisation=organisation, user=user, role=role)
    return user


def rule(world, rig=None, *, name="Drone over Quay 1700", kind=EventKind.DRONE_DETECTED, severity=Severity.HIGH,
         **extra):
    return actions.write_rule(acting_user=world.officer_a, organisation=world.org_a, name=name, event_kind=kind,
                              zone=rig.zone if rig else None, severity=severity, **extra)


@pytest.fixture
def send(rig, django_capture_on_commit_callbacks):
    """POST events as the rig's sensor; the rules and the new alerts' tasks run when it commits."""

    def send(events: list[dict]) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(f"{API}/ingest", json.dumps(events), content_type="application/json",
                                     **rig.headers)
        assert response.status_code == 200, response.content
        return response.json()

    return send


@pytest.fixture
def alert(world, rig, send) -> Alert:
    rule(world, rig)
    send([native_event(n) for n in range(3)])
    return Alert.objects.get()


def state(alert: Alert) -> tuple:
    alert = Alert.objects.get(pk=alert.pk)
    return alert.status, alert.assignee_id, alert.report_id


# --- reading alerts ---------------------------------------------------------------------------


def test_members_list_their_organisations_alerts(world, rig, alert):
    page = Api(world.analyst_a).get("/alerts").json()
    assert page["next_cursor"] is None
    [listed] = page["items"]
    assert listed["id"] == alert.pk and listed["title"] == "Drone over Quay 1700"
    assert (listed["kind"], listed["severity"], listed["status"]) == ("drone_detected", "high", "new")
    assert listed["event_count"] == 3
    assert listed["sensor"] == {"id": rig.sensor.pk, "name": "RF detector 1"}
    assert listed["zone"] == {"id": rig.zone.pk, "name": "Quay 1700"} and listed["port"] == "BEANR"
    assert listed["organisation"] == {"id": world.org_a.pk, "name": "Port A"}
    assert listed["assignee"] is None and listed["report"] is None and listed["rule"]["name"] == "Drone over Quay 1700"


def test_an_alert_shows_its_newest_hundred_events_and_counts_them_all(world, rig, send):
    rule(world, rig)
    now = timezone.now()
    send([native_event(n, at=now - timedelta(seconds=10 + n)) for n in range(120)])
    alert = Alert.objects.get()
    body = Api(world.analyst_a).get(f"/alerts/{alert.pk}").json()
    assert body["event_count"] == 120
    assert [event["external_id"] for event in body["events"]] == [f"evt-{n}" for n in range(100)]
    assert body["events"][0]["zone"]["name"] == "Quay 1700" and "raw" not in body["events"][0]


def test_alerts_are_filtered_by_status_severity_kind_and_time(world, rig, send, alert):
    rule(world, name="Any intrusion", kind=EventKind.INTRUSION, severity=Severity.LOW)
    send([native_event(10, kind="intrusion")])
    offline = actions.raise_offline_alert(rig.sensor, timezone.now())
    intrusion = Alert.objects.get(event_kind=EventKind.INTRUSION)
    actions.close_alert(intrusion, acting_user=world.analyst_a)
    api = Api(world.analyst_a)

    def ids(**params):
        return {item["id"] for item in api.get("/alerts", params).json()["items"]}

    assert ids() == {alert.pk, intrusion.pk, offline.pk}
    assert ids(status="closed") == {intrusion.pk}
    assert ids(status="new") == {alert.pk, offline.pk}
    assert ids(severity="high") == {alert.pk}
    assert ids(severity="medium") == {alert.pk, offline.pk}
    assert ids(severity="critical") == set()
    assert ids(kind="intrusion") == {intrusion.pk}
    assert ids(kind="offline") == {offline.pk}
    assert ids(kind="tamper") == set()
    assert ids(since=(timezone.now() + timedelta(minutes=1)).isoformat()) == set()
    assert ids(since=(timezone.now() - timedelta(minutes=5)).isoformat(), kind="drone_detected") == {alert.pk}


def test_alerts_come_newest_first_page_by_page_each_once(world, rig, send):
    for name in ("Drone A", "Drone B", "Drone C"):
        rule(world, rig, name=name)  # one batch raises three alerts with the same last event
    send([native_event(1)])
    api, seen, cursor = Api(world.analyst_a), [], None
    while True:
        page = api.get("/alerts", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(Alert.objects.values_list("pk", flat=True), reverse=True)


@pytest.mark.parametrize("params, field", [
    ({"status": "panicking"}, "status"),
    ({"severity": "3"}, "severity"),
    ({"kind": "picnic"}, "kind"),
    ({"since": "2026-03-04T02:30:00"}, "since"),
    ({"limit": 0}, "limit"),
    ({"limit": 101}, "limit"),
    ({"cursor": "forged"}, "cursor"),
])
def test_bad_alert_filters_are_refused_naming_the_field(world, params, field):
    response = Api(world.analyst_a).get("/alerts", params)
    assert response.status_code == 422 and bad_fields(response) == {field}


def test_a_cursor_of_a_sensors_events_is_no_alerts_cursor(world, rig, send):
    send([native_event(n) for n in range(2)])
    cursor = Api(world.analyst_a).get(f"/sensors/{rig.sensor.pk}/events", {"limit": 1}).json()["next_cursor"]
    assert bad_fields(Api(world.analyst_a).get("/alerts", {"cursor": cursor})) == {"cursor"}


# --- outsiders --------------------------------------------------------------------------------


def test_outsiders_get_404_for_an_alert_and_change_nothing(world, alert):
    before, reports = state(alert), Report.objects.count()
    for outsider in outsiders(world):
        api = Api(outsider)
        assert api.get("/alerts").json()["items"] == []
        answers = [
            api.get(f"/alerts/{alert.pk}"), api.get(f"/alerts/{alert.pk}/deliveries"),
            api.post(f"/alerts/{alert.pk}/acknowledge"),
            api.post(f"/alerts/{alert.pk}/assign", {"assignee": outsider.pk}),
            api.post(f"/alerts/{alert.pk}/close"), api.post(f"/alerts/{alert.pk}/escalate"),
        ]
        assert [answer.status_code for answer in answers] == [404] * len(answers), outsider
        assert all(problem(answer) == NOT_FOUND for answer in answers)
        assert api.get(f"/alerts/{alert.pk}").content == api.get(f"/alerts/{MISSING}").content
    assert state(alert) == before and Report.objects.count() == reports


def test_outsiders_get_404_for_a_rule_and_write_none_for_port_a(world, rig):
    drone_rule = rule(world, rig)
    for outsider in outsiders(world):
        api = Api(outsider)
        assert api.get("/alert-rules").json() == []
        answers = [api.get(f"/alert-rules/{drone_rule.pk}"),
                   api.patch(f"/alert-rules/{drone_rule.pk}", {"is_active": False})]
        assert [answer.status_code for answer in answers] == [404, 404]
        assert all(problem(answer) == NOT_FOUND for answer in answers)
    body = {"name": "Theirs", "event_kind": "intrusion", "organisation": world.org_a.pk}
    assert bad_fields(Api(world.outsider_c).post("/alert-rules", body)) == {"organisation"}
    assert bad_fields(Api(world.analyst_b).post("/alert-rules", body)) == {"organisation"}
    assert Api(world.platform_admin).post("/alert-rules", {"name": "X", "event_kind": "intrusion"}).status_code == 403
    assert list(Rule.objects.values_list("name", "is_active")) == [("Drone over Quay 1700", True)]


def test_outsiders_get_404_for_port_a_subscriptions_webhooks_and_sharing(world):
    webhook, _secret = actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name="SIEM", url=SIEM)
    org = world.org_a.pk
    for outsider in outsiders(world):
        api = Api(outsider)
        assert api.get("/webhooks").json() == []
        answers = [
            api.get(f"/alert-subscriptions/{org}"), put(api, f"/alert-subscriptions/{org}", {}),
            delete(api, f"/webhooks/{webhook.pk}"),
            api.get(f"/organisations/{org}/auto-share"),
            put(api, f"/organisations/{org}/auto-share", {"event_kinds": ["drone_detected"]}),
        ]
        assert [answer.status_code for answer in answers] == [404] * len(answers), outsider
        assert all(problem(answer) == NOT_FOUND for answer in answers)
        assert api.get(f"/alert-subscriptions/{org}").content == api.get(f"/alert-subscriptions/{MISSING}").content
    assert bad_fields(Api(world.outsider_c).post("/webhooks", {"name": "X", "url": SIEM, "organisation": org})) == \
        {"organisation"}
    assert list(Webhook.objects.values_list("pk", flat=True)) == [webhook.pk]
    assert not Subscription.objects.exists() and not AutoShare.objects.exists()


def test_an_anonymous_caller_gets_401(world, alert):
    paths = ("/alerts", f"/alerts/{alert.pk}", "/alert-rules", "/webhooks", f"/alert-subscriptions/{world.org_a.pk}")
    for path in paths:
        assert Api().get(path).status_code == 401
    assert Api().post(f"/alerts/{alert.pk}/acknowledge").status_code == 401
    assert state(alert) == (AlertStatus.NEW, None, None)


# --- handling alerts --------------------------------------------------------------------------


def test_an_analyst_acknowledges_an_alert_and_becomes_its_assignee(world, alert):
    response = Api(world.analyst_a).post(f"/alerts/{alert.pk}/acknowledge")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "acknowledged"
    assert response.json()["assignee"] == {"id": world.analyst_a.pk, "name": "Arne Analyst"}
    assert AuditEvent.objects.filter(action="alerts.acknowledged", target_id=str(alert.pk)).exists()


def test_a_viewer_reads_an_alert_but_does_not_handle_it(world, alert):
    viewer = person(world, "viewer.a@p2p.test", world.org_a, Role.VIEWER)
    api = Api(viewer)
    assert api.get(f"/alerts/{alert.pk}").status_code == 200
    refused = [api.post(f"/alerts/{alert.pk}/acknowledge"), api.post(f"/alerts/{alert.pk}/close"),
               api.post(f"/alerts/{alert.pk}/assign", {"assignee": world.analyst_a.pk}),
               api.post(f"/alerts/{alert.pk}/escalate")]
    assert [answer.status_code for answer in refused] == [403] * 4
    assert problem(refused[0])["detail"] == "Your role does not handle alerts."
    assert state(alert) == (AlertStatus.NEW, None, None) and not Report.objects.exists()


def test_an_alert_is_assigned_reassigned_and_unassigned(world, alert):
    api = Api(world.analyst_a)
    assigned = api.post(f"/alerts/{alert.pk}/assign", {"assignee": world.officer_a.pk})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["assignee"]["id"] == world.officer_a.pk and assigned.json()["status"] == "acknowledged"
    assert api.post(f"/alerts/{alert.pk}/assign", {"assignee": None}).json()["assignee"] is None


@pytest.mark.parametrize("body", [
    {"assignee": MISSING},
    {"assignee": "officer"},
    {"assignee": 0},
    {},
])
def test_a_bad_assignee_is_refused_naming_the_field(world, alert, body):
    assert bad_fields(Api(world.analyst_a).post(f"/alerts/{alert.pk}/assign", body)) == {"assignee"}
    assert state(alert) == (AlertStatus.NEW, None, None)


def test_someone_outside_the_organisation_or_not_handling_alerts_cannot_be_assigned(world, alert):
    viewer = person(world, "viewer.a@p2p.test", world.org_a, Role.VIEWER)
    api = Api(world.analyst_a)
    refusals = [problem(api.post(f"/alerts/{alert.pk}/assign", {"assignee": someone.pk}))["errors"]
                for someone in (world.analyst_b, viewer, world.platform_admin)]
    missing = problem(api.post(f"/alerts/{alert.pk}/assign", {"assignee": MISSING}))["errors"]
    assert refusals == [missing] * 3  # the same words: assigning tells nothing of who exists
    assert state(alert) == (AlertStatus.NEW, None, None)


def test_an_analyst_closes_an_alert(world, alert):
    response = Api(world.analyst_a).post(f"/alerts/{alert.pk}/close")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert Api(world.analyst_a).get("/alerts", {"status": "closed"}).json()["items"][0]["id"] == alert.pk


def test_escalating_makes_a_draft_report_only_port_a_sees(world, alert):
    response = Api(world.analyst_a).post(f"/alerts/{alert.pk}/escalate")
    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get(pk=body["report_id"])
    assert body["report_url"] == f"{API}/reports/{report.pk}" and body["report_page"] == f"/reports/{report.pk}/"
    assert body["alert"]["status"] == "escalated" and body["alert"]["report"] == report.pk
    assert (report.status, report.owner_org, report.author) == (ReportStatus.DRAFT, world.org_a, world.analyst_a)
    assert report.category == "drone" and report.port == world.port_a
    assert list(report.indicators.values_list("kind", "value")) == [("drone_serial", "1581F5FJD23A0000001")]
    path = body["report_url"].removeprefix(API)
    assert Api(world.analyst_a).get(path).status_code == 200
    assert Api(world.officer_a).get(path).status_code == 200  # an editor of port A
    for someone in (world.analyst_b, world.police_analyst, world.outsider_c, world.platform_admin):
        assert problem(Api(someone).get(path)) == NOT_FOUND
        assert not Report.objects.visible_to(someone).filter(pk=report.pk).exists()
    again = Api(world.officer_a).post(f"/alerts/{alert.pk}/escalate")
    assert bad_fields(again) == {"alert"} and Report.objects.count() == 1


def test_the_delivery_log_lists_each_message_of_an_alert(world, rig, send, settings):
    settings.WEBHOOK_ALLOW_HTTP, settings.WEBHOOK_ALLOWED_NETWORKS = True, ["127.0.0.0/8"]
    actions.subscribe(acting_user=world.officer_a, organisation=world.org_a, min_severity=Severity.LOW)
    # Port 9 (discard) on loopback: refused at once, so nothing waits on the network.
    webhook, _secret = actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name="SIEM",
                                           url="http://127.0.0.1:9/hooks", min_severity=Severity.LOW)
    rule(world, rig)
    send([native_event(1)])
    alert = Alert.objects.get()
    log = Api(world.analyst_a).get(f"/alerts/{alert.pk}/deliveries").json()
    assert sorted((entry["channel"], (entry["user"] or entry["webhook"])["id"]) for entry in log) == [
        ("email", world.officer_a.pk), ("webhook", webhook.pk)]
    assert all(entry["status"] in DeliveryStatus.values and entry["next_attempt_at"] for entry in log)
    assert Delivery.objects.count() == 2


# --- rules ------------------------------------------------------------------------------------


def test_an_officer_writes_a_rule_and_changes_it(world, rig):
    api = Api(world.officer_a)
    response = api.post("/alert-rules", {
        "name": "Night drones", "event_kind": "drone_detected", "zone": rig.zone.pk, "active_from": "22:00",
        "active_until": "06:00", "threshold": 3, "period_minutes": 5, "allowlist": [" 1581f5fjd23a0000009 "],
        "severity": "critical"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["zone"], body["active_from"], body["active_until"]) == (
        {"id": rig.zone.pk, "name": "Quay 1700"}, "22:00:00", "06:00:00")
    assert (body["threshold"], body["period_minutes"], body["severity"]) == (3, 5, "critical")
    assert body["allowlist"] == ["1581F5FJD23A0000009"] and body["is_active"]
    assert body["created_by"]["id"] == world.officer_a.pk
    assert [item["id"] for item in Api(world.analyst_a).get("/alert-rules").json()] == [body["id"]]
    changed = api.patch(f"/alert-rules/{body['id']}", {"zone": None, "severity": "low", "is_active": False,
                                                       "active_from": None, "active_until": None})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["zone"], changed.json()["severity"], changed.json()["is_active"]) == (None, "low", False)
    assert changed.json()["active_from"] is None and changed.json()["threshold"] == 3
    assert Api(world.analyst_a).get(f"/alert-rules/{body['id']}").json() == changed.json()


def test_a_rule_written_through_the_api_raises_alerts(world, rig, send):
    Api(world.officer_a).post("/alert-rules", {"name": "Drones", "event_kind": "drone_detected", "threshold": 2})
    send([native_event(1)])
    assert not Alert.objects.exists()
    send([native_event(2)])
    assert Alert.objects.get().rule.name == "Drones"


def test_an_analyst_reads_rules_but_does_not_write_them(world, rig):
    drone_rule = rule(world, rig)
    api = Api(world.analyst_a)
    assert api.get(f"/alert-rules/{drone_rule.pk}").status_code == 200
    assert api.post("/alert-rules", {"name": "Mine", "event_kind": "intrusion"}).status_code == 403
    assert api.patch(f"/alert-rules/{drone_rule.pk}", {"is_active": False}).status_code == 403
    assert list(Rule.objects.values_list("name", "is_active")) == [("Drone over Quay 1700", True)]


@pytest.mark.parametrize("overrides, field", [
    ({"name": ""}, "name"),
    ({"event_kind": "picnic"}, "event_kind"),
    ({"event_kind": None}, "event_kind"),
    ({"zone": MISSING}, "zone"),
    ({"active_from": "22:00"}, "active_until"),
    ({"active_until": "06:00"}, "active_from"),
    ({"active_from": "25:00", "active_until": "06:00"}, "active_from"),
    ({"threshold": 0}, "threshold"),
    ({"period_minutes": 0}, "period_minutes"),
    ({"allowlist": "1581F5FJD23A0000009"}, "allowlist"),
    ({"allowlist": ["x" * 101]}, "allowlist"),
    ({"severity": "apocalyptic"}, "severity"),
    ({"organisation": MISSING}, "organisation"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_rule_is_refused_naming_the_field(world, rig, overrides, field):
    body = {"name": "Drones", "event_kind": "drone_detected", **overrides}
    response = Api(world.officer_a).post("/alert-rules", body)
    assert response.status_code == 422, response.content
    assert bad_fields(response) == {field}
    assert not Rule.objects.exists()


def test_a_zone_of_another_organisation_is_no_zone_for_a_rule(world, rig):
    officer_b = person(world, "officer.b@p2p.test", world.org_b, Role.SECURITY_OFFICER)
    theirs = sensor_actions.define_zone(acting_user=officer_b, organisation=world.org_b, name="Ghent lock",
                                       outline=[[3.7, 51.0], [3.8, 51.0], [3.8, 51.1]])
    api = Api(world.officer_a)
    refused = api.post("/alert-rules", {"name": "Drones", "event_kind": "drone_detected", "zone": theirs.pk})
    assert bad_fields(refused) == {"zone"}
    drone_rule = rule(world, rig)
    assert bad_fields(api.patch(f"/alert-rules/{drone_rule.pk}", {"zone": theirs.pk})) == {"zone"}
    assert Rule.objects.get().zone == rig.zone


def test_a_bad_change_to_a_rule_is_refused_naming_the_field(world, rig):
    drone_rule = rule(world, rig, active_from=time(22), active_until=time(6))
    api = Api(world.officer_a)
    assert bad_fields(api.patch(f"/alert-rules/{drone_rule.pk}", {"active_until": None})) == {"active_until"}
    assert bad_fields(api.patch(f"/alert-rules/{drone_rule.pk}", {"threshold": -1})) == {"threshold"}
    assert bad_fields(api.patch(f"/alert-rules/{drone_rule.pk}", {"organisation": world.org_b.pk})) == {"organisation"}
    assert bad_fields(api.patch(f"/alert-rules/{drone_rule.pk}", {"name": None})) == {"name"}
    unchanged = Rule.objects.get()
    assert (unchanged.active_until, unchanged.threshold, unchanged.name) == (time(6), 1, "Drone over Quay 1700")


# --- my subscription --------------------------------------------------------------------------


def test_a_member_chooses_which_alerts_reach_them_by_email(world):
    api, path = Api(world.analyst_a), f"/alert-subscriptions/{world.org_a.pk}"
    assert api.get(path).json() == {"organisation": {"id": world.org_a.pk, "name": "Port A"}, "subscribed": False,
                                    "event_kinds": [], "ports": [], "min_severity": "high", "by_email": False}
    choice = {"event_kinds": ["offline", "drone_detected"], "ports": ["beanr"], "min_severity": "medium"}
    chosen = put(api, path, choice)
    assert chosen.status_code == 200, chosen.content
    assert {key: chosen.json()[key] for key in ("subscribed", "event_kinds", "ports", "min_severity", "by_email")} == {
        "subscribed": True, "event_kinds": ["drone_detected", "offline"], "ports": ["BEANR"],
        "min_severity": "medium", "by_email": True}
    assert api.get(path).json() == chosen.json()
    assert Subscription.objects.get().user == world.analyst_a
    assert Api(world.officer_a).get(path).json()["subscribed"] is False  # each person their own


@pytest.mark.parametrize("body, field", [
    ({"event_kinds": ["picnic"]}, "event_kinds"),
    ({"event_kinds": "drone_detected"}, "event_kinds"),
    ({"ports": ["XXXXX"]}, "ports"),
    ({"ports": ["BEGNE"]}, "ports"),  # port B's port
    ({"ports": ["BEANRX"]}, "ports"),
    ({"min_severity": "urgent"}, "min_severity"),
    ({"by_email": "maybe"}, "by_email"),
    ({"user": 1}, "user"),
])
def test_a_bad_subscription_is_refused_naming_the_field(world, body, field):
    response = put(Api(world.analyst_a), f"/alert-subscriptions/{world.org_a.pk}", body)
    assert response.status_code == 422, response.content
    assert bad_fields(response) == {field}
    assert not Subscription.objects.exists()


# --- webhooks ---------------------------------------------------------------------------------


def test_a_webhooks_secret_is_shown_once(world):
    api = Api(world.admin_a)
    response = api.post("/webhooks", {"name": "SIEM", "url": SIEM, "min_severity": "critical"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["secret"]) == 64 and body["min_severity"] == "critical" and body["url"] == SIEM
    listed = Api(world.officer_a).get("/webhooks")
    assert [hook["id"] for hook in listed.json()] == [body["id"]]
    assert "secret" not in listed.json()[0] and body["secret"].encode() not in listed.content
    # Members who do not manage sensors do not read webhook addresses (they may hold a token).
    assert Api(world.analyst_a).get("/webhooks").json() == []
    assert AuditEvent.objects.filter(action="alerts.webhook.add").count() == 1


def test_an_officer_removes_a_webhook_and_an_analyst_cannot(world):
    webhook, _secret = actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name="SIEM", url=SIEM)
    assert Api(world.analyst_a).post("/webhooks", {"name": "Mine", "url": SIEM}).status_code == 403
    assert problem(delete(Api(world.analyst_a), f"/webhooks/{webhook.pk}")) == NOT_FOUND
    assert Webhook.objects.count() == 1
    assert delete(Api(world.officer_a), f"/webhooks/{webhook.pk}").status_code == 204
    assert not Webhook.objects.exists()
    assert problem(delete(Api(world.officer_a), f"/webhooks/{webhook.pk}")) == NOT_FOUND


@pytest.mark.parametrize("overrides, field", [
    ({"url": "http://siem.example/hooks"}, "url"),
    ({"url": "siem.example/hooks"}, "url"),
    ({"url": "https://10.0.0.5/hooks"}, "url"),
    ({"url": "https://user:pw@siem.example/"}, "url"),
    ({"url": ""}, "url"),
    ({"url": "https://siem.example/" + "a" * 500}, "url"),
    ({"name": ""}, "name"),
    ({"min_severity": "loud"}, "min_severity"),
    ({"secret": "mine"}, "secret"),
])
def test_a_bad_webhook_is_refused_naming_the_field(world, overrides, field):
    response = Api(world.officer_a).post("/webhooks", {"name": "SIEM", "url": SIEM, **overrides})
    assert response.status_code == 422, response.content
    assert bad_fields(response) == {field}
    assert not Webhook.objects.exists()


# --- automatic sharing ------------------------------------------------------------------------


def test_an_officer_shares_drone_sightings_with_the_network_and_partners_see_the_summary(world, rig, send):
    api, path = Api(world.officer_a), f"/organisations/{world.org_a.pk}/auto-share"
    assert api.get(path).json()["event_kinds"] == []
    chosen = put(api, path, {"event_kinds": ["drone_detected"]})
    assert chosen.status_code == 200, chosen.content
    assert chosen.json()["event_kinds"] == ["drone_detected"] and "intrusion" in chosen.json()["shareable_kinds"]
    assert Api(world.analyst_a).get(path).json()["event_kinds"] == ["drone_detected"]
    rule(world, rig)
    send([native_event(1)])
    [summary] = Api(world.analyst_b).get("/reports").json()["items"]
    assert (summary["tlp"], summary["audience"], summary["category"]) == ("green", "network", "drone")
    assert put(api, path, {"event_kinds": []}).json()["event_kinds"] == []


@pytest.mark.parametrize("body, field", [
    ({"event_kinds": ["badge_denied"]}, "event_kinds"),  # a person's badge is never shared
    ({"event_kinds": ["picnic"]}, "event_kinds"),
    ({}, "event_kinds"),
])
def test_a_bad_auto_share_choice_is_refused_naming_the_field(world, body, field):
    response = put(Api(world.officer_a), f"/organisations/{world.org_a.pk}/auto-share", body)
    assert response.status_code == 422 and bad_fields(response) == {field}
    assert not AutoShare.objects.exists()


def test_an_analyst_reads_but_does_not_set_auto_sharing(world):
    path = f"/organisations/{world.org_a.pk}/auto-share"
    assert Api(world.analyst_a).get(path).status_code == 200
    assert put(Api(world.analyst_a), path, {"event_kinds": ["drone_detected"]}).status_code == 403
    assert not AutoShare.objects.exists()


# --- API keys ---------------------------------------------------------------------------------


def test_a_read_only_key_reads_alerts_but_handles_none(world, alert):
    api = Api(token=api_key(world, scope=ApiKeyScope.READ))
    assert [item["id"] for item in api.get("/alerts").json()["items"]] == [alert.pk]
    assert api.post(f"/alerts/{alert.pk}/acknowledge").status_code == 403
    assert put(api, f"/alert-subscriptions/{world.org_a.pk}", {}).status_code == 403
    assert state(alert) == (AlertStatus.NEW, None, None) and not Subscription.objects.exists()


def test_a_write_key_handles_its_organisations_alerts_in_its_makers_name(world, alert):
    api = Api(token=api_key(world, scope=ApiKeyScope.WRITE))
    response = api.post(f"/alerts/{alert.pk}/acknowledge")
    assert response.status_code == 200 and response.json()["assignee"]["id"] == world.admin_a.pk


def test_a_key_acts_for_its_own_organisation_only(world, alert):
    """Olga is an officer of port A and an admin of port B: port B's key she made reaches none
    of port A's alerts, rules or settings, though she does."""
    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=world.officer_a,
                           role=Role.ORG_ADMIN)
    api = Api(token=api_key(world, scope=ApiKeyScope.WRITE, creator=world.officer_a, organisation=world.org_b))
    assert api.get("/alerts").json()["items"] == [] and api.get("/alert-rules").json() == []
    assert problem(api.post(f"/alerts/{alert.pk}/acknowledge")) == NOT_FOUND
    assert problem(api.get(f"/alert-subscriptions/{world.org_a.pk}")) == NOT_FOUND
    assert problem(put(api, f"/organisations/{world.org_a.pk}/auto-share", {"event_kinds": []})) == NOT_FOUND
    body = {"name": "X", "event_kind": "intrusion", "organisation": world.org_a.pk}
    assert bad_fields(api.post("/alert-rules", body)) == {"organisation"}
    assert state(alert) == (AlertStatus.NEW, None, None) and Rule.objects.count() == 1
    assert Api(world.officer_a).get(f"/alerts/{alert.pk}").status_code == 200  # she herself still sees it


# --- query counts -----------------------------------------------------------------------------


def queries_for(api: Api, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(captured.captured_queries)


def test_lists_read_a_fixed_number_of_queries_however_long_they_grow(world, rig, send):
    actions.subscribe(acting_user=world.analyst_a, organisation=world.org_a, min_severity=Severity.LOW)
    rule(world, rig)
    send([native_event(1)])
    first = Alert.objects.get()
    actions.acknowledge_alert(first, acting_user=world.analyst_a)
    actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name="SIEM", url=SIEM)
    api = Api(world.analyst_a)
    paths = ["/alerts", f"/alerts/{first.pk}", f"/alerts/{first.pk}/deliveries", "/alert-rules", "/webhooks"]
    before = {path: queries_for(api, path) for path in paths}
    for number in range(4):
        rule(world, rig, name=f"Drone rule {number}")
        actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name=f"SIEM {number}", url=SIEM)
        actions.subscribe(acting_user=person(world, f"extra{number}@p2p.test", world.org_a, Role.ANALYST),
                          organisation=world.org_a, min_severity=Severity.LOW)
    send([native_event(n) for n in range(2, 8)])
    for alert in Alert.objects.all():
        actions.assign_alert(alert, acting_user=world.officer_a, assignee=world.analyst_a)
    actions.plan_deliveries(first, timezone.now())  # more messages about the first alert
    assert Alert.objects.count() == 5 and Delivery.objects.filter(alert=first).count() == 11
    assert Alert.objects.get(pk=first.pk).event_count == 7
    assert {path: queries_for(api, path) for path in paths} == before
