"""The measures API: reads through visible_to, writes through the actions, bad input named."""

from port2port.measures.models import AssessmentRecord, Measure
from port2port.reports.tests.api_helpers import problem

from .conftest import Api, assess, propose

MISSING = 987654321


def test_the_catalogue_reads_and_proposals_write(world, measure, wg):
    api = Api(world.officer_a)
    listed = api.get("/measures").json()
    assert [item["title"] for item in listed["items"]] == ["Identity-based container release"]
    created = api.post("/measures", {"title": "Reefer inspection", "description": "Open and inspect reefers.",
                                     "theme": "inspections", "threats": ["rip_on_rip_off"], "working_group": wg.pk,
                                     "legal_reference": "ISPS A/16.3"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "proposed" and body["working_group"]["id"] == wg.pk
    assert Api(world.analyst_b).post(f"/measures/{body['id']}/adopt", {"on": "2025-03-01", "note": "ok"}).json()["status"] == "adopted"
    versions = api.get(f"/measures/{body['id']}/versions").json()
    assert [v["action"] for v in versions] == ["measures.propose", "measures.adopt"]
    patched = Api(world.analyst_b).patch(f"/measures/{body['id']}", {"level": "advanced", "note": "Raised"})
    assert patched.status_code == 200 and patched.json()["level"] == "advanced"
    assert api.get("/measures?level=advanced").json()["items"][0]["id"] == body["id"]
    assert api.get("/measures?threat=pin_fraud").json()["items"][0]["id"] == measure.pk


def test_bad_input_names_the_field_and_changes_nothing(world, measure, wg):
    api = Api(world.officer_a)
    before = (Measure.objects.count(), AssessmentRecord.objects.count())
    cases = [
        (api.post("/measures", {"title": "", "description": "x", "theme": "inspections"}), "title"),
        (api.post("/measures", {"title": "T", "description": "x", "theme": "weather"}), "theme"),
        (api.post("/measures", {"title": "T", "description": "x", "theme": "cyber", "threats": ["aliens"]}), "threats"),
        (api.post("/measures", {"title": "T", "description": "x", "theme": "cyber", "working_group": MISSING}), "working_group"),
        (api.post("/measures", {"title": "T", "description": "x", "theme": "cyber", "articles": [MISSING]}), "articles"),
        (api.post("/measures", {"title": "T", "description": "x", "theme": "cyber", "colour": "red"}), "colour"),
        (api.post(f"/measures/{measure.pk}/assessments", {"status": "done"}), "status"),
        (api.post(f"/measures/{measure.pk}/assessments", {"status": "implemented", "maturity": 7}), "maturity"),
        (api.post(f"/measures/{measure.pk}/assessments", {"status": "planned"}), "target_date"),
        (api.post(f"/measures/{measure.pk}/assessments", {"status": "implemented", "owner": world.analyst_b.pk}), "owner"),
        (api.post(f"/measures/{measure.pk}/assessments", {"status": "implemented", "recorded_at": "2026-01-01T00:00:00"}), "recorded_at"),
        (api.put(f"/measures/disclosure/{world.org_a.pk}", {"level": "gossip"}), "level"),
        (api.get("/measures?theme=weather"), "theme"),
    ]
    for response, field in cases:
        assert response.status_code == 422, (field, response.content)
        assert field in [error["field"] for error in problem(response)["errors"]], (field, problem(response))
    assert (Measure.objects.count(), AssessmentRecord.objects.count()) == before


def test_assessments_through_the_api_with_history(world, measure):
    api = Api(world.officer_a)
    first = api.post(f"/measures/{measure.pk}/assessments", {"status": "planned", "target_date": "2027-01-31",
                                                              "recorded_at": "2025-06-01T09:00:00Z", "evidence_text": "Plan v1"})
    assert first.status_code == 201, first.content
    assert first.json()["evidence_text"] == "Plan v1" and first.json()["shown"] == "own"
    api.post(f"/measures/{measure.pk}/assessments", {"status": "implemented", "maturity": 4, "owner": world.officer_a.pk})
    history = api.get(f"/measures/{measure.pk}/assessments/{world.org_a.pk}/history").json()
    assert [h["status"] for h in history] == ["implemented", "planned"]
    seen_by_b = Api(world.analyst_b).get(f"/measures/{measure.pk}/assessments").json()
    assert seen_by_b == [{**seen_by_b[0], "status": "implemented", "maturity": None, "owner": None, "evidence_text": None,
                          "evidence_file": None, "note": None, "disclosure": None, "shown": "status"}]


def test_the_disclosure_endpoint(world):
    api = Api(world.officer_a)
    assert api.get(f"/measures/disclosure/{world.org_a.pk}").json()["level"] == "status"
    assert api.put(f"/measures/disclosure/{world.org_a.pk}", {"level": "progress"}).json()["level"] == "progress"
    assert api.get(f"/measures/disclosure/{world.org_b.pk}").status_code == 404
    assert Api(world.analyst_a).put(f"/measures/disclosure/{world.org_a.pk}", {"level": "full"}).status_code == 403


def test_only_the_coordinator_adopts_through_the_api(world, wg):
    proposal = propose(world)
    assert Api(world.officer_a).post(f"/measures/{proposal.pk}/adopt", {}).status_code == 403
    assert Api(world.analyst_b).post(f"/measures/{proposal.pk}/adopt", {"on": "2999-01-01"}).status_code == 422


def test_an_outsider_gets_404_on_every_endpoint(world, measure):
    record = assess(world.officer_a, measure)
    api = Api(world.outsider_c)
    missing = api.get(f"/measures/{MISSING}")
    assert missing.status_code == 404
    gets = [f"/measures/{measure.pk}", f"/measures/{measure.pk}/versions", f"/measures/{measure.pk}/assessments",
            f"/measures/{measure.pk}/assessments/{record.organisation_id}/history", "/measures", "/measures/network",
            "/measures/network.csv", f"/measures/disclosure/{world.org_a.pk}"]
    for url in gets:
        response = api.get(url)
        assert response.status_code == 404, url
        assert response.content == missing.content, url
    writes = [("post", f"/measures/{measure.pk}/adopt", {}), ("post", f"/measures/{measure.pk}/retire", {"note": "x"}),
              ("patch", f"/measures/{measure.pk}", {"title": "x"}), ("post", f"/measures/{measure.pk}/assessments", {"status": "implemented"}),
              ("post", "/measures", {"title": "T", "description": "x", "theme": "cyber"})]
    for method, url, body in writes:
        assert getattr(api, method)(url, body).status_code == 404, url


def test_the_network_json_and_csv(world, measure, officers):
    for key in ("a", "b", "d"):
        assess(officers[key], measure, "implemented" if key != "d" else "not_started")
    api = Api(world.police_analyst)
    body = api.get("/measures/network").json()
    assert {row["organisation"]["name"] for row in body["rows"]} == {"Port A", "Port B", "Port D"}
    assert body["themes"] == [{"theme": "access_control", "implemented_percent": 67, "suppressed": False, "based_on": 3}]
    assert body["weakest"][0]["based_on"] == 3 and body["quarters"][-1]["based_on"] == 3
    assert body["weakest"][0]["organisations"] == [{"id": officers["d"].memberships.get().organisation_id, "name": "Port D"}]
    csv = api.get("/measures/network.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "Port D" in csv.content.decode()
    assert "\r\naccess_control,67,3\r\n" in csv.content.decode()


def _article(world, title, audience):
    from port2port.core.sharing import Audience, Tlp
    from port2port.knowledge import actions as knowledge_actions

    return knowledge_actions.write_article(
        acting_user=world.officer_a, organisation=world.org_a, share_now=True,
        marking={"tlp": Tlp.AMBER, "audience": getattr(Audience, audience)}, title=title, body="Steps.", theme="access_control")


def test_the_version_history_names_only_the_linked_articles_the_reader_may_read(world, wg):
    shared = _article(world, "Badge checks that work", "NETWORK")
    internal = _article(world, "Gate 7 blind spots", "OWNER")
    measure = propose(world, articles=[shared, internal])
    seen_by_b = [v["snapshot"]["articles"] for v in Api(world.analyst_b).get(f"/measures/{measure.pk}/versions").json()]
    seen_by_a = [v["snapshot"]["articles"] for v in Api(world.analyst_a).get(f"/measures/{measure.pk}/versions").json()]
    assert seen_by_b[-1] == [shared.pk]
    assert seen_by_a[-1] == sorted([shared.pk, internal.pk])


def test_an_editor_keeps_the_links_to_articles_they_cannot_read(world, wg):
    """Bart (port B, the coordinator) edits a proposal that links an article of port A he may
    not read: his edit leaves that link alone instead of dropping it unseen."""
    from port2port.measures import actions

    shared = _article(world, "Badge checks that work", "NETWORK")
    internal = _article(world, "Gate 7 blind spots", "OWNER")
    measure = propose(world, articles=[shared, internal])
    actions.edit_measure(measure, acting_user=world.analyst_b, articles=[shared], level="advanced", note="Raised")
    assert sorted(measure.articles.values_list("pk", flat=True)) == sorted([shared.pk, internal.pk])
    actions.edit_measure(measure, acting_user=world.analyst_b, articles=[], note="Unlinked")
    assert list(measure.articles.values_list("pk", flat=True)) == [internal.pk]
