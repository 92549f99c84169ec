"""The knowledge API: articles, their versions and differences, comments, attachments,
proposed edits and feedback.

Every read starts from `Article.objects.visible_to(caller)`, so an article the caller may not
see is a 404 exactly like a missing one; every write is one of `port2port.knowledge.actions`.
The caller is `request.auth` (see port2port/api.py): a person, through a session or a key.
"""

from datetime import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile

from port2port.organisations.models import Organisation
from port2port.reports.api import filing_organisation, marking_from, refuse_too_large
from port2port.reports.views import attachment_response

from . import actions, search
from .diff import text_changes
from .markdown import render
from .models import Article, ArticleAttachment, ArticleComment, ArticleVersion, Feedback, Proposal
from .reading import feedback_counts, lessons_visible
from .schemas import (
    MAX_ID, ArticleAttachmentOut, ArticleCommentIn, ArticleCommentOut, ArticleDiffOut, ArticleFilters, ArticleIn,
    ArticleOut, ArticlePage, ArticlePatch, ArticleShareIn, ArticleVersionOut, DeclineIn, FeedbackIn, FeedbackOut,
    ProposalIn, ProposalOut,
)

router = Router()

CONTENT_FIELDS = ("title", "summary", "body", "theme", "language")
CURSOR_SALT = "port2port.knowledge.api.cursor"


# ---------------------------------------------------------------------------------------------
# Finding articles: through the sharing rule, always
# ---------------------------------------------------------------------------------------------


def visible_articles(request):
    return Article.objects.visible_to(request.auth.viewer)


def get_visible(request, article_id: int, queryset=None) -> Article:
    """The article if the caller may see it; otherwise 404, the same as for a missing id."""
    queryset = queryset if queryset is not None else visible_articles(request).select_related("owner_org")
    article = queryset.filter(pk=article_id).first() if 0 < article_id <= MAX_ID else None
    if article is None:
        raise Http404
    return article


def get_editable(request, article_id: int) -> Article:
    """404 if the caller may not see it, 403 if they may only read it. A key edits only its
    own organisation's articles."""
    article = get_visible(request, article_id)
    if not Article.objects.editable_by(request.auth.viewer).filter(pk=article.pk).exists():
        raise PermissionDenied(_("You may read this article but not change it."))
    return article


def as_out(request, article_id: int) -> Article:
    """The article with everything ArticleOut shows, for this caller."""
    article = get_visible(request, article_id, visible_articles(request).for_list().prefetch_related(
        "recipient_orgs", "recipient_people"))
    article.body_html = str(render(article.body))
    article.lessons_from_ids = sorted(lessons_visible(article, request.auth.viewer).values_list("pk", flat=True))
    article.feedback_counts = feedback_counts(article)
    return article


def record_read(request, article: Article, channel: str) -> None:
    principal = request.auth
    actions.record_read(article, reader=principal.user, channel=channel, ip=principal.ip, api_key=principal.api_key)


def get_proposal(request, article: Article, proposal_id: int) -> Proposal:
    proposals = Proposal.objects.readable_by(article, request.auth.viewer).select_related("proposer", "organisation")
    proposal = proposals.filter(pk=proposal_id).first() if 0 < proposal_id <= MAX_ID else None
    if proposal is None:
        raise Http404
    return proposal


def _content(payload, *, only_sent: bool = False) -> dict:
    return payload.model_dump(include=set(CONTENT_FIELDS), exclude_unset=only_sent)


def _links(payload, *, only_sent: bool = False) -> dict:
    return payload.model_dump(include={"tags", "lessons_from"}, exclude_unset=only_sent, exclude_none=only_sent)


# ---------------------------------------------------------------------------------------------
# Listing: filters and an opaque cursor over (updated_at, id)
# ---------------------------------------------------------------------------------------------


def filtered(articles, filters: ArticleFilters):
    for name in ("theme", "language", "tlp", "status"):
        if getattr(filters, name):
            articles = articles.filter(**{name: getattr(filters, name)})
    if filters.tag:
        articles = articles.filter(tags__slug=filters.tag.strip().lower())
    if filters.q:
        articles = search.search(articles, filters.q)
    return articles


def _after_cursor(articles, cursor: str):
    try:
        updated, pk = signing.loads(cursor, salt=CURSOR_SALT)
        updated = datetime.fromisoformat(updated)
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError({"cursor": _("This cursor is not valid. Start again without one.")}) from None
    return articles.filter(Q(updated_at__lt=updated) | Q(updated_at=updated, pk__lt=pk))


def page_of(articles, filters: ArticleFilters) -> dict:
    """A keyset page, newest change first: an article revised meanwhile moves to the top and
    is not repeated on a later page."""
    articles = articles.for_list().order_by("-updated_at", "-pk")
    if filters.cursor:
        articles = _after_cursor(articles, filters.cursor)
    rows = list(articles[: filters.limit + 1])
    items, more = rows[: filters.limit], len(rows) > filters.limit
    cursor = signing.dumps([items[-1].updated_at.isoformat(), items[-1].pk], salt=CURSOR_SALT) if more else None
    return {"items": items, "next_cursor": cursor}


# ---------------------------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------------------------


@router.get("/articles", response=ArticlePage, summary="List the articles shared with you")
def list_articles(request, filters: Query[ArticleFilters]):
    """Most recently changed first. Pass `next_cursor` back as `cursor` for the next page."""
    return page_of(filtered(visible_articles(request), filters).distinct(), filters)


@router.post("/articles", response={201: ArticleOut}, summary="Write an article")
def create_article(request, payload: ArticleIn):
    organisation = filing_organisation(request, payload.organisation)
    article = actions.write_article(
        acting_user=request.auth.user, organisation=organisation, marking=marking_from(payload, organisation),
        share_now=payload.share_now, ip=request.auth.ip, **_content(payload), **_links(payload),
    )
    return Status(201, as_out(request, article.pk))


@router.get("/articles/{int:article_id}", response=ArticleOut, summary="Read an article")
def read_article(request, article_id: int):
    article = as_out(request, article_id)
    record_read(request, article, "api")
    return article


@router.patch("/articles/{int:article_id}", response=ArticleOut, summary="Revise an article (a new version)")
def revise_article(request, article_id: int, payload: ArticlePatch):
    article = get_editable(request, article_id)
    actions.revise_article(article, acting_user=request.auth.user, note=payload.note, ip=request.auth.ip,
                           **_content(payload, only_sent=True), **_links(payload, only_sent=True))
    return as_out(request, article.pk)


@router.post("/articles/{int:article_id}/share", response=ArticleOut, summary="Share an article: set its label and audience")
def share_article(request, article_id: int, payload: ArticleShareIn):
    article = get_editable(request, article_id)
    actions.share_article(article, acting_user=request.auth.user, ip=request.auth.ip,
                          **marking_from(payload, article.owner_org))
    return as_out(request, article.pk)


# ---------------------------------------------------------------------------------------------
# Versions
# ---------------------------------------------------------------------------------------------


def _versions(request, article):
    return ArticleVersion.objects.readable_by(article, request.auth.viewer).select_related("author")


@router.get("/articles/{int:article_id}/versions", response=list[ArticleVersionOut], summary="An article's versions, oldest first")
def list_article_versions(request, article_id: int):
    article = get_visible(request, article_id)
    record_read(request, article, "api:history")
    return _versions(request, article).order_by("number")


@router.get("/articles/{int:article_id}/diff", response=ArticleDiffOut, summary="What changed between two versions")
def article_diff(request, article_id: int, from_version: int = Query(..., alias="from", ge=1, le=MAX_ID),
                 to_version: int = Query(..., alias="to", ge=1, le=MAX_ID)):
    article = get_visible(request, article_id)
    versions = {v.number: v for v in _versions(request, article).filter(number__in={from_version, to_version})}
    # A version the caller may not follow is answered like one that does not exist.
    missing = [name for name, n in (("from", from_version), ("to", to_version)) if n not in versions]
    if missing:
        raise ValidationError({name: _("There is no such version you may read.") for name in missing})
    record_read(request, article, "api:diff")
    return {"from_version": from_version, "to_version": to_version,
            "changes": text_changes(versions[from_version], versions[to_version])}


# ---------------------------------------------------------------------------------------------
# Comments and attachments
# ---------------------------------------------------------------------------------------------


@router.get("/articles/{int:article_id}/comments", response=list[ArticleCommentOut], summary="An article's comments")
def list_article_comments(request, article_id: int):
    article = get_visible(request, article_id)
    record_read(request, article, "api:comments")
    return ArticleComment.objects.readable_by(article, request.auth.viewer).select_related("author", "organisation")


@router.post("/articles/{int:article_id}/comments", response={201: ArticleCommentOut}, summary="Comment on an article")
def add_article_comment(request, article_id: int, payload: ArticleCommentIn):
    article = get_visible(request, article_id)
    comment = actions.add_comment(article, acting_user=request.auth.user, body=payload.body, ip=request.auth.ip)
    return Status(201, ArticleComment.objects.select_related("author", "organisation").get(pk=comment.pk))


@router.get("/articles/{int:article_id}/attachments", response=list[ArticleAttachmentOut], summary="An article's attachments")
def list_article_attachments(request, article_id: int):
    article = get_visible(request, article_id)
    record_read(request, article, "api:attachments")
    return article.attachments.select_related("uploaded_by")


@router.post("/articles/{int:article_id}/attachments", response={201: ArticleAttachmentOut}, summary="Attach a file (multipart)")
def upload_article_attachment(request, article_id: int, file: File[UploadedFile]):
    """Images (JPEG, PNG, GIF, WebP, stored without EXIF/GPS), PDF, text or CSV."""
    article = get_editable(request, article_id)
    refuse_too_large(file)
    attachment = actions.add_attachment(article, acting_user=request.auth.user, upload=file, ip=request.auth.ip)
    return Status(201, ArticleAttachment.objects.select_related("uploaded_by").get(pk=attachment.pk))


@router.get("/articles/{int:article_id}/attachments/{int:attachment_id}", response={200: None},
            summary="Download an article's attachment",
            openapi_extra={"responses": {200: {"description": "The file, as an attachment",
                                                 "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}})
def download_article_attachment(request, article_id: int, attachment_id: int):
    article = get_visible(request, article_id)
    attachment = article.attachments.filter(pk=attachment_id).first() if 0 < attachment_id <= MAX_ID else None
    if attachment is None:
        raise Http404
    record_read(request, article, "api:attachment")
    return attachment_response(attachment)


# ---------------------------------------------------------------------------------------------
# Proposals
# ---------------------------------------------------------------------------------------------


@router.get("/articles/{int:article_id}/proposals", response=list[ProposalOut],
            summary="Proposed edits: all of them for the article's editors, one's own for others")
def list_article_proposals(request, article_id: int):
    article = get_visible(request, article_id)
    return Proposal.objects.readable_by(article, request.auth.viewer).select_related("proposer", "organisation")


@router.post("/articles/{int:article_id}/proposals", response={201: ProposalOut}, summary="Propose an edit")
def propose_article_edit(request, article_id: int, payload: ProposalIn):
    article = get_visible(request, article_id)
    proposal = actions.propose_edit(article, acting_user=request.auth.user, ip=request.auth.ip, **payload.model_dump())
    return Status(201, get_proposal(request, article, proposal.pk))


@router.get("/articles/{int:article_id}/proposals/{int:proposal_id}", response=ProposalOut, summary="A proposed edit")
def read_article_proposal(request, article_id: int, proposal_id: int):
    return get_proposal(request, get_visible(request, article_id), proposal_id)


@router.post("/articles/{int:article_id}/proposals/{int:proposal_id}/accept", response=ArticleOut,
             summary="Accept a proposal: it becomes the article's new version")
def accept_article_proposal(request, article_id: int, proposal_id: int):
    article = get_editable(request, article_id)
    actions.accept_proposal(get_proposal(request, article, proposal_id), acting_user=request.auth.user, ip=request.auth.ip)
    return as_out(request, article.pk)


@router.post("/articles/{int:article_id}/proposals/{int:proposal_id}/decline", response=ProposalOut,
             summary="Decline a proposal, with a reason")
def decline_article_proposal(request, article_id: int, proposal_id: int, payload: DeclineIn):
    article = get_editable(request, article_id)
    proposal = get_proposal(request, article, proposal_id)
    actions.decline_proposal(proposal, acting_user=request.auth.user, reason=payload.reason, ip=request.auth.ip)
    return get_proposal(request, article, proposal_id)


# ---------------------------------------------------------------------------------------------
# Feedback
# ---------------------------------------------------------------------------------------------


def _feedback_of(request, article) -> dict:
    counts = feedback_counts(article)
    mine = Feedback.objects.filter(article=article, user=request.auth.user).values_list("kind", flat=True)
    return {"helpful": counts["helpful"], "adopted": counts["adopted"], "mine": sorted(set(mine))}


def _organisation_of(request, organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        if request.auth.api_key is not None:
            return request.auth.api_key.organisation
        return None
    if organisation_id not in request.auth.viewer.org_ids:
        raise ValidationError({"organisation": _("You are not a member of this organisation.")})
    return Organisation.objects.get(pk=organisation_id)


@router.get("/articles/{int:article_id}/feedback", response=FeedbackOut, summary="Feedback counts")
def article_feedback(request, article_id: int):
    return _feedback_of(request, get_visible(request, article_id))


@router.post("/articles/{int:article_id}/feedback", response=FeedbackOut, summary="Say “helpful” or “we adopted this”")
def give_article_feedback(request, article_id: int, payload: FeedbackIn):
    article = get_visible(request, article_id)
    actions.give_feedback(article, acting_user=request.auth.user, kind=payload.kind,
                          organisation=_organisation_of(request, payload.organisation), ip=request.auth.ip)
    return _feedback_of(request, article)


@router.delete("/articles/{int:article_id}/feedback", response=FeedbackOut, summary="Take feedback back")
def withdraw_article_feedback(request, article_id: int, payload: FeedbackIn):
    article = get_visible(request, article_id)
    actions.withdraw_feedback(article, acting_user=request.auth.user, kind=payload.kind,
                              organisation=_organisation_of(request, payload.organisation), ip=request.auth.ip)
    return _feedback_of(request, article)
