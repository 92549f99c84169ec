"""The sensor and zone pages: who sees what, who may change it, what bad input does, the
credential shown once, and the query count of the lists."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from port2port.core.permissions import Role
from port2port.organisations import actions as org_actions
from port2port.sensors import actions
from port2port.sensors.models import Sensor, SensorCredential, SensorKind, Zone, find_credential

from .conftest import QUAY_OUTLINE

pytestmark = pytest.mark.django_db

OTHERS = ("analyst_b", "outsider_c", "platform_admin")


def others(world):
    return [getattr(world, name) for name in OTHERS]


def sensor_form(**overrides) -> dict:
    data = {"name": "Radar north", "kind": SensorKind.DRONE_RADAR, "adapter": "p2p", "port": "", "latitude": "51.3",
            "longitude": "4.27", "expected_interval": "15", "zones": []}
    data.update(overrides)
    return data


def zone_form(**overrides) -> dict:
    data = {"name": "Tank farm", "kind": "restricted", "port": "",
            "outline": json.dumps([[4.30, 51.30], [4.31, 51.30], [4.31, 51.31], [4.30, 51.31]])}
    data.update(overrides)
    return data


# --- Who sees sensors ----------------------------------------------------------------------------

def test_members_see_their_sensors_with_their_state(world, rig, client_for):
    page = client_for(world.analyst_a).get(reverse("sensors:list"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "RF detector 1" in body and "Never heard" in body and "Antwerp" in body


@pytest.mark.parametrize("name", OTHERS)
def test_other_organisations_and_the_platform_admin_see_nothing_of_port_a_sensors(world, rig, client_for, name):
    client = client_for(getattr(world, name))
    listing = client.get(reverse("sensors:list")).content.decode()
    assert "RF detector 1" not in listing
    assert "Quay 1700" not in client.get(reverse("sensors:zones")).content.decode()
    for url in (reverse("sensors:detail", args=[rig.sensor.pk]), reverse("sensors:edit", args=[rig.sensor.pk]),
                reverse("sensors:zone_edit", args=[rig.zone.pk])):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", OTHERS)
def test_other_organisations_get_404_for_every_write_on_port_a_sensors(world, rig, client_for, name):
    client = client_for(getattr(world, name))
    posts = [
        (reverse("sensors:edit", args=[rig.sensor.pk]), sensor_form(name="Hijacked")),
        (reverse("sensors:credential_issue", args=[rig.sensor.pk]), {"days": "30"}),
        (reverse("sensors:credential_rotate", args=[rig.credential.pk]), {}),
        (reverse("sensors:credential_revoke", args=[rig.credential.pk]), {}),
        (reverse("sensors:zone_edit", args=[rig.zone.pk]), zone_form(name="Hijacked")),
        (reverse("sensors:zone_delete", args=[rig.zone.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    rig.credential.refresh_from_db()
    assert rig.credential.revoked_at is None and SensorCredential.objects.count() == 1
    assert Sensor.objects.get().name == "RF detector 1" and Zone.objects.get().name == "Quay 1700"


def test_analysts_see_sensors_read_only_and_get_403_on_changes(world, rig, client_for):
    client = client_for(world.analyst_a)
    listing = client.get(reverse("sensors:list")).content.decode()
    detail = client.get(reverse("sensors:detail", args=[rig.sensor.pk])).content.decode()
    assert reverse("sensors:create") not in listing
    assert "Issue a new credential" not in detail and "Rotate" not in detail
    assert client.get(reverse("sensors:create")).status_code == 403
    assert client.post(reverse("sensors:create"), sensor_form()).status_code == 403
    assert client.post(reverse("sensors:edit", args=[rig.sensor.pk]), sensor_form()).status_code == 403
    assert client.post(reverse("sensors:credential_issue", args=[rig.sensor.pk]), {"days": "30"}).status_code == 403
    assert client.post(reverse("sensors:credential_revoke", args=[rig.credential.pk])).status_code == 403
    assert client.post(reverse("sensors:zone_create"), zone_form()).status_code == 403
    assert client.post(reverse("sensors:zone_delete", args=[rig.zone.pk])).status_code == 403
    assert Sensor.objects.count() == 1 and Zone.objects.count() == 1 and SensorCredential.objects.count() == 1


# --- Registering and changing sensors ------------------------------------------------------------

def test_an_officer_registers_a_sensor_with_its_zones(world, rig, client_for):
    response = client_for(world.officer_a).post(reverse("sensors:create"),
                                                sensor_form(port=world.port_a.pk, zones=[rig.zone.pk]))
    sensor = Sensor.objects.get(name="Radar north")
    assert response.status_code == 302 and response["Location"] == reverse("sensors:detail", args=[sensor.pk])
    assert sensor.organisation == world.org_a and sensor.expected_interval == 15
    assert list(sensor.zones.all()) == [rig.zone]


def test_a_latitude_off_the_map_names_the_field_and_registers_nothing(world, client_for):
    response = client_for(world.officer_a).post(reverse("sensors:create"), sensor_form(latitude="95"))
    assert response.status_code == 400
    assert response.context["form"].has_error("latitude")
    assert "Latitude" in response.content.decode()
    assert not Sensor.objects.exists()


def test_a_latitude_without_longitude_comes_back_from_the_action_on_the_latitude(world, client_for):
    response = client_for(world.officer_a).post(reverse("sensors:create"), sensor_form(longitude=""))
    assert response.status_code == 400
    assert "Give both latitude and longitude, or neither." in response.context["form"].errors["latitude"]
    assert not Sensor.objects.exists()


def test_a_name_already_used_lands_on_the_name_field(world, rig, client_for):
    response = client_for(world.officer_a).post(reverse("sensors:create"), sensor_form(name="RF detector 1"))
    assert response.status_code == 400
    assert response.context["form"].has_error("name")
    assert Sensor.objects.count() == 1


def test_another_organisations_port_cannot_be_chosen(world, client_for):
    response = client_for(world.officer_a).post(reverse("sensors:create"), sensor_form(port=world.port_c.pk))
    assert response.status_code == 400 and response.context["form"].has_error("port")
    assert not Sensor.objects.exists()


def test_an_officer_edits_and_deactivates_a_sensor(world, rig, client_for):
    data = sensor_form(name="RF detector 1 (north)", zones=[rig.zone.pk])  # is_active left unticked
    response = client_for(world.officer_a).post(reverse("sensors:edit", args=[rig.sensor.pk]), data)
    rig.sensor.refresh_from_db()
    assert response.status_code == 302
    assert rig.sensor.name == "RF detector 1 (north)" and rig.sensor.is_active is False


def test_errors_in_the_dutch_interface_are_dutch(world, client_for):
    world.officer_a.language = "nl"
    world.officer_a.save(update_fields=["language"])
    response = client_for(world.officer_a).post(reverse("sensors:create"), sensor_form(expected_interval="0"))
    assert response.status_code == 400
    assert "Zorg ervoor dat deze waarde minstens 1 is." in response.content.decode()


# --- Credentials ----------------------------------------------------------------------------------

def test_a_new_credential_is_shown_once_and_works(world, rig, client_for):
    client = client_for(world.officer_a)
    response = client.post(reverse("sensors:credential_issue", args=[rig.sensor.pk]), {"days": "30"})
    token = response.context["token"]
    assert response.status_code == 200 and token.startswith("p2p_sensor_")
    assert token in response.content.decode() and "shown only once" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert find_credential(token).sensor == rig.sensor
    assert token not in client.get(reverse("sensors:detail", args=[rig.sensor.pk])).content.decode()


def test_a_credential_lifetime_out_of_range_names_the_field(world, rig, client_for):
    response = client_for(world.officer_a).post(reverse("sensors:credential_issue", args=[rig.sensor.pk]), {"days": "0"})
    assert response.status_code == 400 and response.context["credential_form"].has_error("days")
    assert SensorCredential.objects.count() == 1


def test_rotating_gives_a_new_token_and_the_old_one_lives_a_day_more(world, rig, client_for):
    response = client_for(world.officer_a).post(reverse("sensors:credential_rotate", args=[rig.credential.pk]))
    rig.credential.refresh_from_db()
    assert response.status_code == 200 and response.context["token"] != rig.token
    assert find_credential(response.context["token"]) is not None
    assert find_credential(rig.token) is not None  # still, for the overlap
    assert rig.credential.expires_at <= timezone.now() + actions.ROTATION_OVERLAP


def test_revoking_stops_a_credential_at_once(world, rig, client_for):
    response = client_for(world.officer_a).post(reverse("sensors:credential_revoke", args=[rig.credential.pk]))
    assert response.status_code == 302
    assert find_credential(rig.token) is None


# --- Zones ---------------------------------------------------------------------------------------

def test_an_officer_draws_a_zone(world, client_for):
    response = client_for(world.officer_a).post(reverse("sensors:zone_create"), zone_form(port=world.port_a.pk))
    zone = Zone.objects.get(name="Tank farm")
    assert response.status_code == 302
    assert zone.organisation == world.org_a and len(zone.outline) == 4 and zone.contains(51.305, 4.305)


@pytest.mark.parametrize("outline, message", [
    (json.dumps([[4.30, 51.30], [4.31, 51.30]]), "Draw at least three points."),
    ("not json", "The points are not readable"),
    (json.dumps([[4.3, 51.3], [4.31, 95], [4.32, 51.3]]), "off the map"),
    ("", "Draw at least three points."),
])
def test_a_bad_outline_names_the_outline_and_saves_nothing(world, client_for, outline, message):
    response = client_for(world.officer_a).post(reverse("sensors:zone_create"), zone_form(outline=outline))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["outline"])
    assert not Zone.objects.exists()


def test_the_zone_page_carries_the_outlines_for_the_map(world, rig, client_for):
    response = client_for(world.analyst_a).get(reverse("sensors:zones"))
    assert response.context["zones_data"][0]["outline"] == QUAY_OUTLINE
    assert 'id="zones-data"' in response.content.decode()
    assert reverse("sensors:zone_create") not in response.content.decode()  # analysts only look


def test_an_officer_moves_a_zone_and_deletes_it(world, rig, client_for):
    client = client_for(world.officer_a)
    moved = [[4.0, 51.0], [4.1, 51.0], [4.1, 51.1]]
    page = client.get(reverse("sensors:zone_edit", args=[rig.zone.pk]))
    assert json.loads(page.context["form"]["outline"].value()) == QUAY_OUTLINE
    response = client.post(reverse("sensors:zone_edit", args=[rig.zone.pk]), zone_form(name="Quay 1700", outline=json.dumps(moved)))
    rig.zone.refresh_from_db()
    assert response.status_code == 302 and rig.zone.outline == moved
    assert client.post(reverse("sensors:zone_delete", args=[rig.zone.pk])).status_code == 302
    assert not Zone.objects.exists()


# --- Query counts -----------------------------------------------------------------------------------

def register(world, count, start=0):
    for number in range(start, start + count):
        zone = actions.define_zone(acting_user=world.officer_a, organisation=world.org_a, name=f"Zone {number}",
                                   outline=QUAY_OUTLINE, port=world.port_a)
        actions.register_sensor(acting_user=world.officer_a, organisation=world.org_a, name=f"Camera {number}",
                                kind=SensorKind.CAMERA, port=world.port_a, latitude=51.28, longitude=4.26, zones=[zone])


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["sensors:list", "sensors:zones"])
def test_the_lists_run_the_same_queries_for_3_or_30_sensors(world, client_for, django_assert_max_num_queries, url_name):
    client = client_for(world.officer_a)
    register(world, 3)
    few = queries(client, reverse(url_name))
    register(world, 27, start=3)
    with django_assert_max_num_queries(few):
        client.get(reverse(url_name))


def test_a_person_in_two_organisations_chooses_which_one_a_sensor_belongs_to(world, client_for):
    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=world.officer_a,
                           role=Role.SECURITY_OFFICER)
    client = client_for(world.officer_a)
    assert "organisation" in client.get(reverse("sensors:create")).context["form"].fields
    client.post(reverse("sensors:create"), sensor_form(organisation=world.org_b.pk))
    assert Sensor.objects.get().organisation == world.org_b


def test_a_zone_answers_for_its_new_outline_after_a_change():
    from port2port.sensors.models import Zone

    zone = Zone(name="Quay", outline=[[4.30, 51.30], [4.31, 51.30], [4.31, 51.31], [4.30, 51.31]])
    assert zone.contains(51.305, 4.305) and not zone.contains(51.305, 4.315)
    zone.outline = [[4.31, 51.30], [4.32, 51.30], [4.32, 51.31], [4.31, 51.31]]
    assert zone.contains(51.305, 4.315) and not zone.contains(51.305, 4.305)
    zone.outline = []
    assert not zone.contains(51.305, 4.315)
