"""Sensors, zones, credentials and events through /api/v1: what members read, what only security
officers and admins change, what outsiders get (a 404 like a missing id, and nothing changed),
bad input named field by field, and a credential's token shown once, rotated and revoked end to
end through /api/v1/ingest."""

import json
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from port2port.core.models import AuditEvent
from port2port.core.permissions import Role
from port2port.organisations import actions as org_actions
from port2port.organisations.models import ApiKeyScope
from port2port.reports.tests.api_helpers import API, NOT_FOUND, Api, api_key, bad_fields, problem
from port2port.sensors import actions
from port2port.sensors.models import Sensor, SensorCredential, Zone

from .conftest import QUAY_OUTLINE, native_event

MISSING = 999_999
GATE_OUTLINE = [[4.30, 51.30], [4.31, 51.30], [4.31, 51.31]]


def delete(api: Api, path: str):
    return api.client.delete(API + path, headers=api.headers)


def ingest(token: str, events: list[dict]):
    return Client().post(f"{API}/ingest", json.dumps(events), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}")


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def outsiders(world) -> list:
    """Another organisation's admin, a partner's analyst, and the platform admin (who manages
    accounts, not content): none of them may see port A's sensors."""
    return [world.outsider_c, world.analyst_b, world.platform_admin]


def officer_of_b(world):
    """A security officer of port B, to give port B sensors and zones of its own."""
    person = org_actions.create_account(acting_user=world.platform_admin, email="officer.b@p2p.test",
                                        password="correct horse battery", full_name="Boris Officer")
    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=person,
                           role=Role.SECURITY_OFFICER)
    return person


def zone_of_b(world) -> Zone:
    return actions.define_zone(acting_user=officer_of_b(world), organisation=world.org_b, name="Ghent lock",
                               outline=GATE_OUTLINE)


def sensor_body(**overrides) -> dict:
    return {"name": "Camera gate 3", "kind": "camera", "adapter": "onvif", "port": "BEANR",
            "latitude": 51.28, "longitude": 4.26, "expected_interval": 15, **overrides}


def snapshot(sensor: Sensor) -> tuple:
    sensor = Sensor.objects.get(pk=sensor.pk)
    return (sensor.name, sensor.kind, sensor.adapter, sensor.latitude, sensor.longitude, sensor.expected_interval,
            sensor.is_active, sorted(sensor.zones.values_list("pk", flat=True)))


# --- sensors ----------------------------------------------------------------------------------


def test_an_officer_registers_a_sensor_and_every_member_reads_it(world, rig):
    response = Api(world.officer_a).post("/sensors", sensor_body(zones=[rig.zone.pk]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["kind"], body["adapter"], body["port"]) == ("Camera gate 3", "camera", "onvif", "BEANR")
    assert body["organisation"] == {"id": world.org_a.pk, "name": "Port A"}
    assert body["zones"] == [{"id": rig.zone.pk, "name": "Quay 1700"}]
    assert body["last_event_at"] is None and body["offline_since"] is None and body["is_active"]
    listed = Api(world.analyst_a).get("/sensors").json()
    assert [sensor["name"] for sensor in listed] == ["Camera gate 3", "RF detector 1"]
    assert Api(world.analyst_a).get(f"/sensors/{body['id']}").json() == body
    assert AuditEvent.objects.filter(action="sensors.register", target_id=str(body["id"])).exists()


def test_the_list_says_when_a_sensor_last_reported_and_since_when_it_is_offline(world, rig):
    assert ingest(rig.token, [native_event(1)]).status_code == 200
    [listed] = Api(world.analyst_a).get("/sensors").json()
    assert listed["last_event_at"] is not None and listed["offline_since"] is None
    Sensor.objects.filter(pk=rig.sensor.pk).update(offline_since=timezone.now())  # as the periodic check does
    assert Api(world.analyst_a).get(f"/sensors/{rig.sensor.pk}").json()["offline_since"] is not None


def test_an_officer_changes_a_sensor_and_fields_left_out_stay(world, rig):
    api = Api(world.officer_a)
    response = api.patch(f"/sensors/{rig.sensor.pk}", {"name": "RF detector north", "zones": [],
                                                       "expected_interval": None})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["name"], body["zones"], body["expected_interval"]) == ("RF detector north", [], None)
    assert (body["kind"], body["port"], body["latitude"]) == ("drone_rf", "BEANR", 51.28)
    assert api.patch(f"/sensors/{rig.sensor.pk}", {"latitude": None, "longitude": None}).json()["latitude"] is None
    assert api.patch(f"/sensors/{rig.sensor.pk}", {"is_active": False}).json()["is_active"] is False
    assert ingest(rig.token, [native_event(1)]).status_code == 401  # a sensor turned off sends nothing
    assert AuditEvent.objects.filter(action="sensors.change", target_id=str(rig.sensor.pk)).count() == 3


def test_outsiders_get_404_for_a_sensor_and_change_nothing(world, rig):
    credentials_now = SensorCredential.objects.values_list("pk", "expires_at", "revoked_at")
    before, credentials = snapshot(rig.sensor), list(credentials_now)
    sensor, credential = rig.sensor.pk, rig.credential.pk
    for person in outsiders(world):
        api = Api(person)
        assert api.get("/sensors").json() == []
        answers = [
            api.get(f"/sensors/{sensor}"), api.patch(f"/sensors/{sensor}", {"name": "Mine now"}),
            api.get(f"/sensors/{sensor}/events"), api.get(f"/sensors/{sensor}/credentials"),
            api.post(f"/sensors/{sensor}/credentials", {}), api.post(f"/sensor-credentials/{credential}/rotate"),
            delete(api, f"/sensor-credentials/{credential}"),
        ]
        assert [answer.status_code for answer in answers] == [404] * len(answers), person
        assert all(problem(answer) == NOT_FOUND for answer in answers)
        assert api.get(f"/sensors/{sensor}").content == api.get(f"/sensors/{MISSING}").content
    assert snapshot(rig.sensor) == before
    assert list(credentials_now.all()) == credentials
    assert ingest(rig.token, [native_event(1)]).status_code == 200


def test_nobody_registers_a_sensor_for_an_organisation_not_their_own(world):
    for outsider in (world.outsider_c, world.analyst_b):
        refused = Api(outsider).post("/sensors", sensor_body(organisation=world.org_a.pk))
        assert bad_fields(refused) == {"organisation"}
    # The platform admin belongs to no organisation at all.
    assert Api(world.platform_admin).post("/sensors", sensor_body()).status_code == 403
    assert not Sensor.objects.exists()


def test_an_analyst_reads_sensors_but_cannot_manage_them(world, rig):
    api = Api(world.analyst_a)
    before = snapshot(rig.sensor)
    assert api.get(f"/sensors/{rig.sensor.pk}").status_code == 200
    assert api.get(f"/sensors/{rig.sensor.pk}/credentials").status_code == 200
    refused = [
        api.post("/sensors", sensor_body()), api.patch(f"/sensors/{rig.sensor.pk}", {"name": "Mine"}),
        api.post(f"/sensors/{rig.sensor.pk}/credentials", {}),
        api.post(f"/sensor-credentials/{rig.credential.pk}/rotate"),
        delete(api, f"/sensor-credentials/{rig.credential.pk}"),
    ]
    assert [answer.status_code for answer in refused] == [403] * len(refused)
    assert "security officers and admins" in problem(refused[0])["detail"]
    assert snapshot(rig.sensor) == before and Sensor.objects.count() == 1
    assert SensorCredential.objects.count() == 1 and SensorCredential.objects.get().is_usable


def test_an_anonymous_caller_gets_401(world, rig):
    for path in ("/sensors", f"/sensors/{rig.sensor.pk}", "/zones", f"/sensors/{rig.sensor.pk}/events"):
        assert Api().get(path).status_code == 401
    assert Api().post("/sensors", sensor_body()).status_code == 401
    assert Sensor.objects.count() == 1


@pytest.mark.parametrize("overrides, field", [
    ({"name": ""}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"kind": "periscope"}, "kind"),
    ({"adapter": "morse"}, "adapter"),
    ({"latitude": 91}, "latitude"),
    ({"longitude": -181}, "longitude"),
    ({"longitude": None}, "latitude"),  # one without the other
    ({"port": "XXXXX"}, "port"),
    ({"port": "BEGNE"}, "port"),  # port B's port
    ({"expected_interval": 0}, "expected_interval"),
    ({"zones": [MISSING]}, "zones"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_sensor_is_refused_naming_the_field(world, overrides, field):
    response = Api(world.officer_a).post("/sensors", sensor_body(**overrides))
    assert response.status_code == 422, response.content
    assert bad_fields(response) == {field}
    assert not Sensor.objects.exists()


def test_a_zone_of_another_organisation_is_refused_like_a_missing_one(world, rig):
    theirs = zone_of_b(world)
    api = Api(world.officer_a)
    refused = api.post("/sensors", sensor_body(zones=[theirs.pk]))
    assert bad_fields(refused) == {"zones"}
    assert problem(refused)["errors"] == problem(api.post("/sensors", sensor_body(zones=[MISSING])))["errors"]
    assert bad_fields(api.patch(f"/sensors/{rig.sensor.pk}", {"zones": [theirs.pk]})) == {"zones"}
    assert list(rig.sensor.zones.all()) == [rig.zone]


@pytest.mark.parametrize("changes, field", [
    ({"name": None}, "name"),
    ({"kind": "periscope"}, "kind"),
    ({"latitude": None}, "latitude"),  # the longitude stays: both or neither
    ({"organisation": 1}, "organisation"),
    ({"is_active": "maybe"}, "is_active"),
    ({"port": "BEGNE"}, "port"),
])
def test_a_bad_change_to_a_sensor_is_refused_naming_the_field(world, rig, changes, field):
    before = snapshot(rig.sensor)
    assert bad_fields(Api(world.officer_a).patch(f"/sensors/{rig.sensor.pk}", changes)) == {field}
    assert snapshot(rig.sensor) == before


# --- events -----------------------------------------------------------------------------------


def test_a_sensors_events_come_newest_first_page_by_page(world, rig):
    now = timezone.now()
    ingest(rig.token, [native_event(n, at=now - timedelta(minutes=n)) for n in range(7)])
    api = Api(world.analyst_a)
    seen, cursor = [], None
    for _page in range(4):
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api.get(f"/sensors/{rig.sensor.pk}/events", params).json()
        seen += [event["external_id"] for event in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"evt-{n}" for n in range(7)]
    first = api.get(f"/sensors/{rig.sensor.pk}/events", {"limit": 1}).json()["items"][0]
    assert first["zone"] == {"id": rig.zone.pk, "name": "Quay 1700"} and first["sensor"]["id"] == rig.sensor.pk
    assert first["drone_serial"] == "1581F5FJD23A0000001" and "raw" not in first


def test_events_are_filtered_by_kind_and_time(world, rig):
    now = timezone.now()
    ingest(rig.token, [native_event(1, at=now - timedelta(hours=2)), native_event(2, at=now - timedelta(minutes=5)),
                       native_event(3, kind="intrusion", at=now - timedelta(minutes=1))])
    api, path = Api(world.analyst_a), f"/sensors/{rig.sensor.pk}/events"
    ids = lambda params: [event["external_id"] for event in api.get(path, params).json()["items"]]  # noqa: E731
    assert ids({"kind": "drone_detected"}) == ["evt-2", "evt-1"]
    assert ids({"since": (now - timedelta(minutes=10)).isoformat()}) == ["evt-3", "evt-2"]
    assert ids({"kind": "drone_detected", "since": (now - timedelta(minutes=10)).isoformat()}) == ["evt-2"]


def test_a_badge_shows_only_as_its_keyed_hash(world, rig):
    ingest(rig.token, [native_event(1, kind="badge_denied", serial="", badge_id="BADGE-QXZ9")])
    response = Api(world.analyst_a).get(f"/sensors/{rig.sensor.pk}/events")
    [event] = response.json()["items"]
    assert len(event["badge_hash"]) == 64 and b"QXZ9" not in response.content


@pytest.mark.parametrize("params, field", [
    ({"kind": "picnic"}, "kind"),
    ({"since": "2026-03-04T02:30:00"}, "since"),  # no time zone
    ({"since": "yesterday"}, "since"),
    ({"limit": 0}, "limit"),
    ({"limit": 501}, "limit"),
    ({"cursor": "forged"}, "cursor"),
])
def test_bad_event_filters_are_refused_naming_the_field(world, rig, params, field):
    response = Api(world.analyst_a).get(f"/sensors/{rig.sensor.pk}/events", params)
    assert response.status_code == 422 and bad_fields(response) == {field}


# --- credentials ------------------------------------------------------------------------------


def test_a_new_credentials_token_is_shown_once_and_works_for_ingestion_only(world, rig):
    api = Api(world.officer_a)
    response = api.post(f"/sensors/{rig.sensor.pk}/credentials", {"days": 30})
    assert response.status_code == 201, response.content
    issued = response.json()
    token = issued["token"]
    secret = token.split("_", 3)[3]  # p2p_sensor_<lookup>_<secret>
    assert token.startswith(issued["prefix"].rstrip("…") + "_")
    assert issued["is_usable"] and issued["created_by"]["id"] == world.officer_a.pk
    assert moment(issued["expires_at"]) > timezone.now() + timedelta(days=29, hours=23)
    listed = api.get(f"/sensors/{rig.sensor.pk}/credentials")
    assert secret.encode() not in listed.content
    assert all("token" not in credential for credential in listed.json())
    assert {credential["id"] for credential in listed.json()} == {rig.credential.pk, issued["id"]}
    assert secret not in api.get(f"/sensors/{rig.sensor.pk}").content.decode()
    assert SensorCredential.objects.get(pk=issued["id"]).secret_hash == SensorCredential.hash_secret(secret) != secret
    assert ingest(token, [native_event(1)]).json()["accepted"] == 1
    assert Api(token=token).get("/sensors").status_code == 401  # a sensor's token opens nothing else


def test_rotation_gives_a_new_token_and_the_old_one_works_through_the_overlap(world, rig):
    response = Api(world.officer_a).post(f"/sensor-credentials/{rig.credential.pk}/rotate")
    assert response.status_code == 201, response.content
    body = response.json()
    new_token = body["token"]
    assert body["id"] != rig.credential.pk and body["replaces"]["id"] == rig.credential.pk
    assert "token" not in body["replaces"]
    assert moment(body["replaces"]["expires_at"]) <= timezone.now() + timedelta(hours=24)
    assert ingest(new_token, [native_event(1)]).json()["accepted"] == 1
    assert ingest(rig.token, [native_event(2)]).json()["accepted"] == 1  # still inside the overlap
    # The overlap passes (the clock is moved by setting the expiry it reached).
    SensorCredential.objects.filter(pk=rig.credential.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ingest(rig.token, [native_event(3)]).status_code == 401
    assert ingest(new_token, [native_event(4)]).json()["accepted"] == 1
    assert AuditEvent.objects.filter(action="sensors.credential.rotate").count() == 1


def test_a_revoked_credential_stops_at_once_and_cannot_be_rotated(world, rig):
    api = Api(world.officer_a)
    assert ingest(rig.token, [native_event(1)]).status_code == 200
    assert delete(api, f"/sensor-credentials/{rig.credential.pk}").status_code == 204
    assert ingest(rig.token, [native_event(2)]).status_code == 401
    [listed] = api.get(f"/sensors/{rig.sensor.pk}/credentials").json()
    assert listed["revoked_at"] is not None and listed["is_usable"] is False
    assert bad_fields(api.post(f"/sensor-credentials/{rig.credential.pk}/rotate")) == {"credential"}
    assert SensorCredential.objects.count() == 1
    assert AuditEvent.objects.filter(action="sensors.credential.revoke").count() == 1


@pytest.mark.parametrize("body, field", [
    ({"days": 0}, "days"),
    ({"days": 400}, "days"),  # beyond the platform's limit of a year
    ({"days": "soon"}, "days"),
    ({"scope": "all"}, "scope"),
])
def test_a_bad_credential_request_is_refused_naming_the_field(world, rig, body, field):
    assert bad_fields(Api(world.officer_a).post(f"/sensors/{rig.sensor.pk}/credentials", body)) == {field}
    assert SensorCredential.objects.count() == 1


def test_missing_credentials_are_404(world, rig):
    api = Api(world.officer_a)
    assert problem(api.post(f"/sensor-credentials/{MISSING}/rotate")) == NOT_FOUND
    assert problem(delete(api, f"/sensor-credentials/{MISSING}")) == NOT_FOUND
    assert problem(api.get(f"/sensors/{MISSING}/credentials")) == NOT_FOUND


# --- zones ------------------------------------------------------------------------------------


def test_an_officer_draws_a_zone_as_points_or_as_geojson(world):
    api = Api(world.officer_a)
    drawn = api.post("/zones", {"name": "Gate 3", "kind": "perimeter", "outline": GATE_OUTLINE, "port": "BEANR"})
    assert drawn.status_code == 201, drawn.content
    body = drawn.json()
    assert body["outline"] == GATE_OUTLINE and body["kind"] == "perimeter" and body["port"] == "BEANR"
    assert body["geometry"] == {"type": "Polygon", "coordinates": [GATE_OUTLINE + GATE_OUTLINE[:1]]}
    closed_ring = QUAY_OUTLINE + QUAY_OUTLINE[:1]
    geojson = api.post("/zones", {"name": "Quay 1700", "outline": {"type": "Polygon", "coordinates": [closed_ring]}})
    assert geojson.status_code == 201, geojson.content
    assert geojson.json()["outline"] == QUAY_OUTLINE and geojson.json()["kind"] == "restricted"
    assert [zone["name"] for zone in Api(world.analyst_a).get("/zones").json()] == ["Gate 3", "Quay 1700"]


def test_an_officer_changes_and_deletes_a_zone(world, rig):
    api = Api(world.officer_a)
    changed = api.patch(f"/zones/{rig.zone.pk}", {"name": "Quay 1710", "outline": GATE_OUTLINE})
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "Quay 1710" and changed.json()["outline"] == GATE_OUTLINE
    assert changed.json()["port"] == "BEANR"
    assert Api(world.analyst_a).get(f"/zones/{rig.zone.pk}").json() == changed.json()
    assert delete(api, f"/zones/{rig.zone.pk}").status_code == 204
    assert not Zone.objects.filter(pk=rig.zone.pk).exists()
    assert api.get(f"/zones/{rig.zone.pk}").status_code == 404
    assert AuditEvent.objects.filter(action="sensors.zone.delete").count() == 1


def test_outsiders_get_404_for_a_zone_and_change_nothing(world, rig):
    for person in outsiders(world):
        api = Api(person)
        assert api.get("/zones").json() == []
        answers = [api.get(f"/zones/{rig.zone.pk}"), api.patch(f"/zones/{rig.zone.pk}", {"name": "Mine"}),
                   delete(api, f"/zones/{rig.zone.pk}")]
        assert [answer.status_code for answer in answers] == [404, 404, 404], person
        assert all(problem(answer) == NOT_FOUND for answer in answers)
        assert api.get(f"/zones/{rig.zone.pk}").content == api.get(f"/zones/{MISSING}").content
    zone = Zone.objects.get(pk=rig.zone.pk)
    assert (zone.name, zone.outline) == ("Quay 1700", QUAY_OUTLINE)
    assert bad_fields(Api(world.outsider_c).post("/zones", {"name": "Theirs", "outline": GATE_OUTLINE,
                                                            "organisation": world.org_a.pk})) == {"organisation"}
    assert Zone.objects.count() == 1


def test_an_analyst_reads_zones_but_cannot_draw_change_or_delete_them(world, rig):
    api = Api(world.analyst_a)
    assert api.get(f"/zones/{rig.zone.pk}").status_code == 200
    refused = [api.post("/zones", {"name": "Gate 3", "outline": GATE_OUTLINE}),
               api.patch(f"/zones/{rig.zone.pk}", {"name": "Mine"}), delete(api, f"/zones/{rig.zone.pk}")]
    assert [answer.status_code for answer in refused] == [403, 403, 403]
    assert list(Zone.objects.values_list("name", flat=True)) == ["Quay 1700"]


@pytest.mark.parametrize("overrides, field", [
    ({"name": ""}, "name"),
    ({"kind": "moat"}, "kind"),
    ({"outline": GATE_OUTLINE[:2]}, "outline"),
    ({"outline": [[4.3, 51.3], [4.31, 51.3], [200, 51.31]]}, "outline"),  # off the map
    ({"outline": [[4.3, 51.3], [4.31], [4.31, 51.31]]}, "outline"),
    ({"outline": [["4.3", "51.3"], [4.31, 51.3], [4.31, 51.31]]}, "outline"),
    ({"outline": "POLYGON((4.3 51.3, 4.31 51.3, 4.31 51.31))"}, "outline"),
    ({"outline": {"type": "Point", "coordinates": [4.3, 51.3]}}, "outline"),
    ({"outline": {"type": "Polygon", "coordinates": [GATE_OUTLINE, GATE_OUTLINE]}}, "outline"),  # a hole
    ({"outline": [[4.3, 51.3]] * 1001}, "outline"),
    ({"port": "BEGNE"}, "port"),
    ({"shape": "round"}, "shape"),
])
def test_a_bad_zone_is_refused_naming_the_field(world, overrides, field):
    response = Api(world.officer_a).post("/zones", {"name": "Gate 3", "outline": GATE_OUTLINE, **overrides})
    assert response.status_code == 422, response.content
    assert bad_fields(response) == {field}
    assert not Zone.objects.exists()


def test_a_bad_change_to_a_zone_is_refused_naming_the_field(world, rig):
    api = Api(world.officer_a)
    assert bad_fields(api.patch(f"/zones/{rig.zone.pk}", {"outline": [[1, 1]]})) == {"outline"}
    assert bad_fields(api.patch(f"/zones/{rig.zone.pk}", {"name": None})) == {"name"}
    assert bad_fields(api.patch(f"/zones/{rig.zone.pk}", {"organisation": world.org_b.pk})) == {"organisation"}
    assert Zone.objects.get(pk=rig.zone.pk).outline == QUAY_OUTLINE


# --- API keys ---------------------------------------------------------------------------------


def test_a_read_only_key_reads_its_organisations_sensors_and_writes_nothing(world, rig):
    api = Api(token=api_key(world, scope=ApiKeyScope.READ))
    assert [sensor["id"] for sensor in api.get("/sensors").json()] == [rig.sensor.pk]
    assert api.post("/sensors", sensor_body()).status_code == 403
    assert api.post(f"/sensors/{rig.sensor.pk}/credentials", {}).status_code == 403
    assert Sensor.objects.count() == 1 and SensorCredential.objects.count() == 1


def test_a_key_acts_for_its_own_organisation_only(world, rig):
    """Olga is an officer of port A and an admin of port B. Port B's key she made sees none of
    port A's sensors, though she does."""
    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=world.officer_a,
                           role=Role.ORG_ADMIN)
    api = Api(token=api_key(world, scope=ApiKeyScope.WRITE, creator=world.officer_a, organisation=world.org_b))
    assert api.get("/sensors").json() == []
    assert problem(api.get(f"/sensors/{rig.sensor.pk}")) == NOT_FOUND
    assert problem(api.post(f"/sensors/{rig.sensor.pk}/credentials", {})) == NOT_FOUND
    assert bad_fields(api.post("/sensors", sensor_body(organisation=world.org_a.pk))) == {"organisation"}
    made = api.post("/sensors", sensor_body(port=None))
    assert made.status_code == 201 and made.json()["organisation"]["name"] == "Port B"
    assert SensorCredential.objects.count() == 1 and Sensor.objects.filter(organisation=world.org_a).count() == 1


# --- query counts -----------------------------------------------------------------------------


def queries_for(api: Api, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(captured.captured_queries)


def test_lists_read_a_fixed_number_of_queries_however_long_they_grow(world, rig):
    ingest(rig.token, [native_event(1)])
    api = Api(world.analyst_a)
    paths = ["/sensors", "/zones", f"/sensors/{rig.sensor.pk}/events", f"/sensors/{rig.sensor.pk}/credentials"]
    before = {path: queries_for(api, path) for path in paths}
    for number in range(5):
        zone = actions.define_zone(acting_user=world.officer_a, organisation=world.org_a, name=f"Zone {number}",
                                   outline=GATE_OUTLINE)
        sensor = actions.register_sensor(acting_user=world.officer_a, organisation=world.org_a, name=f"Sensor {number}",
                                         zones=[zone, rig.zone])
        actions.issue_credential(rig.sensor, acting_user=world.admin_a)
        actions.issue_credential(sensor, acting_user=world.officer_a)
    ingest(rig.token, [native_event(n, zone=f"Zone {n % 5}") for n in range(2, 12)])
    assert {path: queries_for(api, path) for path in paths} == before
