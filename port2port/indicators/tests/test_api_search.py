"""Finding a value across the network through the API: search (exact and fuzzy, with or
without a kind) and a value's timeline across ports, never reaching past the sharing rule."""

from datetime import datetime, timezone

import pytest

from port2port.core.sharing import Audience, Tlp
from port2port.organisations.models import ApiKeyScope
from port2port.reports.tests.api_helpers import Api, api_key, bad_fields

from .test_api_indicators import add, partners_report


def _day(day: int) -> datetime:
    return datetime(2026, 3, day, 12, 0, tzinfo=timezone.utc)


def _reports(body: dict) -> list[int]:
    return [hit["report"]["id"] for hit in body["results"]]


def test_a_value_written_any_way_finds_the_reports_that_hold_it(world):
    older = world.report(title="Antwerp", occurred_at=_day(1))
    newer = partners_report(world, title="Ghent", occurred_at=_day(5), port=world.port_b)
    add(older, world.analyst_a, ("container", "MSKU1234565"))
    add(newer, world.analyst_b, ("container", "msku 123456 5"))
    response = Api(world.analyst_a).get("/indicators/search", {"kind": "container", "value": "MSKU-123456-5"})
    assert response.status_code == 200
    body = response.json()
    assert body["searched"] == [{"kind": "container", "value": "MSKU1234565", "display": body["searched"][0]["display"]}]
    assert _reports(body) == [newer.pk, older.pk]  # newest first
    assert body["results"][0]["report"]["port"] == "BEGNE" and body["results"][0]["fuzzy"] is False


def test_without_a_kind_every_kind_that_accepts_the_value_is_searched(world):
    report = world.report()
    add(report, world.analyst_a, ("imo", "9074729"))
    body = Api(world.analyst_b).get("/indicators/search", {"value": "9074729"}).json()
    assert "imo" in {searched["kind"] for searched in body["searched"]}
    assert [(hit["kind"], hit["report"]["id"]) for hit in body["results"]] == [("imo", report.pk)]


def test_search_never_returns_a_report_the_caller_may_not_see(world):
    shared = world.report()
    hidden = partners_report(world, tlp=Tlp.AMBER, audience=Audience.OWNER)
    draft = world.report(share_now=False)
    for report, author in ((shared, world.analyst_a), (hidden, world.analyst_b), (draft, world.analyst_a)):
        add(report, author, ("container", "MSKU1234565"))
    query = {"kind": "container", "value": "MSKU1234565"}
    assert set(_reports(Api(world.analyst_b).get("/indicators/search", query).json())) == {hidden.pk, shared.pk}
    assert set(_reports(Api(world.analyst_a).get("/indicators/search", query).json())) == {shared.pk, draft.pk}
    assert Api(world.outsider_c).get("/indicators/search", query).json()["results"] == []
    # A key of port A, made by its admin, sees what port A's editors see (its drafts too).
    key = Api(token=api_key(world, scope=ApiKeyScope.READ))
    assert set(_reports(key.get("/indicators/search", query).json())) == {shared.pk, draft.pk}


def test_a_fuzzy_search_finds_misread_plates_and_marks_them(world):
    exact = world.report()
    misread = partners_report(world)
    add(exact, world.analyst_a, ("plate", "1-ABC-123"))
    add(misread, world.analyst_b, ("plate", "1-A8C-123"))
    api = Api(world.analyst_a)
    query = {"kind": "plate", "value": "1 ABC 123"}
    assert _reports(api.get("/indicators/search", query).json()) == [exact.pk]
    fuzzy = api.get("/indicators/search", query | {"fuzzy": "true"}).json()["results"]
    assert {(hit["report"]["id"], hit["fuzzy"]) for hit in fuzzy} == {(exact.pk, False), (misread.pk, True)}


@pytest.mark.parametrize(("kind", "stored", "searched"), [
    ("container", "MSKU 123456-5", "MSKU 123456-0"),  # a wrong check digit
    ("container", "MSKU 123456-5", "MSKU 123456"),  # none
    ("seal", "AB123456", "A8123456"),  # B read as 8
    ("company", "Scheldt Logistics NV", "Scheldtlogistics"),  # spaced otherwise
])
def test_a_fuzzy_search_finds_the_near_matches_the_search_page_finds_in_visible_reports_only(
        world, client_for, kind, stored, searched):
    shared, private = partners_report(world), partners_report(world, tlp=Tlp.AMBER, audience=Audience.OWNER)
    add(shared, world.analyst_b, (kind, stored))
    add(private, world.analyst_b, (kind, stored))
    query = {"kind": kind, "value": searched}
    api = Api(world.analyst_a)
    assert api.get("/indicators/search", query).json()["results"] == []
    hits = api.get("/indicators/search", query | {"fuzzy": "true"}).json()["results"]
    assert [(hit["report"]["id"], hit["fuzzy"]) for hit in hits] == [(shared.pk, True)]
    page = client_for(world.analyst_a).get("/indicators/search/", query | {"fuzzy": "on"})
    assert [row.report_id for row in page.context["results"]] == [shared.pk]
    assert Api(world.outsider_c).get("/indicators/search", query | {"fuzzy": "true"}).json()["results"] == []


def test_a_search_with_a_bad_value_or_kind_is_refused_naming_the_field(world):
    api = Api(world.analyst_a)
    bad_value = api.get("/indicators/search", {"kind": "imo", "value": "1234"})
    assert bad_value.status_code == 422 and bad_fields(bad_value) == {"value"}
    assert bad_fields(api.get("/indicators/search", {"kind": "submarine", "value": "x"})) == {"kind"}
    assert bad_fields(api.get("/indicators/search", {"kind": "imo"})) == {"value"}
    assert bad_fields(api.get("/indicators/search", {"value": "x" * 301})) == {"value"}
    assert bad_fields(api.get("/indicators/search", {"value": "x", "limit": 0})) == {"limit"}


def test_an_anonymous_caller_cannot_search(world):
    assert Api().get("/indicators/search", {"value": "MSKU1234565"}).status_code == 401
    assert Api().get("/indicators/container/MSKU1234565/timeline").status_code == 401


def test_a_timeline_follows_a_value_across_ports_oldest_first(world):
    antwerp = world.report(occurred_at=_day(2))
    ghent = partners_report(world, occurred_at=_day(1), port=world.port_b)
    hidden = partners_report(world, tlp=Tlp.AMBER, audience=Audience.OWNER, occurred_at=_day(3))
    for report, author in ((antwerp, world.analyst_a), (ghent, world.analyst_b), (hidden, world.analyst_b)):
        add(report, author, ("container", "MSKU1234565"))
    response = Api(world.analyst_a).get("/indicators/container/msku 123456-5/timeline")
    assert response.status_code == 200
    body = response.json()
    assert body["value"] == "MSKU1234565"
    assert [(step["report"]["id"], step["report"]["port"]) for step in body["steps"]] == [
        (ghent.pk, "BEGNE"), (antwerp.pk, "BEANR")]
    assert Api(world.outsider_c).get("/indicators/container/MSKU1234565/timeline").json()["steps"] == []
    limited = Api(world.analyst_b).get("/indicators/container/MSKU1234565/timeline", {"limit": 1}).json()
    assert [step["report"]["id"] for step in limited["steps"]] == [ghent.pk]


def test_a_timeline_of_a_url_keeps_its_slashes(world):
    report = world.report()
    add(report, world.analyst_a, ("url", "https://drop.example.net/pay/now"))
    body = Api(world.analyst_b).get("/indicators/url/https://drop.example.net/pay/now/timeline").json()
    assert [step["report"]["id"] for step in body["steps"]] == [report.pk]


def test_a_timeline_of_a_bad_value_or_kind_is_refused_naming_the_field(world):
    api = Api(world.analyst_a)
    bad_value = api.get("/indicators/imo/1234/timeline")
    assert bad_value.status_code == 422 and bad_fields(bad_value) == {"value"}
    assert bad_fields(api.get("/indicators/submarine/x/timeline")) == {"kind"}
    assert bad_fields(api.get("/indicators/imo/9074729/timeline", {"limit": 5000})) == {"limit"}
