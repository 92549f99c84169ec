"""Bad input on every field of the reports API: a problem document that names the field with a
clear message, and nothing saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from port2port.core.models import AuditEvent
from port2port.organisations.models import Membership
from port2port.reports.models import Attachment, Comment, Report, ReportVersion

from .api_helpers import NOT_FOUND, Api, bad_fields, problem, report_body

MISSING = 999_999
TOO_BIG_ID = 2**70


def rows():
    """Everything a write could leave behind."""
    return (Report.objects.count(), ReportVersion.objects.count(), Comment.objects.count(),
            Attachment.objects.count(), AuditEvent.objects.count())


def assert_refused(response, field, status=422):
    assert response.status_code == status, response.content
    body = problem(response)
    assert body["status"] == status and body["title"]
    assert field in bad_fields(response), body
    assert all(error["message"] for error in body["errors"])


# (case, the fields to send on top of a valid report, the field named in the answer)
CREATE_CASES = [
    ("title wrong type", lambda w: {"title": 42}, "title"),
    ("title null", lambda w: {"title": None}, "title"),
    ("title empty", lambda w: {"title": ""}, "title"),
    ("title blank", lambda w: {"title": "   "}, "title"),
    ("title too long", lambda w: {"title": "x" * 201}, "title"),
    ("category unknown", lambda w: {"category": "piracy"}, "category"),
    ("category wrong type", lambda w: {"category": 3}, "category"),
    ("category missing", lambda w: {"category": ...}, "category"),
    ("modus unknown", lambda w: {"modus_operandi": "teleport"}, "modus_operandi"),
    ("modus without drugs", lambda w: {"category": "drone", "modus_operandi": "pin_fraud"}, "modus_operandi"),
    ("port unknown", lambda w: {"port": "ZZZZZ"}, "port"),
    ("port too long", lambda w: {"port": "BEANRX"}, "port"),
    ("port wrong type", lambda w: {"port": 5}, "port"),
    ("place too long", lambda w: {"place": "x" * 201}, "place"),
    ("latitude out of range", lambda w: {"latitude": 91, "longitude": 4}, "latitude"),
    ("latitude wrong type", lambda w: {"latitude": "north", "longitude": 4}, "latitude"),
    ("longitude out of range", lambda w: {"latitude": 51, "longitude": -181}, "longitude"),
    ("latitude without longitude", lambda w: {"latitude": 51.2}, "longitude"),
    ("occurred_at not a time", lambda w: {"occurred_at": "yesterday"}, "occurred_at"),
    ("occurred_at naive", lambda w: {"occurred_at": "2026-03-04T02:30:00"}, "occurred_at"),
    ("occurred_at missing", lambda w: {"occurred_at": ...}, "occurred_at"),
    ("severity unknown", lambda w: {"severity": "apocalyptic"}, "severity"),
    ("reliability unknown", lambda w: {"source_reliability": "G"}, "source_reliability"),
    ("credibility unknown", lambda w: {"info_credibility": "7"}, "info_credibility"),
    ("narrative too long", lambda w: {"narrative": "x" * 20001}, "narrative"),
    ("narrative wrong type", lambda w: {"narrative": ["a", "b"]}, "narrative"),
    ("narrative missing", lambda w: {"narrative": ...}, "narrative"),
    ("measures too long", lambda w: {"measures_taken": "x" * 10001}, "measures_taken"),
    ("lessons too long", lambda w: {"lessons_learned": "x" * 10001}, "lessons_learned"),
    ("tlp unknown", lambda w: {"tlp": "purple"}, "tlp"),
    ("audience unknown", lambda w: {"audience": "everyone"}, "audience"),
    ("red to the network", lambda w: {"tlp": "red", "audience": "network"}, "audience"),
    ("public amber", lambda w: {"tlp": "amber", "audience": "public"}, "audience"),
    ("recipient orgs not a list", lambda w: {"audience": "organisations", "recipient_orgs": "all"}, "recipient_orgs"),
    ("recipient orgs empty", lambda w: {"audience": "organisations", "recipient_orgs": []}, "recipient_orgs"),
    ("recipient org missing", lambda w: {"audience": "organisations", "recipient_orgs": [MISSING]}, "recipient_orgs"),
    ("recipient org negative", lambda w: {"audience": "organisations", "recipient_orgs": [-1]}, "recipient_orgs"),
    ("recipient org id too big", lambda w: {"audience": "organisations", "recipient_orgs": [TOO_BIG_ID]}, "recipient_orgs"),
    ("too many recipient orgs", lambda w: {"audience": "organisations", "recipient_orgs": list(range(1, 202))}, "recipient_orgs"),
    ("recipient orgs with another audience", lambda w: {"recipient_orgs": [w.org_b.pk]}, "recipient_orgs"),
    ("recipient person missing", lambda w: {"tlp": "red", "audience": "people", "recipient_people": [MISSING]}, "recipient_people"),
    ("recipient person wrong type", lambda w: {"tlp": "red", "audience": "people", "recipient_people": ["rita"]}, "recipient_people"),
    ("sharing group missing", lambda w: {"audience": "group", "sharing_group": MISSING}, "sharing_group"),
    ("sharing group absent", lambda w: {"audience": "group"}, "sharing_group"),
    ("sharing group wrong type", lambda w: {"audience": "group", "sharing_group": "drugs"}, "sharing_group"),
    ("share_now not a boolean", lambda w: {"share_now": "perhaps"}, "share_now"),
    ("organisation not mine", lambda w: {"organisation": w.org_b.pk}, "organisation"),
    ("organisation wrong type", lambda w: {"organisation": "Port A"}, "organisation"),
    ("unknown field", lambda w: {"colour": "blue"}, "colour"),
]


@pytest.mark.parametrize("case, changes, field", CREATE_CASES, ids=[c[0] for c in CREATE_CASES])
def test_a_bad_new_report_names_the_field_and_saves_nothing(world, case, changes, field):
    body = report_body(world)
    for name, value in changes(world).items():
        if value is ...:
            body.pop(name)
        else:
            body[name] = value
    api = Api(world.analyst_a)
    before = rows()
    assert_refused(api.post("/reports", body), field)
    assert rows() == before


def test_an_inactive_recipient_is_refused(world):
    Membership.objects.filter(user=world.red_reader_b).update(is_active=False)
    api = Api(world.analyst_a)
    before = rows()
    body = report_body(world, tlp="red", audience="people", recipient_people=[world.red_reader_b.pk])
    assert_refused(api.post("/reports", body), "recipient_people")
    assert rows() == before


def test_every_bad_field_is_named_at_once(world):
    body = report_body(world, title="x" * 201, category="piracy", latitude=200, longitude=0, tlp="purple")
    response = Api(world.analyst_a).post("/reports", body)
    assert bad_fields(response) == {"title", "category", "latitude", "tlp"}


def test_messages_are_clear(world):
    response = Api(world.analyst_a).post("/reports", report_body(world, title="x" * 201, severity="huge"))
    messages = {e["field"]: e["message"] for e in problem(response)["errors"]}
    assert messages["title"] == "Ensure this value has at most 200 characters (it has 201)."
    assert messages["severity"] == "Select a valid choice. That choice is not one of the available choices."


@pytest.mark.parametrize("raw", ['{"title": ', "not json at all", '{"title": "a",}'])
def test_malformed_json_is_a_400_naming_the_body(world, raw):
    api = Api(world.analyst_a)
    before = rows()
    response = api.post("/reports", raw=raw)
    assert_refused(response, "body", status=400)
    assert rows() == before


@pytest.mark.parametrize("raw", ["[1, 2]", '"a report"', "42"])
def test_json_that_is_not_an_object_is_refused(world, raw):
    api = Api(world.analyst_a)
    before = rows()
    response = api.post("/reports", raw=raw)
    assert response.status_code == 422 and bad_fields(response)
    assert rows() == before


def test_a_body_larger_than_the_server_accepts_is_a_413(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = Api(world.analyst_a)
    before = rows()
    response = api.post("/reports", report_body(world, narrative="x" * 5000))
    assert response.status_code == 413 and problem(response)["status"] == 413
    assert rows() == before


# --- edits ----------------------------------------------------------------------------------------

PATCH_CASES = [
    ("title too long", {"title": "x" * 201}, "title"),
    ("title null", {"title": None}, "title"),
    ("title wrong type", {"title": 1}, "title"),
    ("category unknown", {"category": "piracy"}, "category"),
    ("modus without drugs", {"category": "drone"}, "modus_operandi"),
    ("port unknown", {"port": "ZZZZZ"}, "port"),
    ("latitude out of range", {"latitude": -91}, "latitude"),
    ("latitude alone", {"latitude": 50.0}, "longitude"),
    ("occurred_at naive", {"occurred_at": "2026-03-04 02:30"}, "occurred_at"),
    ("severity unknown", {"severity": 4}, "severity"),
    ("narrative too long", {"narrative": "x" * 20001}, "narrative"),
    ("narrative empty", {"narrative": ""}, "narrative"),
    ("unknown field", {"colour": "blue"}, "colour"),
    ("tlp through edit", {"tlp": "clear"}, "tlp"),
    ("audience through edit", {"audience": "public"}, "audience"),
    ("recipients through edit", {"recipient_orgs": [1]}, "recipient_orgs"),
    ("group through edit", {"sharing_group": 1}, "sharing_group"),
]


@pytest.mark.parametrize("case, body, field", PATCH_CASES, ids=[c[0] for c in PATCH_CASES])
def test_a_bad_edit_names_the_field_and_changes_nothing(world, case, body, field):
    report = world.report(modus_operandi="rip_on_rip_off")
    api = Api(world.analyst_a)
    before = rows()
    assert_refused(api.patch(f"/reports/{report.pk}", body), field)
    assert rows() == before
    report.refresh_from_db()
    assert (report.version, report.tlp, report.audience, report.title) == (1, "amber", "network", "Rip-off attempt at quay 1742")


def test_an_edit_of_the_marking_says_to_use_share(world):
    report = world.report()
    response = Api(world.analyst_a).patch(f"/reports/{report.pk}", {"title": "ok", "tlp": "clear"})
    [error] = problem(response)["errors"]
    assert error["field"] == "tlp" and "/share" in error["message"]


# --- sharing --------------------------------------------------------------------------------------

SHARE_CASES = [
    ("tlp missing", {"audience": "network"}, "tlp"),
    ("audience missing", {"tlp": "green"}, "audience"),
    ("tlp unknown", {"tlp": "ultraviolet", "audience": "network"}, "tlp"),
    ("red to an organisation", {"tlp": "red", "audience": "organisations", "recipient_orgs": [MISSING]}, "audience"),
    ("clear to the public is fine but amber is not", {"tlp": "amber", "audience": "public"}, "audience"),
    ("no organisation named", {"tlp": "amber", "audience": "organisations"}, "recipient_orgs"),
    ("unknown organisation", {"tlp": "amber", "audience": "organisations", "recipient_orgs": [MISSING]}, "recipient_orgs"),
    ("unknown person", {"tlp": "red", "audience": "people", "recipient_people": [MISSING]}, "recipient_people"),
    ("unknown group", {"tlp": "green", "audience": "group", "sharing_group": MISSING}, "sharing_group"),
    ("unknown field", {"tlp": "green", "audience": "network", "status": "closed"}, "status"),
]


@pytest.mark.parametrize("case, body, field", SHARE_CASES, ids=[c[0] for c in SHARE_CASES])
def test_a_bad_share_names_the_field_and_changes_nothing(world, case, body, field):
    report = world.report(share_now=False)
    api = Api(world.analyst_a)
    before = rows()
    assert_refused(api.post(f"/reports/{report.pk}/share", body), field)
    assert rows() == before
    report.refresh_from_db()
    assert (report.status, report.tlp, report.audience) == ("draft", "amber", "network")


def test_a_group_the_organisation_is_not_in_is_refused_like_a_missing_one(world):
    from port2port.organisations import actions as org_actions

    other = org_actions.create_sharing_group(acting_user=world.outsider_c, owner=world.org_c, name="Liège only")
    report = world.report(share_now=False)
    body = {"tlp": "green", "audience": "group", "sharing_group": other.pk}
    refused = problem(Api(world.analyst_a).post(f"/reports/{report.pk}/share", body))
    missing = problem(Api(world.analyst_a).post(f"/reports/{report.pk}/share", body | {"sharing_group": MISSING}))
    assert refused == missing


def test_closing_a_draft_is_refused(world):
    report = world.report(share_now=False)
    assert_refused(Api(world.analyst_a).post(f"/reports/{report.pk}/close"), "status")


# --- comments and attachments ---------------------------------------------------------------------


@pytest.mark.parametrize("body", [{"body": ""}, {"body": "   "}, {"body": "x" * 5001}, {"body": 5}, {}, {"text": "hi"}])
def test_a_bad_comment_names_the_field_and_saves_nothing(world, body):
    report = world.report()
    api = Api(world.analyst_b)
    before = rows()
    response = api.post(f"/reports/{report.pk}/comments", body)
    assert response.status_code == 422 and bad_fields(response) & {"body", "text"}
    assert rows() == before


def test_an_oversized_upload_is_a_413_naming_the_file(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    report = world.report()
    api = Api(world.analyst_a)
    before = rows()
    upload = SimpleUploadedFile("big.txt", b"x" * 1001)
    assert_refused(api.upload(f"/reports/{report.pk}/attachments", file=upload), "file", status=413)
    assert rows() == before


@pytest.mark.parametrize("name, content", [("tool.exe", b"MZ\x90\x00binary"), ("empty.txt", b""),
                                           ("fake.txt", b"\xff\xfe\x00\x00")])
def test_an_upload_of_a_type_we_do_not_keep_is_refused(world, name, content):
    report = world.report()
    api = Api(world.analyst_a)
    before = rows()
    upload = SimpleUploadedFile(name, content)
    assert_refused(api.upload(f"/reports/{report.pk}/attachments", file=upload), "file")
    assert rows() == before


def test_an_upload_without_a_file_names_the_file(world):
    report = world.report()
    assert_refused(Api(world.analyst_a).upload(f"/reports/{report.pk}/attachments", document=SimpleUploadedFile("a.txt", b"a")), "file")
    assert Attachment.objects.count() == 0


# --- list filters and ids -------------------------------------------------------------------------

FILTER_CASES = [
    ({"category": "piracy"}, "category"),
    ({"tlp": "purple"}, "tlp"),
    ({"status": "archived"}, "status"),
    ({"port": "BEANRX"}, "port"),
    ({"from": "last week"}, "from"),
    ({"to": "2026-13-01"}, "to"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"q": "x" * 201}, "q"),
]


@pytest.mark.parametrize("params, field", FILTER_CASES, ids=[str(c[0])[:30] for c in FILTER_CASES])
def test_a_bad_filter_names_the_parameter(world, params, field):
    assert_refused(Api(world.analyst_a).get("/reports", params), field)


@pytest.mark.parametrize("path", ["/reports/abc", f"/reports/{TOO_BIG_ID}", "/reports/0", "/reports/-1",
                                  f"/reports/{TOO_BIG_ID}/comments", f"/reports/1/attachments/{TOO_BIG_ID}"])
def test_an_id_that_cannot_exist_is_an_ordinary_404(world, path):
    world.report()
    assert problem(Api(world.analyst_a).get(path)) == NOT_FOUND
