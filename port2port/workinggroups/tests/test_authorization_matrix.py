"""The authorization matrix: personas × item kinds (space, meeting, decision, action, calendar
file) × read channels (web, API).

The people of the group's member organisations (port A, port B, the police) read everything;
everyone else, the platform admin included, gets a 404 whose body is byte for byte the one for
an id that does not exist (anonymous visitors: the login redirect, or the API's 401). When an
organisation leaves the group, its people get that 404 at the very next request.
"""

import pytest
from django.test import Client

from port2port.organisations import actions as org_actions

from .helpers import MISSING

PERSONAS = ["analyst_a", "admin_a", "officer_a", "analyst_b", "red_reader_b", "police_analyst", "outsider_c",
            "platform_admin", "anonymous"]
MEMBERS = {"analyst_a", "admin_a", "officer_a", "analyst_b", "red_reader_b", "police_analyst"}

# kind -> channel -> (URL template, what a reader finds in the body)
CHANNELS = {
    "space": {"web": ("/working-groups/{g}/", b"Pilot RF drone detection"),
              "api": ("/api/v1/working-groups/{g}", b"Quarterly drugs meeting")},
    "meeting": {"web": ("/working-groups/meetings/{m}/", b"We agreed on identity-based release"),
                "api": ("/api/v1/working-groups/meetings/{m}", b"We agreed on identity-based release")},
    "decision": {"web": ("/working-groups/meetings/{m}/", b"Adopt identity-based container release"),
                 "api": ("/api/v1/working-groups/decisions/{d}", b"Adopt identity-based container release")},
    "action": {"web": ("/working-groups/{g}/", b"Pilot RF drone detection"),
               "api": ("/api/v1/working-groups/actions/{a}", b"Pilot RF drone detection")},
    "calendar": {"web": ("/working-groups/meetings/{m}/meeting.ics", b"BEGIN:VEVENT"),
                 "api": ("/api/v1/working-groups/meetings/{m}/calendar", b"BEGIN:VEVENT")},
}


def client_of(world, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


def ids_of(space) -> dict:
    return {"g": space.group.pk, "m": space.meeting.pk, "d": space.decision.pk, "a": space.action.pk}


def assert_same_as_missing(response, missing, where):
    assert response.status_code == missing.status_code, (where, response.status_code, missing.status_code)
    assert response.status_code in (302, 401, 404), where
    if response.status_code == 302:
        assert response["Location"].split("?")[0] == missing["Location"].split("?")[0], where
    else:
        assert response.content == missing.content, where


def check_everything(world, space, subtests, readers):
    present, missing = ids_of(space), dict.fromkeys(ids_of(space), MISSING)
    for persona in PERSONAS:
        client = client_of(world, persona)
        for kind, channels in CHANNELS.items():
            for channel, (url, marker) in channels.items():
                with subtests.test(persona=persona, kind=kind, channel=channel):
                    response = client.get(url.format(**present))
                    if persona in readers:
                        assert response.status_code == 200, (persona, kind, channel, response.status_code)
                        assert marker in response.content, (persona, kind, channel)
                    else:
                        assert_same_as_missing(response, client.get(url.format(**missing)), (persona, kind, channel))


def test_every_persona_reads_exactly_what_the_group_gives(world, space, subtests):
    check_everything(world, space, subtests, MEMBERS)


def test_leaving_the_group_loses_the_space_at_once(world, space, subtests):
    org_actions.remove_group_member(space.group, acting_user=world.admin_a, organisation=world.org_b)
    check_everything(world, space, subtests, MEMBERS - {"analyst_b", "red_reader_b"})


def test_joining_the_group_opens_the_space_at_once(world, space, subtests):
    org_actions.add_group_member(space.group, acting_user=world.admin_a, organisation=world.org_c)
    check_everything(world, space, subtests, MEMBERS | {"outsider_c"})


def test_a_stopped_working_group_has_no_space_left(world, space, subtests):
    from port2port.workinggroups import actions

    actions.stop_working_group(space.group, acting_user=world.admin_a)
    check_everything(world, space, subtests, set())


@pytest.mark.parametrize("persona", ["analyst_b", "red_reader_b"])
def test_a_persons_open_page_is_gone_on_the_next_request(world, space, persona):
    client = client_of(world, persona)
    assert client.get(f"/working-groups/meetings/{space.meeting.pk}/").status_code == 200
    org_actions.remove_group_member(space.group, acting_user=world.admin_a, organisation=world.org_b)
    assert client.get(f"/working-groups/meetings/{space.meeting.pk}/").status_code == 404
    assert client.get(f"/api/v1/working-groups/meetings/{space.meeting.pk}").status_code == 404
    assert client.get("/api/v1/working-groups").json() == []
