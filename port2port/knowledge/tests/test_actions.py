"""The knowledge actions: versions, sharing, proposals, feedback, tags and linked reports."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from port2port.core.audit import AuditEvent
from port2port.core.sharing import Audience, Status, Tlp
from port2port.knowledge import actions
from port2port.knowledge.diff import line_diff, text_changes
from port2port.knowledge.models import Article, ArticleComment, ArticleVersion, Feedback, Proposal, Tag
from port2port.knowledge.reading import feedback_counts

from .conftest import write


def counts():
    return (Article.objects.count(), ArticleVersion.objects.count(), Proposal.objects.count(),
            ArticleComment.objects.count(), Feedback.objects.count(), Tag.objects.count())


def test_writing_an_article_makes_version_1_and_an_audit_entry(world):
    article = write(world, tags="Reefer, PIN codes")
    assert article.version == 1 and article.status == Status.SHARED
    assert [(v.number, v.kind, v.author) for v in article.versions.all()] == [(1, "create", world.analyst_a)]
    assert sorted(article.tags.values_list("slug", flat=True)) == ["pin-codes", "reefer"]
    assert AuditEvent.objects.filter(action="knowledge.article.create", target_id=str(article.pk)).exists()


def test_a_viewer_may_not_write_articles(world):
    with pytest.raises(PermissionDenied):
        write(world, world.red_reader_b, world.org_b)
    assert Article.objects.count() == 0


def test_nobody_writes_for_an_organisation_they_are_not_in(world):
    with pytest.raises(PermissionDenied):
        write(world, world.analyst_a, world.org_b)


def test_a_revision_is_a_new_version_with_its_author_and_note(world):
    article = write(world)
    actions.revise_article(article, acting_user=world.officer_a, body=article.body + "\n3. Check the vents.\n",
                           note="Vents added")
    article.refresh_from_db()
    assert article.version == 2
    latest = article.versions.get(number=2)
    assert (latest.kind, latest.author, latest.note) == ("revise", world.officer_a, "Vents added")
    assert "Check the vents" in latest.body


def test_a_revision_that_changes_nothing_makes_no_version(world):
    article = write(world)
    actions.revise_article(article, acting_user=world.analyst_a, title=article.title)
    assert article.versions.count() == 1


def test_partners_may_not_revise(world):
    article = write(world)
    with pytest.raises(PermissionDenied):
        actions.revise_article(article, acting_user=world.analyst_b, title="Mine now")


def test_a_revision_cannot_change_the_marking(world):
    article = write(world)
    with pytest.raises(ValidationError) as error:
        actions.revise_article(article, acting_user=world.analyst_a, tlp=Tlp.CLEAR)
    assert "tlp" in error.value.message_dict
    article.refresh_from_db()
    assert article.tlp == Tlp.AMBER


@pytest.mark.parametrize(("field", "value"), [
    ("title", ""), ("title", "x" * 201), ("body", ""), ("body", "x" * 100_001), ("theme", "astrology"),
    ("language", "xx"), ("summary", "x" * 1001),
])
def test_bad_content_names_the_field_and_writes_nothing(world, field, value):
    before = counts()
    with pytest.raises(ValidationError) as error:
        write(world, **{field: value})
    assert field in error.value.message_dict
    assert counts() == before


@pytest.mark.parametrize("tags", ["ok, " + ", ".join(f"t{n}" for n in range(12)), ["Not A Slug!"], ["x" * 41]])
def test_bad_tags_name_the_tags_field(world, tags):
    before = counts()
    with pytest.raises(ValidationError) as error:
        write(world, tags=tags)
    assert "tags" in error.value.message_dict
    assert counts() == before


def test_bad_marking_names_the_field(world):
    before = counts()
    with pytest.raises(ValidationError) as error:
        write(world, tlp=Tlp.RED, audience=Audience.NETWORK)
    assert "audience" in error.value.message_dict
    assert counts() == before


def test_an_article_cites_only_reports_its_writer_may_see(world):
    hidden = world.report(world.analyst_b, world.org_b, audience=Audience.OWNER)
    with pytest.raises(ValidationError) as error:
        write(world, lessons_from=[hidden])
    assert "lessons_from" in error.value.message_dict
    seen = world.report()
    article = write(world, lessons_from=[seen])
    assert list(article.lessons_from.all()) == [seen]


def test_sharing_records_whether_it_loosened(world):
    article = write(world, tlp=Tlp.AMBER, audience=Audience.OWNER)
    actions.share_article(article, acting_user=world.officer_a, tlp=Tlp.GREEN, audience=Audience.NETWORK)
    event = AuditEvent.objects.filter(action="knowledge.article.share").latest("seq")
    assert event.detail["loosened"] is True
    assert event.detail["from"] == {"tlp": "amber", "audience": "owner"}
    actions.share_article(article, acting_user=world.officer_a, tlp=Tlp.AMBER, audience=Audience.NETWORK)
    assert AuditEvent.objects.filter(action="knowledge.article.share").latest("seq").detail["loosened"] is False


def test_red_is_for_the_author_alone_to_change(world):
    article = write(world, tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    with pytest.raises(PermissionDenied):
        actions.revise_article(article, acting_user=world.officer_a, title="Officer edit")
    with pytest.raises(PermissionDenied):
        actions.share_article(article, acting_user=world.admin_a, tlp=Tlp.AMBER, audience=Audience.NETWORK)


def test_after_loosening_readers_follow_only_the_versions_since(world):
    article = write(world, tlp=Tlp.AMBER, audience=Audience.OWNER, body="Secret of port A only.")
    actions.add_comment(article, acting_user=world.officer_a, body="Internal remark")
    actions.revise_article(article, acting_user=world.analyst_a, body="Text fit for the network.")
    actions.share_article(article, acting_user=world.analyst_a, tlp=Tlp.GREEN, audience=Audience.NETWORK)
    partner_versions = ArticleVersion.objects.readable_by(article, world.analyst_b)
    assert [v.number for v in partner_versions] == [3]
    assert ArticleComment.objects.readable_by(article, world.analyst_b).count() == 0
    assert ArticleVersion.objects.readable_by(article, world.officer_a).count() == 3


def test_comments_need_the_write_permission_and_text(world):
    article = write(world)
    with pytest.raises(PermissionDenied):
        actions.add_comment(article, acting_user=world.red_reader_b, body="Hello")
    with pytest.raises(ValidationError) as error:
        actions.add_comment(article, acting_user=world.analyst_b, body="   ")
    assert "body" in error.value.message_dict
    comment = actions.add_comment(article, acting_user=world.analyst_b, body="We do the same at Ghent.")
    assert comment.organisation == world.org_b


def test_accepting_a_proposal_makes_a_version_by_the_proposer(world):
    article = write(world)
    proposal = actions.propose_edit(article, acting_user=world.analyst_b, title=article.title, summary=article.summary,
                                    body=article.body + "\n3. Read the temperature log.\n", note="Temperature log")
    with pytest.raises(PermissionDenied):
        actions.accept_proposal(proposal, acting_user=world.analyst_b)
    actions.accept_proposal(proposal, acting_user=world.officer_a)
    article.refresh_from_db()
    proposal.refresh_from_db()
    version = article.versions.get(number=2)
    assert (version.kind, version.author, version.note) == ("proposal", world.analyst_b, "Temperature log")
    assert "temperature log" in article.body
    assert (proposal.status, proposal.decided_by) == ("accepted", world.officer_a)
    with pytest.raises(ValidationError) as error:
        actions.decline_proposal(proposal, acting_user=world.officer_a, reason="Too late")
    assert "status" in error.value.message_dict


def test_a_proposal_taken_by_one_editor_is_not_taken_again_through_a_copy_read_before(world):
    article = write(world)
    proposal = actions.propose_edit(article, acting_user=world.analyst_b, title=article.title, body=article.body + "\nMore.",
                                    note="More")
    stale = Proposal.objects.get(pk=proposal.pk)  # what a second editor's page loaded
    actions.accept_proposal(proposal, acting_user=world.officer_a)
    for decide in (lambda: actions.accept_proposal(stale, acting_user=world.admin_a),
                   lambda: actions.decline_proposal(stale, acting_user=world.admin_a, reason="No")):
        with pytest.raises(ValidationError) as error:
            decide()
        assert "status" in error.value.message_dict
    assert article.versions.count() == 2


def test_declining_needs_a_reason_and_keeps_the_text(world):
    article = write(world)
    proposal = actions.propose_edit(article, acting_user=world.police_analyst, title="Better title",
                                    body=article.body, note="Clearer")
    with pytest.raises(ValidationError) as error:
        actions.decline_proposal(proposal, acting_user=world.officer_a, reason=" ")
    assert "reason" in error.value.message_dict
    actions.decline_proposal(proposal, acting_user=world.officer_a, reason="The title names the checklist.")
    article.refresh_from_db()
    assert article.title == "Reefer inspection checklist" and article.version == 1
    assert Proposal.objects.get(pk=proposal.pk).status == "declined"


@pytest.mark.parametrize(("changes", "field"), [
    ({"note": ""}, "note"), ({"body": ""}, "body"), ({}, "body"), ({"title": "x" * 201}, "title"),
])
def test_bad_proposals_name_the_field_and_store_nothing(world, changes, field):
    article = write(world)
    before = counts()
    values = {"title": article.title, "summary": article.summary, "body": article.body, "note": "Why", **changes}
    with pytest.raises(ValidationError) as error:
        actions.propose_edit(article, acting_user=world.analyst_b, **values)
    assert field in error.value.message_dict
    assert counts() == before


def test_viewers_may_not_propose_and_drafts_take_no_proposals(world):
    article = write(world)
    with pytest.raises(PermissionDenied):
        actions.propose_edit(article, acting_user=world.red_reader_b, title="t", body="b", note="n")
    draft = write(world, share_now=False)
    with pytest.raises(ValidationError):
        actions.propose_edit(draft, acting_user=world.officer_a, title="t", body="b", note="n")


def test_feedback_counts_people_and_organisations_once(world):
    article = write(world)
    for person in (world.analyst_b, world.analyst_b, world.red_reader_b, world.police_analyst):
        actions.give_feedback(article, acting_user=person, kind="helpful")
    actions.give_feedback(article, acting_user=world.analyst_b, kind="adopted")
    actions.give_feedback(article, acting_user=world.analyst_b, kind="adopted")
    assert feedback_counts(article) == {"helpful": 3, "adopted": 1}
    with pytest.raises(PermissionDenied):
        actions.give_feedback(article, acting_user=world.red_reader_b, kind="adopted")
    with pytest.raises(ValidationError) as error:
        actions.give_feedback(article, acting_user=world.analyst_b, kind="loved")
    assert "kind" in error.value.message_dict
    actions.withdraw_feedback(article, acting_user=world.analyst_b, kind="helpful")
    assert feedback_counts(article) == {"helpful": 2, "adopted": 1}


def test_feedback_counts_only_givers_who_may_still_read(world):
    article = write(world, tlp=Tlp.GREEN, audience=Audience.NETWORK)
    actions.give_feedback(article, acting_user=world.analyst_b, kind="helpful")
    actions.give_feedback(article, acting_user=world.police_analyst, kind="adopted")
    actions.share_article(article, acting_user=world.analyst_a, tlp=Tlp.AMBER, audience=Audience.ORGANISATIONS,
                          recipient_orgs=[world.org_b])
    assert feedback_counts(article) == {"helpful": 1, "adopted": 0}


def test_line_diff_shows_removed_and_added_lines_with_context():
    rows = line_diff("a\nb\nc\nd\ne\nf\ng\nh", "a\nb\nc\nD\ne\nf\ng\nh")
    assert [(r.kind, r.text) for r in rows] == [
        ("same", "b"), ("same", "c"), ("removed", "d"), ("added", "D"), ("same", "e"), ("same", "f"),
    ]


def test_text_changes_lists_only_changed_fields(world):
    article = write(world)
    actions.revise_article(article, acting_user=world.analyst_a, title="Reefer checklist v2")
    v1, v2 = article.versions.order_by("number")
    assert [c["field"] for c in text_changes(v1, v2)] == ["title"]
