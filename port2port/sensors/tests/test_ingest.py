"""Ingestion through POST /api/v1/ingest: batches, fates per event, idempotency, credentials."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from port2port.core.audit import AuditEvent
from port2port.sensors import actions
from port2port.sensors.events import MAX_BATCH
from port2port.sensors.models import Event, SensorCredential

from .conftest import native_event

pytestmark = pytest.mark.django_db
URL = "/api/v1/ingest"


def post(client, rig, body, content_type="application/json", **extra):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, **rig.headers, **extra)


def test_a_batch_is_stored_and_each_event_gets_its_fate(client, rig):
    response = post(client, rig, [native_event(1), native_event(2), native_event(3, lat=91)])
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["duplicate"], body["rejected"]) == (2, 0, 1)
    assert [e["status"] for e in body["events"]] == ["accepted", "accepted", "rejected"]
    assert "lat" in body["events"][2]["errors"] or "latitude" in body["events"][2]["errors"]
    assert Event.objects.filter(sensor=rig.sensor).count() == 2


def test_the_same_batch_twice_stores_nothing_twice(client, rig):
    batch = [native_event(n) for n in range(5)]
    post(client, rig, batch)
    again = post(client, rig, batch).json()
    assert again["duplicate"] == 5 and again["accepted"] == 0
    assert Event.objects.count() == 5


def test_the_same_event_twice_in_one_batch_is_one_event(client, rig):
    body = post(client, rig, [native_event(1), native_event(1)]).json()
    assert [e["status"] for e in body["events"]] == ["accepted", "duplicate"]


def test_ndjson_is_accepted(client, rig):
    body = "\n".join(json.dumps(native_event(n)) for n in range(3))
    response = post(client, rig, body, content_type="application/x-ndjson")
    assert response.json()["accepted"] == 3


def test_an_event_in_a_drawn_zone_is_placed_in_it(client, rig):
    post(client, rig, [native_event(1)])
    assert Event.objects.get().zone == rig.zone


def test_a_zone_named_by_the_sensor_wins(client, rig, world):
    other = actions.define_zone(acting_user=world.officer_a, organisation=world.org_a, name="Gate 3",
                                outline=[[4.0, 51.0], [4.1, 51.0], [4.1, 51.1]])
    post(client, rig, [native_event(1, zone="gate 3")])
    assert Event.objects.get().zone == other


def test_a_badge_is_stored_only_as_a_keyed_hash(client, rig):
    post(client, rig, [native_event(1, kind="badge_denied", serial="", badge_id="BADGE-0042")])
    event = Event.objects.get()
    assert event.badge_hash and "0042" not in event.badge_hash
    assert len(event.badge_hash) == 64
    assert "BADGE-0042" not in json.dumps(event.raw) and event.raw["badge_id"] == "(badge, pseudonymised)"


def test_a_badge_in_a_csv_row_is_not_kept_in_the_payload(client, rig, world):
    actions.change_sensor(rig.sensor, acting_user=world.officer_a, adapter="access_control")
    at = (timezone.now() - timedelta(minutes=1)).isoformat()
    body = f"id,time,event,door,badge_id\nac-1,{at},access_denied,Gate 3,04A1B2C3\n"
    response = post(client, rig, body, content_type="text/csv")
    assert response.json()["accepted"] == 1, response.content
    assert "04A1B2C3" not in json.dumps(Event.objects.get().raw)


def test_a_second_sensor_by_the_same_name_is_refused_on_the_name(rig, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        actions.register_sensor(acting_user=world.officer_a, organisation=world.org_a, name="rf DETECTOR 1")
    assert "name" in error.value.message_dict


def test_bad_events_are_rejected_one_by_one_naming_the_field(client, rig):
    future = timezone.now() + timedelta(hours=2)
    old = timezone.now() - timedelta(days=60)
    batch = [native_event(1, time=future.isoformat()), native_event(2, time=old.isoformat()),
             native_event(3, lat="north"), {"kind": "drone_detected"}, native_event(4, kind="picnic"),
             native_event(5, confidence=3), native_event(6)]
    body = post(client, rig, batch).json()
    fates = body["events"]
    assert [f["status"] for f in fates] == ["rejected"] * 6 + ["accepted"]
    for fate in fates[:6]:
        assert fate["errors"], fate
    assert Event.objects.count() == 1


def test_more_than_the_limit_is_a_413_and_nothing_is_stored(client, rig):
    batch = [native_event(n) for n in range(MAX_BATCH + 1)]
    response = post(client, rig, batch)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert Event.objects.count() == 0


def test_an_unreadable_body_is_a_400_naming_the_body(client, rig):
    response = post(client, rig, "[{not json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"


def test_an_unknown_format_is_a_422_naming_it(client, rig):
    response = client.post(URL + "?format=fax", data="[]", content_type="application/json", **rig.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "format"


@pytest.mark.parametrize("token", ["", "p2p_sensor_nothing_here", "p2p_org_abc_def"])
def test_without_a_valid_credential_nothing_is_stored(client, rig, token):
    response = client.post(URL, data=json.dumps([native_event(1)]), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert Event.objects.count() == 0


def test_an_expired_credential_is_refused(client, rig):
    SensorCredential.objects.filter(pk=rig.credential.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert post(client, rig, [native_event(1)]).status_code == 401


def test_a_revoked_credential_is_refused(client, rig, world):
    actions.revoke_credential(rig.credential, acting_user=world.officer_a)
    assert post(client, rig, [native_event(1)]).status_code == 401


def test_a_credential_in_the_url_is_not_accepted(client, rig):
    response = client.post(f"{URL}?token={rig.token}", data="[]", content_type="application/json")
    assert response.status_code == 401


def test_rotation_keeps_the_old_credential_for_the_overlap_only(client, rig, world):
    new, token = actions.rotate_credential(rig.credential, acting_user=world.officer_a)
    assert post(client, rig, [native_event(1)]).status_code == 200  # the old one, within the overlap
    response = client.post(URL, data=json.dumps([native_event(2)]), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    SensorCredential.objects.filter(pk=rig.credential.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert post(client, rig, [native_event(3)]).status_code == 401


def test_a_deactivated_sensor_cannot_send(client, rig, world):
    actions.change_sensor(rig.sensor, acting_user=world.officer_a, is_active=False)
    assert post(client, rig, [native_event(1)]).status_code == 401


def test_a_sensor_credential_reads_nothing_else(client, rig):
    for path in ("/api/v1/reports", "/api/v1/indicators/search?value=x"):
        assert client.get(path, **rig.headers).status_code == 401


def test_each_batch_is_audited_once_with_its_counts(client, rig):
    post(client, rig, [native_event(1), native_event(2, lat=200)])
    entry = AuditEvent.objects.filter(action="sensors.ingest").get()
    assert entry.detail == {"accepted": 1, "duplicate": 0, "rejected": 1}


def test_a_batch_marks_the_sensor_heard(client, rig):
    post(client, rig, [native_event(1)])
    rig.sensor.refresh_from_db()
    assert rig.sensor.last_event_at is not None and rig.sensor.offline_since is None


def test_credentials_are_issued_by_officers_only(rig, world):
    from django.core.exceptions import PermissionDenied

    for person in (world.analyst_a, world.analyst_b, world.outsider_c, world.platform_admin):
        with pytest.raises(PermissionDenied):
            actions.issue_credential(rig.sensor, acting_user=person)


def test_a_credential_lives_at_most_a_year(rig, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        actions.issue_credential(rig.sensor, acting_user=world.officer_a, days=400)
    assert "days" in error.value.message_dict


def test_a_cardholder_name_column_is_not_kept(client, rig, world):
    actions.change_sensor(rig.sensor, acting_user=world.officer_a, adapter="access_control")
    at = (timezone.now() - timedelta(minutes=1)).isoformat()
    body = f"id,time,event,door,badge_id,holder\nac-1,{at},access_denied,Gate 3,04A1B2C3,J. Janssens\n"
    assert post(client, rig, body, content_type="text/csv").json()["accepted"] == 1
    assert "Janssens" not in json.dumps(Event.objects.get().raw)


def test_a_record_nested_too_deeply_is_rejected_alone(client, rig):
    deep = json.dumps(native_event(1, badge_id="B-1", kind="badge_denied", serial=""))[:-1]
    deep += ', "extra": ' + '{"x": ' * 1100 + "{}" + "}" * 1100 + "}"  # read, too deep to walk
    body = post(client, rig, "[" + deep + ", " + json.dumps(native_event(2)) + "]").json()
    assert [e["status"] for e in body["events"]] == ["rejected", "accepted"]


def test_deactivating_a_sensor_revokes_its_credentials(rig, world):
    actions.change_sensor(rig.sensor, acting_user=world.officer_a, is_active=False)
    actions.change_sensor(rig.sensor, acting_user=world.officer_a, is_active=True)
    rig.credential.refresh_from_db()
    assert rig.credential.revoked_at is not None
