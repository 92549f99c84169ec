"""The working-groups API: reads for members, 404 for everyone else, writes for the coordinator,
bad input named field by field."""

import pytest

from port2port.core.models import AuditEvent
from port2port.organisations.models import ApiKeyScope
from port2port.workinggroups import actions
from port2port.workinggroups.models import ActionItem, Decision, Delegate, Meeting

from .conftest import plan, soon
from .helpers import MISSING, Api, api_key, bad_fields


def meeting_body(**overrides) -> dict:
    return {"title": "Drone detection at critical quays", "starts_at": soon().isoformat(), "place": "Zeebrugge",
            "agenda": "1. RF pilots", **overrides}


def counts():
    return (Meeting.objects.count(), Decision.objects.count(), ActionItem.objects.count(), Delegate.objects.count(),
            AuditEvent.objects.filter(action__startswith="workinggroups.").count())


def test_a_member_lists_the_groups_they_are_in(space, world):
    groups = Api(world.police_analyst).get("/working-groups").json()
    assert [group["name"] for group in groups] == ["Drugs"]
    assert groups[0]["coordinator"]["name"] == "Bart Analyst"
    assert {org["name"] for org in groups[0]["members"]} == {"Port A", "Port B", "Police Directorate"}


@pytest.mark.parametrize("persona", ["outsider_c", "platform_admin"])
def test_outsiders_list_no_group_and_see_no_directory(space, world, persona):
    api = Api(getattr(world, persona))
    assert api.get("/working-groups").json() == []
    assert api.get("/working-groups/directory").json() == []


def test_the_directory_names_groups_without_opening_them(space, world):
    from port2port.organisations import actions as org_actions

    org_actions.remove_group_member(space.group, acting_user=world.admin_a, organisation=world.org_b)
    api = Api(world.red_reader_b)
    assert [group["name"] for group in api.get("/working-groups/directory").json()] == ["Drugs"]
    assert api.get(f"/working-groups/{space.group.pk}").status_code == 404


def test_the_space_holds_meetings_actions_articles_and_measures(space, world):
    upcoming = plan(space.group, world.analyst_b, title="Spring meeting", starts_at=soon())
    body = Api(world.analyst_a).get(f"/working-groups/{space.group.pk}").json()
    assert [m["id"] for m in body["upcoming_meetings"]] == [upcoming.pk]
    assert [m["id"] for m in body["past_meetings"]] == [space.meeting.pk]
    assert [a["id"] for a in body["open_actions"]] == [space.action.pk]
    assert body["articles"] == [] and body["measures"] == [] and body["delegates"] == []


def test_a_meeting_reads_with_its_decisions_and_actions(space, world):
    body = Api(world.police_analyst).get(f"/working-groups/meetings/{space.meeting.pk}").json()
    assert body["minutes"].startswith("We agreed") and body["status"] == "held"
    assert [d["text"] for d in body["decisions"]] == [space.decision.text]
    assert [a["owner"]["name"] for a in body["action_items"]] == ["Arne Analyst"]


def test_meetings_come_in_pages_latest_first(space, world):
    for number in range(4):
        plan(space.group, world.analyst_b, title=f"Meeting {number}", starts_at=soon(number + 1))
    api = Api(world.analyst_a)
    first = api.get(f"/working-groups/{space.group.pk}/meetings", {"limit": 3}).json()
    second = api.get(f"/working-groups/{space.group.pk}/meetings", {"limit": 3, "cursor": first["next_cursor"]}).json()
    titles = [m["title"] for m in first["items"] + second["items"]]
    assert titles == ["Meeting 3", "Meeting 2", "Meeting 1", "Meeting 0", "Quarterly drugs meeting"]
    assert second["next_cursor"] is None


def test_a_forged_cursor_names_the_cursor(space, world):
    response = Api(world.analyst_a).get(f"/working-groups/{space.group.pk}/meetings", {"cursor": "forged"})
    assert response.status_code == 422 and bad_fields(response) == {"cursor"}


def test_my_open_actions(space, world):
    actions.assign_action_item(space.meeting, acting_user=world.analyst_b, title="Someone else's", owner=world.police_analyst)
    mine = Api(world.analyst_a).get(f"/working-groups/{space.group.pk}/actions", {"status": "open", "mine": "true"}).json()
    assert [item["title"] for item in mine] == ["Pilot RF drone detection at two quays"]


def test_the_calendar_file_through_the_api(space, world):
    response = Api(world.analyst_a).get(f"/working-groups/meetings/{space.meeting.pk}/calendar")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content and b"We agreed" not in response.content


# --- Writes ------------------------------------------------------------------------------------------

def test_the_coordinator_plans_edits_and_records(space, world):
    api = Api(world.analyst_b)
    created = api.post(f"/working-groups/{space.group.pk}/meetings", meeting_body())
    assert created.status_code == 201, created.content
    meeting_id = created.json()["id"]
    edited = api.patch(f"/working-groups/meetings/{meeting_id}", {"status": "cancelled"})
    assert edited.status_code == 200 and edited.json()["status"] == "cancelled"
    decision = api.post(f"/working-groups/meetings/{space.meeting.pk}/decisions", {"text": "Pilot at two quays"})
    assert decision.status_code == 201 and decision.json()["decided_on"] == "2026-01-15"
    action = api.post(f"/working-groups/meetings/{space.meeting.pk}/actions",
                      {"title": "Write the pilot plan", "owner": world.officer_a.pk, "due_on": "2026-05-01"})
    assert action.status_code == 201 and action.json()["owner"]["name"] == "Olga Officer"


def test_the_owner_of_an_action_marks_it_done(space, world):
    response = Api(world.analyst_a).patch(f"/working-groups/actions/{space.action.pk}", {"status": "done"})
    assert response.status_code == 200 and response.json()["status"] == "done" and response.json()["done_at"]


def test_the_owners_admin_appoints_and_the_coordinator_names_delegates(space, world):
    response = Api(world.admin_a).put(f"/working-groups/{space.group.pk}/coordinator", {"coordinator": world.police_analyst.pk})
    assert response.status_code == 200 and response.json()["coordinator"]["name"] == "Paula Police"
    api = Api(world.police_analyst)
    assert api.post(f"/working-groups/{space.group.pk}/delegates", {"person": world.officer_a.pk}).status_code == 201
    assert Delegate.objects.filter(user=world.officer_a).exists()
    assert api.delete(f"/working-groups/{space.group.pk}/delegates/{world.officer_a.pk}").status_code == 204
    assert not Delegate.objects.exists()


def api_writes(space, world) -> dict:
    g, m, a = space.group.pk, space.meeting.pk, space.action.pk
    return {
        "plan": ("post", f"/working-groups/{g}/meetings", meeting_body()),
        "edit": ("patch", f"/working-groups/meetings/{m}", {"minutes": "Rewritten"}),
        "decide": ("post", f"/working-groups/meetings/{m}/decisions", {"text": "Something"}),
        "act": ("post", f"/working-groups/meetings/{m}/actions", {"title": "Something", "owner": world.officer_a.pk}),
        "delegate": ("post", f"/working-groups/{g}/delegates", {"person": world.officer_a.pk}),
        "undelegate": ("delete", f"/working-groups/{g}/delegates/{world.police_analyst.pk}", None),
        "mark": ("patch", f"/working-groups/actions/{a}", {"status": "done"}),
        "appoint": ("put", f"/working-groups/{g}/coordinator", {"coordinator": world.police_analyst.pk}),
    }


def send(api, method, path, body):
    return api.delete(path) if method == "delete" else getattr(api, method)(path, body)


WRITES = ["plan", "edit", "decide", "act", "delegate", "undelegate", "mark", "appoint"]


@pytest.mark.parametrize("write", WRITES)
def test_members_who_do_not_run_the_group_get_403(space, world, write):
    actions.name_delegate(space.group, acting_user=world.analyst_b, person=world.police_analyst)
    method, path, body = api_writes(space, world)[write]
    api = Api(world.red_reader_b)
    before = counts()
    response = send(api, method, path, body)
    assert response.status_code == 403, response.content
    assert counts() == before


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("persona", ["outsider_c", "platform_admin"])
def test_outsiders_get_404_on_every_write(space, world, write, persona):
    method, path, body = api_writes(space, world)[write]
    api = Api(getattr(world, persona))
    before = counts()
    response = send(api, method, path, body)
    assert response.status_code == 404, response.content
    assert response.json() == {"type": "about:blank", "title": "Not found", "status": 404}
    assert counts() == before


READS = ["/working-groups/{g}", "/working-groups/{g}/meetings", "/working-groups/{g}/actions",
         "/working-groups/meetings/{m}", "/working-groups/meetings/{m}/calendar", "/working-groups/meetings/{m}/decisions",
         "/working-groups/meetings/{m}/actions", "/working-groups/decisions/{d}", "/working-groups/actions/{a}"]


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("persona", ["outsider_c", "platform_admin"])
def test_outsiders_get_the_same_404_as_for_nothing_on_every_read(space, world, path, persona):
    api = Api(getattr(world, persona))
    ids = {"g": space.group.pk, "m": space.meeting.pk, "d": space.decision.pk, "a": space.action.pk}
    response = api.get(path.format(**ids))
    missing = api.get(path.format(**dict.fromkeys(ids, MISSING)))
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content


def test_an_api_key_of_an_organisation_outside_the_group_reads_nothing(space, world):
    # Port A's admin is also in port C (a second membership): a key of port C acts for port C only.
    from port2port.core.permissions import Role
    from port2port.organisations import actions as org_actions

    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_c, user=world.admin_a, role=Role.ORG_ADMIN)
    token = api_key(world, organisation=world.org_c)
    assert Api(token=token).get(f"/working-groups/{space.group.pk}").status_code == 404
    assert Api(token=api_key(world)).get(f"/working-groups/{space.group.pk}").status_code == 200


def test_a_read_only_key_writes_nothing(space, world):
    token = api_key(world, scope=ApiKeyScope.READ, creator=world.admin_a)
    response = Api(token=token).patch(f"/working-groups/actions/{space.action.pk}", {"status": "done"})
    assert response.status_code == 403


# --- Bad input ---------------------------------------------------------------------------------------

BAD_MEETINGS = [
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"starts_at": "2026-05-01T10:00:00"}, "starts_at"),  # no time zone
    ({"starts_at": "soon"}, "starts_at"),
    ({"duration_minutes": 0}, "duration_minutes"),
    ({"online_url": "http://meet.example.org"}, "online_url"),
    ({"status": "held"}, "status"),  # in the future
    ({"status": "postponed"}, "status"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("change", "field"), BAD_MEETINGS, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_MEETINGS)])
def test_a_bad_meeting_names_the_field_and_changes_nothing(space, world, change, field):
    api = Api(world.analyst_b)
    before = counts()
    response = api.post(f"/working-groups/{space.group.pk}/meetings", meeting_body(**change))
    assert response.status_code == 422, response.content
    assert field in bad_fields(response)
    assert counts() == before


@pytest.mark.parametrize(("path", "body", "field"), [
    ("decisions", {"text": ""}, "text"),
    ("decisions", {"text": "Fine", "decided_on": "someday"}, "decided_on"),
    ("actions", {"title": "Check seals"}, "owner"),
    ("actions", {"title": "Check seals", "owner": "{outsider}"}, "owner"),
    ("actions", {"title": "Check seals", "owner": MISSING}, "owner"),
    ("actions", {"title": "", "owner": "{analyst}"}, "title"),
    ("actions", {"title": "Check seals", "owner": "{analyst}", "due_on": "2026-02-31"}, "due_on"),
])
def test_bad_decisions_and_actions_name_the_field(space, world, path, body, field):
    body = {key: (int(value.format(outsider=world.outsider_c.pk, analyst=world.analyst_a.pk))
                  if isinstance(value, str) and value.startswith("{") else value) for key, value in body.items()}
    api = Api(world.analyst_b)
    before = counts()
    response = api.post(f"/working-groups/meetings/{space.meeting.pk}/{path}", body)
    assert response.status_code == 422, response.content
    assert bad_fields(response) == {field}
    assert counts() == before


def test_an_unknown_and_an_out_of_reach_person_get_the_same_answer(space, world):
    api = Api(world.admin_a)
    outsider = api.put(f"/working-groups/{space.group.pk}/coordinator", {"coordinator": world.outsider_c.pk})
    unknown = api.put(f"/working-groups/{space.group.pk}/coordinator", {"coordinator": MISSING})
    assert outsider.status_code == unknown.status_code == 422
    assert outsider.content == unknown.content and bad_fields(outsider) == {"coordinator"}


def test_a_bad_action_status_names_the_status(space, world):
    response = Api(world.analyst_a).patch(f"/working-groups/actions/{space.action.pk}", {"status": "finished"})
    assert response.status_code == 422 and bad_fields(response) == {"status"}
