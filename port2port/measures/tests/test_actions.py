"""The named actions: who proposes, edits, adopts, retires and assesses, and what bad input does."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from port2port.core.models import AuditEvent
from port2port.measures import actions
from port2port.measures.models import AssessmentRecord, Measure, MeasureStatus, MeasureVersion

from .conftest import adopt, assess, propose


def test_a_proposal_keeps_a_first_version_and_is_audited(world, wg):
    measure = propose(world)
    assert measure.status == MeasureStatus.PROPOSED and measure.version == 1
    assert MeasureVersion.objects.get(measure=measure).action == "measures.propose"
    assert AuditEvent.objects.filter(action="measures.propose", target_id=str(measure.pk)).exists()


def test_it_lets_only_the_coordinator_adopt(world, wg):
    measure = propose(world)
    for person in (world.officer_a, world.admin_a, world.police_analyst):
        with pytest.raises(PermissionDenied):
            actions.adopt_measure(measure, acting_user=person)
    adopt(world, measure)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.ADOPTED and measure.adopted_on.year == 2025


def test_a_measure_without_a_working_group_cannot_be_adopted(world, wg):
    measure = propose(world, group=None)
    with pytest.raises(ValidationError) as refused:
        actions.adopt_measure(measure, acting_user=world.analyst_b)
    assert "working_group" in refused.value.message_dict


def test_a_coordinator_who_left_the_group_adopts_nothing(world, wg):
    from port2port.organisations import actions as org_actions

    measure = propose(world)
    org_actions.remove_group_member(wg, acting_user=world.admin_a, organisation=world.org_b)
    with pytest.raises(PermissionDenied):
        actions.adopt_measure(measure, acting_user=world.analyst_b)


def test_a_standard_changes_only_by_its_coordinator_and_with_a_reason(world, measure):
    with pytest.raises(PermissionDenied):
        actions.edit_measure(measure, acting_user=world.officer_a, title="Mine now", note="why not")
    with pytest.raises(ValidationError) as refused:
        actions.edit_measure(measure, acting_user=world.analyst_b, title="Identity-based release")
    assert "note" in refused.value.message_dict
    actions.edit_measure(measure, acting_user=world.analyst_b, title="Identity-based release", note="Shorter title")
    assert list(measure.versions.values_list("action", flat=True)) == ["measures.propose", "measures.adopt", "measures.edit"]


def test_an_analyst_cannot_propose(world, wg):
    with pytest.raises(PermissionDenied):
        propose(world, user=world.analyst_a)


def test_bad_measure_input_names_the_field_and_changes_nothing(world, wg):
    before = (Measure.objects.count(), MeasureVersion.objects.count(), AuditEvent.objects.count())
    for bad, field in [({"title": ""}, "title"), ({"theme": "weather"}, "theme"), ({"threats": ["aliens"]}, "threats"),
                       ({"facility_kinds": ["moonbase"]}, "facility_kinds"), ({"level": "ultimate"}, "level")]:
        with pytest.raises(ValidationError) as refused:
            propose(world, **bad)
        assert field in refused.value.message_dict
    assert (Measure.objects.count(), MeasureVersion.objects.count(), AuditEvent.objects.count()) == before


def test_retiring_needs_a_reason_and_a_date_after_adoption(world, measure):
    with pytest.raises(ValidationError) as refused:
        actions.retire_measure(measure, acting_user=world.analyst_b, note="")
    assert "note" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.retire_measure(measure, acting_user=world.analyst_b, retired_on=date(2024, 1, 1), note="Superseded")
    assert "retired_on" in refused.value.message_dict
    actions.retire_measure(measure, acting_user=world.analyst_b, note="Superseded by M-2")
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.RETIRED


def test_each_assessment_is_a_new_record_and_the_latest_is_current(world, measure):
    first = assess(world.officer_a, measure, "planned", recorded_at=timezone.now() - timedelta(days=200))
    second = assess(world.officer_a, measure, "implemented", maturity=3)
    # An earlier paper assessment entered afterwards does not displace the newer answer.
    assess(world.officer_a, measure, "not_started", recorded_at=timezone.now() - timedelta(days=400))
    records = AssessmentRecord.objects.filter(organisation=world.org_a, measure=measure)
    assert records.count() == 3
    assert list(records.filter(is_current=True).values_list("pk", flat=True)) == [second.pk]
    assert first.pk != second.pk


def test_bad_assessment_input_names_the_field_and_changes_nothing(world, measure):
    before = (AssessmentRecord.objects.count(), AuditEvent.objects.count())
    cases = [
        ({"status": "done"}, "status"),
        ({"status": "implemented", "maturity": 6}, "maturity"),
        ({"status": "not_applicable", "maturity": 2}, "maturity"),
        ({"status": "planned", "target_date": None}, "target_date"),
        ({"status": "implemented", "owner": world.analyst_b}, "owner"),
        ({"status": "implemented", "disclosure": "gossip"}, "disclosure"),
        ({"status": "implemented", "recorded_at": timezone.now() + timedelta(days=2)}, "recorded_at"),
    ]
    for bad, field in cases:
        with pytest.raises(ValidationError) as refused:
            actions.record_assessment(acting_user=world.officer_a, organisation=world.org_a, measure=measure, **bad)
        assert field in refused.value.message_dict, bad
    assert (AssessmentRecord.objects.count(), AuditEvent.objects.count()) == before


def test_only_adopted_measures_are_assessed_and_only_by_officers(world, wg, measure):
    proposal = propose(world, "Reefer inspection")
    with pytest.raises(ValidationError) as refused:
        assess(world.officer_a, proposal)
    assert "measure" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.record_assessment(acting_user=world.analyst_a, organisation=world.org_a, measure=measure, status="implemented")


def test_an_outsider_cannot_assess_a_network_measure(world, measure):
    with pytest.raises(ValidationError):
        actions.record_assessment(acting_user=world.outsider_c, organisation=world.org_c, measure=measure, status="implemented")


def test_the_disclosure_setting_is_audited_and_checked(world):
    with pytest.raises(ValidationError) as refused:
        actions.set_disclosure(acting_user=world.officer_a, organisation=world.org_a, level="everything")
    assert "level" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.set_disclosure(acting_user=world.analyst_a, organisation=world.org_a, level="nothing")
    actions.set_disclosure(acting_user=world.officer_a, organisation=world.org_a, level="full")
    assert AuditEvent.objects.filter(action="measures.disclosure").count() == 1
