"""The knowledge pages: who gets what, forms that refuse bad input, and no N+1 on the list."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from port2port.core.sharing import Audience, Tlp
from port2port.knowledge import actions
from port2port.knowledge.models import Article, ArticleAttachment, ArticleComment, ArticleVersion, Feedback, Proposal

from .conftest import write


def counts():
    return tuple(model.objects.count() for model in (Article, ArticleVersion, ArticleComment, ArticleAttachment,
                                                     Proposal, Feedback))


def pages(article, attachment_id=1, proposal_id=1):
    pk = article.pk
    return {
        "get": [f"/knowledge/{pk}/", f"/knowledge/{pk}/edit/", f"/knowledge/{pk}/share/", f"/knowledge/{pk}/history/",
                f"/knowledge/{pk}/compare/", f"/knowledge/{pk}/propose/",
                f"/knowledge/{pk}/attachments/{attachment_id}/", f"/knowledge/{pk}/proposals/{proposal_id}/"],
        "post": [f"/knowledge/{pk}/edit/", f"/knowledge/{pk}/share/", f"/knowledge/{pk}/comments/",
                 f"/knowledge/{pk}/attachments/", f"/knowledge/{pk}/feedback/", f"/knowledge/{pk}/propose/",
                 f"/knowledge/{pk}/proposals/{proposal_id}/"],
    }


def test_the_outsider_gets_404_on_every_page_and_changes_nothing(world, client_for, storage):
    article = write(world, tlp=Tlp.GREEN)
    attachment = actions.add_attachment(article, acting_user=world.analyst_a, upload=SimpleUploadedFile("a.txt", b"x"))
    proposal = actions.propose_edit(article, acting_user=world.analyst_b, title="T", body="B", note="N")
    client = client_for(world.outsider_c)
    before = counts()
    urls = pages(article, attachment.pk, proposal.pk)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    data = {"body": "hi", "kind": "helpful", "title": "t", "note": "n", "decision": "accept", "tlp": "clear",
            "audience": "network", "theme": "other", "language": "en"}
    for url in urls["post"]:
        assert client.post(url, data).status_code == 404, url
    assert counts() == before


def test_anonymous_visitors_are_sent_to_sign_in(world, client_for):
    article = write(world)
    for url in ["/knowledge/", "/knowledge/new/", *pages(article)["get"]]:
        response = client_for(None).get(url)
        assert response.status_code == 302 and "next=" in response["Location"], url


def test_readers_who_may_not_change_get_403(world, client_for):
    article = write(world, tlp=Tlp.GREEN)
    client = client_for(world.analyst_b)
    for url in (f"/knowledge/{article.pk}/edit/", f"/knowledge/{article.pk}/share/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/knowledge/{article.pk}/attachments/", {}).status_code == 403
    proposal = actions.propose_edit(article, acting_user=world.analyst_b, title="T", body="B", note="N")
    assert client.post(f"/knowledge/{article.pk}/proposals/{proposal.pk}/", {"decision": "accept"}).status_code == 403
    assert Proposal.objects.get().status == "open"


def test_viewers_may_read_but_not_write(world, client_for):
    article = write(world, tlp=Tlp.GREEN)
    client = client_for(world.red_reader_b)
    assert client.get("/knowledge/new/").status_code == 403
    assert client.get(f"/knowledge/{article.pk}/propose/").status_code == 403
    before = counts()
    assert client.post(f"/knowledge/{article.pk}/comments/", {"body": "hi"}).status_code == 403
    assert counts() == before


def test_writing_an_article_through_the_form(world, client_for):
    client = client_for(world.analyst_a)
    assert client.get("/knowledge/new/").status_code == 200
    response = client.post("/knowledge/new/", {
        "organisation": world.org_a.pk, "title": "MFA on port community systems", "summary": "Why and how.",
        "body": "Use **phishing-resistant** factors.", "theme": "cyber", "language": "en", "tags": "MFA, PCS",
        "tlp": "green", "audience": "network", "intent": "share",
    })
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/knowledge/{article.pk}/"
    assert (article.tlp, article.audience, article.status) == ("green", "network", "shared")
    assert sorted(article.tags.values_list("slug", flat=True)) == ["mfa", "pcs"]
    page = client_for(world.police_analyst).get(response["Location"])
    assert b"<strong>phishing-resistant</strong>" in page.content


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": ""}, "title"), ({"body": ""}, "body"), ({"theme": "astrology"}, "theme"),
    ({"tlp": "red", "audience": "network"}, "audience"), ({"audience": "group"}, "sharing_group"),
    ({"tags": "a, b, c, d, e, f, g, h, i, j, k, l, m"}, "tags"), ({"lessons_from": "999999"}, "lessons_from"),
])
def test_the_form_names_the_bad_field_and_saves_nothing(world, client_for, changes, field):
    data = {"organisation": world.org_a.pk, "title": "T", "body": "B", "theme": "cyber", "language": "en",
            "tlp": "amber", "audience": "owner", "intent": "draft", **changes}
    response = client_for(world.analyst_a).post("/knowledge/new/", data)
    assert response.status_code == 200
    form, marking = response.context["form"], response.context["marking_form"]
    assert field in form.errors or field in marking.errors
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_revising_through_the_form_makes_a_version_and_the_diff_shows_it(world, client_for):
    article = write(world)
    client = client_for(world.officer_a)
    response = client.post(f"/knowledge/{article.pk}/edit/", {
        "title": article.title, "summary": article.summary, "body": article.body + "\n3. Check the vents.",
        "theme": "inspections", "language": "en", "tags": "", "note": "Vents",
    })
    assert response.status_code == 302
    assert ArticleVersion.objects.filter(article=article).count() == 2
    page = client.get(f"/knowledge/{article.pk}/compare/?from=1&to=2")
    assert page.status_code == 200 and b"3. Check the vents." in page.content and b"diff-added" in page.content
    history = client.get(f"/knowledge/{article.pk}/history/")
    assert b"Vents" in history.content


def test_a_bad_revision_names_the_field_and_changes_nothing(world, client_for):
    article = write(world)
    response = client_for(world.analyst_a).post(f"/knowledge/{article.pk}/edit/", {
        "title": "", "body": "x", "theme": "cyber", "language": "en", "note": "x" * 301,
    })
    assert response.status_code == 200
    assert {"title", "note"} <= set(response.context["form"].errors)
    assert Article.objects.get().version == 1


def test_loosening_a_shared_article_needs_a_tick(world, client_for):
    article = write(world, tlp=Tlp.AMBER, audience=Audience.OWNER)
    client = client_for(world.officer_a)
    response = client.post(f"/knowledge/{article.pk}/share/", {"tlp": "green", "audience": "network"})
    assert response.status_code == 200 and "confirm_loosening" in response.context["form"].errors
    assert Article.objects.get().tlp == "amber"
    response = client.post(f"/knowledge/{article.pk}/share/", {"tlp": "green", "audience": "network",
                                                               "confirm_loosening": "on"})
    assert response.status_code == 302 and Article.objects.get().tlp == "green"


def test_proposing_and_accepting_through_the_pages(world, client_for):
    article = write(world, tlp=Tlp.GREEN)
    partner = client_for(world.analyst_b)
    response = partner.post(f"/knowledge/{article.pk}/propose/", {
        "title": article.title, "summary": article.summary, "body": article.body + "\nAlso the drain holes.",
        "note": "Drain holes",
    })
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    editor = client_for(world.officer_a)
    review = editor.get(f"/knowledge/{article.pk}/proposals/{proposal.pk}/")
    assert b"Also the drain holes." in review.content and b"Accept" in review.content
    assert editor.post(f"/knowledge/{article.pk}/proposals/{proposal.pk}/", {"decision": "accept"}).status_code == 302
    article.refresh_from_db()
    assert article.version == 2 and article.versions.get(number=2).author == world.analyst_b


def test_declining_without_a_reason_names_the_field(world, client_for):
    article = write(world, tlp=Tlp.GREEN)
    proposal = actions.propose_edit(article, acting_user=world.analyst_b, title="T", body="B", note="N")
    editor = client_for(world.officer_a)
    response = editor.post(f"/knowledge/{article.pk}/proposals/{proposal.pk}/", {"decision": "decline", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["decline_form"].errors
    assert Proposal.objects.get().status == "open"
    editor.post(f"/knowledge/{article.pk}/proposals/{proposal.pk}/", {"decision": "decline", "reason": "Off topic"})
    assert Proposal.objects.get().status == "declined"
    assert b"Off topic" in client_for(world.analyst_b).get(f"/knowledge/{article.pk}/proposals/{proposal.pk}/").content


def test_an_empty_proposal_form_names_the_fields(world, client_for):
    article = write(world, tlp=Tlp.GREEN)
    response = client_for(world.analyst_b).post(f"/knowledge/{article.pk}/propose/", {"title": "", "body": "", "note": ""})
    assert {"title", "body", "note"} <= set(response.context["form"].errors)
    assert Proposal.objects.count() == 0


def test_comments_and_feedback_through_the_page(world, client_for):
    article = write(world, tlp=Tlp.GREEN)
    client = client_for(world.analyst_b)
    assert client.post(f"/knowledge/{article.pk}/comments/", {"body": "Same at *Ghent*."}).status_code == 302
    assert client.post(f"/knowledge/{article.pk}/feedback/", {"kind": "helpful"}).status_code == 302
    assert client.post(f"/knowledge/{article.pk}/feedback/", {"kind": "adopted"}).status_code == 302
    page = client.get(f"/knowledge/{article.pk}/")
    assert b"Same at <em>Ghent</em>." in page.content
    assert b"1 person found this helpful" in page.content and b"1 organisation adopted this" in page.content
    assert client.post(f"/knowledge/{article.pk}/comments/", {"body": ""}).status_code == 200
    assert client.post(f"/knowledge/{article.pk}/feedback/", {"kind": "loved"}).status_code == 302
    assert Feedback.objects.count() == 2 and ArticleComment.objects.count() == 1


def test_the_index_filters_by_theme_tag_language_and_title(world, client_for):
    write(world, tlp=Tlp.GREEN, title="Drone detection pilot", theme="drones", tags="rf")
    write(world, tlp=Tlp.GREEN, title="Contrôle d'accès", theme="access_control", language="fr")
    client = client_for(world.analyst_b)
    titles = lambda **q: [a.title for a in client.get("/knowledge/", q).context["page"]]  # noqa: E731
    assert titles(theme="drones") == ["Drone detection pilot"]
    assert titles(tag="RF") == ["Drone detection pilot"]
    assert titles(language="fr") == ["Contrôle d'accès"]
    assert titles(q="drone") == ["Drone detection pilot"]
    response = client.get("/knowledge/", {"theme": "astrology"})
    assert "theme" in response.context["form"].errors and len(response.context["page"]) == 2


def test_attachments_upload_and_download_for_readers_only(world, client_for, storage):
    article = write(world, tlp=Tlp.AMBER, audience=Audience.ORGANISATIONS, recipient_orgs=[world.org_b])
    client = client_for(world.analyst_a)
    upload = SimpleUploadedFile("checklist.txt", b"1. seal\n")
    assert client.post(f"/knowledge/{article.pk}/attachments/", {"file": upload}).status_code == 302
    attachment = ArticleAttachment.objects.get()
    response = client_for(world.analyst_b).get(f"/knowledge/{article.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"1. seal\n"
    assert response["Content-Disposition"].startswith("attachment")
    assert client_for(world.police_analyst).get(f"/knowledge/{article.pk}/attachments/{attachment.pk}/").status_code == 404
    bad = client.post(f"/knowledge/{article.pk}/attachments/", {"file": SimpleUploadedFile("x.exe", b"MZ\x00\x01")})
    assert bad.status_code == 200 and "file" in bad.context["attachment_form"].errors
    assert ArticleAttachment.objects.count() == 1


def _queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, data or {}).status_code == 200
    return len(captured)


def _write_many(world, count):
    for number in range(count):
        write(world, tlp=Tlp.GREEN, title=f"Article {number}", tags=f"tag{number % 4}, shared")


def test_the_index_runs_the_same_queries_for_3_or_30_articles(world, client_for, django_assert_max_num_queries):
    client = client_for(world.police_analyst)
    _write_many(world, 3)
    few = _queries(client, "/knowledge/")
    filtered = _queries(client, "/knowledge/", {"theme": "inspections", "tag": "shared", "q": "article"})
    _write_many(world, 27)
    with django_assert_max_num_queries(few):
        response = client.get("/knowledge/")
    assert len(response.context["page"]) == 20
    with django_assert_max_num_queries(filtered):
        client.get("/knowledge/", {"theme": "inspections", "tag": "shared", "q": "article"}, HTTP_HX_REQUEST="true")


def test_the_api_list_runs_the_same_queries_for_3_or_30_articles(world, client_for, django_assert_max_num_queries):
    client = client_for(world.police_analyst)
    _write_many(world, 3)
    few = _queries(client, "/api/v1/articles")
    _write_many(world, 27)
    with django_assert_max_num_queries(few):
        assert len(client.get("/api/v1/articles?limit=100").json()["items"]) == 30
