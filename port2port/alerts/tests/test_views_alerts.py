"""The alert pages: the inbox and its poll, the nav badge, one alert and the buttons on it,
rules and settings. Who sees what (404 beyond the organisation), who may do what (403 inside
it), what bad input does, and the query count of the lists. Alerts are raised the real way:
a rule, events ingested for the rig's sensor, the rule engine run over them."""

import os
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from port2port.alerts import actions
from port2port.alerts.models import Alert, AlertStatus, AutoShare, Rule, Severity, Subscription, Webhook
from port2port.core.permissions import Role
from port2port.organisations import actions as org_actions
from port2port.reports.models import Report
from port2port.sensors import actions as sensor_actions
from port2port.sensors.models import Zone
from port2port.sensors.tests.conftest import native_event, rig  # noqa: F401  (rig is a fixture)

pytestmark = pytest.mark.django_db

OTHERS = ("analyst_b", "outsider_c", "platform_admin")
HTMX = {"HTTP_HX_REQUEST": "true"}


def drone_rule(world, rig, **overrides):
    fields = {"name": "Drone over Quay 1700", "event_kind": "drone_detected", "zone": rig.zone, "threshold": 1,
              "period_minutes": 10, "severity": Severity.HIGH}
    fields.update(overrides)
    return actions.write_rule(acting_user=world.officer_a, organisation=world.org_a, **fields)


def raise_alert(rig, numbers, **event) -> Alert:
    """Ingest events for the rig's sensor and run the rules over them, as the worker does."""
    fates = sensor_actions.ingest_events(rig.sensor, records=[native_event(n, **event) for n in numbers])
    alerts = actions.evaluate_events([fate.id for fate in fates if fate.id])
    return alerts[0]


@pytest.fixture
def alert(world, rig) -> Alert:
    drone_rule(world, rig)
    return raise_alert(rig, range(3))


@pytest.fixture
def viewer_a(world):
    """A viewer of port A: reads the organisation's alerts, handles none."""
    user = org_actions.create_account(acting_user=world.platform_admin, email="viewer.a@p2p.test",
                                      full_name="Vera Viewer", password="correct horse battery")
    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_a, user=user, role=Role.VIEWER)
    return user


def body(response) -> str:
    return response.content.decode()


# --- The inbox --------------------------------------------------------------------------------------

def test_the_inbox_shows_open_alerts_with_severity_kind_place_and_count(world, alert, client_for):
    page = body(client_for(world.analyst_a).get(reverse("alerts:inbox")))
    assert "Drone detected" in page and "Drone over Quay 1700" in page
    assert "Quay 1700 · Antwerp" in page and "sev-3" in page and ">3<" in page
    assert reverse("alerts:detail", args=[alert.pk]) in page


def test_newest_alerts_come_first(world, rig, client_for):
    drone_rule(world, rig)
    intrusion = actions.write_rule(acting_user=world.officer_a, organisation=world.org_a, name="Fence breach",
                                   event_kind="intrusion", threshold=1)
    raise_alert(rig, [1], at=timezone.now() - timedelta(minutes=20))
    raise_alert(rig, [2], kind="intrusion", at=timezone.now() - timedelta(minutes=1))
    page = client_for(world.analyst_a).get(reverse("alerts:inbox"))
    assert [a.rule for a in page.context["page"]] == [intrusion, Rule.objects.get(name="Drone over Quay 1700")]


def test_an_offline_sensor_says_which_sensor(world, rig, client_for):
    actions.raise_offline_alert(rig.sensor, timezone.now())
    page = body(client_for(world.analyst_a).get(reverse("alerts:inbox")))
    assert "Sensor offline: RF detector 1" in page


@pytest.mark.parametrize("name", OTHERS)
def test_other_organisations_and_the_platform_admin_see_nothing_of_port_a_alerts(world, alert, client_for, name):
    client = client_for(getattr(world, name))
    for url in (reverse("alerts:inbox"), reverse("alerts:closed"), reverse("alerts:rules")):
        page = client.get(url)
        assert page.status_code == 200 and "Drone over Quay 1700" not in body(page), url
    assert body(client.get(reverse("alerts:badge"))).count("severity-critical") == 0
    assert client.get(reverse("alerts:detail", args=[alert.pk])).status_code == 404


def test_the_inbox_partial_shows_a_new_alert_and_stays_still_otherwise(world, rig, client_for):
    drone_rule(world, rig)
    client = client_for(world.analyst_a)
    first = client.get(reverse("alerts:inbox"), **HTMX)
    seen = first.context["fingerprint"]
    assert first.status_code == 200 and "<html" not in body(first)
    assert client.get(reverse("alerts:inbox"), {"seen": seen}, **HTMX).status_code == 204

    raise_alert(rig, [1])
    polled = client.get(reverse("alerts:inbox"), {"seen": seen}, **HTMX)
    assert polled.status_code == 200
    assert "Drone over Quay 1700" in body(polled)
    assert 'id="alerts-badge"' in body(polled) and 'hx-swap-oob="true"' in body(polled)  # the nav badge too


def test_a_growing_alert_refreshes_the_inbox(world, alert, rig, client_for):
    client = client_for(world.analyst_a)
    seen = client.get(reverse("alerts:inbox"), **HTMX).context["fingerprint"]
    raise_alert(rig, [10, 11])
    polled = client.get(reverse("alerts:inbox"), {"seen": seen}, **HTMX)
    assert polled.status_code == 200 and ">5<" in body(polled)


def test_the_inbox_polls_every_3_seconds(world, alert, client_for):
    page = body(client_for(world.analyst_a).get(reverse("alerts:inbox")))
    assert 'hx-trigger="every 3s"' in page


def test_the_badge_counts_new_alerts_of_my_organisation(world, alert, rig, client_for):
    client = client_for(world.analyst_a)
    assert ">1<" in body(client.get(reverse("alerts:badge"))).replace('<span class="visually-hidden">: </span>', ">")
    actions.acknowledge_alert(alert, acting_user=world.analyst_a)
    assert "severity-critical" not in body(client.get(reverse("alerts:badge")))


def test_every_page_asks_for_the_badge_without_counting_itself(world, alert, client_for):
    page = body(client_for(world.analyst_a).get(reverse("sensors:list")))
    assert reverse("alerts:badge") in page and 'hx-trigger="load, every 3s"' in page


def test_a_poll_after_the_session_ended_reloads_the_page_instead_of_swapping_in_the_sign_in_form(client):
    polled = client.get(reverse("alerts:inbox"), **HTMX)
    assert polled.status_code == 204 and polled["HX-Refresh"] == "true"
    assert client.get(reverse("alerts:badge"), **HTMX)["HX-Refresh"] == "true"
    assert client.get(reverse("alerts:inbox")).status_code == 302


def test_filters_narrow_by_status_and_severity(world, rig, alert, client_for):
    drone_rule(world, rig, name="Any intrusion", event_kind="intrusion", zone=None, severity=Severity.LOW)
    raise_alert(rig, [20], kind="intrusion")
    client = client_for(world.analyst_a)
    high = client.get(reverse("alerts:inbox"), {"severity": Severity.HIGH}).context["page"]
    assert [a.pk for a in high] == [alert.pk]
    actions.acknowledge_alert(alert, acting_user=world.analyst_a)
    new = client.get(reverse("alerts:inbox"), {"status": "new"}).context["page"]
    assert [a.title for a in new] == ["Any intrusion"]


def test_a_bad_filter_is_named_and_left_out(world, alert, client_for):
    response = client_for(world.analyst_a).get(reverse("alerts:inbox"), {"status": "closed", "severity": "9"})
    assert response.status_code == 200
    assert "Status:" in body(response) and "From severity:" in body(response)
    assert len(response.context["page"]) == 1


def test_closed_alerts_are_on_the_second_tab(world, alert, client_for):
    actions.close_alert(alert, acting_user=world.analyst_a)
    client = client_for(world.analyst_a)
    assert "Drone over Quay 1700" not in body(client.get(reverse("alerts:inbox")))
    assert "Drone over Quay 1700" in body(client.get(reverse("alerts:closed")))


# --- One alert ----------------------------------------------------------------------------------------

def test_the_alert_page_lists_its_events_with_the_drone_and_a_map(world, alert, client_for):
    page = client_for(world.analyst_a).get(reverse("alerts:detail", args=[alert.pk]))
    text = body(page)
    assert "1581F5FJD23A0000001" in text and "DJI Mavic 3" in text and "90 %" in text
    assert len(page.context["events"]) == 3
    assert page.context["map_data"]["points"][0] == [51.28, 4.26]
    assert 'id="alert-map-data"' in text and "Acknowledge" in text


def test_a_badge_is_shown_only_as_pseudonymised(world, rig, client_for):
    drone_rule(world, rig, name="Denied badges", event_kind="badge_denied", zone=None)
    alert = raise_alert(rig, [30], kind="badge_denied", badge_id="BADGE-4711")
    text = body(client_for(world.analyst_a).get(reverse("alerts:detail", args=[alert.pk])))
    assert "badge (pseudonymised)" in text and "4711" not in text


def test_only_the_newest_100_events_are_listed(world, rig, client_for):
    drone_rule(world, rig)
    alert = raise_alert(rig, range(105))
    page = client_for(world.analyst_a).get(reverse("alerts:detail", args=[alert.pk]))
    assert len(page.context["events"]) == 100 and "The newest 100 of 105" in body(page)


@pytest.mark.parametrize("name", OTHERS)
def test_other_organisations_get_404_for_every_button_of_an_alert(world, alert, client_for, name):
    client = client_for(getattr(world, name))
    for action in ("acknowledge", "close", "escalate"):
        assert client.post(reverse(f"alerts:{action}", args=[alert.pk])).status_code == 404
    assert client.post(reverse("alerts:assign", args=[alert.pk]), {"assignee": world.analyst_a.pk}).status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW and alert.assignee is None and alert.report is None


def test_acknowledging_assigns_the_alert_to_me(world, alert, client_for):
    response = client_for(world.analyst_a).post(reverse("alerts:acknowledge", args=[alert.pk]))
    alert.refresh_from_db()
    assert response.status_code == 302
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.assignee == world.analyst_a


def test_assigning_to_a_colleague_who_handles_alerts(world, alert, client_for):
    client_for(world.analyst_a).post(reverse("alerts:assign", args=[alert.pk]), {"assignee": world.officer_a.pk})
    alert.refresh_from_db()
    assert alert.assignee == world.officer_a


def test_assigning_to_someone_outside_the_organisation_names_the_field_and_changes_nothing(world, alert, client_for):
    response = client_for(world.analyst_a).post(reverse("alerts:assign", args=[alert.pk]), {"assignee": world.analyst_b.pk})
    alert.refresh_from_db()
    assert response.status_code == 400 and response.context["assign_form"].has_error("assignee")
    assert "Assign to:" in body(response)
    assert alert.assignee is None and alert.status == AlertStatus.NEW


def test_the_assign_list_holds_only_people_who_handle_alerts(world, alert, viewer_a, client_for):
    choices = client_for(world.analyst_a).get(reverse("alerts:detail", args=[alert.pk])).context["assign_form"]
    people = set(choices.fields["assignee"].queryset)
    assert {world.analyst_a, world.officer_a, world.admin_a} == people


def test_a_viewer_reads_the_alert_but_has_no_buttons_and_gets_403(world, alert, viewer_a, client_for):
    client = client_for(viewer_a)
    page = client.get(reverse("alerts:detail", args=[alert.pk]))
    assert page.status_code == 200 and "Acknowledge" not in body(page)
    assert client.post(reverse("alerts:acknowledge", args=[alert.pk])).status_code == 403
    assert client.post(reverse("alerts:escalate", args=[alert.pk])).status_code == 403
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW


def test_closing_moves_the_alert_to_the_closed_tab(world, alert, client_for):
    client_for(world.officer_a).post(reverse("alerts:close", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED


def test_escalating_makes_a_draft_report_and_opens_it_for_editing(world, alert, client_for):
    client = client_for(world.analyst_a)
    response = client.post(reverse("alerts:escalate", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ESCALATED and alert.report is not None
    assert response["Location"] == reverse("reports:edit", args=[alert.report.pk])
    assert alert.report.status == "draft" and alert.report.owner_org == world.org_a
    again = client.post(reverse("alerts:escalate", args=[alert.pk]), follow=True)
    assert "already a report" in body(again) and Report.objects.count() == 1


def test_the_delivery_log_shows_each_message(world, alert, client_for):
    actions.subscribe(acting_user=world.officer_a, organisation=world.org_a, min_severity=Severity.LOW)
    webhook, _secret = actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a,
                                           name="Night desk relay", url="https://siem.example/hook")
    actions.plan_deliveries(alert, timezone.now())
    text = body(client_for(world.analyst_a).get(reverse("alerts:detail", args=[alert.pk])))
    assert "Night desk relay" in text and "Olga Officer" in text and "Waiting" in text


def test_the_alert_page_runs_the_same_queries_for_3_or_60_events(world, rig, client_for, django_assert_max_num_queries):
    drone_rule(world, rig)
    alert = raise_alert(rig, range(3))
    client = client_for(world.analyst_a)
    few = queries(client, reverse("alerts:detail", args=[alert.pk]))
    raise_alert(rig, range(3, 60))
    with django_assert_max_num_queries(few):
        client.get(reverse("alerts:detail", args=[alert.pk]))


# --- Rules -------------------------------------------------------------------------------------------

def rule_form(rig, **overrides) -> dict:
    data = {"name": "Night drones", "event_kind": "drone_detected", "zone": rig.zone.pk, "active_from": "22:00",
            "active_until": "06:00", "threshold": "2", "period_minutes": "15",
            "allowlist": " 1581f5fjd23a0000009 \n\nPORT-DRONE-2\n", "severity": str(Severity.CRITICAL), "is_active": "on"}
    data.update(overrides)
    return data


def test_an_officer_writes_a_rule_with_a_night_window_and_an_allowlist(world, rig, client_for):
    response = client_for(world.officer_a).post(reverse("alerts:rule_create"), rule_form(rig))
    rule = Rule.objects.get()
    assert response.status_code == 302
    assert rule.allowlist == ["1581F5FJD23A0000009", "PORT-DRONE-2"]
    assert (rule.active_from.hour, rule.active_until.hour, rule.threshold, rule.severity) == (22, 6, 2, Severity.CRITICAL)


@pytest.mark.parametrize("overrides, field", [
    ({"threshold": "0"}, "threshold"),
    ({"active_until": ""}, "active_until"),
    ({"active_from": "25:00"}, "active_from"),
    ({"event_kind": "teleport"}, "event_kind"),
    ({"name": "  "}, "name"),
])
def test_bad_rule_input_names_the_field_and_writes_nothing(world, rig, client_for, overrides, field):
    response = client_for(world.officer_a).post(reverse("alerts:rule_create"), rule_form(rig, **overrides))
    assert response.status_code == 400 and response.context["form"].has_error(field)
    assert not Rule.objects.exists()


def test_a_zone_of_another_organisation_cannot_be_watched(world, rig, client_for):
    other = sensor_actions.define_zone(acting_user=world.outsider_c, organisation=world.org_c, name="Liège quay",
                                       outline=[[5.5, 50.6], [5.6, 50.6], [5.6, 50.7]])
    response = client_for(world.officer_a).post(reverse("alerts:rule_create"), rule_form(rig, zone=other.pk))
    assert response.status_code == 400 and response.context["form"].has_error("zone")
    assert "Liège quay" not in body(response)


def test_an_officer_edits_a_rule(world, rig, client_for):
    rule = drone_rule(world, rig)
    client = client_for(world.officer_a)
    assert client.get(reverse("alerts:rule_edit", args=[rule.pk])).context["form"]["name"].value() == rule.name
    client.post(reverse("alerts:rule_edit", args=[rule.pk]), rule_form(rig, name="Drones, any hour", active_from="",
                                                                       active_until="", is_active=""))
    rule.refresh_from_db()
    assert rule.name == "Drones, any hour" and rule.active_from is None and rule.is_active is False


def test_analysts_read_rules_but_cannot_write_them(world, rig, client_for):
    rule = drone_rule(world, rig)
    client = client_for(world.analyst_a)
    listing = body(client.get(reverse("alerts:rules")))
    assert rule.name in listing and reverse("alerts:rule_create") not in listing
    assert client.get(reverse("alerts:rule_create")).status_code == 403
    assert client.post(reverse("alerts:rule_edit", args=[rule.pk]), rule_form(rig)).status_code == 403


@pytest.mark.parametrize("name", OTHERS)
def test_other_organisations_get_404_for_port_a_rules(world, rig, client_for, name):
    rule = drone_rule(world, rig)
    client = client_for(getattr(world, name))
    assert client.get(reverse("alerts:rule_edit", args=[rule.pk])).status_code == 404
    assert client.post(reverse("alerts:rule_edit", args=[rule.pk]), rule_form(rig, name="Hijacked")).status_code == 404
    rule.refresh_from_db()
    assert rule.name == "Drone over Quay 1700"


# --- Settings ----------------------------------------------------------------------------------------

def test_i_subscribe_to_some_kinds_from_a_severity(world, client_for):
    client = client_for(world.analyst_a)
    response = client.post(reverse("alerts:subscription", args=[world.org_a.pk]), {
        "event_kinds": ["drone_detected", "offline"], "ports": [world.port_a.pk], "min_severity": str(Severity.MEDIUM),
        "by_email": "on"})
    subscription = Subscription.objects.get(user=world.analyst_a)
    assert response.status_code == 302
    assert subscription.event_kinds == ["drone_detected", "offline"] and subscription.min_severity == Severity.MEDIUM
    assert list(subscription.ports.all()) == [world.port_a]
    page = client.get(reverse("alerts:settings"))
    assert page.context["subscription_form"]["min_severity"].value() == Severity.MEDIUM


def test_a_bad_subscription_names_the_field_and_saves_nothing(world, client_for):
    response = client_for(world.analyst_a).post(reverse("alerts:subscription", args=[world.org_a.pk]),
                                                {"event_kinds": ["teleport"], "min_severity": "2"})
    assert response.status_code == 400 and response.context["subscription_form"].has_error("event_kinds")
    assert not Subscription.objects.exists()


def test_nobody_subscribes_to_an_organisation_they_are_not_in(world, client_for):
    response = client_for(world.outsider_c).post(reverse("alerts:subscription", args=[world.org_a.pk]),
                                                 {"min_severity": "2"})
    assert response.status_code == 404 and not Subscription.objects.exists()


def test_an_officer_adds_a_webhook_and_sees_its_secret_once(world, client_for):
    client = client_for(world.officer_a)
    response = client.post(reverse("alerts:webhook_add", args=[world.org_a.pk]),
                           {"name": "Night desk relay", "url": "https://siem.example/hook", "min_severity": "3"})
    webhook = Webhook.objects.get()
    assert response.status_code == 200 and webhook.secret in body(response)
    assert webhook.secret not in body(client.get(reverse("alerts:settings")))
    assert "Night desk relay" in body(client.get(reverse("alerts:settings")))


def test_a_webhook_to_an_internal_address_names_the_url_once(world, client_for):
    response = client_for(world.officer_a).post(reverse("alerts:webhook_add", args=[world.org_a.pk]),
                                                {"name": "Sneaky", "url": "https://127.0.0.1/admin", "min_severity": "3"})
    errors = response.context["webhook_form"].errors["url"]
    assert response.status_code == 400 and errors and not errors[0].startswith("url:")
    assert not Webhook.objects.exists()


def test_analysts_neither_see_nor_add_webhooks(world, client_for):
    actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name="Night desk relay",
                        url="https://siem.example/hook")
    client = client_for(world.analyst_a)
    assert "Night desk relay" not in body(client.get(reverse("alerts:settings")))
    response = client.post(reverse("alerts:webhook_add", args=[world.org_a.pk]),
                           {"name": "Mine", "url": "https://siem.example/mine", "min_severity": "3"})
    assert response.status_code == 403 and Webhook.objects.count() == 1
    assert client.post(reverse("alerts:webhook_remove", args=[Webhook.objects.get().pk])).status_code == 403


@pytest.mark.parametrize("name", OTHERS)
def test_other_organisations_get_404_for_port_a_webhooks_and_sharing(world, client_for, name):
    webhook, _secret = actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a,
                                           name="Night desk relay", url="https://siem.example/hook")
    client = client_for(getattr(world, name))
    assert client.post(reverse("alerts:webhook_remove", args=[webhook.pk])).status_code == 404
    assert client.post(reverse("alerts:webhook_add", args=[world.org_a.pk]),
                       {"name": "x", "url": "https://x.example/", "min_severity": "3"}).status_code == 404
    assert client.post(reverse("alerts:auto_share", args=[world.org_a.pk]),
                       {"event_kinds": ["drone_detected"]}).status_code == 404
    assert "Night desk relay" not in body(client.get(reverse("alerts:settings")))
    assert Webhook.objects.count() == 1 and not AutoShare.objects.exists()


def test_an_officer_removes_a_webhook(world, client_for):
    webhook, _secret = actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a,
                                           name="Night desk relay", url="https://siem.example/hook")
    assert client_for(world.officer_a).post(reverse("alerts:webhook_remove", args=[webhook.pk])).status_code == 302
    assert not Webhook.objects.exists()


def test_an_officer_turns_on_green_sharing_of_drone_sightings(world, client_for):
    client = client_for(world.officer_a)
    response = client.post(reverse("alerts:auto_share", args=[world.org_a.pk]),
                           {"event_kinds": ["drone_detected", "intrusion"]})
    assert response.status_code == 302
    assert set(AutoShare.objects.values_list("event_kind", flat=True)) == {"drone_detected", "intrusion"}
    assert client_for(world.analyst_a).post(reverse("alerts:auto_share", args=[world.org_a.pk]),
                                            {"event_kinds": []}).status_code == 403
    assert AutoShare.objects.count() == 2


def test_badges_cannot_be_shared_automatically(world, client_for):
    response = client_for(world.officer_a).post(reverse("alerts:auto_share", args=[world.org_a.pk]),
                                                {"event_kinds": ["badge_denied"]})
    assert response.status_code == 400 and response.context["share_form"].has_error("event_kinds")
    assert not AutoShare.objects.exists()


# --- Query counts -----------------------------------------------------------------------------------

def queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)


def many_alerts(world, rig, count, start=0):
    for number in range(start, start + count):
        drone_rule(world, rig, name=f"Rule {number}")
    return raise_alert(rig, [1000 + start])


@pytest.mark.parametrize("url_name, headers", [("alerts:inbox", {}), ("alerts:inbox", HTMX), ("alerts:closed", {}),
                                               ("alerts:rules", {}), ("alerts:badge", {})])
def test_lists_run_the_same_queries_for_3_or_30_alerts(world, rig, client_for, django_assert_max_num_queries,
                                                       url_name, headers):
    client = client_for(world.officer_a)
    many_alerts(world, rig, 3)
    Alert.objects.filter(pk__in=Alert.objects.values("pk")[:1]).update(assignee=world.officer_a)
    few = queries(client, reverse(url_name), **headers)
    many_alerts(world, rig, 27, start=3)
    Alert.objects.update(assignee=world.analyst_a)
    with django_assert_max_num_queries(few):
        client.get(reverse(url_name), **headers)


def test_the_inbox_poll_stays_within_a_small_budget(world, alert, client_for, django_assert_max_num_queries):
    client = client_for(world.analyst_a)
    seen = client.get(reverse("alerts:inbox"), **HTMX).context["fingerprint"]
    # session, user, the viewer's memberships and groups, one summary of the list
    with django_assert_max_num_queries(5):
        assert client.get(reverse("alerts:inbox"), {"seen": seen}, **HTMX).status_code == 204


def test_the_settings_page_stays_within_a_small_budget(world, client_for, django_assert_max_num_queries):
    client = client_for(world.officer_a)
    for number in range(5):
        actions.add_webhook(acting_user=world.officer_a, organisation=world.org_a, name=f"Hook {number}",
                            url=f"https://siem{number}.example/hook")
    with django_assert_max_num_queries(14):
        client.get(reverse("alerts:settings"))



# --- In a real browser (Debian's chromium), under the real Content Security Policy ---------------

@pytest.fixture
def chromium(monkeypatch):
    import shutil

    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail("Debian's chromium is needed for the browser tests (apt-get install chromium); .ci/run installs it")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def signed_in_tab(browser, base_url, email, problems):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url)
               else (problems.append(f"off the machine: {route.request.url}"), route.abort()))
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "correct horse battery")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(base_url + "/")
    return page


def wait_until(check, seconds: float) -> float:
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(0.1)
    return time.monotonic() - start


@pytest.mark.slow
def test_a_new_alert_shows_in_the_open_inbox_and_the_badge_within_5_seconds(transactional_db, world, rig, live_server,
                                                                            chromium):
    drone_rule(world, rig)
    problems = []
    page = signed_in_tab(chromium, live_server.url, "analyst.a@p2p.test", problems)
    page.goto(live_server.url + reverse("alerts:inbox"))
    assert page.locator(".alert-row").count() == 0
    sensor_actions.ingest_events(rig.sensor, records=[native_event(1)])  # committed: the rules run at once
    waited = wait_until(lambda: page.locator(".alert-row").count() == 1, seconds=5)
    assert waited < 5 and "Drone over Quay 1700" in page.inner_text("#results")
    assert page.inner_text("#alerts-badge").split()[-2] == "1"
    assert problems == []


@pytest.mark.slow
def test_an_officer_draws_a_zone_by_clicking_the_map(transactional_db, world, rig, live_server, chromium):
    problems = []
    page = signed_in_tab(chromium, live_server.url, "officer.a@p2p.test", problems)
    page.goto(live_server.url + reverse("sensors:zone_create"))
    page.fill("input[name=name]", "Reefer stack 1742")
    drawing = page.locator(".draw-map")
    drawing.wait_for()
    for x, y in ((120, 100), (320, 110), (300, 300), (140, 280)):
        drawing.click(position={"x": x, "y": y})
    page.click("text=Undo the last corner")
    page.click("text=Save the zone")
    page.wait_for_url(live_server.url + reverse("sensors:zones"))
    zone = Zone.objects.get(name="Reefer stack 1742")
    assert len(zone.outline) == 3 and zone.organisation == world.org_a
    assert problems == []
