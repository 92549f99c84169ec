"""The reports API as its users meet it: every endpoint's happy path, and what an outsider or
an anonymous caller gets (a 404 exactly like a missing id, or a 401)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from port2port.core.audit import verify_chain
from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience, Status, Tlp
from port2port.reports import actions
from port2port.reports.models import Attachment, Comment, Report

from .api_helpers import NOT_FOUND, Api, problem, report_body

MISSING = 999_999


def test_a_member_files_a_report_and_gets_it_back(world):
    response = Api(world.analyst_a).post("/reports", report_body(world))
    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get(pk=body["id"])
    assert report.author == world.analyst_a and report.owner_org == world.org_a
    assert (report.tlp, report.audience, report.status) == (Tlp.AMBER, Audience.NETWORK, Status.SHARED)
    assert body["port"] == "BEANR" and body["owner_org"] == {"id": world.org_a.pk, "name": "Port A"}
    assert body["occurred_at"].startswith("2026-03-04T")
    assert AuditEvent.objects.filter(action="reports.create", target_id=str(report.pk)).exists()


def test_a_new_report_is_a_draft_for_its_organisation_unless_shared_now(world):
    body = report_body(world, share_now=False, tlp="green", audience="network")
    created = Api(world.analyst_a).post("/reports", body).json()
    assert created["status"] == "draft"
    assert Api(world.analyst_b).get(f"/reports/{created['id']}").status_code == 404
    assert Api(world.officer_a).get(f"/reports/{created['id']}").status_code == 200


def test_a_report_can_name_organisations_a_group_or_people(world):
    api = Api(world.analyst_a)
    to_b = api.post("/reports", report_body(world, audience="organisations", recipient_orgs=[world.org_b.pk])).json()
    assert to_b["recipient_orgs"] == [world.org_b.pk]
    group = api.post("/reports", report_body(world, audience="group", sharing_group=world.drugs_group.pk)).json()
    assert group["sharing_group"] == world.drugs_group.pk
    red = api.post("/reports", report_body(world, tlp="red", audience="people",
                                           recipient_people=[world.red_reader_b.pk])).json()
    assert red["recipient_people"] == [world.red_reader_b.pk]
    assert Api(world.red_reader_b).get(f"/reports/{red['id']}").status_code == 200
    assert Api(world.analyst_b).get(f"/reports/{red['id']}").status_code == 404


def test_a_member_of_several_organisations_says_which_one_files(world):
    from port2port.organisations import actions as org_actions

    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=world.analyst_a)
    api = Api(world.analyst_a)
    assert api.post("/reports", report_body(world)).status_code == 422
    created = api.post("/reports", report_body(world, organisation=world.org_b.pk)).json()
    assert created["owner_org"]["id"] == world.org_b.pk


def test_a_reader_reads_a_report_and_the_read_is_audited(world):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.NETWORK)
    response = Api(world.analyst_b).get(f"/reports/{report.pk}")
    assert response.status_code == 200
    assert response.json()["narrative"] == report.narrative
    read = AuditEvent.objects.get(action="reports.read", target_id=str(report.pk))
    assert read.actor_id == world.analyst_b.pk and read.detail["channel"] == "api"
    assert verify_chain().ok


def test_the_list_shows_what_is_shared_with_the_caller_newest_first(world):
    older = world.report(title="Older", occurred_at=_at(1))
    newer = world.report(title="Newer", occurred_at=_at(2))
    world.report(title="Mine only", audience=Audience.OWNER)
    body = Api(world.analyst_b).get("/reports").json()
    assert [item["id"] for item in body["items"]] == [newer.pk, older.pk]
    assert body["next_cursor"] is None


def test_the_list_filters_by_category_port_label_status_period_and_text(world):
    drone = world.report(title="Drone over quay", category="drone", tlp=Tlp.GREEN, occurred_at=_at(10))
    theft = world.report(title="Copper theft", category="theft", occurred_at=_at(20))
    closed = world.report(title="Fence cut", category="intrusion", occurred_at=_at(30))
    actions.close_report(closed, acting_user=world.analyst_a)
    b_report = world.report(world.analyst_b, world.org_b, title="Ghent visit", category="other", port=world.port_b)
    api = Api(world.analyst_a)

    def ids(**params):
        response = api.get("/reports", params)
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    assert ids(category="drone") == {drone.pk}
    assert ids(port="BEGNE") == {b_report.pk}
    assert ids(port="beanr") == {drone.pk, theft.pk, closed.pk}
    assert ids(tlp="green") == {drone.pk}
    assert ids(status="closed") == {closed.pk}
    assert ids(**{"from": "2026-01-15", "to": "2026-01-20"}) == {theft.pk}
    assert ids(**{"from": "2026-01-20T00:00:00+01:00"}) >= {theft.pk, closed.pk}
    assert ids(q="copper") == {theft.pk}


def test_an_editor_edits_the_content_and_a_new_version_is_kept(world):
    report = world.report()
    response = Api(world.officer_a).patch(f"/reports/{report.pk}", {"title": "Rip-off foiled", "severity": "high"})
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Rip-off foiled" and response.json()["version"] == 2
    report.refresh_from_db()
    assert (report.title, report.severity, report.tlp) == ("Rip-off foiled", "high", Tlp.AMBER)


def test_the_owner_shares_a_report_wider_through_share(world):
    report = world.report(share_now=False, audience=Audience.OWNER)
    body = {"tlp": "green", "audience": "group", "sharing_group": world.drugs_group.pk}
    response = Api(world.analyst_a).post(f"/reports/{report.pk}/share", body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "shared" and response.json()["tlp"] == "green"
    assert Api(world.analyst_b).get(f"/reports/{report.pk}").status_code == 200
    assert AuditEvent.objects.filter(action="reports.share", target_id=str(report.pk)).exists()


def test_an_editor_closes_a_shared_report(world):
    report = world.report()
    response = Api(world.officer_a).post(f"/reports/{report.pk}/close")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"


def test_a_reader_may_not_change_what_they_can_see(world):
    report = world.report()
    api = Api(world.analyst_b)
    assert problem(api.patch(f"/reports/{report.pk}", {"title": "Mine now"}))["status"] == 403
    assert api.post(f"/reports/{report.pk}/share", {"tlp": "clear", "audience": "network"}).status_code == 403
    assert api.post(f"/reports/{report.pk}/close").status_code == 403
    report.refresh_from_db()
    assert report.title != "Mine now" and report.tlp == Tlp.AMBER


def test_readers_comment_and_read_the_comments(world):
    report = world.report()
    response = Api(world.analyst_b).post(f"/reports/{report.pk}/comments", {"body": "Same crew seen in Ghent."})
    assert response.status_code == 201, response.content
    assert response.json()["organisation"]["id"] == world.org_b.pk
    comments = Api(world.police_analyst).get(f"/reports/{report.pk}/comments").json()
    assert [c["body"] for c in comments] == ["Same crew seen in Ghent."]
    assert comments[0]["author"]["name"] == "Bart Analyst"


def test_an_editor_attaches_a_file_and_readers_download_it(world):
    report = world.report()
    upload = SimpleUploadedFile("notes.txt", b"container MSCU1234565 seal broken\n", content_type="text/plain")
    response = Api(world.analyst_a).upload(f"/reports/{report.pk}/attachments", file=upload)
    assert response.status_code == 201, response.content
    attachment = response.json()
    assert attachment["name"] == "notes.txt" and attachment["content_type"] == "text/plain"
    listed = Api(world.analyst_b).get(f"/reports/{report.pk}/attachments").json()
    assert [a["id"] for a in listed] == [attachment["id"]]
    download = Api(world.analyst_b).get(f"/reports/{report.pk}/attachments/{attachment['id']}")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="notes.txt"')
    assert b"".join(download.streaming_content) == b"container MSCU1234565 seal broken\n"


def test_readers_follow_the_history_of_a_report(world):
    report = world.report()
    actions.edit_report(report, acting_user=world.analyst_a, title="Rip-off attempt, two arrests")
    history = Api(world.analyst_b).get(f"/reports/{report.pk}/history").json()
    assert [(v["number"], v["action"]) for v in history] == [(1, "reports.create"), (2, "reports.edit")]
    assert history[1]["snapshot"]["title"] == "Rip-off attempt, two arrests"


# --- what an outsider and an anonymous caller get ----------------------------------------------

READ_PATHS = ["/reports/{id}", "/reports/{id}/comments", "/reports/{id}/attachments",
              "/reports/{id}/history", "/reports/{id}/attachments/{attachment}"]


def _report_with_everything(world):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.NETWORK)
    actions.add_comment(report, acting_user=world.analyst_b, body="Seen it too.")
    upload = SimpleUploadedFile("seal.txt", b"seal number 4411\n")
    attachment = actions.add_attachment(report, acting_user=world.analyst_a, upload=upload)
    return report, attachment


def test_an_outsider_gets_the_same_404_as_for_a_missing_report(world):
    report, attachment = _report_with_everything(world)
    outsider, member = Api(world.outsider_c), Api(world.analyst_b)
    for template in READ_PATHS:
        seen = template.format(id=report.pk, attachment=attachment.pk)
        missing = template.format(id=MISSING, attachment=attachment.pk)
        hidden = outsider.get(seen)
        assert hidden.status_code == 404, seen
        assert hidden.content == outsider.get(missing).content == member.get(missing).content
        assert problem(hidden) == NOT_FOUND
        assert str(report.pk) not in hidden.content.decode()


def test_an_outsider_cannot_write_to_a_report_they_cannot_see(world):
    report, _attachment = _report_with_everything(world)
    outsider = Api(world.outsider_c)
    writes = [
        outsider.patch(f"/reports/{report.pk}", {"title": "x"}),
        outsider.post(f"/reports/{report.pk}/share", {"tlp": "clear", "audience": "network"}),
        outsider.post(f"/reports/{report.pk}/close"),
        outsider.post(f"/reports/{report.pk}/comments", {"body": "hello"}),
        outsider.upload(f"/reports/{report.pk}/attachments", file=SimpleUploadedFile("a.txt", b"a")),
    ]
    assert [problem(r) for r in writes] == [NOT_FOUND] * len(writes)
    assert Comment.objects.count() == 1 and Attachment.objects.count() == 1


def test_the_list_shows_an_outsider_nothing_of_others(world):
    world.report(tlp=Tlp.AMBER, audience=Audience.NETWORK)
    world.report(tlp=Tlp.GREEN, audience=Audience.GROUP, sharing_group=world.drugs_group)
    assert Api(world.outsider_c).get("/reports").json() == {"items": [], "next_cursor": None}
    assert Api(world.platform_admin).get("/reports").json()["items"] == []


def test_an_anonymous_caller_gets_401_everywhere(world):
    report, attachment = _report_with_everything(world)
    anonymous = Api()
    paths = [p.format(id=report.pk, attachment=attachment.pk) for p in READ_PATHS]
    for path in ["/reports", "/me", "/organisations", "/sharing-groups", *paths]:
        response = anonymous.get(path)
        assert response.status_code == 401, path
        assert problem(response)["status"] == 401
    assert anonymous.post("/reports", report_body(world)).status_code == 401
    assert Report.objects.count() == 1


def test_an_unknown_api_path_is_a_json_404(world):
    for path in ["/no-such-thing/42", "/", "/reports/1/nothing"]:
        assert problem(Api(world.analyst_a).get(path)) == NOT_FOUND, path


def test_an_anonymous_caller_is_told_how_to_authenticate(db):
    detail = problem(Api().get("/reports"))["detail"]
    assert "Authorization: Bearer" in detail


def test_the_list_does_not_grow_queries_with_its_length(world):
    api = Api(world.analyst_b)
    world.report(occurred_at=_at(1))
    one = _queries(lambda: api.get("/reports", {"limit": 100}))
    for day in range(2, 30):
        world.report(occurred_at=_at(day))
    many = _queries(lambda: api.get("/reports", {"limit": 100}))
    assert many == one <= 12  # session 2, the shared throttle's cache 6, the viewer 2, the page 1


def _queries(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert call().status_code == 200
    return len(context)


def _at(day):
    from datetime import datetime, timezone

    return datetime(2026, 1, day, 12, 0, tzinfo=timezone.utc)
