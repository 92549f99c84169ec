"""The network view: suppression of small figures, the weakest links, change over time, and a
fixed number of queries however many organisations and measures there are."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from port2port.measures import actions
from port2port.measures.network import network_view, quarter_ends
from port2port.organisations.models import viewer_for

from .conftest import adopt, assess, org_of, propose


def theme_figure(user, theme="access_control"):
    view = network_view(viewer_for(user))
    return next(figure for value, _label, figure in view.themes if value == theme)


def hide(officer):
    actions.set_disclosure(acting_user=officer, organisation=org_of(officer), level="nothing")


def test_a_figure_over_fewer_than_three_organisations_is_suppressed(world, measure, officers):
    assess(officers["a"], measure, "implemented")
    assess(officers["b"], measure, "not_started")
    assert theme_figure(world.police_analyst).suppressed
    assess(officers["d"], measure, "implemented")
    figure = theme_figure(world.police_analyst)
    assert not figure.suppressed and figure.percent == 67


def test_suppression_keeps_one_hidden_answer_from_being_deduced(world, measure, officers):
    """A (the viewer's own) and B show their answers; D shows nothing. Three organisations pass
    the minimum, but the figure minus what A and B show would be D's answer: suppressed."""
    assess(officers["a"], measure, "implemented")
    assess(officers["b"], measure, "implemented")
    hide(officers["d"])
    assess(officers["d"], measure, "not_started")
    assert theme_figure(world.officer_a).suppressed
    assert theme_figure(world.police_analyst).suppressed
    # Nor does the matrix or the weakest link name D.
    view = network_view(viewer_for(world.officer_a))
    assert "Port D" not in [row.organisation.name for row in view.rows]
    assert view.weakest[0][4] is False  # two shown answers: fewer than three
    # Three hidden organisations pool safely: none can be singled out.
    for key in ("e", "police"):
        hide(officers[key])
        assess(officers[key], measure, "implemented")
    figure = theme_figure(world.officer_a)
    assert not figure.suppressed and figure.percent == 80


def test_the_minimum_group_size_is_a_setting(world, measure, officers, settings):
    assess(officers["a"], measure, "implemented")
    assess(officers["b"], measure, "planned")
    settings.MEASURES_MIN_GROUP_SIZE = 2
    assert theme_figure(world.police_analyst).percent == 50


def test_the_weakest_link_names_the_lowest_shown_status(world, measure, officers):
    assess(officers["a"], measure, "implemented")
    assess(officers["b"], measure, "planned")
    assess(officers["d"], measure, "planned")
    assess(officers["e"], measure, "not_applicable")
    hide(officers["police"])
    assess(officers["police"], measure, "not_started")  # lower, but hidden: not named
    _measure, status, _label, orgs, shown = network_view(viewer_for(world.analyst_a)).weakest[0]
    assert shown and status == "planned" and [o.name for o in orgs] == ["Port B", "Port D"]


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
    return [(value, figure.percent) for value, _label, figure in view.themes] + [
        (label, figure.percent) for label, figure in view.quarters]


def test_one_hidden_answer_cannot_be_deduced_by_differencing_a_theme_and_the_quarter(world, wg, officers):
    """D alone hides an answer on the access-control measure (its theme is suppressed), but D, E
    and the police hide cyber answers too, so the quarter pools three hidden organisations. The
    quarter minus the cyber figure minus the visible access-control answers would be D's answer:
    whatever D answers there, no figure the viewer gets may move."""
    access = adopt(world, propose(world, "Badge checks", theme="access_control"))
    cyber = adopt(world, propose(world, "Network segmentation", theme="cyber"))
    for key in ("d", "e", "police"):
        hide(officers[key])
    for key in ("a", "b"):
        assess(officers[key], access, "implemented")
        assess(officers[key], cyber, "implemented")
    for key in ("d", "e", "police"):
        assess(officers[key], cyber, "planned")
    assess(officers["d"], access, "not_started")
    before = shown_figures(world.officer_a)
    assert dict(before)["access_control"] is None and dict(before)["cyber"] is not None
    assess(officers["d"], access, "implemented")
    assert shown_figures(world.officer_a) == before
