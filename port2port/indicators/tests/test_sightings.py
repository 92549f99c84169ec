"""Sightings: "seen at my port too", "false positive", "expired", governed by the report's rules;
and the indicator actions' answers to bad input."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from port2port.core.sharing import Audience, Tlp
from port2port.indicators import actions
from port2port.indicators.actions import NewIndicator, add_indicators, record_sighting
from port2port.indicators.models import Indicator, Sighting, SightingKind
from port2port.indicators.types import REGISTRY
from port2port.organisations.models import Membership

CONTAINER = "MSKU 123456-5"


def container_in(report, author):
    [indicator] = add_indicators(report, acting_user=author, items=[NewIndicator("container", CONTAINER)])
    return indicator


@pytest.fixture
def shared(world):
    """Port A's container in a report the network reads."""
    return container_in(world.report(), world.analyst_a)


def test_a_reader_says_seen_at_my_port_too(world, shared):
    sighting = record_sighting(shared, acting_user=world.analyst_b, port=world.port_b, place="Quay 12")
    assert (sighting.organisation, sighting.port, sighting.kind) == (world.org_b, world.port_b, SightingKind.SEEN)


def test_per_port_counts_add_up_every_kind_of_sighting(world, shared):
    record_sighting(shared, acting_user=world.analyst_b, port=world.port_b)
    record_sighting(shared, acting_user=world.analyst_b, port=world.port_b)
    record_sighting(shared, acting_user=world.analyst_a, port=world.port_a)
    record_sighting(shared, acting_user=world.police_analyst, kind=SightingKind.FALSE_POSITIVE)
    record_sighting(shared, acting_user=world.analyst_a, kind=SightingKind.EXPIRED)
    sightings = Sighting.objects.visible_to(world.analyst_a).filter(indicator=shared)
    rows = [(r["port__locode"], r["kind"], r["n"]) for r in sightings.per_port()]
    assert rows[0] == ("BEGNE", "seen", 2)
    assert sorted(rows[1:], key=str) == sorted([("BEANR", "seen", 1), (None, "false_positive", 1),
                                                (None, "expired", 1)], key=str)
    assert sightings.per_kind() == {"seen": 3, "false_positive": 1, "expired": 1}


def test_sightings_reach_only_whoever_the_report_reaches(world):
    hidden = container_in(world.report(audience=Audience.ORGANISATIONS, recipient_orgs=[world.org_b]), world.analyst_a)
    record_sighting(hidden, acting_user=world.analyst_b, port=world.port_b)
    assert Sighting.objects.visible_to(world.analyst_b).count() == 1
    for persona in ("police_analyst", "outsider_c", "platform_admin"):
        reader = getattr(world, persona)
        assert Sighting.objects.visible_to(reader).count() == 0
        assert list(Sighting.objects.visible_to(reader).per_port()) == []


@pytest.mark.parametrize("persona", ["police_analyst", "outsider_c", "platform_admin"])
def test_nobody_sights_an_indicator_they_may_not_see(world, persona):
    hidden = container_in(world.report(audience=Audience.OWNER), world.analyst_a)
    with pytest.raises(PermissionDenied):
        record_sighting(hidden, acting_user=getattr(world, persona))
    assert Sighting.objects.count() == 0


def test_a_viewer_role_may_read_but_not_sight(world, shared):
    with pytest.raises(PermissionDenied):
        record_sighting(shared, acting_user=world.red_reader_b)


def test_a_red_recipient_sees_the_sightings_of_a_red_report(world):
    red = container_in(world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b]),
                       world.analyst_a)
    record_sighting(red, acting_user=world.analyst_a, port=world.port_a)
    assert Sighting.objects.visible_to(world.red_reader_b).count() == 1
    assert Sighting.objects.visible_to(world.analyst_b).count() == 0
    assert Sighting.objects.visible_to(world.officer_a).count() == 0  # RED is its author's alone


def test_purging_an_indicator_takes_its_sightings(world, shared):
    record_sighting(shared, acting_user=world.analyst_b)
    actions.purge_indicator(shared, acting_user=world.analyst_a)
    assert Sighting.objects.count() == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"seen_at": timezone.now() + timedelta(days=2)}, "seen_at"),
    ({"seen_at": datetime(2026, 1, 1, 12, 0)}, "seen_at"),  # no time zone
    ({"kind": "spotted"}, "kind"),
    ({"place": "x" * 201}, "place"),
])
def test_a_bad_sighting_names_the_field_and_saves_nothing(world, shared, change, field):
    with pytest.raises(ValidationError) as error:
        record_sighting(shared, acting_user=world.analyst_b, **change)
    assert field in error.value.message_dict
    assert Sighting.objects.count() == 0


def test_a_sighting_is_placed_only_at_one_of_the_organisations_own_ports(world, shared):
    with pytest.raises(ValidationError) as error:
        record_sighting(shared, acting_user=world.analyst_b, port=world.port_a)
    assert "port" in error.value.message_dict


# --- bad input to add_indicators ----------------------------------------------------------


def test_a_bad_row_is_named_and_nothing_of_the_batch_is_saved(world):
    report = world.report()
    items = [NewIndicator("container", CONTAINER), NewIndicator("imo", "not an IMO number"),
             NewIndicator("spaceship", "NCC-1701"), NewIndicator("plate", "1-ABC-123", comment="x" * 301)]
    with pytest.raises(ValidationError) as error:
        add_indicators(report, acting_user=world.analyst_a, items=items)
    assert set(error.value.message_dict) == {"indicators.1.value", "indicators.2.kind", "indicators.3.comment"}
    assert error.value.message_dict["indicators.1.value"][0]
    assert Indicator.objects.count() == 0


def test_bad_rows_are_named_in_the_order_given_whatever_their_kinds(world):
    items = [NewIndicator("plate", "?"), NewIndicator("container", "nope"), NewIndicator("plate", "!"),
             NewIndicator("imo", "IMO 1"), NewIndicator("container", "no")]
    with pytest.raises(ValidationError) as error:
        add_indicators(world.report(), acting_user=world.analyst_a, items=items)
    assert list(error.value.message_dict) == [f"indicators.{n}.value" for n in range(5)]


def test_a_value_given_twice_is_added_once_with_the_first_ones_comment(world):
    items = [NewIndicator("container", CONTAINER, comment="first"), NewIndicator("plate", "1-ABC-123"),
             NewIndicator("container", CONTAINER.lower(), comment="second")]
    created = add_indicators(world.report(), acting_user=world.analyst_a, items=items)
    assert [(indicator.kind, indicator.comment) for indicator in created] == [("container", "first"), ("plate", "")]


def test_too_many_indicators_at_once_are_refused(world, monkeypatch):
    monkeypatch.setattr(actions, "MAX_BATCH", 3)
    with pytest.raises(ValidationError) as error:
        add_indicators(world.report(), acting_user=world.analyst_a,
                       items=[NewIndicator("plate", f"1-ABC-{n:03d}") for n in range(4)])
    assert set(error.value.message_dict) == {"indicators"}
    assert Indicator.objects.count() == 0


def test_the_same_value_twice_is_one_indicator_and_adding_it_again_adds_nothing(world):
    report = world.report()
    created = add_indicators(report, acting_user=world.analyst_a,
                             items=[NewIndicator("container", CONTAINER), NewIndicator("container", "msku1234565")])
    assert len(created) == 1 and created[0].pk
    assert add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator("container", CONTAINER)]) == []
    assert report.indicators.count() == 1


def test_added_indicators_come_back_in_the_order_given_each_as_stored(world):
    report = world.report()
    # Out of (kind, value) order, and kinds interleaved, on purpose: the values are normalised
    # kind by kind and the rows inserted in index order.
    given = [("plate", "2-XYZ-999"), ("container", CONTAINER), ("phone", "+32 470 12 34 56"), ("plate", "1-ABC-123"),
             ("domain", "a.example.be"), ("container", "CSQU 305438 3")]
    created = add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator(kind, raw) for kind, raw in given])
    assert [indicator.kind for indicator in created] == [kind for kind, _ in given]
    stored = {indicator.pk: indicator for indicator in report.indicators.all()}
    for indicator in created:
        assert (indicator.kind, indicator.value, indicator.display) == (
            stored[indicator.pk].kind, stored[indicator.pk].value, stored[indicator.pk].display)


def test_values_the_report_holds_are_skipped_and_the_new_ones_stored_as_given(world):
    report = world.report()
    [held] = add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator("plate", "1-ABC-123")])
    given = [("plate", "2-XYZ-999"), ("plate", "1-ABC-123"), ("container", CONTAINER), ("domain", "a.example.be")]
    created = add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator(kind, raw) for kind, raw in given])
    assert [indicator.kind for indicator in created] == ["plate", "container", "domain"]
    assert "2-XYZ-999" in created[0].display
    stored = {row[0]: row[1:] for row in report.indicators.values_list("pk", "kind", "value", "display")}
    assert set(stored) == {held.pk, *(indicator.pk for indicator in created)}
    for indicator in created:
        assert (indicator.kind, indicator.value, indicator.display) == stored[indicator.pk]


@pytest.mark.parametrize("persona", ["analyst_b", "red_reader_b", "outsider_c", "platform_admin"])
def test_only_the_reports_editors_add_or_remove_indicators(world, shared, persona):
    with pytest.raises(PermissionDenied):
        add_indicators(shared.report, acting_user=getattr(world, persona), items=[NewIndicator("plate", "1-ABC-123")])
    with pytest.raises(PermissionDenied):
        actions.remove_indicator(shared, acting_user=getattr(world, persona))
    assert Indicator.objects.count() == 1


@pytest.mark.parametrize("items", [[NewIndicator("imo", "not an IMO number")], [NewIndicator("plate", "1-ABC-123")] * 4])
def test_a_reader_is_told_they_may_not_edit_rather_than_what_is_wrong_with_the_values(world, shared, items, monkeypatch):
    # Not how to correct values they may not add (a bad value; too many values).
    monkeypatch.setattr(actions, "MAX_BATCH", 3)
    with pytest.raises(PermissionDenied):
        add_indicators(shared.report, acting_user=world.analyst_b, items=items)


def test_a_right_taken_away_while_the_values_are_normalised_stops_the_write(world, monkeypatch):
    report, normalise_all = world.report(), actions.build_rows

    def normalise_then_lose_the_right(*args):
        rows = normalise_all(*args)
        Membership.objects.filter(user=world.analyst_a).update(is_active=False)
        return rows

    monkeypatch.setattr(actions, "build_rows", normalise_then_lose_the_right)
    with pytest.raises(PermissionDenied):
        add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator("container", CONTAINER)])
    assert not report.indicators.exists()


def test_values_are_normalised_before_the_write_transaction_opens(transactional_db, world, monkeypatch):
    # On SQLite a transaction holds the one write lock: every other writer would wait out the normalising.
    normaliser, in_transaction = REGISTRY["container"], []

    def normalise(raw):
        in_transaction.append(connection.in_atomic_block)
        return type(normaliser).normalise(normaliser, raw)

    monkeypatch.setattr(normaliser, "normalise", normalise)
    report = world.report()
    created = add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator("container", CONTAINER)])
    assert in_transaction == [False]
    assert [indicator.pk for indicator in created] == list(report.indicators.values_list("pk", flat=True))


def test_a_wrong_check_digit_is_kept_flagged_with_the_right_digit_suggested(world):
    [indicator] = add_indicators(world.report(), acting_user=world.analyst_a,
                                 items=[NewIndicator("container", "MSKU 123456-0")])
    assert indicator.flags and indicator.suggestion == "MSKU1234565"
