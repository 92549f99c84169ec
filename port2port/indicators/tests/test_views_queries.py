"""The report page runs the same number of queries with 3 or 30 indicators, each correlated
with a partner's report and sighted (no N+1 in the indicators panel)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from port2port.indicators.actions import NewIndicator, add_indicators, record_sighting

pytestmark = pytest.mark.django_db


def containers(start, count):
    """Valid ISO 6346 numbers (owner MSKU, serials from `start`), check digit computed."""
    from stdnum.iso6346 import calc_check_digit

    return [f"MSKU{serial:06d}{calc_check_digit(f'MSKU{serial:06d}')}" for serial in range(start, start + count)]


def fill(world, mine, theirs, start, count):
    values = containers(start, count)
    for report, author in ((mine, world.analyst_a), (theirs, world.analyst_b)):
        created = add_indicators(report, acting_user=author, items=[NewIndicator("container", v) for v in values])
    for indicator in created[:count]:
        record_sighting(indicator, acting_user=world.analyst_a, port=world.port_a)
    add_indicators(mine, acting_user=world.analyst_a, items=[NewIndicator("plate", f"1-ABC-{start:03d}")])
    add_indicators(theirs, acting_user=world.analyst_b, items=[NewIndicator("plate", f"1-A8C-{start:03d}")])


def count_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_report_page_runs_the_same_queries_for_3_or_30_indicators(world, client_for):
    mine = world.report(title="Mine")
    theirs = world.report(author=world.analyst_b, organisation=world.org_b, title="Theirs", port=world.port_b)
    client = client_for(world.analyst_a)
    url = reverse("reports:detail", args=[mine.pk])
    fill(world, mine, theirs, 100, 3)
    few, page = count_queries(client, url)
    assert page.count('<li class="match') >= 4  # three exact, one fuzzy
    fill(world, mine, theirs, 200, 27)
    many, page = count_queries(client, url)
    assert page.count('class="indicator"') == 32
    assert many == few


def test_the_panel_alone_runs_the_same_queries_for_3_or_30_indicators(world, client_for):
    mine = world.report(title="Mine")
    theirs = world.report(author=world.analyst_b, organisation=world.org_b, title="Theirs", port=world.port_b)
    client = client_for(world.analyst_b)
    url = reverse("indicators:panel", args=[mine.pk])
    fill(world, mine, theirs, 100, 3)
    few, _ = count_queries(client, url)
    fill(world, mine, theirs, 200, 27)
    many, _ = count_queries(client, url)
    assert many == few
