"""The working-group actions: who may do what, what bad input says, and what the audit log keeps."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from port2port.core.models import AuditEvent
from port2port.organisations import actions as org_actions
from port2port.organisations.models import Membership
from port2port.workinggroups import actions
from port2port.workinggroups.models import ActionItem, ActionStatus, Decision, Delegate, Meeting, MeetingStatus

from .conftest import plan, soon


def field_of(error: ValidationError) -> set:
    return set(error.value.message_dict)


def test_the_owners_admin_makes_a_sharing_group_a_working_group(world):
    group = actions.appoint_coordinator(world.drugs_group, acting_user=world.admin_a, coordinator=world.police_analyst)
    group.refresh_from_db()
    assert group.is_working_group and group.coordinator == world.police_analyst
    event = AuditEvent.objects.get(action="workinggroups.coordinator.appoint")
    assert event.detail == {"coordinator": world.police_analyst.pk, "previous": None, "became_working_group": True}
    assert event.actor_id == world.admin_a.pk and event.subject_organisation_id == world.org_a.pk


def test_replacing_the_coordinator_is_audited_with_the_previous_one(space, world):
    actions.appoint_coordinator(space.group, acting_user=world.admin_a, coordinator=world.officer_a)
    event = AuditEvent.objects.filter(action="workinggroups.coordinator.appoint").latest("seq")
    assert event.detail["previous"] == world.analyst_b.pk and event.detail["became_working_group"] is False


@pytest.mark.parametrize("persona", ["analyst_a", "officer_a", "analyst_b", "outsider_c", "platform_admin"])
def test_only_the_owners_admins_appoint_a_coordinator(world, persona):
    with pytest.raises(PermissionDenied):
        actions.appoint_coordinator(world.drugs_group, acting_user=getattr(world, persona), coordinator=world.analyst_a)
    world.drugs_group.refresh_from_db()
    assert not world.drugs_group.is_working_group


@pytest.mark.parametrize("persona", ["outsider_c", "platform_admin"])
def test_the_coordinator_must_be_a_person_of_a_member_organisation(world, persona):
    with pytest.raises(ValidationError) as error:
        actions.appoint_coordinator(world.drugs_group, acting_user=world.admin_a, coordinator=getattr(world, persona))
    assert field_of(error) == {"coordinator"}
    world.drugs_group.refresh_from_db()
    assert not world.drugs_group.is_working_group and world.drugs_group.coordinator is None


def test_stopping_closes_the_space_and_keeps_the_minutes(space, world):
    actions.stop_working_group(space.group, acting_user=world.admin_a)
    assert not Meeting.objects.visible_to(world.analyst_a).exists()
    assert Meeting.objects.filter(pk=space.meeting.pk).exists()
    with pytest.raises(PermissionDenied):
        plan(space.group, world.analyst_b)


def test_the_coordinator_and_delegates_plan_meetings_and_nobody_else(space, world):
    actions.name_delegate(space.group, acting_user=world.analyst_b, person=world.police_analyst)
    assert plan(space.group, world.police_analyst, title="Delegate's meeting").pk
    for persona in ("analyst_a", "admin_a", "red_reader_b", "outsider_c", "platform_admin"):
        with pytest.raises(PermissionDenied):
            plan(space.group, getattr(world, persona))
    assert Meeting.objects.count() == 2


def test_a_delegate_may_not_name_delegates(space, world):
    actions.name_delegate(space.group, acting_user=world.analyst_b, person=world.police_analyst)
    with pytest.raises(PermissionDenied):
        actions.name_delegate(space.group, acting_user=world.police_analyst, person=world.analyst_a)
    assert Delegate.objects.count() == 1


def test_a_delegate_must_take_part_in_the_group(space, world):
    with pytest.raises(ValidationError) as error:
        actions.name_delegate(space.group, acting_user=world.analyst_b, person=world.outsider_c)
    assert field_of(error) == {"person"}
    assert not Delegate.objects.exists()


def test_removing_a_delegate_ends_their_rights(space, world):
    actions.name_delegate(space.group, acting_user=world.analyst_b, person=world.police_analyst)
    actions.remove_delegate(space.group, acting_user=world.analyst_b, person=world.police_analyst)
    with pytest.raises(PermissionDenied):
        plan(space.group, world.police_analyst)
    assert AuditEvent.objects.filter(action__in=["workinggroups.delegate.name", "workinggroups.delegate.remove"]).count() == 2


@pytest.mark.parametrize(("fields", "field"), [
    ({"title": "  "}, "title"),
    ({"online_url": "http://meet.example.org/x"}, "online_url"),
    ({"online_url": "javascript:alert(1)"}, "online_url"),
    ({"duration_minutes": 2}, "duration_minutes"),
    ({"status": "postponed"}, "status"),
    ({"starts_at": soon(), "status": MeetingStatus.HELD}, "status"),
    ({"agenda": "x" * 20_001}, "agenda"),
])
def test_bad_meeting_input_names_the_field_and_changes_nothing(space, world, fields, field):
    before = Meeting.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        plan(space.group, world.analyst_b, **fields)
    assert field in field_of(error)
    assert (Meeting.objects.count(), AuditEvent.objects.count()) == before


def test_editing_a_meeting_records_which_fields_changed(space, world):
    actions.edit_meeting(space.meeting, acting_user=world.analyst_b, minutes="New minutes", place="Ghent")
    event = AuditEvent.objects.filter(action="workinggroups.meeting.edit").latest("seq")
    assert event.detail == {"fields": ["minutes", "place"], "status": "held"}
    assert event.organisation_id == world.org_b.pk  # the coordinator acted from port B


def test_a_refused_edit_changes_nothing(space, world):
    with pytest.raises(ValidationError) as error:
        actions.edit_meeting(space.meeting, acting_user=world.analyst_b, title="", minutes="Rewritten")
    assert field_of(error) == {"title"}
    space.meeting.refresh_from_db()
    assert space.meeting.title == "Quarterly drugs meeting" and space.meeting.minutes.startswith("We agreed")


def test_nothing_is_recorded_on_a_cancelled_meeting(space, world):
    meeting = plan(space.group, world.analyst_b, title="Cancelled one", starts_at=soon(), status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError) as error:
        actions.record_decision(meeting, acting_user=world.analyst_b, text="Something")
    assert field_of(error) == {"meeting"}
    with pytest.raises(ValidationError):
        actions.assign_action_item(meeting, acting_user=world.analyst_b, title="Something", owner=world.analyst_a)
    assert Decision.objects.count() == 1 and ActionItem.objects.count() == 1


def test_a_decision_is_dated_on_the_meeting_day_unless_said(space, world):
    assert space.decision.decided_on == date(2026, 1, 15)
    other = actions.record_decision(space.meeting, acting_user=world.analyst_b, text="Later", decided_on=date(2026, 1, 20))
    assert other.decided_on == date(2026, 1, 20)


def test_an_empty_decision_names_the_text(space, world):
    with pytest.raises(ValidationError) as error:
        actions.record_decision(space.meeting, acting_user=world.analyst_b, text=" ")
    assert field_of(error) == {"text"}


@pytest.mark.parametrize("persona", ["outsider_c", "platform_admin"])
def test_an_action_belongs_to_a_person_of_a_member_organisation(space, world, persona):
    with pytest.raises(ValidationError) as error:
        actions.assign_action_item(space.meeting, acting_user=world.analyst_b, title="Check seals",
                                   owner=getattr(world, persona))
    assert field_of(error) == {"owner"}
    assert ActionItem.objects.count() == 1


def test_the_owner_of_an_action_marks_it_done_and_open_again(space, world):
    item = actions.mark_action_item(space.action, acting_user=world.analyst_a, done=True)
    assert item.status == ActionStatus.DONE and item.done_at is not None
    item = actions.mark_action_item(item, acting_user=world.analyst_a, done=False)
    assert item.status == ActionStatus.OPEN and item.done_at is None
    assert AuditEvent.objects.filter(action="workinggroups.action.mark").count() == 2


@pytest.mark.parametrize("persona", ["officer_a", "police_analyst", "admin_a", "outsider_c"])
def test_other_people_may_not_mark_an_action(space, world, persona):
    with pytest.raises(PermissionDenied):
        actions.mark_action_item(space.action, acting_user=getattr(world, persona), done=True)
    space.action.refresh_from_db()
    assert space.action.status == ActionStatus.OPEN


def test_a_coordinator_whose_organisation_leaves_the_group_runs_nothing(space, world):
    org_actions.remove_group_member(space.group, acting_user=world.admin_a, organisation=world.org_b)
    space.group.refresh_from_db()
    with pytest.raises(PermissionDenied):
        plan(space.group, world.analyst_b)
    with pytest.raises(PermissionDenied):
        actions.record_decision(space.meeting, acting_user=world.analyst_b, text="Too late")


def test_a_deactivated_coordinator_runs_nothing(space, world):
    membership = Membership.objects.get(user=world.analyst_b, organisation=world.org_b)
    org_actions.deactivate_member(membership, acting_user=world.platform_admin)
    with pytest.raises(PermissionDenied):
        plan(space.group, world.analyst_b)


def test_the_audit_chain_verifies_after_the_workinggroup_actions(space, world):
    from port2port.core.audit import verify_chain

    actions.edit_meeting(space.meeting, acting_user=world.analyst_b, minutes="Final")
    assert verify_chain().ok
