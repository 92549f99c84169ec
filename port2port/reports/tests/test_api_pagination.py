"""Cursor pagination of the report list: every report exactly once, whatever is filed meanwhile."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from port2port.core.sharing import Audience, Tlp

from .api_helpers import Api, bad_fields

START = datetime(2025, 6, 1, tzinfo=timezone.utc)


def walk(api, limit, params=None, between_pages=None):
    """Follow next_cursor to the end; return the ids in the order received."""
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit, **(params or {}), **({"cursor": cursor} if cursor else {})}
        response = api.get("/reports", query)
        assert response.status_code == 200, response.content
        page = response.json()
        assert len(page["items"]) <= limit
        seen += [item["id"] for item in page["items"]]
        cursor, pages = page["next_cursor"], pages + 1
        if cursor is None:
            return seen, pages
        if between_pages:
            between_pages(pages)


@pytest.fixture
def many_reports(world):
    """250 reports visible to port B; every fifth shares its moment with the one before, so the
    cursor must break ties on the id."""
    reports = []
    for n in range(250):
        moment = START + timedelta(hours=n - n % 5 // 4)
        reports.append(world.report(title=f"Report {n}", occurred_at=moment, tlp=Tlp.GREEN, audience=Audience.NETWORK))
    return reports


def test_paging_through_250_reports_returns_each_exactly_once(world, many_reports):
    seen, pages = walk(Api(world.analyst_b), limit=100)
    assert pages == 3
    assert len(seen) == len(set(seen)) == 250
    assert set(seen) == {r.pk for r in many_reports}
    newest_first = sorted(many_reports, key=lambda r: (r.occurred_at, r.pk), reverse=True)
    assert seen == [r.pk for r in newest_first]


def test_reports_filed_while_paging_do_not_shift_the_pages(world, many_reports):
    filed_meanwhile = []

    def file_more(page_number):
        # One newer than everything, one in the middle of what is still to come, one tied.
        for moment in (START + timedelta(days=400), START + timedelta(hours=60), START + timedelta(hours=100)):
            filed_meanwhile.append(world.report(title=f"Late {page_number}", occurred_at=moment,
                                                tlp=Tlp.GREEN, audience=Audience.NETWORK))

    seen, _pages = walk(Api(world.analyst_b), limit=30, between_pages=file_more)
    assert len(seen) == len(set(seen))
    assert {r.pk for r in many_reports} <= set(seen)


def test_the_cursor_keeps_to_the_filters_and_the_visibility_rule(world, many_reports):
    world.report(title="Port A only", occurred_at=START, audience=Audience.OWNER)
    seen, _pages = walk(Api(world.analyst_b), limit=7, params={"to": "2025-06-03"})
    # A date is a whole day of the platform's time zone (settings.TIME_ZONE, Brussels).
    end_of_day = datetime(2025, 6, 4, tzinfo=ZoneInfo("Europe/Brussels"))
    expected = {r.pk for r in many_reports if r.occurred_at < end_of_day}
    assert set(seen) == expected and len(seen) == len(expected)


def test_a_forged_cursor_is_refused(world, many_reports):
    api = Api(world.analyst_b)
    cursor = api.get("/reports", {"limit": 5}).json()["next_cursor"]
    forged = cursor[:-3] + ("abc" if not cursor.endswith("abc") else "xyz")
    assert bad_fields(api.get("/reports", {"cursor": forged})) == {"cursor"}


def test_the_limit_is_at_most_100(world, many_reports):
    api = Api(world.analyst_b)
    assert len(api.get("/reports", {"limit": 100}).json()["items"]) == 100
    assert bad_fields(api.get("/reports", {"limit": 101})) == {"limit"}
    assert len(api.get("/reports").json()["items"]) == 25
