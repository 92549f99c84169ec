"""Seats, the waiting list, attendance, feedback and campaigns, through the actions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience, Tlp
from port2port.training import actions
from port2port.training.models import Attendance, Participation, Registration, RegistrationStatus, Training

from .helpers import launch, schedule, start


def test_it_gives_seats_in_order_then_a_waiting_list(world):
    training = schedule(world, capacity=2)
    first = actions.register(training, acting_user=world.analyst_a)
    second = actions.register(training, acting_user=world.analyst_b)
    third = actions.register(training, acting_user=world.police_analyst)
    assert [first.status, second.status, third.status] == ["registered", "registered", "waiting"]
    assert first.organisation == world.org_a and second.organisation == world.org_b


def test_a_cancelled_seat_goes_to_the_first_person_waiting(world):
    training = schedule(world, capacity=1)
    holder = actions.register(training, acting_user=world.analyst_a)
    waiting_first = actions.register(training, acting_user=world.analyst_b)
    waiting_second = actions.register(training, acting_user=world.police_analyst)
    actions.cancel_registration(holder, acting_user=world.analyst_a)
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {holder.pk: "cancelled", waiting_first.pk: "registered", waiting_second.pk: "waiting"}
    assert AuditEvent.objects.filter(action="training.registration.cancel", detail__promoted=[waiting_first.pk]).exists()


def test_more_seats_let_the_waiting_list_in(world):
    training = schedule(world, capacity=1)
    actions.register(training, acting_user=world.analyst_a)
    waiting = actions.register(training, acting_user=world.analyst_b)
    actions.edit_training(training, acting_user=world.officer_a, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_it_refuses_fewer_seats_than_people_holding_one(world):
    training = schedule(world, capacity=2)
    actions.register(training, acting_user=world.analyst_a)
    actions.register(training, acting_user=world.analyst_b)
    with pytest.raises(ValidationError) as error:
        actions.edit_training(training, acting_user=world.officer_a, capacity=1)
    assert "capacity" in error.value.message_dict
    assert Training.objects.get(pk=training.pk).capacity == 2


def test_a_person_registers_once_and_may_come_back_after_cancelling(world):
    training = schedule(world)
    registration = actions.register(training, acting_user=world.analyst_b)
    with pytest.raises(ValidationError) as error:
        actions.register(training, acting_user=world.analyst_b)
    assert "person" in error.value.message_dict
    actions.cancel_registration(registration, acting_user=world.analyst_b)
    again = actions.register(training, acting_user=world.analyst_b)
    assert again.pk == registration.pk and again.status == RegistrationStatus.REGISTERED


def test_an_organiser_registers_members_of_their_own_organisation_only(world):
    training = schedule(world)
    colleague = actions.register(training, acting_user=world.officer_a, person=world.analyst_a)
    assert colleague.registered_by == world.officer_a and colleague.organisation == world.org_a
    # The same answer as for an unknown person: registering is no account directory.
    for acting_user, person in ((world.officer_a, world.analyst_b), (world.analyst_a, world.officer_a)):
        with pytest.raises(ValidationError) as error:
            actions.register(training, acting_user=acting_user, person=person)
        assert error.value.message_dict == {"person": ["This training is not open to this person."]}
    assert Registration.objects.count() == 1


def test_a_person_the_training_does_not_reach_cannot_be_registered(world):
    training = schedule(world, audience=Audience.OWNER)
    with pytest.raises(ValidationError) as error:
        actions.register(training, acting_user=world.analyst_b)
    assert "person" in error.value.message_dict
    assert not Registration.objects.exists()


def test_registration_closes_at_the_start_and_on_cancellation(world):
    started = start(schedule(world))
    with pytest.raises(ValidationError) as error:
        actions.register(started, acting_user=world.analyst_a)
    assert "training" in error.value.message_dict
    cancelled = actions.cancel_training(schedule(world), acting_user=world.officer_a)
    with pytest.raises(ValidationError):
        actions.register(cancelled, acting_user=world.analyst_a)
    assert not Registration.objects.exists()
    assert cancelled.sequence == 1


def test_attendance_is_recorded_by_the_organiser_after_the_start(world):
    training = schedule(world)
    seat = actions.register(training, acting_user=world.analyst_b)
    with pytest.raises(ValidationError) as error:
        actions.mark_attendance(seat, acting_user=world.officer_a, attended=True)
    assert "attendance" in error.value.message_dict
    start(training)
    seat.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.mark_attendance(seat, acting_user=world.analyst_b, attended=True)
    actions.mark_attendance(seat, acting_user=world.officer_a, attended=False)
    assert Registration.objects.get(pk=seat.pk).attendance == Attendance.NO_SHOW


def test_people_on_the_waiting_list_are_not_marked_present(world):
    training = schedule(world, capacity=1)
    actions.register(training, acting_user=world.analyst_a)
    waiting = actions.register(training, acting_user=world.analyst_b)
    start(training)
    waiting.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.mark_attendance(waiting, acting_user=world.officer_a, attended=True)
    assert Registration.objects.get(pk=waiting.pk).attendance == ""


def test_only_attendees_give_feedback_and_only_from_one_to_five(world):
    training = schedule(world)
    came = actions.register(training, acting_user=world.analyst_b)
    stayed_away = actions.register(training, acting_user=world.police_analyst)
    start(training)
    came.refresh_from_db()
    stayed_away.refresh_from_db()
    actions.mark_attendance(came, acting_user=world.officer_a, attended=True)
    actions.mark_attendance(stayed_away, acting_user=world.officer_a, attended=False)
    came.refresh_from_db()
    stayed_away.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.give_feedback(stayed_away, acting_user=world.police_analyst, rating=4)
    with pytest.raises(PermissionDenied):
        actions.give_feedback(came, acting_user=world.officer_a, rating=4)
    with pytest.raises(ValidationError) as error:
        actions.give_feedback(came, acting_user=world.analyst_b, rating=6)
    assert "rating" in error.value.message_dict
    actions.give_feedback(came, acting_user=world.analyst_b, rating=4, comment="Good scenario.")
    feedback = actions.give_feedback(came, acting_user=world.analyst_b, rating=5)
    assert feedback.rating == 5 and type(feedback).objects.count() == 1


@pytest.mark.parametrize("bad, field", [
    ({"title": ""}, "title"),
    ({"capacity": 0}, "capacity"),
    ({"online_url": "not a link"}, "online_url"),
    ({"ends_at": timezone.now() - timedelta(days=400)}, "__all__"),
    ({"tlp": Tlp.RED}, "tlp"),
    ({"tlp": Tlp.AMBER_STRICT}, "tlp"),
    ({"audience": Audience.PUBLIC, "tlp": Tlp.CLEAR}, "tlp"),
    ({"audience": Audience.PEOPLE}, "audience"),
    ({"audience": Audience.ORGANISATIONS}, "recipient_orgs"),
])
def test_bad_input_names_the_field_and_changes_nothing(world, bad, field):
    before = (Training.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        schedule(world, **bad)
    assert field in error.value.message_dict
    assert (Training.objects.count(), AuditEvent.objects.count()) == before


def test_a_group_the_organiser_is_not_in_is_refused(world):
    from port2port.organisations import actions as org_actions

    other = org_actions.create_sharing_group(acting_user=world.outsider_c, owner=world.org_c, name="Liège only")
    with pytest.raises(ValidationError) as error:
        schedule(world, audience=Audience.GROUP, sharing_group=other)
    assert "sharing_group" in error.value.message_dict


def test_analysts_do_not_organise(world):
    with pytest.raises(PermissionDenied):
        schedule(world, organiser=world.analyst_a)
    with pytest.raises(PermissionDenied):
        actions.edit_training(schedule(world), acting_user=world.analyst_a, title="Mine now")


def test_sharing_wider_is_audited_as_loosening(world):
    training = schedule(world, audience=Audience.OWNER)
    actions.share_training(training, acting_user=world.admin_a, tlp=Tlp.GREEN, audience=Audience.NETWORK)
    event = AuditEvent.objects.get(action="training.training.share")
    assert event.detail["loosened"] is True and event.detail["to"]["audience"] == "network"


def test_organisations_join_leave_and_report_reach(world):
    from port2port.organisations import actions as org_actions
    from port2port.core.permissions import Role

    officer_b = org_actions.create_account(acting_user=world.platform_admin, email="officer.b@p2p.test",
                                           password="correct horse battery")
    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=officer_b,
                           role=Role.SECURITY_OFFICER)
    campaign = launch(world)
    actions.join_campaign(campaign, acting_user=officer_b, organisation=world.org_b)
    actions.report_reach(campaign, acting_user=officer_b, organisation=world.org_b, people_reached=140, sessions_held=6)
    with pytest.raises(ValidationError) as error:
        actions.report_reach(campaign, acting_user=officer_b, organisation=world.org_b, people_reached=-1, sessions_held=1)
    assert "people_reached" in error.value.message_dict
    actions.leave_campaign(campaign, acting_user=officer_b, organisation=world.org_b)
    with pytest.raises(ValidationError):
        actions.report_reach(campaign, acting_user=officer_b, organisation=world.org_b, people_reached=1, sessions_held=1)
    left = Participation.objects.get(campaign=campaign, organisation=world.org_b)
    assert left.left_at is not None and left.people_reached == 140
    with pytest.raises(PermissionDenied):
        actions.join_campaign(campaign, acting_user=world.analyst_b, organisation=world.org_b)


def test_an_organisation_the_campaign_does_not_reach_cannot_join(world):
    campaign = launch(world)
    with pytest.raises(ValidationError) as error:
        actions.join_campaign(campaign, acting_user=world.outsider_c, organisation=world.org_c)
    assert "organisation" in error.value.message_dict


def test_an_organiser_keeps_the_materials_they_cannot_read(world):
    """Port A's officer attaches a TLP:RED article of his own; Port A's admin, who may not read
    it, edits the training and its other materials: the RED link stays instead of vanishing."""
    from port2port.knowledge import actions as knowledge_actions
    from port2port.knowledge.models import Theme

    def article(title, **marking):
        return knowledge_actions.write_article(acting_user=world.officer_a, organisation=world.org_a, share_now=True,
                                               marking=marking, title=title, body="Steps.", theme=Theme.DRONES)

    shared = article("Drone response checklist", tlp=Tlp.AMBER, audience=Audience.NETWORK)
    private = article("Detector blind spots", tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.officer_a])
    training = schedule(world, materials=[shared, private])
    actions.edit_training(training, acting_user=world.admin_a, materials=[], capacity=30)
    assert list(training.materials.values_list("pk", flat=True)) == [private.pk]
