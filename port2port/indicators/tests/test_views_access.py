"""Who reaches which indicator page: what the person may not see is a 404 with the same body as
a missing id or value, anonymous is sent to sign in, and a reader who may not change a report
gets a 403 on its indicators' editing pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from port2port.core.sharing import Audience
from port2port.indicators.actions import NewIndicator, add_indicators, create_watch
from port2port.indicators.models import Indicator, Sighting, Watch

pytestmark = pytest.mark.django_db

MISSING = 999999
CONTAINER = "MSKU 123456-5"


def report_with_indicator(world):
    """Port A's network report holding a container number (and, for the review, a due phone)."""
    report = world.report(title="Reefer opened at quay 1742", audience=Audience.NETWORK)
    indicators = add_indicators(report, acting_user=world.analyst_a, items=[
        NewIndicator("container", CONTAINER), NewIndicator("phone", "+32 470 12 34 56")])
    Indicator.objects.filter(kind="phone").update(review_at=timezone.now() - timedelta(days=1))
    return report, next(i for i in indicators if i.kind == "container")


def call(client, method, url, data=None):
    return client.get(url) if method == "get" else client.post(url, data or {})


REPORT_PAGES = [
    ("get", "indicators:panel", None),
    ("get", "indicators:add", None),
    ("post", "indicators:add", {"kind": "imo", "value": "9074731"}),
    ("get", "indicators:paste", None),
    ("post", "indicators:paste", {"text": "IMO 9074731"}),
    ("post", "indicators:paste", {"confirm": "1", "count": "1", "pick": "0", "kind_0": "imo", "raw_0": "9074731"}),
]
INDICATOR_ACTIONS = [
    ("indicators:sighting", {"kind": "seen"}),
    ("indicators:remove", {}),
    ("indicators:keep", {"reason": "case open"}),
    ("indicators:purge", {}),
]


@pytest.mark.parametrize("method,name,data", REPORT_PAGES)
def test_an_outsider_gets_the_same_404_for_a_reports_indicator_pages_as_for_a_missing_report(
        world, client_for, method, name, data):
    report, _ = report_with_indicator(world)
    client = client_for(world.outsider_c)
    hidden = call(client, method, reverse(name, args=[report.pk]), data)
    missing = call(client, method, reverse(name, args=[MISSING]), data)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert Indicator.objects.count() == 2


@pytest.mark.parametrize("name,data", INDICATOR_ACTIONS)
def test_an_outsider_gets_the_same_404_for_an_indicator_as_for_a_missing_one(world, client_for, name, data):
    _, indicator = report_with_indicator(world)
    client = client_for(world.outsider_c)
    hidden = client.post(reverse(name, args=[indicator.pk]), data)
    missing = client.post(reverse(name, args=[MISSING]), data)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert Indicator.objects.count() == 2 and not Sighting.objects.exists()


def test_an_outsider_gets_the_same_404_for_a_value_as_for_a_value_nobody_holds(world, client_for):
    report_with_indicator(world)
    client = client_for(world.outsider_c)
    hidden = client.get(reverse("indicators:value", args=["container", "MSKU1234565"]))
    missing = client.get(reverse("indicators:value", args=["container", "TGHU0000000"]))
    unknown_kind = client.get(reverse("indicators:value", args=["starship", "NCC1701"]))
    assert hidden.status_code == missing.status_code == unknown_kind.status_code == 404
    assert hidden.content == missing.content == unknown_kind.content


def test_an_outsider_finds_nothing_by_search_and_no_hits(world, client_for):
    report_with_indicator(world)
    client = client_for(world.outsider_c)
    page = client.get(reverse("indicators:search"), {"kind": "container", "value": CONTAINER}).content.decode()
    assert "Reefer opened at quay 1742" not in page
    assert "No report you can see holds this value." in page
    review = client.get(reverse("indicators:review")).content.decode()
    assert "Reefer opened at quay 1742" not in review


def test_another_organisations_watch_cannot_be_stopped_and_looks_missing(world, client_for):
    watch = create_watch(acting_user=world.analyst_b, organisation=world.org_b, kind="container", raw=CONTAINER)
    client = client_for(world.outsider_c)
    theirs = client.post(reverse("indicators:watch_stop", args=[watch.pk]))
    missing = client.post(reverse("indicators:watch_stop", args=[MISSING]))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    assert Watch.objects.get().is_active


def test_another_organisations_watches_do_not_show_on_my_watchlist(world, client_for):
    create_watch(acting_user=world.analyst_b, organisation=world.org_b, kind="container", raw=CONTAINER, label="tip-off")
    assert "tip-off" not in client_for(world.outsider_c).get(reverse("indicators:watchlist")).content.decode()


ANONYMOUS_PAGES = [
    ("get", "indicators:search", []),
    ("get", "indicators:watchlist", []),
    ("post", "indicators:watchlist", []),
    ("get", "indicators:review", []),
    ("get", "indicators:value", ["container", "MSKU1234565"]),
    ("get", "indicators:panel", ["REPORT"]),
    ("get", "indicators:add", ["REPORT"]),
    ("get", "indicators:paste", ["REPORT"]),
    ("post", "indicators:sighting", ["INDICATOR"]),
    ("post", "indicators:remove", ["INDICATOR"]),
    ("post", "indicators:keep", ["INDICATOR"]),
    ("post", "indicators:purge", ["INDICATOR"]),
    ("post", "indicators:watch_stop", ["WATCH"]),
]


@pytest.mark.parametrize("method,name,args", ANONYMOUS_PAGES)
def test_anonymous_is_sent_to_sign_in(world, client_for, method, name, args):
    report, indicator = report_with_indicator(world)
    watch = create_watch(acting_user=world.analyst_b, organisation=world.org_b, kind="container", raw=CONTAINER)
    ids = {"REPORT": report.pk, "INDICATOR": indicator.pk, "WATCH": watch.pk}
    response = call(client_for(None), method, reverse(name, args=[ids.get(a, a) for a in args]), {"kind": "seen"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Indicator.objects.count() == 2 and Watch.objects.get().is_active and not Sighting.objects.exists()


def test_anonymous_visitors_on_public_pages_see_no_indicators_panel(world, client_for, settings):
    from port2port.core.sharing import Tlp

    settings.PUBLIC_PAGES = True
    report = world.report(tlp=Tlp.CLEAR, audience=Audience.PUBLIC)
    add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator("container", CONTAINER)])
    page = client_for(None).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'id="indicators"' not in page and "MSKU" not in page


@pytest.mark.parametrize("method,name,data", REPORT_PAGES[1:])
def test_a_reader_who_may_not_change_the_report_gets_403_on_its_editing_pages(world, client_for, method, name, data):
    report, _ = report_with_indicator(world)
    response = call(client_for(world.analyst_b), method, reverse(name, args=[report.pk]), data)
    assert response.status_code == 403
    assert Indicator.objects.count() == 2


@pytest.mark.parametrize("name,data", INDICATOR_ACTIONS[1:])
def test_a_reader_may_not_remove_keep_or_purge_an_indicator(world, client_for, name, data):
    _, indicator = report_with_indicator(world)
    phone = Indicator.objects.get(kind="phone")
    target = phone if name != "indicators:remove" else indicator
    response = client_for(world.analyst_b).post(reverse(name, args=[target.pk]), data)
    assert response.status_code == 403
    assert Indicator.objects.count() == 2
    phone.refresh_from_db()
    assert phone.kept_reason == ""


def test_a_viewer_role_may_not_record_a_sighting(world, client_for):
    _, indicator = report_with_indicator(world)
    response = client_for(world.red_reader_b).post(reverse("indicators:sighting", args=[indicator.pk]), {"kind": "seen"})
    assert response.status_code == 403
    assert not Sighting.objects.exists()


def test_a_viewer_role_may_not_create_a_watch(world, client_for):
    response = client_for(world.red_reader_b).post(reverse("indicators:watchlist"), {"kind": "container", "value": CONTAINER})
    assert response.status_code == 403
    assert not Watch.objects.exists()
