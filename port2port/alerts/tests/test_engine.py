"""The rule engine: events become alerts by kind, zone, time window, threshold and allowlist;
a burst is one alert; the same batch twice raises nothing new."""

from datetime import timedelta

import pytest
from django.utils import timezone

from port2port.alerts import actions
from port2port.alerts.models import Alert, AlertStatus, Severity
from port2port.sensors.events import EventKind
from port2port.sensors.tests.conftest import at_local, native_event

pytestmark = pytest.mark.django_db


def rule(world, **fields):
    defaults = {"name": "Drone over the quay", "event_kind": EventKind.DRONE_DETECTED, "severity": Severity.HIGH}
    return actions.write_rule(acting_user=world.officer_a, organisation=world.org_a, **{**defaults, **fields})


def test_a_drone_in_the_zone_raises_an_alert(send, world, rig):
    rule(world, zone=rig.zone)
    send([native_event(1)])
    alert = Alert.objects.get()
    assert (alert.title, alert.severity, alert.status, alert.event_count) == ("Drone over the quay", Severity.HIGH, "new", 1)
    assert (alert.zone, alert.port, alert.sensor) == (rig.zone, world.port_a, rig.sensor)


def test_an_event_outside_the_rules_zone_raises_nothing(send, world, rig):
    rule(world, zone=rig.zone)
    send([native_event(1, lat=51.0, lon=3.0)])
    assert not Alert.objects.exists()


def test_another_kind_raises_nothing(send, world, rig):
    rule(world)
    send([native_event(1, kind="intrusion")])
    assert not Alert.objects.exists()


def test_an_authorised_drone_raises_nothing(send, world, rig):
    rule(world, allowlist=["1581f5fjd23a0000001 "])  # stored trimmed and in capitals
    send([native_event(1)])
    assert not Alert.objects.exists()
    send([native_event(2, serial="OTHER-DRONE-77")])
    assert Alert.objects.count() == 1


@pytest.mark.parametrize(("hour", "raises"), [(23, True), (2, True), (12, False), (21, False)])
def test_a_night_window_wraps_midnight(send, world, rig, hour, raises):
    from datetime import time

    rule(world, event_kind=EventKind.LOITERING, active_from=time(22), active_until=time(6))
    send([native_event(1, kind="loitering", time=at_local(hour, 30).isoformat())])
    assert Alert.objects.exists() is raises


def test_a_threshold_counts_events_within_the_period_across_batches(send, world, rig):
    rule(world, name="Badge denials at gate", event_kind=EventKind.BADGE_DENIED, threshold=3, period_minutes=10)
    now = timezone.now()
    send([native_event(1, kind="badge_denied", badge_id="B-1", time=(now - timedelta(minutes=8)).isoformat())])
    send([native_event(2, kind="badge_denied", badge_id="B-1", time=(now - timedelta(minutes=5)).isoformat())])
    assert not Alert.objects.exists()
    send([native_event(3, kind="badge_denied", badge_id="B-1", time=(now - timedelta(minutes=1)).isoformat())])
    assert Alert.objects.get().event_count == 3  # the events that met the threshold, all batches


def test_events_spread_wider_than_the_period_do_not_meet_the_threshold(send, world, rig):
    rule(world, event_kind=EventKind.BADGE_DENIED, threshold=3, period_minutes=10)
    now = timezone.now()
    for n, minutes in enumerate((50, 30, 5)):
        send([native_event(n, kind="badge_denied", time=(now - timedelta(minutes=minutes)).isoformat())])
    assert not Alert.objects.exists()


def test_a_burst_of_500_events_is_one_alert(send, world, rig):
    rule(world, zone=rig.zone)
    now = timezone.now()
    for start in (0, 250):
        send([native_event(n, time=(now - timedelta(seconds=600 - n)).isoformat())
                           for n in range(start, start + 250)])
    alert = Alert.objects.get()
    assert alert.event_count == 500


def test_the_same_batch_twice_raises_no_second_alert(send, world, rig):
    rule(world)
    batch = [native_event(n) for n in range(20)]
    send(batch)
    assert send(batch)["duplicate"] == 20
    assert Alert.objects.get().event_count == 20


def test_after_the_period_a_new_alert_is_raised(send, world, rig):
    rule(world, period_minutes=10)
    send([native_event(1, time=(timezone.now() - timedelta(minutes=40)).isoformat())])
    send([native_event(2, time=(timezone.now() - timedelta(minutes=1)).isoformat())])
    assert Alert.objects.count() == 2


def test_a_closed_alert_is_not_extended(send, world, rig):
    rule(world)
    send([native_event(1)])
    actions.close_alert(Alert.objects.get(), acting_user=world.analyst_a)
    send([native_event(2)])
    assert Alert.objects.count() == 2


def test_an_inactive_rule_raises_nothing(send, world, rig):
    actions.change_rule(rule(world), acting_user=world.officer_a, is_active=False)
    send([native_event(1)])
    assert not Alert.objects.exists()


def test_alerts_are_seen_by_the_organisations_members_only(send, world, rig):
    rule(world)
    send([native_event(1)])
    for person in (world.analyst_a, world.officer_a, world.admin_a):
        assert Alert.objects.visible_to(person).count() == 1
    for person in (world.analyst_b, world.outsider_c, world.police_analyst, world.platform_admin, world.red_reader_b):
        assert Alert.objects.visible_to(person).count() == 0


def test_a_rule_may_not_use_another_organisations_zone(world, rig):
    from django.core.exceptions import ValidationError

    from port2port.organisations import actions as org_actions
    from port2port.sensors.actions import define_zone
    from port2port.sensors.tests.conftest import QUAY_OUTLINE

    officer_b = org_actions.create_account(acting_user=world.platform_admin, email="officer.b@p2p.test")
    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=officer_b,
                           role="security_officer")
    foreign = define_zone(acting_user=officer_b, organisation=world.org_b, name="B quay", outline=QUAY_OUTLINE)
    with pytest.raises(ValidationError) as error:
        rule(world, zone=foreign)
    assert "zone" in error.value.message_dict


def test_a_rule_needs_a_threshold_of_at_least_one(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        rule(world, threshold=0)
    assert "threshold" in error.value.message_dict


def test_rules_are_written_by_officers_only(world):
    from django.core.exceptions import PermissionDenied

    for person in (world.analyst_a, world.analyst_b, world.outsider_c, world.platform_admin):
        with pytest.raises(PermissionDenied):
            actions.write_rule(acting_user=person, organisation=world.org_a, name="x", event_kind=EventKind.INTRUSION)


def test_a_rule_window_needs_both_ends(world):
    from datetime import time

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        rule(world, active_from=time(22))
    assert "active_until" in error.value.message_dict


def test_handling_an_alert_moves_its_status_and_is_audited(send, world, rig):
    from port2port.core.audit import AuditEvent

    rule(world)
    send([native_event(1)])
    alert = Alert.objects.get()
    actions.acknowledge_alert(alert, acting_user=world.analyst_a)
    assert (alert.status, alert.assignee) == (AlertStatus.ACKNOWLEDGED, world.analyst_a)
    actions.assign_alert(alert, acting_user=world.analyst_a, assignee=world.officer_a)
    actions.close_alert(alert, acting_user=world.officer_a)
    assert alert.status == AlertStatus.CLOSED
    actions_logged = list(AuditEvent.objects.filter(action__startswith="alerts.").values_list("action", flat=True))
    assert {"alerts.raise", "alerts.acknowledged", "alerts.closed"} <= set(actions_logged)


def test_people_of_other_organisations_cannot_handle_an_alert(send, world, rig):
    from django.core.exceptions import PermissionDenied, ValidationError

    rule(world)
    send([native_event(1)])
    alert = Alert.objects.get()
    for person in (world.analyst_b, world.outsider_c, world.platform_admin):
        with pytest.raises(PermissionDenied):
            actions.acknowledge_alert(alert, acting_user=person)
    with pytest.raises(ValidationError):
        actions.assign_alert(alert, acting_user=world.analyst_a, assignee=world.analyst_b)


def test_a_zone_watched_by_a_rule_cannot_be_deleted(world, rig):
    from django.core.exceptions import ValidationError

    from port2port.sensors.actions import delete_zone

    rule(world, zone=rig.zone)
    with pytest.raises(ValidationError) as error:
        delete_zone(rig.zone, acting_user=world.officer_a)
    assert "Drone over the quay" in error.value.message_dict["zone"][0]


def test_pruning_deletes_old_events_but_keeps_those_of_open_alerts(send, world, rig):
    from django.core.management import call_command

    from port2port.sensors.models import Event

    rule(world, event_kind=EventKind.INTRUSION)
    old = (timezone.now() - timedelta(days=20)).isoformat()
    send([native_event(1, time=old), native_event(2, kind="intrusion", time=old), native_event(3)])
    call_command("prune_events", "--days", "10")
    assert sorted(Event.objects.values_list("external_id", flat=True)) == ["evt-2", "evt-3"]
    actions.close_alert(Alert.objects.get(), acting_user=world.analyst_a)
    call_command("prune_events", "--days", "10")
    assert list(Event.objects.values_list("external_id", flat=True)) == ["evt-3"]


def test_a_closed_alert_cannot_be_reopened_by_acknowledging_it(send, world, rig):
    from django.core.exceptions import ValidationError

    rule(world)
    send([native_event(1)])
    alert = actions.close_alert(Alert.objects.get(), acting_user=world.analyst_a)
    for act in (actions.acknowledge_alert, actions.close_alert, actions.escalate_alert):
        with pytest.raises(ValidationError) as error:
            act(alert, acting_user=world.analyst_a)
        assert "status" in error.value.message_dict or "alert" in error.value.message_dict
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED


def test_a_threshold_needs_its_events_within_the_period_even_in_one_batch(send, world, rig):
    rule(world, event_kind=EventKind.BADGE_DENIED, threshold=3, period_minutes=10)
    now = timezone.now()
    spread = [native_event(n, kind="badge_denied", time=(now - timedelta(hours=hours)).isoformat())
              for n, hours in enumerate((30, 20, 1))]
    send(spread)
    assert not Alert.objects.exists()
    close = [native_event(10 + n, kind="badge_denied", time=(now - timedelta(minutes=minutes)).isoformat())
             for n, minutes in enumerate((9, 5))]
    send(close)  # the one an hour ago is outside the period: two are not three
    assert not Alert.objects.exists()
    send([native_event(20, kind="badge_denied", time=(now - timedelta(minutes=1)).isoformat())])
    assert Alert.objects.get().event_count == 3
