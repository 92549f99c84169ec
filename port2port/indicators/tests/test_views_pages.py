"""The indicator pages, as the people who use them see them: the report's panel with its
correlations and sightings, paste-to-extract, one value's timeline, search, the watchlist and
the retention review."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from port2port.core.sharing import Audience, Tlp
from port2port.indicators.actions import NewIndicator, add_indicators, create_watch
from port2port.indicators.models import Indicator, Sighting, Watch, WarningListEntry

pytestmark = pytest.mark.django_db

CONTAINER = "MSKU 123456-5"
CONTAINER_VALUE = "MSKU1234565"


def add(report, author, *items):
    return add_indicators(report, acting_user=author, items=[NewIndicator(kind, raw) for kind, raw in items])


@pytest.fixture
def two_reports(world):
    """Port A's report and port B's network report share a container number."""
    mine = world.report(title="Reefer opened at quay 1742")
    theirs = world.report(author=world.analyst_b, organisation=world.org_b, title="Same box in Ghent",
                          port=world.port_b, tlp=Tlp.GREEN)
    add(mine, world.analyst_a, ("container", CONTAINER))
    add(theirs, world.analyst_b, ("container", CONTAINER))
    return mine, theirs


def detail(client, report, **params):
    return client.get(reverse("reports:detail", args=[report.pk]), params)


# --- the panel on the report page --------------------------------------------------------------


def test_the_report_page_lists_its_indicators_with_the_other_reports_holding_them(world, client_for, two_reports):
    mine, theirs = two_reports
    page = detail(client_for(world.analyst_a), mine).content.decode()
    assert 'id="indicators"' in page
    assert "MSKU 123456 5" in page
    assert "Same box in Ghent" in page and "Ghent" in page and "Port B" in page


def test_a_wrong_check_digit_is_flagged_with_the_digit_it_should_be(world, client_for):
    report = world.report()
    add(report, world.analyst_a, ("container", "MSKU 123456-6"))
    page = detail(client_for(world.analyst_a), report).content.decode()
    assert "The check digit is wrong" in page
    assert "Did you mean MSKU1234565?" in page


def test_a_report_the_reader_may_not_see_never_shows_as_a_correlation(world, client_for):
    mine = world.report()
    hidden = world.report(author=world.analyst_b, organisation=world.org_b, title="Port B internal note",
                          audience=Audience.OWNER)
    add(mine, world.analyst_a, ("container", CONTAINER))
    add(hidden, world.analyst_b, ("container", CONTAINER))
    page = detail(client_for(world.analyst_a), mine).content.decode()
    assert "Port B internal note" not in page
    assert "In no other report you can see." in page


def test_near_matches_of_a_plate_are_marked_fuzzy(world, client_for):
    mine = world.report()
    theirs = world.report(author=world.analyst_b, organisation=world.org_b, title="Van at the gate")
    add(mine, world.analyst_a, ("plate", "1-ABC-123"))
    add(theirs, world.analyst_b, ("plate", "1-A8C-123"))
    page = detail(client_for(world.analyst_a), mine).content.decode()
    assert "Van at the gate" in page
    assert "mark-fuzzy" in page


def test_a_common_value_is_shown_only_on_request(world, client_for, settings):
    settings.CORRELATION_COMMON_THRESHOLD = 1
    mine = world.report()
    add(mine, world.analyst_a, ("container", CONTAINER))
    for number in range(2):
        other = world.report(author=world.analyst_b, organisation=world.org_b, title=f"Common box {number}")
        add(other, world.analyst_b, ("container", CONTAINER))
    client = client_for(world.analyst_a)
    page = detail(client, mine).content.decode()
    assert "common value" in page and "Common box 0" not in page
    shown = client.get(reverse("indicators:panel", args=[mine.pk]), {"common": "1"}, HTTP_HX_REQUEST="true")
    assert "Common box 0" in shown.content.decode()


def test_a_known_benign_value_is_marked_and_not_correlated(world, client_for, two_reports):
    mine, _ = two_reports
    WarningListEntry.objects.create(kind="container", value=CONTAINER_VALUE, reason="test number")
    page = detail(client_for(world.analyst_a), mine).content.decode()
    assert "known benign: test number" in page
    assert "Same box in Ghent" not in page


def test_editors_get_the_add_form_and_remove_buttons_and_readers_do_not(world, client_for, two_reports):
    mine, _ = two_reports
    editor_page = detail(client_for(world.analyst_a), mine).content.decode()
    reader_page = detail(client_for(world.analyst_b), mine).content.decode()
    assert reverse("indicators:add", args=[mine.pk]) in editor_page
    assert reverse("indicators:add", args=[mine.pk]) not in reader_page
    assert "/remove/" in editor_page and "/remove/" not in reader_page
    assert "Seen at my port too" in reader_page


def test_a_partner_says_seen_at_my_port_too_and_the_count_shows_per_port(world, client_for, two_reports):
    mine, _ = two_reports
    indicator = mine.indicators.get()
    client = client_for(world.analyst_b)
    response = client.post(reverse("indicators:sighting", args=[indicator.pk]), {"kind": "seen"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    sighting = Sighting.objects.get()
    assert sighting.organisation == world.org_b and sighting.port == world.port_b
    assert "Ghent: <strong>1</strong>" in response.content.decode()
    assert "your word on MSKU 123456 5 is recorded" in response.content.decode()
    # Said in the panel that htmx swapped in, so it does not pop up again on the next page.
    assert "is recorded" not in client.get(reverse("home")).content.decode()


def test_a_sighting_without_htmx_returns_to_the_report(world, client_for, two_reports):
    mine, _ = two_reports
    indicator = mine.indicators.get()
    response = client_for(world.analyst_b).post(reverse("indicators:sighting", args=[indicator.pk]), {"kind": "false_positive"})
    assert response.status_code == 302 and response.url.endswith("#indicators")
    assert Sighting.objects.get().kind == "false_positive"


def test_an_editor_removes_an_indicator(world, client_for, two_reports):
    mine, _ = two_reports
    indicator = mine.indicators.get()
    response = client_for(world.analyst_a).post(reverse("indicators:remove", args=[indicator.pk]))
    assert response.status_code == 302
    assert not mine.indicators.exists()


def test_the_owner_sees_a_persons_name_and_partners_only_the_pseudonym(world, client_for):
    report = world.report()
    add(report, world.analyst_a, ("person", "Jan Janssens; 1985-03-12"))
    assert "Jan Janssens" in detail(client_for(world.analyst_a), report).content.decode()
    assert "Jan Janssens" not in detail(client_for(world.analyst_b), report).content.decode()


# --- adding by hand and by pasting -----------------------------------------------------------


def test_an_editor_adds_one_indicator_by_hand(world, client_for):
    report = world.report()
    response = client_for(world.analyst_a).post(reverse("indicators:add", args=[report.pk]),
                                                {"kind": "imo", "value": "IMO 9074731", "comment": "bulk carrier"})
    assert response.status_code == 302
    indicator = report.indicators.get()
    assert (indicator.value, indicator.comment) == ("9074731", "bulk carrier")


def test_paste_proposes_candidates_ticking_only_the_confident_ones(world, client_for):
    report = world.report()
    text = "Container MSKU 123456-6 on IMO 9074731, mail jan@evil.be"
    page = client_for(world.analyst_a).post(reverse("indicators:paste", args=[report.pk]), {"text": text}).content.decode()
    assert "Confirm the indicators" in page
    assert "jan@evil.be" in page
    # The container with a wrong check digit is proposed, flagged and left unticked.
    assert "The check digit is wrong" in page
    assert not report.indicators.exists()


def test_confirming_adds_the_ticked_candidates_only(world, client_for):
    report = world.report()
    data = {"confirm": "1", "count": "2", "pick": ["1"],
            "kind_0": "container", "raw_0": "MSKU 123456-6", "confidence_0": "0.25",
            "kind_1": "email", "raw_1": "jan@evil.be", "confidence_1": "0.9"}
    response = client_for(world.analyst_a).post(reverse("indicators:paste", args=[report.pk]), data)
    assert response.status_code == 302
    assert list(report.indicators.values_list("kind", "value")) == [("email", "jan@evil.be")]


# --- one value, search, watchlist, review ----------------------------------------------------


def test_the_value_page_shows_the_timeline_across_ports_and_a_map(world, client_for, two_reports):
    response = client_for(world.analyst_a).get(reverse("indicators:value", args=["container", CONTAINER_VALUE]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Reefer opened at quay 1742") < page.index("Same box in Ghent")  # oldest first
    assert 'id="ports-data"' in page and "BEGNE" in page
    assert "Watch this value" in page


def test_search_normalises_the_typed_value_first(world, client_for, two_reports):
    page = client_for(world.analyst_a).get(reverse("indicators:search"), {"kind": "container", "value": "msku 123456-5"})
    assert "Same box in Ghent" in page.content.decode()
    assert "2 reports hold this value" in page.content.decode()


def test_fuzzy_search_finds_misread_plates(world, client_for):
    report = world.report(title="Van at the gate")
    add(report, world.analyst_a, ("plate", "1-A8C-123"))
    client = client_for(world.analyst_a)
    exact = client.get(reverse("indicators:search"), {"kind": "plate", "value": "1-ABC-123"}).content.decode()
    fuzzy = client.get(reverse("indicators:search"), {"kind": "plate", "value": "1-ABC-123", "fuzzy": "on"}).content.decode()
    assert "Van at the gate" not in exact
    assert "Van at the gate" in fuzzy and "mark-fuzzy" in fuzzy


def test_near_search_finds_a_container_written_with_another_check_digit(world, client_for):
    add(world.report(title="Typo at the scanner"), world.analyst_a, ("container", "MSKU 123456 4"))
    client = client_for(world.analyst_a)
    exact = client.get(reverse("indicators:search"), {"kind": "container", "value": "MSKU 123456-5"}).content.decode()
    near = client.get(reverse("indicators:search"), {"kind": "container", "value": "MSKU 123456-5", "fuzzy": "on"}).content.decode()
    assert "Typo at the scanner" not in exact
    assert "Typo at the scanner" in near and "mark-fuzzy" in near


def test_a_watch_is_created_listed_and_stopped(world, client_for):
    client = client_for(world.analyst_b)
    response = client.post(reverse("indicators:watchlist"), {"kind": "container", "value": CONTAINER, "label": "tip-off"})
    assert response.status_code == 302
    watch = Watch.objects.get()
    assert (watch.organisation, watch.value, watch.label) == (world.org_b, CONTAINER_VALUE, "tip-off")
    assert "tip-off" in client.get(reverse("indicators:watchlist")).content.decode()
    assert client.post(reverse("indicators:watch_stop", args=[watch.pk])).status_code == 302
    watch.refresh_from_db()
    assert not watch.is_active


def test_a_hit_shows_on_the_watchlist_when_the_report_is_visible(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        create_watch(acting_user=world.analyst_b, organisation=world.org_b, kind="container", raw=CONTAINER)
    report = world.report(title="Reefer opened at quay 1742")
    with django_capture_on_commit_callbacks(execute=True):
        add(report, world.analyst_a, ("container", CONTAINER))
    page = client_for(world.analyst_b).get(reverse("indicators:watchlist")).content.decode()
    assert "Reefer opened at quay 1742" in page


def test_the_owner_is_told_of_interest_in_a_report_the_watcher_may_not_see(world, client_for,
                                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        create_watch(acting_user=world.outsider_c, organisation=world.org_c, kind="container", raw=CONTAINER)
    report = world.report(title="Reefer opened at quay 1742")
    with django_capture_on_commit_callbacks(execute=True):
        add(report, world.analyst_a, ("container", CONTAINER))
    owner_page = client_for(world.analyst_a).get(reverse("indicators:watchlist")).content.decode()
    watcher_page = client_for(world.outsider_c).get(reverse("indicators:watchlist")).content.decode()
    assert "Another organisation has an interest in MSKU 123456 5" in owner_page
    assert reverse("reports:share", args=[report.pk]) in owner_page
    assert "Port C" not in owner_page  # the owner learns that someone is interested, not who
    assert "Reefer opened at quay 1742" not in watcher_page


def due_phone(world):
    report = world.report(title="Caller at the gate")
    [indicator] = add(report, world.analyst_a, ("phone", "+32 470 12 34 56"))
    Indicator.objects.filter(pk=indicator.pk).update(review_at=timezone.now() - timedelta(days=1))
    return indicator


def test_the_review_lists_due_personal_indicators_and_keeps_one_with_a_reason(world, client_for):
    indicator = due_phone(world)
    client = client_for(world.analyst_a)
    assert "Caller at the gate" in client.get(reverse("indicators:review")).content.decode()
    response = client.post(reverse("indicators:keep", args=[indicator.pk]), {f"keep-{indicator.pk}-reason": "case open"})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.kept_reason == "case open" and indicator.review_at > timezone.now()


def test_the_review_purges_an_indicator(world, client_for):
    indicator = due_phone(world)
    assert client_for(world.analyst_a).post(reverse("indicators:purge", args=[indicator.pk])).status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_the_nav_links_to_the_indicators(world, client_for):
    page = client_for(world.analyst_a).get(reverse("home")).content.decode()
    assert reverse("indicators:search") in page


def test_the_section_address_leads_to_search_with_its_tab_marked(world, client_for):
    client = client_for(world.analyst_a)
    assert client.get("/indicators/").url == reverse("indicators:search")
    page = client.get(reverse("indicators:search")).content.decode()
    assert f'href="{reverse("indicators:search")}" aria-current="page"' in page


def test_a_sighting_can_say_when_and_where(world, client_for):
    report = world.report()
    [indicator] = add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator("container", "CSQU3054383")])
    response = client_for(world.analyst_b).post(
        reverse("indicators:sighting", args=[indicator.pk]),
        {"kind": "seen", "seen_at": "2026-11-20T04:10", "port": world.port_b.pk, "place": "Kennedy quay"})
    assert response.status_code in (200, 302)
    sighting = Sighting.objects.get()
    assert (sighting.port, sighting.place, sighting.seen_at.hour) == (world.port_b, "Kennedy quay", 3)  # 04:10 Brussels


def test_a_sighting_in_the_future_is_refused_naming_the_field(world, client_for):
    report = world.report()
    [indicator] = add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator("container", "CSQU3054383")])
    response = client_for(world.analyst_b).post(reverse("indicators:sighting", args=[indicator.pk]),
                                                {"kind": "seen", "seen_at": "2099-01-01T00:00"},
                                                headers={"HX-Request": "true"})
    assert Sighting.objects.count() == 0
    assert "A sighting cannot be in the future." in response.content.decode()


def test_a_warning_reads_in_the_readers_language_not_the_adders(world, client_for):
    report = world.report(audience=Audience.NETWORK)
    add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator("container", "CSQU3054384")])
    world.analyst_b.language = "nl"
    world.analyst_b.save(update_fields=["language"])
    english = client_for(world.analyst_a).get(reverse("reports:detail", args=[report.pk])).content.decode()
    dutch = client_for(world.analyst_b).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "The check digit is wrong" in english
    assert "The check digit is wrong" not in dutch and "controlecijfer" in dutch.lower()
