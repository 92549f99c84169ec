"""The network view: figures count only the answers the viewer may see (a hidden answer moves
no figure, page, CSV or API output), suppression of small figures, the weakest links, change over
time, and a fixed number of queries however many organisations and measures there are."""

import re
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from port2port.measures import actions
from port2port.measures.network import network_view, quarter_ends
from port2port.organisations.models import viewer_for

from .conftest import Api, adopt, assess, org_of, propose


def theme_figure(user, theme="access_control"):
    view = network_view(viewer_for(user))
    return next(figure for value, _label, figure in view.themes if value == theme)


def hide(officer):
    actions.set_disclosure(acting_user=officer, organisation=org_of(officer), level="nothing")


def test_a_figure_over_fewer_than_three_organisations_is_suppressed(world, measure, officers):
    assess(officers["a"], measure, "implemented")
    assess(officers["b"], measure, "not_started")
    figure = theme_figure(world.police_analyst)
    assert figure.suppressed and figure.percent is None and figure.organisations == 2
    assess(officers["d"], measure, "implemented")
    figure = theme_figure(world.police_analyst)
    assert not figure.suppressed and figure.percent == 67 and figure.organisations == 3


def test_answers_nobody_else_may_see_count_in_no_figure(world, measure, officers):
    """A (the viewer's own) and B show their answers; D, E and the police show nothing. The
    figure rests on A and B alone, so it stays suppressed however many organisations hide."""
    assess(officers["a"], measure, "implemented")
    assess(officers["b"], measure, "implemented")
    for key in ("d", "e", "police"):
        hide(officers[key])
        assess(officers[key], measure, "not_started")
    figure = theme_figure(world.officer_a)
    assert figure.suppressed and figure.organisations == 2
    view = network_view(viewer_for(world.officer_a))
    assert "Port D" not in [row.organisation.name for row in view.rows]
    assert not view.weakest[0].shown and view.weakest[0].based_on == 2
    # Once D shares its status again, its answer counts (and the figure rests on three).
    actions.set_disclosure(acting_user=officers["d"], organisation=org_of(officers["d"]), level="status")
    figure = theme_figure(world.officer_a)
    assert not figure.suppressed and figure.percent == 67 and figure.organisations == 3


def test_the_own_organisations_hidden_answers_count_for_its_members_only(world, measure, officers):
    hide(officers["a"])
    for key, status in (("a", "not_started"), ("b", "implemented"), ("d", "implemented"), ("e", "implemented")):
        assess(officers[key], measure, status)
    assert theme_figure(world.officer_a).percent == 75
    assert theme_figure(world.police_analyst).percent == 100


def test_the_minimum_group_size_is_a_setting(world, measure, officers, settings):
    assess(officers["a"], measure, "implemented")
    assess(officers["b"], measure, "planned")
    settings.MEASURES_MIN_GROUP_SIZE = 2
    figure = theme_figure(world.police_analyst)
    assert figure.percent == 50 and figure.organisations == 2
    settings.MEASURES_MIN_GROUP_SIZE = 3
    assert theme_figure(world.police_analyst).suppressed


def test_the_weakest_link_names_the_lowest_shown_status(world, measure, officers):
    assess(officers["a"], measure, "implemented")
    assess(officers["b"], measure, "planned")
    assess(officers["d"], measure, "planned")
    assess(officers["e"], measure, "not_applicable")
    hide(officers["police"])
    assess(officers["police"], measure, "not_started")  # lower, but hidden: not named
    weakest = network_view(viewer_for(world.analyst_a)).weakest[0]
    assert weakest.shown and weakest.status == "planned" and weakest.based_on == 3
    assert [o.name for o in weakest.organisations] == ["Port B", "Port D"]


def test_change_over_time_follows_the_history(world, wg, officers):
    long_ago = timezone.localdate() - timedelta(days=600)
    measure = adopt(world, propose(world), on=long_ago)
    now = timezone.now()
    for key in ("a", "b", "d"):
        assess(officers[key], measure, "planned", recorded_at=now - timedelta(days=520))
        assess(officers[key], measure, "implemented", recorded_at=now - timedelta(days=10))
    quarters = network_view(viewer_for(world.police_analyst)).quarters
    shown = [figure.percent for _label, figure in quarters if not figure.suppressed]
    assert len(quarters) == 6 and shown[0] == 0 and shown[-1] == 100


def test_quarter_ends():
    assert quarter_ends(date(2026, 2, 10), 3) == [("2025 Q3", date(2025, 9, 30)), ("2025 Q4", date(2025, 12, 31)),
                                                 ("2026 Q1", date(2026, 3, 31))]


def test_the_network_view_is_for_network_members(world, client_for, measure):
    assert client_for(world.outsider_c).get(reverse("measures:network")).status_code == 404
    assert client_for(world.platform_admin).get(reverse("measures:network")).status_code == 404


def fill(world, officers, measures_count, orgs):
    created = []
    for number in range(measures_count):
        measure = adopt(world, propose(world, f"Measure {number}", theme=["cyber", "drones", "access_control"][number % 3]))
        created.append(measure)
        for key in orgs:
            assess(officers[key], measure, ["implemented", "planned", "partly"][number % 3], maturity=2)
    return created


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_network_pages_run_the_same_queries_for_few_or_many(world, client_for, wg, officers, django_assert_max_num_queries):
    client = client_for(world.police_analyst)
    fill(world, officers, 2, ["a", "b"])
    urls = [reverse("measures:network"), reverse("measures:network_csv"), reverse("measures:index"), "/api/v1/measures/network"]
    few = {url: queries(client, url) for url in urls}
    fill(world, officers, 6, ["a", "b", "d", "e", "police"])
    for url in urls:
        with django_assert_max_num_queries(few[url]):
            client.get(url)


def test_the_measure_page_runs_the_same_queries_for_few_or_many_answers(world, client_for, wg, officers, django_assert_max_num_queries):
    client = client_for(world.officer_a)
    measure = fill(world, officers, 1, ["a", "b"])[0]
    url = reverse("measures:detail", args=[measure.pk])
    few = queries(client, url)
    for key in ("d", "e", "police"):
        assess(officers[key], measure, "planned")
    with django_assert_max_num_queries(few):
        client.get(url)


def shown_figures(user) -> list:
    view = network_view(viewer_for(user))
    return [(value, figure.percent, figure.organisations) for value, _label, figure in view.themes] + [
        (label, figure.percent, figure.organisations) for label, figure in view.quarters] + [
        (w.measure.pk, w.status, w.based_on, [o.pk for o in w.organisations]) for w in view.weakest]


def test_one_hidden_answer_cannot_be_deduced_by_differencing_a_theme_and_the_quarter(world, wg, officers):
    """D alone answers the access-control measure without showing it, beside A and B; D and the
    police hide cyber answers too, next to A, B and E who show theirs. Differencing the quarter,
    the cyber figure and the visible access-control answers must not give D's answer away:
    whatever D answers, no figure the viewer gets may move."""
    access = adopt(world, propose(world, "Badge checks", theme="access_control"))
    cyber = adopt(world, propose(world, "Network segmentation", theme="cyber"))
    for key in ("d", "police"):
        hide(officers[key])
    for key in ("a", "b"):
        assess(officers[key], access, "implemented")
        assess(officers[key], cyber, "implemented")
    assess(officers["e"], cyber, "planned")
    for key in ("d", "police"):
        assess(officers[key], cyber, "planned")
    assess(officers["d"], access, "not_started")
    before = shown_figures(world.officer_a)
    figures = {row[0]: row[1] for row in before}
    assert figures["access_control"] is None and figures["cyber"] == 67
    assess(officers["d"], access, "implemented")
    assess(officers["d"], cyber, "implemented")
    assert shown_figures(world.officer_a) == before


def _page(client, url) -> bytes:
    # The CSP nonce and the CSRF token differ per response; nothing else may.
    body = client.get(url).content
    body = re.sub(rb'nonce="[^"]*"', b"", body)
    return re.sub(rb'(csrfmiddlewaretoken" value=|csrf-token" content=)"[^"]*"', rb"\1", body)


def outputs(world, client_for) -> dict:
    """Everything a network member gets of the network view, through every channel."""
    result = {}
    for user in (world.officer_a, world.police_analyst):
        client, api = client_for(user), Api(user)
        result[user.email] = {
            "figures": shown_figures(user),
            "page": _page(client, reverse("measures:network")),
            "print": _page(client, reverse("measures:network_print")),
            "csv": client.get(reverse("measures:network_csv")).content,
            "api": api.get("/measures/network").content,
            "api csv": api.get("/measures/network.csv").content,
        }
    return result


def test_a_hidden_answer_changes_no_figure_page_csv_or_api_output(world, client_for, wg, officers):
    long_ago = timezone.localdate() - timedelta(days=400)
    access = adopt(world, propose(world, "Badge checks", theme="access_control"), on=long_ago)
    cyber = adopt(world, propose(world, "Network segmentation", theme="cyber"), on=long_ago)
    now = timezone.now()
    for key, status in (("a", "implemented"), ("b", "partly"), ("e", "planned")):
        for measure in (access, cyber):
            assess(officers[key], measure, "planned", recorded_at=now - timedelta(days=300))
            assess(officers[key], measure, status, recorded_at=now - timedelta(days=20))
    hide(officers["d"])
    assess(officers["d"], access, "not_started", recorded_at=now - timedelta(days=300))
    before = outputs(world, client_for)
    assert b"Port D" not in before[world.police_analyst.email]["api"]
    # D answers again, now and in an earlier quarter, on both measures.
    assess(officers["d"], access, "implemented", recorded_at=now - timedelta(days=200))
    assess(officers["d"], cyber, "not_started", recorded_at=now - timedelta(days=5))
    assess(officers["d"], access, "not_applicable")
    after = outputs(world, client_for)
    for user, channels in before.items():
        for channel, content in channels.items():
            assert after[user][channel] == content, (user, channel)
