"""A report's indicators through the API: bulk import (JSON or CSV, all or nothing), reading
them with their correlations, taking one off, and what outsiders, anonymous callers and
read-only keys get."""

import json

from port2port.core.audit import verify_chain
from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience, Tlp
from port2port.indicators.actions import NewIndicator, add_indicators
from port2port.indicators.models import Indicator
from port2port.organisations.models import ApiKeyScope
from port2port.reports.tests.api_helpers import API, NOT_FOUND, Api, api_key, bad_fields, problem

MISSING = 999_999


def rows(*pairs) -> dict:
    return {"indicators": [{"kind": kind, "value": value} for kind, value in pairs]}


def containers(count: int, start: int = 0) -> list[dict]:
    """`count` distinct container numbers (check digits unchecked: a wrong one is kept, flagged)."""
    return [{"kind": "container", "value": f"MSKU{number:06d}0"} for number in range(start, start + count)]


def post_csv(api: Api, path: str, text: str | bytes):
    return api.client.post(API + path, text, content_type="text/csv", headers=api.headers)


def delete(api: Api, path: str):
    return api.client.delete(API + path, headers=api.headers)


def add(report, author, *pairs):
    return add_indicators(report, acting_user=author, items=[NewIndicator(kind, raw) for kind, raw in pairs])


def partners_report(world, **marking):
    return world.report(author=world.analyst_b, organisation=world.org_b,
                        **({"tlp": Tlp.GREEN, "audience": Audience.NETWORK} | marking))


# --- import -----------------------------------------------------------------------------------


def test_an_author_adds_indicators_as_json_and_they_are_normalised(world):
    report = world.report()
    response = Api(world.analyst_a).post(f"/reports/{report.pk}/indicators", {"indicators": [
        {"kind": "container", "value": "msku 123456-5", "comment": "reefer, door seal cut"},
        {"kind": "imo", "value": "IMO 9074729"},
    ]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["added"] == 2
    container = next(item for item in body["indicators"] if item["kind"] == "container")
    assert container["value"] == "MSKU1234565" and container["comment"] == "reefer, door seal cut"
    assert sorted(report.indicators.values_list("kind", "value")) == [("container", "MSKU1234565"), ("imo", "9074729")]
    assert AuditEvent.objects.filter(action="indicators.add", target_id=str(report.pk)).exists()
    assert verify_chain().ok


def test_a_csv_file_adds_indicators_the_same_way(world):
    report = world.report()
    text = "\ufeffkind,value,comment\r\ncontainer,MSKU 123456-5,\"reefer, seal cut\"\r\n\r\nplate,1-ABC-123\r\n"
    response = post_csv(Api(world.analyst_a), f"/reports/{report.pk}/indicators", text.encode())
    assert response.status_code == 201, response.content
    assert response.json()["added"] == 2
    assert report.indicators.get(kind="container").comment == "reefer, seal cut"
    assert report.indicators.get(kind="plate").value == "BE:1ABC123"


def test_a_value_the_report_already_holds_is_not_added_twice(world):
    report = world.report()
    api = Api(world.analyst_a)
    api.post(f"/reports/{report.pk}/indicators", rows(("container", "MSKU1234565")))
    again = api.post(f"/reports/{report.pk}/indicators", rows(("container", "MSKU 123456-5"), ("imo", "9074729")))
    assert again.status_code == 201 and again.json()["added"] == 1
    assert report.indicators.count() == 2


def test_ten_thousand_rows_are_added_in_one_request_and_one_more_is_refused_with_413(world):
    report = world.report()
    api = Api(world.analyst_a)
    too_many = api.post(f"/reports/{report.pk}/indicators", {"indicators": containers(10_001)})
    assert too_many.status_code == 413
    assert "10000" in problem(too_many)["detail"] and bad_fields(too_many) == {"body"}
    assert not report.indicators.exists()
    # With a comment each, the request is well over the 2 MB the rest of the API accepts.
    full = [row | {"comment": "Seen on the manifest of the feeder from Rotterdam, bay 14, tier 82." * 3}
            for row in containers(10_000)]
    response = api.post(f"/reports/{report.pk}/indicators", {"indicators": full})
    assert response.status_code == 201, response.content[:500]
    assert response.json()["added"] == 10_000
    assert report.indicators.count() == 10_000


def test_a_csv_file_of_ten_thousand_rows_is_added_and_one_more_row_is_413(world):
    report = world.report()
    api = Api(world.analyst_a)
    lines = ["kind,value"] + [f"{row['kind']},{row['value']}" for row in containers(10_001)]
    assert post_csv(api, f"/reports/{report.pk}/indicators", "\n".join(lines)).status_code == 413
    response = post_csv(api, f"/reports/{report.pk}/indicators", "\n".join(lines[:-1]))
    assert response.status_code == 201 and response.json()["added"] == 10_000


def test_one_bad_row_in_a_thousand_saves_none_and_the_row_is_named(world):
    report = world.report()
    body = {"indicators": containers(1_000)}
    body["indicators"][500] = {"kind": "container", "value": "no container here"}
    response = Api(world.analyst_a).post(f"/reports/{report.pk}/indicators", body)
    assert response.status_code == 422
    assert bad_fields(response) == {"indicators.500.value"}
    assert not Indicator.objects.exists()
    assert not AuditEvent.objects.filter(action="indicators.add").exists()


def test_every_bad_row_is_named_by_number_and_field(world):
    report = world.report()
    response = Api(world.analyst_a).post(f"/reports/{report.pk}/indicators", {"indicators": [
        {"kind": "container", "value": "MSKU1234565"},
        {"kind": "submarine", "value": "Yellow"},
        {"kind": "imo", "value": ""},
        {"kind": "imo"},
        {"kind": "text", "value": "x" * 301},
        {"kind": "text", "value": "fine", "comment": "c" * 301},
        {"kind": "text", "value": "fine", "colour": "red"},
        {"kind": "mmsi", "value": "12"},
    ]})
    assert response.status_code == 422
    assert bad_fields(response) == {
        "indicators.1.kind", "indicators.2.value", "indicators.3.value", "indicators.4.value",
        "indicators.5.comment", "indicators.6.colour",
    }
    assert not Indicator.objects.exists()
    # Once the shape is right, the values are checked by their kind, again row by row.
    second = Api(world.analyst_a).post(f"/reports/{report.pk}/indicators", rows(("imo", "9074729"), ("mmsi", "12")))
    assert second.status_code == 422 and bad_fields(second) == {"indicators.1.value"}
    assert not Indicator.objects.exists()


def test_a_csv_row_that_cannot_be_a_value_is_named_too(world):
    report = world.report()
    api = Api(world.analyst_a)
    response = post_csv(api, f"/reports/{report.pk}/indicators", "kind,value\ncontainer,MSKU1234565\nimo,12\n")
    assert response.status_code == 422 and bad_fields(response) == {"indicators.1.value"}
    wide = post_csv(api, f"/reports/{report.pk}/indicators", "kind,value\ncontainer,MSKU1234565,extra\n")
    assert wide.status_code == 422 and bad_fields(wide) == {"indicators.0"}
    short = post_csv(api, f"/reports/{report.pk}/indicators", "kind,value,comment\ncontainer\n")
    assert short.status_code == 422 and bad_fields(short) == {"indicators.0.value"}
    assert not Indicator.objects.exists()


def test_a_body_that_cannot_be_read_is_named(world):
    report = world.report()
    api = Api(world.analyst_a)
    path = f"/reports/{report.pk}/indicators"
    not_json = api.post(path, raw="{indicators: [")
    assert not_json.status_code == 400 and bad_fields(not_json) == {"body"}
    assert "JSON" in problem(not_json)["detail"]
    assert bad_fields(api.post(path, raw="[1, 2]")) == {"body"}
    assert bad_fields(api.post(path, {"rows": []})) == {"indicators", "rows"}
    assert bad_fields(api.post(path, {"indicators": "MSKU1234565"})) == {"indicators"}
    no_header = post_csv(api, path, "container,MSKU1234565\n")
    assert no_header.status_code == 400 and bad_fields(no_header) == {"body"}
    assert "kind,value,comment" in problem(no_header)["detail"]
    latin1 = post_csv(api, path, "kind,value\ntext,Liège\n".encode("latin-1"))
    assert latin1.status_code == 400 and "UTF-8" in problem(latin1)["detail"]
    broken = post_csv(api, path, 'kind,value\ntext,"unterminated\n')
    assert broken.status_code == 400 and bad_fields(broken) == {"body"}
    xml = api.client.post(API + path, "<indicators/>", content_type="application/xml", headers=api.headers)
    assert xml.status_code == 415 and bad_fields(xml) == {"body"}
    assert not Indicator.objects.exists()


def test_an_empty_import_adds_nothing(world):
    report = world.report()
    response = Api(world.analyst_a).post(f"/reports/{report.pk}/indicators", {"indicators": []})
    assert response.status_code == 201 and response.json() == {"added": 0, "indicators": []}


# --- who may import ---------------------------------------------------------------------------


def test_a_reader_who_may_not_edit_is_refused_with_403_and_nothing_is_saved(world):
    report = world.report()
    response = Api(world.analyst_b).post(f"/reports/{report.pk}/indicators", rows(("container", "MSKU1234565")))
    assert response.status_code == 403
    assert not Indicator.objects.exists()


def test_an_outsider_gets_the_same_404_as_for_a_missing_report(world):
    report = world.report()
    add(report, world.analyst_a, ("container", "MSKU1234565"))
    outsider = Api(world.outsider_c)
    for path in (f"/reports/{report.pk}/indicators", f"/reports/{MISSING}/indicators"):
        assert outsider.get(path).status_code == 404 and problem(outsider.get(path)) == NOT_FOUND
        imported = outsider.post(path, rows(("container", "MSKU1234566")))
        assert imported.status_code == 404 and problem(imported) == NOT_FOUND
    indicator = report.indicators.get()
    for path in (f"/reports/{report.pk}/indicators/{indicator.pk}", f"/reports/{MISSING}/indicators/{indicator.pk}"):
        removed = delete(outsider, path)
        assert removed.status_code == 404 and problem(removed) == NOT_FOUND
    assert outsider.get(f"/reports/{report.pk}/indicators").content == outsider.get(f"/reports/{MISSING}/indicators").content
    assert report.indicators.count() == 1


def test_an_anonymous_caller_gets_401_and_nothing_else(world):
    report = world.report()
    add(report, world.analyst_a, ("container", "MSKU1234565"))
    anonymous = Api()
    assert anonymous.get(f"/reports/{report.pk}/indicators").status_code == 401
    assert anonymous.post(f"/reports/{report.pk}/indicators", rows(("imo", "9074729"))).status_code == 401
    assert delete(anonymous, f"/reports/{report.pk}/indicators/{report.indicators.get().pk}").status_code == 401
    assert report.indicators.count() == 1


def test_a_read_only_key_reads_indicators_but_cannot_import_or_remove(world):
    report = world.report()
    add(report, world.analyst_a, ("container", "MSKU1234565"))
    reader = Api(token=api_key(world, scope=ApiKeyScope.READ))
    assert reader.get(f"/reports/{report.pk}/indicators").status_code == 200
    refused = reader.post(f"/reports/{report.pk}/indicators", rows(("imo", "9074729")))
    assert refused.status_code == 403 and "only read" in problem(refused)["detail"]
    assert delete(reader, f"/reports/{report.pk}/indicators/{report.indicators.get().pk}").status_code == 403
    writer = Api(token=api_key(world, scope=ApiKeyScope.WRITE))
    assert writer.post(f"/reports/{report.pk}/indicators", rows(("imo", "9074729"))).status_code == 201
    assert report.indicators.count() == 2


def test_a_write_key_cannot_import_into_another_organisations_report_it_only_reads(world):
    report = partners_report(world)
    response = Api(token=api_key(world, scope=ApiKeyScope.WRITE)).post(
        f"/reports/{report.pk}/indicators", rows(("imo", "9074729")))
    assert response.status_code == 403
    assert not Indicator.objects.exists()


# --- reading with correlations ----------------------------------------------------------------


def test_a_reader_sees_each_indicator_with_the_reports_elsewhere_that_hold_it(world):
    mine = world.report(title="Mine")
    theirs = partners_report(world, title="Ghent sighting", port=world.port_b)
    add(mine, world.analyst_a, ("container", "MSKU1234565"), ("imo", "9074729"))
    add(theirs, world.analyst_b, ("container", "MSKU 123456-5"))
    response = Api(world.analyst_a).get(f"/reports/{mine.pk}/indicators")
    assert response.status_code == 200
    by_kind = {item["indicator"]["kind"]: item for item in response.json()}
    container = by_kind["container"]
    assert container["total"] == 1 and not container["common"] and container["benign"] == ""
    [match] = container["matches"]
    assert match["report"]["id"] == theirs.pk and match["report"]["title"] == "Ghent sighting"
    assert match["report"]["port"] == "BEGNE" and match["report"]["owner_org"]["name"] == "Port B"
    assert by_kind["imo"]["total"] == 0 and by_kind["imo"]["matches"] == []


def test_reading_a_reports_indicators_is_an_audited_read(world):
    report = world.report(tlp=Tlp.AMBER)
    add(report, world.analyst_a, ("container", "MSKU1234565"))
    assert Api(world.analyst_b).get(f"/reports/{report.pk}/indicators").status_code == 200
    read = AuditEvent.objects.get(action="reports.read", target_id=str(report.pk))
    assert read.actor_id == world.analyst_b.pk and read.detail["channel"] == "api:indicators"


def test_correlation_counts_never_include_reports_the_reader_may_not_see(world):
    mine = world.report()
    visible = partners_report(world)
    owner_only = partners_report(world, tlp=Tlp.AMBER, audience=Audience.OWNER)
    draft = world.report(author=world.analyst_b, organisation=world.org_b, share_now=False)
    red = world.report(author=world.analyst_b, organisation=world.org_b, tlp=Tlp.RED, audience=Audience.PEOPLE,
                       recipient_people=[world.red_reader_b])
    outsiders = world.report(author=world.outsider_c, organisation=world.org_c, audience=Audience.OWNER)
    for report, author in ((mine, world.analyst_a), (visible, world.analyst_b), (owner_only, world.analyst_b),
                           (draft, world.analyst_b), (red, world.analyst_b), (outsiders, world.outsider_c)):
        add(report, author, ("container", "MSKU1234565"))
    [seen_by_a] = Api(world.analyst_a).get(f"/reports/{mine.pk}/indicators").json()
    assert seen_by_a["total"] == 1 and [m["report"]["id"] for m in seen_by_a["matches"]] == [visible.pk]
    # The outsider's own report holds the value too; nothing of the network's reports shows.
    [seen_by_c] = Api(world.outsider_c).get(f"/reports/{outsiders.pk}/indicators").json()
    assert seen_by_c["total"] == 0 and seen_by_c["matches"] == [] and seen_by_c["fuzzy"] == []
    # Port B's viewer sees her organisation's report and the RED one naming her, not the draft.
    [seen_by_rita] = Api(world.red_reader_b).get(f"/reports/{visible.pk}/indicators").json()
    assert {m["report"]["id"] for m in seen_by_rita["matches"]} == {mine.pk, owner_only.pk, red.pk}
    assert seen_by_rita["total"] == 3


def test_a_common_value_is_flagged_and_its_matches_left_out_unless_asked_for(world, settings):
    settings.CORRELATION_COMMON_THRESHOLD = 1
    mine = world.report()
    for title in ("One", "Two"):
        add(partners_report(world, title=title), world.analyst_b, ("domain", "reefer-logistics.be"))
    add(mine, world.analyst_a, ("domain", "reefer-logistics.be"))
    api = Api(world.analyst_a)
    [flagged] = api.get(f"/reports/{mine.pk}/indicators").json()
    assert flagged["common"] and flagged["total"] == 2 and flagged["matches"] == []
    [shown] = api.get(f"/reports/{mine.pk}/indicators", {"include_common": "true"}).json()
    assert len(shown["matches"]) == 2


def test_a_known_benign_value_is_marked_and_never_matched(world):
    mine = world.report()
    add(partners_report(world), world.analyst_b, ("domain", "example.org"))
    add(mine, world.analyst_a, ("domain", "example.org"))
    [benign] = Api(world.analyst_a).get(f"/reports/{mine.pk}/indicators", {"include_common": "true"}).json()
    assert benign["benign"] and benign["matches"] == [] and benign["total"] == 0


def test_a_misread_plate_is_a_fuzzy_match(world):
    mine = world.report()
    theirs = partners_report(world)
    add(mine, world.analyst_a, ("plate", "1-ABC-123"))
    add(theirs, world.analyst_b, ("plate", "1-A8C-123"))
    [plate] = Api(world.analyst_a).get(f"/reports/{mine.pk}/indicators").json()
    assert plate["matches"] == [] and [m["report"]["id"] for m in plate["fuzzy"]] == [theirs.pk]


def test_a_persons_clear_text_is_shown_to_the_owner_organisation_only(world):
    report = world.report()
    add(report, world.analyst_a, ("person", "Jan Janssens; 1985-03-12"))
    [own] = Api(world.officer_a).get(f"/reports/{report.pk}/indicators").json()
    [partner] = Api(world.analyst_b).get(f"/reports/{report.pk}/indicators").json()
    assert own["indicator"]["owner_note"] == "Jan Janssens; 1985-03-12"
    assert partner["indicator"]["owner_note"] is None
    assert "Janssens" not in json.dumps(partner)
    assert own["indicator"]["value"] == partner["indicator"]["value"]  # the pseudonym matches across ports


# --- taking an indicator off ------------------------------------------------------------------


def test_an_editor_takes_an_indicator_off_a_report(world):
    report = world.report()
    [indicator] = add(report, world.analyst_a, ("container", "MSKU1234565"))
    response = delete(Api(world.officer_a), f"/reports/{report.pk}/indicators/{indicator.pk}")
    assert response.status_code == 204
    assert not report.indicators.exists()
    assert AuditEvent.objects.filter(action="indicators.remove", target_id=str(report.pk)).exists()


def test_taking_off_an_indicator_needs_the_right_report_and_the_right_to_edit(world):
    report = world.report()
    other = world.report()
    [indicator] = add(report, world.analyst_a, ("container", "MSKU1234565"))
    assert delete(Api(world.analyst_b), f"/reports/{report.pk}/indicators/{indicator.pk}").status_code == 403
    author = Api(world.analyst_a)
    wrong_report = delete(author, f"/reports/{other.pk}/indicators/{indicator.pk}")
    assert wrong_report.status_code == 404 and problem(wrong_report) == NOT_FOUND
    assert delete(author, f"/reports/{report.pk}/indicators/{MISSING}").status_code == 404
    assert report.indicators.count() == 1


# --- cost -------------------------------------------------------------------------------------


def _queries_to_read(world, report, api) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/reports/{report.pk}/indicators").status_code == 200
    return len(queries)


def test_reading_indicators_with_correlations_costs_the_same_for_3_or_60_indicators(world):
    small, large = world.report(), world.report()
    add(small, world.analyst_a, *[(row["kind"], row["value"]) for row in containers(3)], ("plate", "2-XYZ-987"))
    add(large, world.analyst_a, *[(row["kind"], row["value"]) for row in containers(60)],
        ("plate", "1-ABC-123"), ("person", "Jan Janssens; 1985-03-12"))
    theirs = partners_report(world)
    add(theirs, world.analyst_b, *[(row["kind"], row["value"]) for row in containers(60)], ("plate", "1-A8C-123"))
    api = Api(world.analyst_b)
    _queries_to_read(world, small, api)  # the first request also reads the session
    assert _queries_to_read(world, large, api) == _queries_to_read(world, small, api)


def test_a_large_import_answers_in_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = Api(world.analyst_a)
    counts = []
    for size in (10, 1_000):
        report = world.report()
        with CaptureQueriesContext(connection) as queries:
            assert api.post(f"/reports/{report.pk}/indicators", {"indicators": containers(size)}).status_code == 201
        counts.append(len(queries))
    assert counts[1] <= counts[0] + 1  # bulk_create batches 2,000 rows a query


def test_the_schema_documents_the_import_as_json_or_csv_and_its_problems(db):
    schema = Api().get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/reports/{report_id}/indicators"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json", "text/csv"}
    row = content["application/json"]["schema"]["properties"]["indicators"]["items"]
    assert "container" in row["properties"]["kind"]["enum"] and row["properties"]["value"]["maxLength"] == 300
    assert {"400", "413", "415", "422", "403", "404"} <= set(operation["responses"])
    assert "$ref" not in json.dumps(content)
