"""The shapes of the knowledge API. Lengths and choices come from the models, so the API and
the database never disagree; the marking fields are the reports API's own."""

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from port2port.core.sharing import Audience, Status as ArticleStatus, Tlp
from port2port.reports.schemas import MAX_ID, Id, MarkingIn, OrganisationRef, PersonRef, _organisation, _person

from .actions import MAX_TAGS
from .models import Article, ArticleComment, ArticleVersion, FeedbackKind, Language, Proposal, ProposalStatus, Tag, Theme

__all__ = ["MAX_ID"]


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class ArticleSummary(Schema):
    id: int
    title: str
    summary: str
    theme: Theme
    language: Language
    tags: list[str]
    tlp: Tlp
    audience: Audience
    status: ArticleStatus
    owner_org: OrganisationRef
    author: PersonRef
    version: int
    updated_at: datetime

    @staticmethod
    def resolve_tags(article) -> list[str]:
        return [tag.slug for tag in article.tags.all()]

    @staticmethod
    def resolve_owner_org(article) -> dict:
        return _organisation(article.owner_org)

    @staticmethod
    def resolve_author(article) -> dict:
        return _person(article.author)


class ArticleOut(ArticleSummary):
    """A whole article, with its marking, its rendered text and the reports it cites that the
    caller may see."""

    body: str
    body_html: str = Field(description="The Markdown rendered and sanitised")
    lessons_from: list[int] = Field(description="Ids of the cited reports the caller may see")
    sharing_group: int | None
    recipient_orgs: list[int]
    recipient_people: list[int]
    created_at: datetime
    shared_at: datetime | None
    feedback: dict[str, int] = Field(description="helpful: people; adopted: organisations")

    @staticmethod
    def resolve_feedback(article) -> dict[str, int]:
        return article.feedback_counts  # set by the API: counts from readers only

    @staticmethod
    def resolve_lessons_from(article) -> list[int]:
        return article.lessons_from_ids  # set by the API from the reports the caller may see

    @staticmethod
    def resolve_sharing_group(article) -> int | None:
        return article.sharing_group_id

    @staticmethod
    def resolve_recipient_orgs(article) -> list[int]:
        return sorted(org.pk for org in article.recipient_orgs.all())

    @staticmethod
    def resolve_recipient_people(article) -> list[int]:
        return sorted(person.pk for person in article.recipient_people.all())


class ArticlePage(Schema):
    items: list[ArticleSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


def _tags_field():
    return Field(default_factory=list, max_length=MAX_TAGS, description="Lowercase tags, e.g. reefer, pin-codes")


class ContentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=_max(Article, "title"))
    summary: str = Field("", max_length=_max(Article, "summary"))
    body: str = Field(min_length=1, max_length=_max(Article, "body"), description="Markdown")
    theme: Theme
    language: Language = Language.EN
    tags: list[str] = _tags_field()
    lessons_from: list[Id] = Field(default_factory=list, max_length=50, description="Ids of reports you may see")

    @field_validator("tags")
    @classmethod
    def _tag_lengths(cls, tags):
        limit = _max(Tag, "slug")
        if any(len(tag) > limit for tag in tags):
            raise PydanticCustomError("tag_too_long", str(_("A tag has at most %(count)d characters.") % {"count": limit}))
        return tags


class ArticleIn(ContentIn, MarkingIn):
    """A new article. It stays a draft for its organisation's editors unless `share_now`."""

    tlp: Tlp = Tlp.AMBER
    audience: Audience = Audience.OWNER
    organisation: Id | None = Field(None, description="The organisation writing it; needed if you belong to several")
    share_now: bool = False


MARKING_FIELDS = ("tlp", "audience", "recipient_orgs", "recipient_people", "sharing_group", "share_now")


class ArticlePatch(Schema):
    """A revision: fields left out stay as they are. The marking is changed by /share only."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(None, min_length=1, max_length=_max(Article, "title"))
    summary: str = Field(None, max_length=_max(Article, "summary"))
    body: str = Field(None, min_length=1, max_length=_max(Article, "body"))
    theme: Theme = None
    language: Language = None
    tags: list[str] = Field(None, max_length=MAX_TAGS)
    lessons_from: list[Id] = Field(None, max_length=50)
    note: str = Field("", max_length=_max(ArticleVersion, "note"), description="What changed, for the history")
    tlp: SkipJsonSchema[Any] = None
    audience: SkipJsonSchema[Any] = None
    recipient_orgs: SkipJsonSchema[Any] = None
    recipient_people: SkipJsonSchema[Any] = None
    sharing_group: SkipJsonSchema[Any] = None
    share_now: SkipJsonSchema[Any] = None

    @field_validator(*MARKING_FIELDS, mode="before")
    @classmethod
    def _marking_goes_through_share(cls, value):
        raise PydanticCustomError(
            "marking_through_share",
            str(_("The marking is not changed by a revision: use POST /api/v1/articles/<id>/share.")),
        )


class ArticleShareIn(MarkingIn):
    """The new marking of an article. A draft is published by sharing it."""


class ArticleFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    theme: Theme | None = None
    language: Language | None = None
    tag: str | None = Field(None, max_length=_max(Tag, "slug"))
    tlp: Tlp | None = None
    status: ArticleStatus | None = None
    q: str | None = Field(None, max_length=200, description="Text search")
    limit: int = Field(25, ge=1, le=100)
    cursor: str | None = Field(None, max_length=200)


class ArticleCommentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=_max(ArticleComment, "body"), description="Markdown")


class ArticleCommentOut(Schema):
    id: int
    body: str
    body_html: str
    author: PersonRef
    organisation: OrganisationRef
    created_at: datetime

    @staticmethod
    def resolve_body_html(comment) -> str:
        from .markdown import render

        return str(render(comment.body))

    @staticmethod
    def resolve_author(comment) -> dict:
        return _person(comment.author)

    @staticmethod
    def resolve_organisation(comment) -> dict:
        return _organisation(comment.organisation)


class ArticleAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: PersonRef
    created_at: datetime
    download_url: str

    @staticmethod
    def resolve_name(attachment) -> str:
        return attachment.original_name

    @staticmethod
    def resolve_uploaded_by(attachment) -> dict:
        return _person(attachment.uploaded_by)

    @staticmethod
    def resolve_download_url(attachment) -> str:
        return reverse("api:download_article_attachment", args=[attachment.article_id, attachment.pk])


class ArticleVersionOut(Schema):
    number: int
    kind: str = Field(description="create, revise, proposal or share")
    note: str
    author: PersonRef
    created_at: datetime
    title: str
    summary: str
    body: str

    @staticmethod
    def resolve_author(version) -> dict:
        return _person(version.author)


class DiffLineOut(Schema):
    kind: str = Field(description="same, added, removed or gap")
    text: str
    old_number: int | None
    new_number: int | None


class FieldDiffOut(Schema):
    field: str
    lines: list[DiffLineOut]


class ArticleDiffOut(Schema):
    from_version: int
    to_version: int
    changes: list[FieldDiffOut]


class ProposalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=_max(Proposal, "title"))
    summary: str = Field("", max_length=_max(Proposal, "summary"))
    body: str = Field(min_length=1, max_length=_max(Proposal, "body"))
    note: str = Field(min_length=1, max_length=_max(Proposal, "note"), description="Why this change")


class DeclineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=_max(Proposal, "reason"))


class ProposalOut(Schema):
    id: int
    status: ProposalStatus
    base_version: int
    title: str
    summary: str
    body: str
    note: str
    proposer: PersonRef
    organisation: OrganisationRef
    created_at: datetime
    decided_at: datetime | None
    reason: str

    @staticmethod
    def resolve_proposer(proposal) -> dict:
        return _person(proposal.proposer)

    @staticmethod
    def resolve_organisation(proposal) -> dict:
        return _organisation(proposal.organisation)


class FeedbackIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: FeedbackKind
    organisation: Id | None = Field(None, description="For “adopted”: the organisation, if you belong to several")


class FeedbackOut(Schema):
    helpful: int
    adopted: int
    mine: list[FeedbackKind]
