"""Pages and API endpoints: outsiders get 404 everywhere, bad input names the field and changes
nothing, lists keep their query count, the main flows work end to end."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience
from port2port.training import actions
from port2port.training.models import Campaign, Registration, Training

from .helpers import launch, schedule, start


def _api(client, method, path, body=None):
    return getattr(client, method)(path, body, content_type="application/json") if body is not None else \
        getattr(client, method)(path)


def test_an_outsider_gets_404_on_every_page_and_endpoint(world, client_for):
    training = schedule(world)
    seat = actions.register(training, acting_user=world.analyst_b)
    campaign = launch(world)
    client = client_for(world.outsider_c)
    t, c, r = training.pk, campaign.pk, seat.pk
    pages = [("get", "detail", t), ("get", "edit", t), ("get", "share", t), ("post", "cancel", t),
             ("post", "register", t), ("post", "register_member", t), ("post", "feedback", t),
             ("post", "cancel_registration", r), ("post", "attendance", r), ("get", "campaign", c),
             ("get", "campaign_edit", c), ("get", "campaign_share", c), ("post", "campaign_join", c),
             ("post", "campaign_leave", c), ("post", "campaign_reach", c)]
    for method, name, pk in pages:
        assert getattr(client, method)(reverse(f"training:{name}", args=[pk])).status_code == 404, name
    endpoints = [("get", f"/api/v1/trainings/{t}", None), ("patch", f"/api/v1/trainings/{t}", {"title": "x"}),
                 ("post", f"/api/v1/trainings/{t}/share", {}), ("post", f"/api/v1/trainings/{t}/cancel", None),
                 ("get", f"/api/v1/trainings/{t}/registrations", None),
                 ("post", f"/api/v1/trainings/{t}/registrations", {}),
                 ("post", f"/api/v1/training-registrations/{r}/cancel", None),
                 ("post", f"/api/v1/training-registrations/{r}/attendance", {"attended": True}),
                 ("get", f"/api/v1/trainings/{t}/feedback", None),
                 ("put", f"/api/v1/trainings/{t}/feedback", {"rating": 5}),
                 ("get", f"/api/v1/awareness-campaigns/{c}", None),
                 ("patch", f"/api/v1/awareness-campaigns/{c}", {"title": "x"}),
                 ("post", f"/api/v1/awareness-campaigns/{c}/share", {}),
                 ("post", f"/api/v1/awareness-campaigns/{c}/participants", {}),
                 ("delete", f"/api/v1/awareness-campaigns/{c}/participants/{world.org_c.pk}", None),
                 ("put", f"/api/v1/awareness-campaigns/{c}/participants/{world.org_c.pk}/reach",
                  {"people_reached": 1, "sessions_held": 1})]
    for method, path, body in endpoints:
        assert _api(client, method, path, body).status_code == 404, path
    assert not client.get("/api/v1/trainings").json()["items"]
    assert client.get("/api/v1/awareness-campaigns").json() == []


def test_a_reader_who_may_not_change_gets_403(world, client_for):
    training = schedule(world)
    client = client_for(world.analyst_b)
    assert client.get(reverse("training:edit", args=[training.pk])).status_code == 403
    assert client.post(reverse("training:cancel", args=[training.pk])).status_code == 403
    assert _api(client, "patch", f"/api/v1/trainings/{training.pk}", {"title": "Mine"}).status_code == 403
    assert Training.objects.get(pk=training.pk).title != "Mine"


def test_a_person_registers_and_cancels_through_the_page(world, client_for):
    training = schedule(world, capacity=1)
    client = client_for(world.analyst_b)
    client.post(reverse("training:register", args=[training.pk]))
    page = client.get(reverse("training:detail", args=[training.pk])).content.decode()
    assert "You are registered." in page
    other = client_for(world.police_analyst)
    other.post(reverse("training:register", args=[training.pk]))
    assert "number 1 on the waiting list" in other.get(reverse("training:detail", args=[training.pk])).content.decode()
    seat = Registration.objects.get(person=world.analyst_b)
    client.post(reverse("training:cancel_registration", args=[seat.pk]))
    assert Registration.objects.get(person=world.police_analyst).status == "registered"


def test_the_organiser_announces_a_training_through_the_form(world, client_for):
    client = client_for(world.officer_a)
    starts = (timezone.localtime() + timedelta(days=5)).replace(second=0, microsecond=0)
    data = {"kind": "drill", "title": "ISPS drill at Zeebrugge", "theme": "security_checks",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Zeebrugge, LNG terminal", "online_url": "", "capacity": "12", "description": "",
            "tlp": "green", "audience": "network"}
    response = client.post(reverse("training:create"), data)
    training = Training.objects.get()
    assert response.status_code == 302 and training.starts_at == starts and training.tlp == "green"


@pytest.mark.parametrize("bad, field", [
    ({"title": ""}, "title"), ({"capacity": "0"}, "capacity"), ({"ends_at": "2020-01-01T10:00"}, "ends_at"),
    ({"tlp": "red"}, "tlp"), ({"audience": "public"}, "audience"), ({"audience": "organisations"}, "recipient_orgs"),
    ({"starts_at": "tomorrow"}, "starts_at"), ({"online_url": "javascript:alert(1)"}, "online_url"),
])
def test_bad_input_on_the_training_form_names_the_field_and_changes_nothing(world, client_for, bad, field):
    starts = timezone.localtime() + timedelta(days=5)
    data = {"kind": "drill", "title": "Drill", "theme": "other", "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "capacity": "5",
            "tlp": "green", "audience": "network", **bad}
    client = client_for(world.officer_a)
    events = AuditEvent.objects.count()
    response = client.post(reverse("training:create"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Training.objects.count() == 0 and AuditEvent.objects.count() == events


def test_bad_feedback_and_reach_on_the_pages_name_the_field(world, client_for):
    training = schedule(world)
    seat = actions.register(training, acting_user=world.analyst_b)
    start(training)
    seat.refresh_from_db()
    actions.mark_attendance(seat, acting_user=world.officer_a, attended=True)
    response = client_for(world.analyst_b).post(reverse("training:feedback", args=[training.pk]), {"rating": "9"})
    assert response.status_code == 400 and "rating" in response.context["feedback_form"].errors
    campaign = launch(world)
    response = client_for(world.officer_a).post(reverse("training:campaign_reach", args=[campaign.pk]),
                                                {"organisation": world.org_a.pk, "people_reached": "-5", "sessions_held": "1"})
    assert response.status_code == 400 and "people_reached" in response.context["reach_form"].errors


def test_the_api_announces_registers_and_pages(world, client_for):
    client = client_for(world.officer_a)
    starts = timezone.now() + timedelta(days=3)
    body = {"kind": "course", "title": "AI camera operator course", "theme": "ai_cameras",
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=6)).isoformat(), "capacity": 1}
    created = _api(client, "post", "/api/v1/trainings", body)
    assert created.status_code == 201, created.content
    training_id = created.json()["id"]
    assert created.json()["tlp"] == "green" and created.json()["audience"] == "network"
    seat = _api(client_for(world.analyst_b), "post", f"/api/v1/trainings/{training_id}/registrations", {})
    waiting = _api(client_for(world.police_analyst), "post", f"/api/v1/trainings/{training_id}/registrations", {})
    assert (seat.json()["status"], waiting.json()["status"]) == ("registered", "waiting")
    cancelled = _api(client_for(world.analyst_b), "post", f"/api/v1/training-registrations/{seat.json()['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert Registration.objects.get(pk=waiting.json()["id"]).status == "registered"
    read = client_for(world.police_analyst).get(f"/api/v1/trainings/{training_id}").json()
    assert read["my_registration"]["status"] == "registered" and read["seats_taken"] == 1


@pytest.mark.parametrize("body, field", [
    ({"title": ""}, "title"), ({"capacity": 0}, "capacity"), ({"tlp": "red"}, "tlp"), ({"audience": "public"}, "audience"),
    ({"starts_at": "2026-05-01T10:00:00"}, "starts_at"), ({"ends_at": "2000-01-01T10:00:00Z"}, None),
    ({"online_url": "ftp://x"}, "online_url"), ({"materials": [999999]}, "materials"), ({"surprise": 1}, "surprise"),
    ({"audience": "group"}, "sharing_group"),
])
def test_bad_input_on_the_api_names_the_field_and_changes_nothing(world, client_for, body, field):
    starts = timezone.now() + timedelta(days=3)
    base = {"kind": "course", "title": "Course", "theme": "cyber", "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=1)).isoformat(), "capacity": 5}
    response = _api(client_for(world.officer_a), "post", "/api/v1/trainings", {**base, **body})
    assert response.status_code == 422, response.content
    fields = [error["field"] for error in response.json()["errors"]]
    assert (field in fields) if field else fields
    assert Training.objects.count() == 0


def test_bad_input_on_the_other_endpoints(world, client_for):
    training = schedule(world)
    campaign = launch(world)
    officer = client_for(world.officer_a)
    checks = [
        ("put", f"/api/v1/trainings/{training.pk}/feedback", {"rating": 0}, "rating"),
        ("post", f"/api/v1/trainings/{training.pk}/registrations", {"person": 999999}, "person"),
        ("put", f"/api/v1/awareness-campaigns/{campaign.pk}/participants/{world.org_a.pk}/reach",
         {"people_reached": -1, "sessions_held": 0}, "people_reached"),
        ("post", "/api/v1/awareness-campaigns", {"title": "x", "theme": "cyber", "starts_on": "2026-05-02",
                                                 "ends_on": "2026-05-01"}, None),
        ("get", "/api/v1/trainings?cursor=forged", None, "cursor"),
    ]
    for method, path, body, field in checks:
        response = _api(officer, method, path, body)
        assert response.status_code in (403, 422), (path, response.content)
        if field and response.status_code == 422:
            assert field in [error["field"] for error in response.json()["errors"]], (path, response.content)
    assert Campaign.objects.count() == 1 and Registration.objects.count() == 0


def test_the_calendar_and_lists_keep_their_query_count(world, client_for, django_assert_max_num_queries):
    for days in range(1, 7):
        training = schedule(world, days=days, audience=Audience.NETWORK)
        actions.register(training, acting_user=world.analyst_b)
    for _ in range(3):
        launch(world)
    client = client_for(world.analyst_b)
    month = timezone.localtime(timezone.now() + timedelta(days=3)).strftime("%Y-%m")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("training:index"), {"month": month}).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("training:index"), {"month": month, "view": "agenda"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("training:campaigns")).status_code == 200
    with django_assert_max_num_queries(14):
        assert len(client.get("/api/v1/trainings").json()["items"]) == 6
    with django_assert_max_num_queries(14):
        assert len(client.get("/api/v1/awareness-campaigns").json()) == 3


def test_the_calendar_survives_a_bad_month(world, client_for):
    client = client_for(world.analyst_a)
    for month in ("2026-13", "garbage", "99999-01", "0-0"):
        assert client.get(reverse("training:index"), {"month": month}).status_code == 200


def test_the_feed_page_shows_the_address_once(world, client_for):
    client = client_for(world.analyst_a)
    shown = client.post(reverse("training:feed_issue")).content.decode()
    assert "p2p_cal_" in shown
    assert "p2p_cal_" not in client.get(reverse("training:feed_settings")).content.decode()
    client.post(reverse("training:feed_revoke"))
    assert not actions.CalendarToken.objects.filter(person=world.analyst_a, revoked_at__isnull=True).exists()


def test_registering_someone_outside_your_organisations_answers_like_an_unknown_person(world, client_for):
    """A 403 for an existing account and a 4xx for a missing one would tell which ids exist."""
    training = schedule(world, audience=Audience.NETWORK)
    officer = client_for(world.officer_a)
    path = f"/api/v1/trainings/{training.pk}/registrations"
    unknown = _api(officer, "post", path, {"person": 999999})
    elsewhere = _api(officer, "post", path, {"person": world.analyst_b.pk})
    assert unknown.status_code == elsewhere.status_code == 422, elsewhere.content
    assert unknown.content == elsewhere.content
    assert [error["field"] for error in elsewhere.json()["errors"]] == ["person"]
    assert Registration.objects.count() == 0
