"""The working-group pages: what each persona sees and may do, bad input, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience, Tlp
from port2port.knowledge import actions as knowledge_actions
from port2port.workinggroups import actions
from port2port.workinggroups.models import ActionItem, ActionStatus, Decision, Delegate, Meeting

from .conftest import plan, soon
from .helpers import MISSING


def meeting_form(**overrides) -> dict:
    return {"title": "Drone detection at critical quays", "starts_at": soon().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "90", "place": "Zeebrugge", "online_url": "", "status": "planned",
            "agenda": "1. RF detection pilots", "minutes": "", **overrides}


# --- The list ---------------------------------------------------------------------------------------

def test_the_index_lists_my_working_groups_with_their_coordinator(space, world, client_for):
    page = client_for(world.police_analyst).get("/working-groups/")
    assert page.status_code == 200
    assert f'href="/working-groups/{space.group.pk}/"'.encode() in page.content
    assert b"Bart Analyst" in page.content


def test_network_members_see_other_working_groups_by_name_only(space, world, client_for):
    from port2port.organisations import actions as org_actions

    org_actions.remove_group_member(space.group, acting_user=world.admin_a, organisation=world.org_b)
    page = client_for(world.red_reader_b).get("/working-groups/")
    assert b"Drugs" in page.content and b"Other working groups" in page.content
    assert f'href="/working-groups/{space.group.pk}/"'.encode() not in page.content


@pytest.mark.parametrize("persona", ["outsider_c", "platform_admin"])
def test_people_outside_the_network_do_not_learn_of_working_groups(space, world, client_for, persona):
    page = client_for(getattr(world, persona)).get("/working-groups/")
    assert page.status_code == 200
    assert b"Drugs" not in page.content and b"Bart Analyst" not in page.content


def test_the_owners_admin_is_offered_to_make_a_group_a_working_group(world, client_for):
    page = client_for(world.admin_a).get("/working-groups/")
    assert f"/working-groups/{world.drugs_group.pk}/coordinator/".encode() in page.content


# --- The space ------------------------------------------------------------------------------------

def test_the_space_shows_meetings_actions_and_articles_to_a_member(space, world, client_for):
    knowledge_actions.write_article(
        acting_user=world.analyst_a, organisation=world.org_a, share_now=True,
        marking={"tlp": Tlp.AMBER, "audience": Audience.GROUP, "sharing_group": space.group},
        title="Identity-based container release", body="Replace PIN codes.", theme="inspections")
    upcoming = plan(space.group, world.analyst_b, title="Spring meeting", starts_at=soon())
    page = client_for(world.analyst_a).get(f"/working-groups/{space.group.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert upcoming.title in body and space.meeting.title in body
    assert "Pilot RF drone detection" in body and "wg-mine" in body  # analyst A's own action, highlighted
    assert "Identity-based container release" in body
    assert "Plan a meeting" not in body  # a member who does not run the group


def test_the_space_hides_articles_of_the_group_the_reader_may_not_read(space, world, client_for):
    knowledge_actions.write_article(acting_user=world.analyst_a, organisation=world.org_a, share_now=False,
                                    marking={"tlp": Tlp.AMBER, "audience": Audience.GROUP, "sharing_group": space.group},
                                    title="Draft on quokka smuggling", body="Not yet.", theme="inspections")
    page = client_for(world.police_analyst).get(f"/working-groups/{space.group.pk}/")
    assert b"Draft on quokka" not in page.content


def test_someone_elses_action_is_not_highlighted(space, world, client_for):
    page = client_for(world.police_analyst).get(f"/working-groups/{space.group.pk}/")
    assert b"wg-mine" not in page.content and b"Mark done" not in page.content


def test_the_coordinator_sees_the_controls(space, world, client_for):
    page = client_for(world.analyst_b).get(f"/working-groups/{space.group.pk}/")
    assert b"Plan a meeting" in page.content and b"Name a delegate" in page.content and b"Mark done" in page.content


@pytest.mark.parametrize("path", ["/working-groups/{g}/", "/working-groups/meetings/{m}/",
                                  "/working-groups/meetings/{m}/meeting.ics", "/working-groups/{g}/coordinator/"])
@pytest.mark.parametrize("persona", ["outsider_c", "platform_admin"])
def test_outsiders_get_the_same_404_as_for_nothing(space, world, client_for, persona, path):
    client = client_for(getattr(world, persona))
    response = client.get(path.format(g=space.group.pk, m=space.meeting.pk))
    missing = client.get(path.format(g=MISSING, m=MISSING))
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content


def test_the_space_answers_in_a_fixed_number_of_queries(space, world, client_for, django_assert_max_num_queries):
    for number in range(6):
        meeting = plan(space.group, world.analyst_b, title=f"Meeting {number}", starts_at=soon(number + 1))
        actions.assign_action_item(meeting, acting_user=world.analyst_b, title=f"Action {number}", owner=world.police_analyst)
        actions.record_decision(meeting, acting_user=world.analyst_b, text=f"Decision {number}")
    client = client_for(world.analyst_a)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/working-groups/{space.group.pk}/")
    for number in range(6, 12):
        meeting = plan(space.group, world.analyst_b, title=f"Meeting {number}", starts_at=soon(number + 1))
        actions.assign_action_item(meeting, acting_user=world.analyst_b, title=f"Action {number}", owner=world.officer_a)
    with django_assert_max_num_queries(len(few)):
        page = client.get(f"/working-groups/{space.group.pk}/")
    assert page.status_code == 200 and b"Action 11" in page.content
    assert len(few) <= 25


def test_the_index_answers_in_a_fixed_number_of_queries(space, world, client_for, django_assert_max_num_queries):
    from port2port.organisations import actions as org_actions

    client = client_for(world.admin_a)
    with CaptureQueriesContext(connection) as few:
        client.get("/working-groups/")
    for number in range(4):
        group = org_actions.create_sharing_group(acting_user=world.admin_a, owner=world.org_a, name=f"Group {number}",
                                                 members=[world.org_b])
        actions.appoint_coordinator(group, acting_user=world.admin_a, coordinator=world.analyst_b)
    with django_assert_max_num_queries(len(few)):
        page = client.get("/working-groups/")
    assert b"Group 3" in page.content


# --- The meeting page and its calendar file ------------------------------------------------------------

def test_the_meeting_page_renders_the_minutes_as_sanitised_markdown(space, world, client_for):
    actions.edit_meeting(space.meeting, acting_user=world.analyst_b,
                         minutes="**Agreed**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))")
    body = client_for(world.police_analyst).get(f"/working-groups/meetings/{space.meeting.pk}/").content.decode()
    assert "<strong>Agreed</strong>" in body
    assert "<script>alert(1)" not in body
    assert 'href="javascript' not in body
    assert "Adopt identity-based container release" in body


def test_the_calendar_file_carries_a_title_and_a_link_not_the_minutes(space, world, client_for):
    from icalendar import Calendar

    response = client_for(world.police_analyst).get(f"/working-groups/meetings/{space.meeting.pk}/meeting.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"] and "attachment" in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Drugs: Quarterly drugs meeting"
    assert (event.decoded("DTEND") - event.decoded("DTSTART")).total_seconds() == 90 * 60
    assert str(event["LOCATION"]) == "Antwerp, Havenhuis"
    assert f"/working-groups/meetings/{space.meeting.pk}/" in str(event["URL"])
    assert b"identity-based" not in response.content and b"Quokka" not in response.content


# --- Writes: coordinator only, 403 for members, 404 for outsiders ------------------------------------

def writes(space, world):
    """Every form post of the space, with valid data."""
    g, m, a = space.group.pk, space.meeting.pk, space.action.pk
    return {
        "plan": (f"/working-groups/{g}/meetings/new/", meeting_form()),
        "edit": (f"/working-groups/meetings/{m}/edit/", meeting_form(starts_at="2026-01-15T10:30", status="held")),
        "decide": (f"/working-groups/meetings/{m}/decisions/", {"text": "Pilot at two quays", "decided_on": ""}),
        "act": (f"/working-groups/meetings/{m}/actions/", {"title": "Write it up", "owner": world.officer_a.pk, "due_on": ""}),
        "delegate": (f"/working-groups/{g}/delegates/", {"person": world.police_analyst.pk}),
        "mark": (f"/working-groups/actions/{a}/mark/", {"status": "done"}),
    }


def counts():
    return (Meeting.objects.count(), Decision.objects.count(), ActionItem.objects.count(), Delegate.objects.count(),
            ActionItem.objects.filter(status=ActionStatus.DONE).count(), AuditEvent.objects.count())


@pytest.mark.parametrize("write", ["plan", "edit", "decide", "act", "delegate", "mark"])
def test_members_who_do_not_run_the_group_get_403_and_nothing_changes(space, world, client_for, write):
    url, data = writes(space, world)[write]
    client = client_for(world.police_analyst)
    before = counts()
    response = client.post(url, data)
    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize("write", ["plan", "edit", "decide", "act", "delegate", "mark"])
@pytest.mark.parametrize("persona", ["outsider_c", "platform_admin"])
def test_outsiders_who_post_get_404_and_nothing_changes(space, world, client_for, write, persona):
    url, data = writes(space, world)[write]
    client = client_for(getattr(world, persona))
    before = counts()
    assert client.post(url, data).status_code == 404
    assert counts() == before


@pytest.mark.parametrize("write", ["plan", "edit", "decide", "act", "delegate", "mark"])
def test_the_coordinator_writes(space, world, client_for, write):
    url, data = writes(space, world)[write]
    response = client_for(world.analyst_b).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_owner_of_an_action_marks_it_done_from_the_space(space, world, client_for):
    response = client_for(world.analyst_a).post(f"/working-groups/actions/{space.action.pk}/mark/",
                                                {"status": "done", "back": "space"})
    assert response.status_code == 302 and response["Location"] == f"/working-groups/{space.group.pk}/"
    space.action.refresh_from_db()
    assert space.action.status == ActionStatus.DONE


def test_a_member_who_is_not_the_owners_admin_gets_403_on_the_coordinator_page(space, world, client_for):
    assert client_for(world.analyst_b).get(f"/working-groups/{space.group.pk}/coordinator/").status_code == 403
    response = client_for(world.analyst_b).post(f"/working-groups/{space.group.pk}/coordinator/",
                                               {"coordinator": world.analyst_b.pk})
    assert response.status_code == 403


def test_the_owners_admin_makes_a_working_group_from_the_page(world, client_for):
    response = client_for(world.admin_a).post(f"/working-groups/{world.drugs_group.pk}/coordinator/",
                                              {"coordinator": world.police_analyst.pk})
    assert response.status_code == 302
    world.drugs_group.refresh_from_db()
    assert world.drugs_group.is_working_group and world.drugs_group.coordinator == world.police_analyst


# --- Bad input names the field and changes nothing -----------------------------------------------------

BAD_MEETINGS = [
    ({"title": ""}, "title"),
    ({"starts_at": "next tuesday"}, "starts_at"),
    ({"duration_minutes": "0"}, "duration_minutes"),
    ({"online_url": "http://meet.example.org"}, "online_url"),
    ({"status": "held"}, "status"),  # a meeting two weeks ahead has not been held
    ({"status": "postponed"}, "status"),
]


@pytest.mark.parametrize(("change", "field"), BAD_MEETINGS, ids=[f for _, f in BAD_MEETINGS])
def test_a_bad_meeting_form_names_the_field(space, world, client_for, change, field):
    client = client_for(world.analyst_b)
    before = counts()
    response = client.post(f"/working-groups/{space.group.pk}/meetings/new/", meeting_form(**change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="field-{field}"'.encode() in response.content
    assert counts() == before


def test_a_bad_meeting_edit_names_the_field(space, world, client_for):
    client = client_for(world.analyst_b)
    before = counts()
    response = client.post(f"/working-groups/meetings/{space.meeting.pk}/edit/",
                                               meeting_form(online_url="ftp://x"))
    assert response.status_code == 400 and "online_url" in response.context["form"].errors
    assert counts() == before


@pytest.mark.parametrize(("url", "data", "form", "field"), [
    ("decisions", {"text": ""}, "decision_form", "text"),
    ("decisions", {"text": "Fine", "decided_on": "yesterday"}, "decision_form", "decided_on"),
    ("actions", {"title": "", "owner": "x"}, "action_form", "title"),
    ("actions", {"title": "Check seals", "owner": "{outsider}"}, "action_form", "owner"),
    ("actions", {"title": "Check seals", "owner": "{analyst}", "due_on": "31/02/2026"}, "action_form", "due_on"),
])
def test_bad_decisions_and_actions_name_the_field(space, world, client_for, url, data, form, field):
    data = {key: value.format(outsider=world.outsider_c.pk, analyst=world.analyst_a.pk) for key, value in data.items()}
    client = client_for(world.analyst_b)
    before = counts()
    response = client.post(f"/working-groups/meetings/{space.meeting.pk}/{url}/", data)
    assert response.status_code == 400
    assert field in response.context[form].errors
    assert counts() == before


def test_a_bad_delegate_names_the_person(space, world, client_for):
    client = client_for(world.analyst_b)
    before = counts()
    response = client.post(f"/working-groups/{space.group.pk}/delegates/",
                                               {"person": world.outsider_c.pk})
    assert response.status_code == 400 and "person" in response.context["delegate_form"].errors
    assert counts() == before


def test_a_bad_coordinator_names_the_field(world, client_for):
    response = client_for(world.admin_a).post(f"/working-groups/{world.drugs_group.pk}/coordinator/",
                                              {"coordinator": world.outsider_c.pk})
    assert response.status_code == 400 and "coordinator" in response.context["form"].errors
    world.drugs_group.refresh_from_db()
    assert not world.drugs_group.is_working_group


def test_the_space_lists_the_measures_the_group_discusses(space, world, client_for):
    from port2port.measures import actions as measure_actions

    measure_actions.propose_measure(acting_user=world.officer_a, organisation=world.org_a, working_group=space.group,
                                    title="Identity-based container release", description="No more PIN codes.",
                                    theme="inspections")
    measure_actions.propose_measure(acting_user=world.officer_a, organisation=world.org_a,
                                    title="Quokka-proof fences", description="Not placed in a group.", theme="inspections")
    body = client_for(world.police_analyst).get(f"/working-groups/{space.group.pk}/").content.decode()
    assert "Identity-based container release" in body
    assert "Quokka-proof fences" not in body
