"""Correlation: the same value in other reports, only as far as the reader may see them.

A report of port A holds a container; port B files the same container under several markings.
Whoever reads port A's report sees the matches, the count and the ports of the reports they may
read, and nothing at all of the others."""

from datetime import datetime, timezone

import pytest

from port2port.core.sharing import Audience, Tlp
from port2port.indicators import correlation
from port2port.indicators.actions import NewIndicator, add_indicators
from port2port.indicators.models import WarningListEntry
from port2port.organisations.models import viewer_for
from port2port.reports import actions as report_actions

CONTAINER = "MSKU 123456-5"


def with_indicators(report, author, *items):
    add_indicators(report, acting_user=author, items=[NewIndicator(kind, raw) for kind, raw in items])
    return report


def b_report(world, *, tlp=Tlp.AMBER, audience=Audience.NETWORK, day=5, **marking):
    return world.report(author=world.analyst_b, organisation=world.org_b, tlp=tlp, audience=audience,
                        port=world.port_b, occurred_at=datetime(2026, 3, day, tzinfo=timezone.utc), **marking)


@pytest.fixture
def scene(world):
    """Port A's network report, and port B's reports of the same container under six markings."""
    mine = with_indicators(world.report(), world.analyst_a, ("container", CONTAINER))
    b = {
        "network": b_report(world, day=5),
        "owner": b_report(world, audience=Audience.OWNER, day=6),
        "group": b_report(world, audience=Audience.GROUP, sharing_group=world.drugs_group, day=7),
        "to police": b_report(world, audience=Audience.ORGANISATIONS, recipient_orgs=[world.police], day=8),
        "red to rita": b_report(world, tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b], day=9),
        "draft": b_report(world, share_now=False, day=10),
    }
    for report in b.values():
        with_indicators(report, world.analyst_b, ("container", CONTAINER))
    return mine, b


# Which of port B's reports each persona may read (the sharing rule; docs/sharing-rules.md).
SEES = {
    "analyst_a": {"network", "group"},
    "officer_a": {"network", "group"},
    "analyst_b": {"network", "owner", "group", "to police", "red to rita", "draft"},
    "red_reader_b": {"network", "owner", "group", "to police", "red to rita"},
    "police_analyst": {"network", "group", "to police"},
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_a_reader_sees_exactly_the_matches_the_rule_gives_them(world, scene, persona):
    mine, b = scene
    [result] = correlation.correlate(mine, getattr(world, persona))
    expected = {b[name].pk for name in SEES[persona]}
    assert {m.report_id for m in result.matches} == expected
    assert result.total == len(expected)
    assert {m.report.port for m in result.matches} <= {world.port_b}


@pytest.mark.parametrize("persona", ["outsider_c", "platform_admin"])
def test_outsiders_find_nothing_by_search_or_timeline(world, scene, persona):
    viewer = getattr(world, persona)
    value = scene[1]["network"].indicators.get().value
    assert correlation.search(viewer, kind="container", value=value) == []
    assert correlation.timeline(viewer, "container", value) == []


@pytest.mark.parametrize("persona", ["outsider_c", "platform_admin"])
def test_outsiders_are_shown_no_correlation_either(world, scene, persona):
    # The rule lets them see nothing: its compiled condition is "nothing", not an error.
    [result] = correlation.correlate(scene[0], getattr(world, persona))
    assert (result.matches, result.fuzzy, result.total, result.common) == ([], [], 0, False)


def test_the_count_leaves_out_reports_the_reader_may_not_see(world, scene, settings):
    # Four of port B's six reports are invisible to port A: with a threshold of two, they would
    # make the value "common" if they were counted. They are not.
    settings.CORRELATION_COMMON_THRESHOLD = 2
    mine, _ = scene
    [result] = correlation.correlate(mine, world.analyst_a)
    assert (result.total, result.common) == (2, False)
    assert len(result.matches) == 2


def test_a_common_value_is_flagged_and_left_out_unless_asked_for(world, scene, settings):
    settings.CORRELATION_COMMON_THRESHOLD = 1
    mine, b = scene
    [hidden] = correlation.correlate(mine, world.analyst_a)
    assert (hidden.common, hidden.total, hidden.matches) == (True, 2, [])
    [shown] = correlation.correlate(mine, world.analyst_a, include_common=True)
    assert {m.report_id for m in shown.matches} == {b["network"].pk, b["group"].pk}


def test_a_value_on_a_warning_list_is_not_looked_up(world):
    mine = with_indicators(world.report(), world.analyst_a, ("domain", "example.com"), ("domain", "smuggle-port.be"))
    with_indicators(b_report(world), world.analyst_b, ("domain", "www.example.com"), ("domain", "smuggle-port.be"))
    results = {r.indicator.value: r for r in correlation.correlate(mine, world.analyst_a)}
    assert WarningListEntry.objects.filter(kind="domain", value="example.com").exists()
    assert results["example.com"].benign
    assert (results["example.com"].total, results["example.com"].matches) == (0, [])
    assert (results["smuggle-port.be"].benign, results["smuggle-port.be"].total) == ("", 1)


def test_matches_are_the_other_reports_newest_first_with_port_and_date(world, scene):
    mine, b = scene
    [result] = correlation.correlate(mine, world.police_analyst)
    assert [m.report_id for m in result.matches] == [b["to police"].pk, b["group"].pk, b["network"].pk]
    assert mine.pk not in {m.report_id for m in result.matches}
    assert all(m.report.port == world.port_b for m in result.matches)
    # Dates come back as the ORM reads them (SQLite stores them as text), in the time zone.
    assert [m.report.occurred_at for m in result.matches] == [
        b[name].occurred_at for name in ("to police", "group", "network")]
    assert all(m.report.occurred_at.tzinfo is not None for m in result.matches)


def test_the_timeline_follows_a_value_across_ports_oldest_first(world, scene):
    mine, b = scene
    value = mine.indicators.get().value
    rows = correlation.timeline(world.analyst_a, "container", value)
    assert [r.report_id for r in rows] == [mine.pk, b["network"].pk, b["group"].pk]
    assert [r.report.port for r in rows] == [world.port_a, world.port_b, world.port_b]


def test_a_report_shared_later_shows_up_at_once(world, scene):
    mine, b = scene
    report_actions.share_report(b["owner"], acting_user=world.analyst_b, tlp=Tlp.GREEN, audience=Audience.NETWORK)
    [result] = correlation.correlate(mine, world.analyst_a)
    assert b["owner"].pk in {m.report_id for m in result.matches}


# --- near matches -------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "misread"), [
    ("1-ABC-123", "1-A8C-123"),  # B read as 8
    ("1-ABC-123", "1-ABC-I23"),  # 1 read as I
    ("AB-123-CD", "AB-I23-CD"),
])
def test_a_misread_plate_is_a_fuzzy_match(world, written, misread):
    mine = with_indicators(world.report(), world.analyst_a, ("plate", written))
    theirs = with_indicators(b_report(world), world.analyst_b, ("plate", misread))
    [result] = correlation.correlate(mine, world.analyst_a)
    assert result.matches == []
    assert [m.report_id for m in result.fuzzy] == [theirs.pk]
    assert result.is_fuzzy


def test_a_misread_vessel_name_is_a_fuzzy_match(world):
    mine = with_indicators(world.report(), world.analyst_a, ("vessel_name", "Ocean Bird"))
    theirs = with_indicators(b_report(world), world.analyst_b, ("vessel_name", "0CEAN 8IRD"))
    [result] = correlation.correlate(mine, world.analyst_a)
    assert [m.report_id for m in result.fuzzy] == [theirs.pk]


def test_an_exact_match_is_not_also_listed_as_fuzzy(world):
    mine = with_indicators(world.report(), world.analyst_a, ("plate", "1-ABC-123"))
    with_indicators(b_report(world), world.analyst_b, ("plate", "1-ABC-123"))
    [result] = correlation.correlate(mine, world.analyst_a)
    assert (len(result.matches), result.fuzzy) == (1, [])


def test_a_fuzzy_match_in_an_invisible_report_is_not_shown(world):
    mine = with_indicators(world.report(), world.analyst_a, ("plate", "1-ABC-123"))
    with_indicators(b_report(world, audience=Audience.OWNER), world.analyst_b, ("plate", "1-A8C-123"))
    [result] = correlation.correlate(mine, world.analyst_a)
    assert (result.fuzzy, result.total) == ([], 0)


def test_two_plates_of_one_report_that_fold_alike_both_get_the_near_match(world):
    mine = with_indicators(world.report(), world.analyst_a, ("plate", "1-ABC-123"), ("plate", "1-A8C-123"))
    theirs = with_indicators(b_report(world), world.analyst_b, ("plate", "1-ABC-I23"))
    results = correlation.correlate(mine, world.analyst_a)
    assert [[m.report_id for m in r.fuzzy] for r in results] == [[theirs.pk], [theirs.pk]]


def test_fuzzy_search_finds_misreads_and_exact_search_does_not(world):
    theirs = with_indicators(b_report(world), world.analyst_b, ("plate", "1-A8C-123"))
    from port2port.indicators.types import normalise

    found = normalise("plate", "1-ABC-123")
    assert correlation.search(world.analyst_a, kind="plate", value=found.value) == []
    rows = correlation.search(world.analyst_a, kind="plate", value=found.fuzzy_key, fuzzy=True)
    assert [r.report_id for r in rows] == [theirs.pk]


def test_near_search_finds_a_container_under_another_check_digit_or_none_in_visible_reports_only(world):
    wrong_digit = with_indicators(b_report(world, day=5), world.analyst_b, ("container", "MSKU 123456 4"))
    no_digit = with_indicators(b_report(world, day=6), world.analyst_b, ("container", "MSKU123456"))
    with_indicators(b_report(world, audience=Audience.OWNER, day=7), world.analyst_b, ("container", "MSKU 123456 3"))
    with_indicators(b_report(world, day=8), world.analyst_b, ("container", "MSKU 123457 4"))  # another box
    from port2port.indicators.types import normalise

    found = normalise("container", CONTAINER)
    assert correlation.search(world.analyst_a, kind="container", value=found.value) == []
    rows = correlation.search(world.analyst_a, kind="container", value=found.fuzzy_key, fuzzy=True)
    assert [r.report_id for r in rows] == [no_digit.pk, wrong_digit.pk]


def test_a_containers_near_match_key_is_not_stored(world):
    # Found by value instead (models.NEAR_BY_VALUE_KINDS): the partial fuzzy index stays small.
    report = with_indicators(world.report(), world.analyst_a, ("container", CONTAINER), ("plate", "1-ABC-123"))
    stored = dict(report.indicators.values_list("kind", "fuzzy_key"))
    assert stored == {"container": "", "plate": "1A8C123"}


# --- pseudonyms and cost ------------------------------------------------------------------


def test_a_persons_clear_text_never_travels_with_a_match(world):
    mine = with_indicators(world.report(), world.analyst_a, ("person", "Jan Janssens; 1985-03-12"))
    with_indicators(b_report(world), world.analyst_b, ("person", "JAN  JANSSENS; 12/03/1985"))
    [result] = correlation.correlate(mine, world.analyst_a)
    [match] = result.matches
    assert match.owner_note == "" and match.note_for(world.analyst_a) == ""
    assert result.indicator.owner_note  # the owner keeps its own clear text
    [row] = [r for r in correlation.search(world.analyst_a, kind="person", value=match.value) if r.report_id != mine.pk]
    assert row.owner_note == ""


def _indicators(n: int, start: int = 0):
    """n distinct plates, vessel names and containers (so every lookup path is exercised)."""
    items = []
    for i in range(start, start + n):
        kind = ("plate", "vessel_name", "domain")[i % 3]
        raw = {"plate": f"1-ABC-{i % 1000:03d}" if i < 1000 else f"2-ABD-{i % 1000:03d}",
               "vessel_name": f"Ocean Bird {i}", "domain": f"smugglers-{i}.be"}[kind]
        items.append((kind, raw))
    return items


@pytest.mark.parametrize("size", [3, 30, 150])
def test_correlation_costs_the_same_number_of_queries_for_any_number_of_indicators(
        world, size, django_assert_max_num_queries):
    items = _indicators(size)
    mine = with_indicators(world.report(), world.analyst_a, *items)
    with_indicators(b_report(world), world.analyst_b, *items)
    misread_plates = [(k, r.replace("ABC", "A8C")) for k, r in items if k == "plate"]
    with_indicators(b_report(world, day=6), world.analyst_b, *misread_plates)
    viewer = viewer_for(world.analyst_a)
    with django_assert_max_num_queries(4):
        results = correlation.correlate(mine, viewer)
    assert sum(len(r.matches) for r in results) == size
    assert sum(len(r.fuzzy) for r in results) == len(misread_plates)
    with django_assert_max_num_queries(6):  # two more to read the person's memberships
        correlation.correlate(mine, world.analyst_a, include_common=True)


def test_at_most_twenty_matches_are_listed_per_value_but_all_are_counted(world, settings):
    settings.CORRELATION_COMMON_THRESHOLD = 100
    mine = with_indicators(world.report(), world.analyst_a, ("container", CONTAINER))
    for day in range(1, 26):
        with_indicators(b_report(world, day=day), world.analyst_b, ("container", CONTAINER))
    [result] = correlation.correlate(mine, world.analyst_a)
    assert (result.total, len(result.matches)) == (25, correlation.MATCHES_SHOWN)
    assert result.matches[0].report.occurred_at.day == 25


def test_a_common_value_is_not_counted_past_the_threshold(world, settings):
    settings.CORRELATION_COMMON_THRESHOLD = 1
    mine = with_indicators(world.report(), world.analyst_a, ("domain", "reefer-logistics.be"))
    for day in (5, 6, 7):
        with_indicators(b_report(world, day=day), world.analyst_b, ("domain", "reefer-logistics.be"))
    [hidden] = correlation.correlate(mine, world.analyst_a)
    assert (hidden.common, hidden.total, hidden.more_than) == (True, 2, 1)
    [shown] = correlation.correlate(mine, world.analyst_a, include_common=True)
    assert (shown.total, len(shown.matches), shown.more_than) == (3, 3, None)


def test_reports_the_reader_may_not_see_do_not_make_a_value_common(world, settings):
    settings.CORRELATION_COMMON_THRESHOLD = 1
    mine = with_indicators(world.report(), world.analyst_a, ("domain", "reefer-logistics.be"))
    for day in (5, 6, 7):  # owner-only reports of port B: invisible to port A
        with_indicators(b_report(world, audience=Audience.OWNER, day=day), world.analyst_b, ("domain", "reefer-logistics.be"))
    [result] = correlation.correlate(mine, world.analyst_a)
    assert (result.common, result.total, result.matches) == (False, 0, [])
