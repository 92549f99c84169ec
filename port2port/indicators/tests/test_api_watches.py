"""Sightings and watchlists through the API: "seen at my port too" on an indicator one may see,
values an organisation watches for, the hits it may see, and the interest notices the owner of
a report gets when someone who may not see it watches one of its values."""

from datetime import timedelta

from django.utils import timezone

from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience, Tlp
from port2port.indicators.models import Sighting, Watch
from port2port.organisations.models import ApiKeyScope
from port2port.reports.tests.api_helpers import NOT_FOUND, Api, api_key, bad_fields, problem

from .test_api_indicators import MISSING, add, delete, partners_report


def _indicator(world, report=None, value="MSKU1234565"):
    report = report or world.report()
    [indicator] = add(report, report.author, ("container", value))
    return indicator


# --- sightings --------------------------------------------------------------------------------


def test_a_partner_says_it_saw_an_indicator_at_its_port_and_the_counts_show_it(world):
    indicator = _indicator(world)
    api = Api(world.analyst_b)
    response = api.post(f"/indicators/{indicator.pk}/sightings", {"port": "begne", "place": "Quay 1742"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "seen" and body["port"] == "BEGNE" and body["organisation"]["name"] == "Port B"
    api.post(f"/indicators/{indicator.pk}/sightings", {"kind": "false_positive"})
    listed = Api(world.analyst_a).get(f"/indicators/{indicator.pk}/sightings").json()
    assert len(listed["items"]) == 2
    assert {(row["port"], row["kind"], row["count"]) for row in listed["counts"]} == {
        ("BEGNE", "seen", 1), (None, "false_positive", 1)}
    assert AuditEvent.objects.filter(action="indicators.sighting").count() == 2


def test_reading_sightings_is_an_audited_read_of_the_report(world):
    indicator = _indicator(world)
    assert Api(world.analyst_b).get(f"/indicators/{indicator.pk}/sightings").status_code == 200
    read = AuditEvent.objects.get(action="reports.read", target_id=str(indicator.report_id))
    assert read.actor_id == world.analyst_b.pk and read.detail["channel"] == "api:sightings"


def test_an_outsider_gets_the_same_404_for_a_hidden_indicator_as_for_a_missing_one(world):
    indicator = _indicator(world)
    outsider = Api(world.outsider_c)
    for path in (f"/indicators/{indicator.pk}/sightings", f"/indicators/{MISSING}/sightings"):
        listed, added = outsider.get(path), outsider.post(path, {})
        assert (listed.status_code, added.status_code) == (404, 404)
        assert problem(listed) == problem(added) == NOT_FOUND
    assert outsider.get(f"/indicators/{indicator.pk}/sightings").content == \
        outsider.get(f"/indicators/{MISSING}/sightings").content
    assert not Sighting.objects.exists()


def test_an_anonymous_caller_gets_401_for_sightings(world):
    indicator = _indicator(world)
    assert Api().get(f"/indicators/{indicator.pk}/sightings").status_code == 401
    assert Api().post(f"/indicators/{indicator.pk}/sightings", {}).status_code == 401
    assert not Sighting.objects.exists()


def test_a_bad_sighting_is_refused_naming_the_field(world):
    indicator = _indicator(world)
    api = Api(world.analyst_b)
    path = f"/indicators/{indicator.pk}/sightings"
    assert bad_fields(api.post(path, {"port": "XXXXX"})) == {"port"}
    assert bad_fields(api.post(path, {"port": "BEANR"})) == {"port"}  # not one of Port B's ports
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert bad_fields(api.post(path, {"seen_at": future})) == {"seen_at"}
    assert bad_fields(api.post(path, {"seen_at": "2026-03-04T02:30:00"})) == {"seen_at"}
    assert bad_fields(api.post(path, {"kind": "rumour"})) == {"kind"}
    assert bad_fields(api.post(path, {"place": "x" * 201})) == {"place"}
    assert not Sighting.objects.exists()


def test_a_viewer_may_read_sightings_but_not_add_one(world):
    indicator = _indicator(world)
    viewer = Api(world.red_reader_b)
    assert viewer.get(f"/indicators/{indicator.pk}/sightings").status_code == 200
    assert viewer.post(f"/indicators/{indicator.pk}/sightings", {}).status_code == 403


def test_a_read_only_key_cannot_add_a_sighting_and_a_write_key_speaks_for_its_organisation(world):
    indicator = _indicator(world, partners_report(world))
    path = f"/indicators/{indicator.pk}/sightings"
    assert Api(token=api_key(world, scope=ApiKeyScope.READ)).post(path, {}).status_code == 403
    written = Api(token=api_key(world, scope=ApiKeyScope.WRITE)).post(path, {"port": "BEANR"})
    assert written.status_code == 201 and written.json()["organisation"]["name"] == "Port A"


# --- watches ----------------------------------------------------------------------------------


def test_an_organisation_watches_a_value_lists_it_and_stops(world):
    api = Api(world.analyst_b)
    response = api.post("/watches", {"kind": "container", "value": "msku 123456-5", "label": "Tip from customs"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["value"] == "MSKU1234565" and body["organisation"]["name"] == "Port B" and body["is_active"]
    assert [watch["id"] for watch in api.get("/watches").json()] == [body["id"]]
    assert delete(api, f"/watches/{body['id']}").status_code == 204
    assert not Watch.objects.get(pk=body["id"]).is_active
    assert delete(api, f"/watches/{body['id']}").status_code == 404
    assert AuditEvent.objects.filter(action="indicators.unwatch").count() == 1


def test_a_bad_watch_is_refused_naming_the_field(world):
    api = Api(world.analyst_b)
    assert bad_fields(api.post("/watches", {"kind": "imo", "value": "1234"})) == {"value"}
    assert bad_fields(api.post("/watches", {"kind": "submarine", "value": "x"})) == {"kind"}
    assert bad_fields(api.post("/watches", {"kind": "imo"})) == {"value"}
    assert bad_fields(api.post("/watches", {"kind": "imo", "value": "9074729", "label": "x" * 201})) == {"label"}
    assert bad_fields(api.post("/watches", {"kind": "imo", "value": "9074729", "organisation": world.org_a.pk})) == \
        {"organisation"}
    assert api.post("/watches", {"kind": "imo", "value": "9074729"}).status_code == 201
    again = api.post("/watches", {"kind": "imo", "value": "IMO 9074729"})
    assert again.status_code == 422 and bad_fields(again) == {"value"}
    assert Watch.objects.count() == 1


def test_another_organisations_watches_are_out_of_sight(world):
    watch = Api(world.analyst_b).post("/watches", {"kind": "imo", "value": "9074729"}).json()
    outsider = Api(world.outsider_c)
    assert outsider.get("/watches").json() == []
    for watch_id in (watch["id"], MISSING):
        stopped = delete(outsider, f"/watches/{watch_id}")
        assert stopped.status_code == 404 and problem(stopped) == NOT_FOUND
    assert Api(world.analyst_a).get("/watches").json() == []
    assert Watch.objects.get(pk=watch["id"]).is_active


def test_a_member_who_may_not_file_reports_sees_the_watches_but_cannot_change_them(world):
    watch = Api(world.analyst_b).post("/watches", {"kind": "imo", "value": "9074729"}).json()
    viewer = Api(world.red_reader_b)
    assert [w["id"] for w in viewer.get("/watches").json()] == [watch["id"]]
    assert viewer.post("/watches", {"kind": "imo", "value": "9176187"}).status_code == 403
    assert delete(viewer, f"/watches/{watch['id']}").status_code == 403


def test_a_read_only_key_lists_watches_but_cannot_add_or_stop_one(world):
    reader = Api(token=api_key(world, scope=ApiKeyScope.READ))
    assert reader.get("/watches").status_code == 200
    assert reader.post("/watches", {"kind": "imo", "value": "9074729"}).status_code == 403
    assert not Watch.objects.exists()


def test_an_anonymous_caller_gets_401_for_watches(world):
    anonymous = Api()
    for path in ("/watches", "/watches/hits", "/watches/interest"):
        assert anonymous.get(path).status_code == 401
    assert anonymous.post("/watches", {"kind": "imo", "value": "9074729"}).status_code == 401
    assert delete(anonymous, "/watches/1").status_code == 401


# --- hits and interest (deconfliction) --------------------------------------------------------


def _watch(api, value="MSKU1234565", capture=None):
    with capture(execute=True):
        response = api.post("/watches", {"kind": "container", "value": value})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_watched_value_in_a_report_the_watcher_may_see_is_a_hit(world, django_capture_on_commit_callbacks):
    watch = _watch(Api(world.analyst_b), capture=django_capture_on_commit_callbacks)
    report = world.report(title="Reefer at quay 1742")
    with django_capture_on_commit_callbacks(execute=True):
        Api(world.analyst_a).post(f"/reports/{report.pk}/indicators",
                                  {"indicators": [{"kind": "container", "value": "MSKU 123456-5"}]})
    [hit] = Api(world.analyst_b).get("/watches/hits").json()
    assert hit["watch"]["id"] == watch["id"] and hit["report"]["id"] == report.pk
    assert hit["report"]["title"] == "Reefer at quay 1742"
    assert Api(world.analyst_a).get("/watches/hits").json() == []  # hits go to the watcher only
    assert Api(world.analyst_a).get("/watches/interest").json() == []  # port B may see it: no notice


def test_a_watched_value_in_a_report_the_watcher_may_not_see_tells_the_owner_only(
        world, django_capture_on_commit_callbacks):
    _watch(Api(world.outsider_c), capture=django_capture_on_commit_callbacks)
    report = world.report(title="Reefer at quay 1742")
    with django_capture_on_commit_callbacks(execute=True):
        add(report, world.analyst_a, ("container", "MSKU1234565"))
    outsider = Api(world.outsider_c)
    assert outsider.get("/watches/hits").json() == []
    assert outsider.get("/watches/interest").json() == []
    [notice] = Api(world.analyst_a).get("/watches/interest").json()
    assert notice["report"] == report.pk and notice["display"] and "watcher" not in notice
    assert Api(world.officer_a).get("/watches/interest").json()[0]["report"] == report.pk  # an editor too
    assert Api(world.analyst_b).get("/watches/interest").json() == []  # a reader, not an editor
    # Once the owner shares with the watcher, the notice has done its work and the hit shows.
    from port2port.reports import actions as report_actions

    report_actions.share_report(report, acting_user=world.analyst_a, tlp=Tlp.GREEN, audience=Audience.ORGANISATIONS,
                                recipient_orgs=[world.org_c])
    assert [hit["report"]["id"] for hit in outsider.get("/watches/hits").json()] == [report.pk]


def test_a_hit_disappears_when_the_report_is_narrowed(world, django_capture_on_commit_callbacks):
    _watch(Api(world.analyst_b), capture=django_capture_on_commit_callbacks)
    report = world.report()
    with django_capture_on_commit_callbacks(execute=True):
        add(report, world.analyst_a, ("container", "MSKU1234565"))
    api = Api(world.analyst_b)
    assert len(api.get("/watches/hits").json()) == 1
    from port2port.reports import actions as report_actions

    report_actions.share_report(report, acting_user=world.analyst_a, tlp=Tlp.AMBER, audience=Audience.OWNER)
    assert api.get("/watches/hits").json() == []
