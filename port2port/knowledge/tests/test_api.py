"""The knowledge API: writes through the actions, field-named errors, 404 for the invisible."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from port2port.core.sharing import Audience, Tlp
from port2port.knowledge import actions
from port2port.knowledge.models import Article, ArticleAttachment, ArticleComment, ArticleVersion, Feedback, Proposal
from port2port.organisations.models import ApiKeyScope
from port2port.reports.tests.api_helpers import NOT_FOUND, Api, api_key, bad_fields, problem

from .conftest import write

MISSING = 987654321


def counts():
    return tuple(model.objects.count() for model in (Article, ArticleVersion, ArticleComment, ArticleAttachment,
                                                     Proposal, Feedback))


def body(**overrides):
    return {"title": "Identity-based container release", "body": "Replace PIN codes with **identity**.",
            "theme": "access_control", "tags": ["pin-codes", "release"], "tlp": "green", "audience": "network",
            "share_now": True, **overrides}


def test_writing_reading_and_revising(world):
    api = Api(world.analyst_a)
    response = api.post("/articles", body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["tags"] == ["pin-codes", "release"] and data["version"] == 1
    assert "<strong>identity</strong>" in data["body_html"]
    revised = api.patch(f"/articles/{data['id']}", {"body": "Replace PIN codes.", "note": "Shorter"})
    assert revised.status_code == 200 and revised.json()["version"] == 2
    versions = Api(world.analyst_b).get(f"/articles/{data['id']}/versions").json()
    assert [(v["number"], v["kind"], v["note"]) for v in versions] == [(1, "create", ""), (2, "revise", "Shorter")]
    diff = Api(world.analyst_b).get(f"/articles/{data['id']}/diff", {"from": 1, "to": 2}).json()
    assert [c["field"] for c in diff["changes"]] == ["body"]
    assert {line["kind"] for line in diff["changes"][0]["lines"]} == {"removed", "added"}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": ""}, "title"), ({"body": "x" * 100_001}, "body"), ({"theme": "astrology"}, "theme"),
    ({"language": "xx"}, "language"), ({"tags": ["Not A Slug"]}, "tags"), ({"tags": ["x" * 41]}, "tags"),
    ({"tlp": "red", "audience": "network"}, "audience"), ({"lessons_from": [MISSING]}, "lessons_from"),
    ({"surprise": 1}, "surprise"), ({"organisation": MISSING}, "organisation"),
])
def test_bad_input_names_the_field_and_writes_nothing(world, overrides, field):
    response = Api(world.analyst_a).post("/articles", body(**overrides))
    assert response.status_code in (400, 422), response.content
    assert field in bad_fields(response)
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_revision_cannot_change_the_marking(world):
    article = write(world)
    response = Api(world.analyst_a).patch(f"/articles/{article.pk}", {"tlp": "clear"})
    assert "tlp" in bad_fields(response)
    assert Article.objects.get().tlp == "amber"


def test_sharing_loosens_only_through_share_and_partners_get_403(world):
    article = write(world, tlp=Tlp.AMBER, audience=Audience.NETWORK)
    assert Api(world.analyst_b).post(f"/articles/{article.pk}/share", {"tlp": "clear", "audience": "network"}).status_code == 403
    response = Api(world.officer_a).post(f"/articles/{article.pk}/share", {"tlp": "clear", "audience": "network"})
    assert response.status_code == 200 and response.json()["tlp"] == "clear"


def endpoints(article_id, attachment_id=1, proposal_id=1):
    a = f"/articles/{article_id}"
    return [
        ("get", a, None), ("patch", a, {"title": "x"}), ("post", f"{a}/share", {"tlp": "clear", "audience": "network"}),
        ("get", f"{a}/versions", None), ("get", f"{a}/diff?from=1&to=1", None),
        ("get", f"{a}/comments", None), ("post", f"{a}/comments", {"body": "hi"}),
        ("get", f"{a}/attachments", None), ("get", f"{a}/attachments/{attachment_id}", None),
        ("get", f"{a}/proposals", None), ("post", f"{a}/proposals", {"title": "t", "body": "b", "note": "n"}),
        ("get", f"{a}/proposals/{proposal_id}", None), ("post", f"{a}/proposals/{proposal_id}/accept", None),
        ("post", f"{a}/proposals/{proposal_id}/decline", {"reason": "no"}),
        ("get", f"{a}/feedback", None), ("post", f"{a}/feedback", {"kind": "helpful"}),
        ("delete", f"{a}/feedback", {"kind": "helpful"}),
    ]


def call(api, method, path, payload):
    if method == "get":
        return api.get(path)
    if method == "delete":
        return api._send("delete", path, payload, None, {})
    return getattr(api, method)(path, payload)


def test_the_outsider_gets_the_same_404_on_every_endpoint(world, storage):
    article = write(world, tlp=Tlp.GREEN)
    attachment = actions.add_attachment(article, acting_user=world.analyst_a, upload=SimpleUploadedFile("a.txt", b"x"))
    proposal = actions.propose_edit(article, acting_user=world.analyst_b, title="T", body="B", note="N")
    api = Api(world.outsider_c)
    before = counts()
    for (method, path, payload), (_, missing_path, _) in zip(
        endpoints(article.pk, attachment.pk, proposal.pk), endpoints(MISSING, MISSING, MISSING)
    ):
        response = call(api, method, path, payload)
        missing = call(api, method, missing_path, payload)
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.content == missing.content, path
        assert problem(response) | NOT_FOUND == problem(response)
    upload = api.upload(f"/articles/{article.pk}/attachments", file=SimpleUploadedFile("b.txt", b"y"))
    assert upload.status_code == 404
    assert counts() == before


def test_proposals_accept_and_decline_through_the_api(world):
    article = write(world, tlp=Tlp.GREEN)
    partner = Api(world.analyst_b)
    created = partner.post(f"/articles/{article.pk}/proposals", {"title": article.title, "body": "New text", "note": "Why"})
    assert created.status_code == 201
    proposal_id = created.json()["id"]
    assert partner.post(f"/articles/{article.pk}/proposals/{proposal_id}/accept").status_code == 403
    editor = Api(world.officer_a)
    assert "reason" in bad_fields(editor.post(f"/articles/{article.pk}/proposals/{proposal_id}/decline", {"reason": ""}))
    accepted = editor.post(f"/articles/{article.pk}/proposals/{proposal_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["body"] == "New text"
    again = editor.post(f"/articles/{article.pk}/proposals/{proposal_id}/decline", {"reason": "late"})
    assert "status" in bad_fields(again)
    assert "note" in bad_fields(partner.post(f"/articles/{article.pk}/proposals", {"title": "t", "body": "b", "note": ""}))


def test_feedback_through_the_api(world):
    article = write(world, tlp=Tlp.GREEN)
    api = Api(world.police_analyst)
    assert api.post(f"/articles/{article.pk}/feedback", {"kind": "helpful"}).json() == {
        "helpful": 1, "adopted": 0, "mine": ["helpful"]}
    assert api.post(f"/articles/{article.pk}/feedback", {"kind": "adopted"}).json()["adopted"] == 1
    assert "kind" in bad_fields(api.post(f"/articles/{article.pk}/feedback", {"kind": "loved"}))
    assert "organisation" in bad_fields(api.post(f"/articles/{article.pk}/feedback", {"kind": "adopted",
                                                                                       "organisation": world.org_a.pk}))
    assert Api(world.red_reader_b).post(f"/articles/{article.pk}/feedback", {"kind": "adopted"}).status_code == 403
    left = api._send("delete", f"/articles/{article.pk}/feedback", {"kind": "helpful"}, None, {})
    assert left.json() == {"helpful": 0, "adopted": 1, "mine": ["adopted"]}


def test_an_api_key_reads_no_red_and_edits_only_its_organisations_articles(world):
    red = write(world, tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    token = api_key(world, scope=ApiKeyScope.WRITE, creator=world.admin_a)
    api = Api(token=token)
    assert api.get(f"/articles/{red.pk}").status_code == 404
    partner = write(world, world.analyst_b, world.org_b, tlp=Tlp.GREEN)
    assert api.patch(f"/articles/{partner.pk}", {"title": "x"}).status_code == 403


def test_attachments_through_the_api(world, storage):
    article = write(world, tlp=Tlp.GREEN)
    uploaded = Api(world.analyst_a).upload(f"/articles/{article.pk}/attachments", file=SimpleUploadedFile("n.txt", b"notes"))
    assert uploaded.status_code == 201, uploaded.content
    url = uploaded.json()["download_url"]
    download = Api(world.analyst_b).client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"notes"
    refused = Api(world.analyst_b).upload(f"/articles/{article.pk}/attachments", file=SimpleUploadedFile("m.txt", b"x"))
    assert refused.status_code == 403
    assert "file" in bad_fields(Api(world.analyst_a).upload(f"/articles/{article.pk}/attachments",
                                                            file=SimpleUploadedFile("x.exe", b"MZ\x00")))


def test_the_list_pages_with_a_cursor_and_filters(world):
    for number in range(5):
        write(world, tlp=Tlp.GREEN, title=f"Drone note {number}", theme="drones", tags=["rf"])
    write(world, tlp=Tlp.GREEN, title="Cyber note", theme="cyber")
    api = Api(world.analyst_b)
    first = api.get("/articles", {"limit": 4, "theme": "drones"}).json()
    second = api.get("/articles", {"limit": 4, "theme": "drones", "cursor": first["next_cursor"]}).json()
    titles = [a["title"] for a in first["items"] + second["items"]]
    assert sorted(titles) == [f"Drone note {n}" for n in range(5)] and second["next_cursor"] is None
    assert [a["title"] for a in api.get("/articles", {"tag": "rf", "q": "note 3"}).json()["items"]] == ["Drone note 3"]
    assert "cursor" in bad_fields(api.get("/articles", {"cursor": "forged"}))
    assert "theme" in bad_fields(api.get("/articles", {"theme": "astrology"}))
