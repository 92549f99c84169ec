"""Every write to the knowledge base is one of these named actions: validated, in a
transaction, audited. Views, the API, the demo and the tests call them.

A caller passes an article it found through `visible_to`, so "may not see" is already a 404
when an action runs; an action raises PermissionDenied (403) for people who may see the
article but not do what they ask. The marking rules are the reports' rules, reused from
`port2port.reports.actions`, so that an article and a report can never be marked differently.
"""

import hashlib
import re
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from port2port.core import audit
from port2port.core.permissions import Permission
from port2port.core.sharing import Audience, Status, Tlp, is_loosening
from port2port.organisations.models import Membership, Organisation
from port2port.reports import actions as report_actions
from port2port.reports.models import Report

from . import search
from .models import (
    Article, ArticleAttachment, ArticleComment, ArticleVersion, Feedback, FeedbackKind, Proposal, ProposalStatus, Tag,
)

CONTENT_FIELDS = ["title", "summary", "body", "language", "theme"]
# The text a version keeps: what a diff compares and a proposal changes.
TEXT_FIELDS = ["title", "summary", "body"]
MAX_TAGS = 12
SENSITIVE_LABELS = {Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED}


@transaction.atomic
def write_article(*, acting_user, organisation: Organisation, marking: dict | None = None, share_now: bool = False,
                  tags=(), lessons_from=(), ip: str | None = None, **content) -> Article:
    """A new article of `organisation`. It stays a draft for its editors unless `share_now`;
    `marking` holds tlp, audience and recipients as for reports (default AMBER, own organisation)."""
    report_actions.membership_granting(acting_user, organisation, Permission.KNOWLEDGE_WRITE)
    article = Article(owner_org=organisation, author=acting_user, **_clean_content(content))
    marking = {"tlp": Tlp.AMBER, "audience": Audience.OWNER, **(marking or {})}
    recipients = report_actions.validate_marking(article, acting_user=acting_user, **marking)
    article.tlp, article.audience = marking["tlp"], marking["audience"]
    article.sharing_group = recipients["sharing_group"]
    if share_now:
        article.status, article.shared_at = Status.SHARED, timezone.now()
    tag_rows = _tags_from(tags)
    reports = _readable_reports(acting_user, lessons_from)
    article.full_clean(exclude=["recipient_orgs", "recipient_people", "tags", "lessons_from"])
    article.save()
    article.recipient_orgs.set(recipients["orgs"])
    article.recipient_people.set(recipients["people"])
    article.tags.set(tag_rows)
    article.lessons_from.set(reports)
    _new_version(article, author=acting_user, kind="create")
    _audit("knowledge.article.create", acting_user, article, ip,
           {"tlp": article.tlp, "audience": article.audience, "status": article.status})
    return article


@transaction.atomic
def revise_article(article: Article, *, acting_user, note: str = "", tags=None, lessons_from=None,
                   ip: str | None = None, **changes) -> Article:
    """Change what the article says (and its tags and linked reports): a new version with its
    author and a note. The marking stays: only share_article changes who may read it."""
    require_editable(article, acting_user)
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed by a revision.") for name in sorted(unknown)})
    before = {name: getattr(article, name) for name in CONTENT_FIELDS}
    for name, value in _clean_content(changes).items():
        setattr(article, name, value)
    tag_rows = _tags_from(tags) if tags is not None else None
    reports = _cited_reports(article, acting_user, lessons_from) if lessons_from is not None else None
    note = _clean_note(note)
    article.full_clean(exclude=["recipient_orgs", "recipient_people", "tags", "lessons_from"])
    changed = [name for name in CONTENT_FIELDS if getattr(article, name) != before[name]]
    if tag_rows is not None and {t.pk for t in tag_rows} != set(article.tags.values_list("pk", flat=True)):
        changed.append("tags")
    if reports is not None and {r.pk for r in reports} != set(article.lessons_from.values_list("pk", flat=True)):
        changed.append("lessons_from")
    if not changed:
        return article
    article.version += 1
    article.save()
    if tag_rows is not None:
        article.tags.set(tag_rows)
    if reports is not None:
        article.lessons_from.set(reports)
    _new_version(article, author=acting_user, kind="revise", note=note)
    _audit("knowledge.article.revise", acting_user, article, ip, {"fields": changed, "version": article.version})
    return article


@transaction.atomic
def share_article(article: Article, *, acting_user, tlp: str, audience: str, recipient_orgs=(), recipient_people=(),
                  sharing_group=None, ip: str | None = None) -> Article:
    """Set who receives the article and what they may do with it, and publish a draft. The
    one way to loosen a label or widen an audience; the audit entry says whether it did."""
    require_editable(article, acting_user)
    recipients = report_actions.validate_marking(
        article, acting_user=acting_user, tlp=tlp, audience=audience,
        recipient_orgs=recipient_orgs, recipient_people=recipient_people, sharing_group=sharing_group,
    )
    old = {"tlp": article.tlp, "audience": article.audience}
    article.tlp, article.audience, article.sharing_group = tlp, audience, recipients["sharing_group"]
    if article.status == Status.DRAFT:
        article.status, article.shared_at = Status.SHARED, timezone.now()
    article.version += 1
    article.save()
    article.recipient_orgs.set(recipients["orgs"])
    article.recipient_people.set(recipients["people"])
    _new_version(article, author=acting_user, kind="share")
    _audit("knowledge.article.share", acting_user, article, ip, {
        "from": old,
        "to": {"tlp": tlp, "audience": audience},
        "loosened": is_loosening(old["tlp"], old["audience"], tlp, audience),
        "organisations": sorted(o.pk for o in recipients["orgs"]),
        "people": sorted(p.pk for p in recipients["people"]),
        "group": recipients["sharing_group"].pk if recipients["sharing_group"] else None,
    })
    return article


@transaction.atomic
def add_comment(article: Article, *, acting_user, body: str, ip: str | None = None) -> ArticleComment:
    """A remark on an article the person may read; it reaches whoever the article reaches."""
    membership = _writing_membership(article, acting_user)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something before sending.")})
    check_lengths(ArticleComment, {"body": body})
    comment = ArticleComment(article=article, author=acting_user, organisation=membership.organisation, body=body,
                             article_version=article.version)
    comment.full_clean()
    comment.save()
    audit.record("knowledge.comment.create", actor=acting_user, organisation_id=membership.organisation_id,
                 target=article, subject_organisation_id=article.owner_org_id, detail={"comment": comment.pk}, ip=ip)
    return comment


@transaction.atomic
def add_attachment(article: Article, *, acting_user, upload, ip: str | None = None) -> ArticleAttachment:
    """Attach a file to an article the person may edit. Images lose their EXIF and GPS data;
    sizes and types are the reports' limits."""
    require_editable(article, acting_user)
    data, content_type = report_actions.checked_upload(upload)
    attachment = ArticleAttachment(
        article=article, uploaded_by=acting_user, token=secrets.token_hex(16),
        original_name=report_actions.safe_name(getattr(upload, "name", "") or "attachment"),
        content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
    )
    attachment.file.save("unused", ContentFile(data), save=False)
    try:
        attachment.save()
        _audit("knowledge.attachment.create", acting_user, article, ip, {"attachment": attachment.pk, "size": len(data)})
    except Exception:
        # The file reached the disk before the row: take it back so no file outlives a failed save.
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def propose_edit(article: Article, *, acting_user, title: str, summary: str = "", body: str, note: str,
                 ip: str | None = None) -> Proposal:
    """Suggest a new text for an article one may read; its editors accept or decline it."""
    membership = _writing_membership(article, acting_user)
    if article.status == Status.DRAFT:
        raise ValidationError({"article": _("A draft is not open for proposals yet.")})
    content = _clean_content({"title": title, "summary": summary, "body": body}, Proposal)
    proposal = Proposal(article=article, proposer=acting_user, organisation=membership.organisation,
                        base_version=article.version, note=_clean_note(note), **content)
    if not proposal.note:
        raise ValidationError({"note": _("Say in a few words what your change improves.")})
    if all(getattr(proposal, name) == getattr(article, name) for name in TEXT_FIELDS):
        raise ValidationError({"body": _("This proposal changes nothing.")})
    proposal.full_clean()
    proposal.save()
    audit.record("knowledge.proposal.create", actor=acting_user, organisation_id=membership.organisation_id,
                 target=article, subject_organisation_id=article.owner_org_id, detail={"proposal": proposal.pk}, ip=ip)
    return proposal


@transaction.atomic
def accept_proposal(proposal: Proposal, *, acting_user, ip: str | None = None) -> Article:
    """Take a proposal into the article: a new version authored by the proposer, noted as such."""
    article = Article.objects.select_for_update().get(pk=proposal.article_id)
    require_editable(article, acting_user)
    # Read again under the article's lock: two editors accepting at once must not both pass.
    proposal = Proposal.objects.select_related("proposer").get(pk=proposal.pk)
    _require_open(proposal)
    for name in TEXT_FIELDS:
        setattr(article, name, getattr(proposal, name))
    article.full_clean(exclude=["recipient_orgs", "recipient_people", "tags", "lessons_from"])
    article.version += 1
    article.save()
    # The version's author is the proposer and its kind says it came from a proposal; who
    # accepted it is in the proposal and the audit log.
    _new_version(article, author=proposal.proposer, kind="proposal", note=proposal.note)
    _decide(proposal, acting_user, ProposalStatus.ACCEPTED, "")
    _audit("knowledge.proposal.accept", acting_user, article, ip, {"proposal": proposal.pk, "version": article.version})
    return article


@transaction.atomic
def decline_proposal(proposal: Proposal, *, acting_user, reason: str, ip: str | None = None) -> Proposal:
    """Turn a proposal down, saying why; the proposer sees the reason."""
    article = Article.objects.select_for_update().get(pk=proposal.article_id)
    require_editable(article, acting_user)
    proposal = Proposal.objects.get(pk=proposal.pk)  # read again under the article's lock
    _require_open(proposal)
    reason = (reason or "").strip()
    check_lengths(Proposal, {"reason": reason})
    if not reason:
        raise ValidationError({"reason": _("Say why, so that the proposer can learn from it.")})
    _decide(proposal, acting_user, ProposalStatus.DECLINED, reason)
    _audit("knowledge.proposal.decline", acting_user, proposal.article, ip, {"proposal": proposal.pk})
    return proposal


@transaction.atomic
def give_feedback(article: Article, *, acting_user, kind: str, organisation: Organisation | None = None,
                  ip: str | None = None) -> Feedback:
    """"Helpful" from a person, or "we adopted this" for an organisation (said by one of its
    members who may write knowledge). Giving the same feedback twice changes nothing."""
    if kind not in FeedbackKind.values:
        raise ValidationError({"kind": _("Choose “helpful” or “adopted”.")})
    if article.status == Status.DRAFT:
        raise ValidationError({"kind": _("A draft cannot receive feedback yet.")})
    membership = _feedback_membership(article, acting_user, kind, organisation)
    lookup = {"user": acting_user} if kind == FeedbackKind.HELPFUL else {"organisation": membership.organisation}
    existing = Feedback.objects.filter(article=article, kind=kind, **lookup).first()
    if existing is not None:
        return existing
    feedback = Feedback(article=article, kind=kind, user=acting_user, organisation=membership.organisation)
    feedback.full_clean(validate_constraints=False)
    feedback.save()
    audit.record("knowledge.feedback.give", actor=acting_user, organisation_id=membership.organisation_id,
                 target=article, subject_organisation_id=article.owner_org_id, detail={"kind": kind}, ip=ip)
    return feedback


@transaction.atomic
def withdraw_feedback(article: Article, *, acting_user, kind: str, organisation: Organisation | None = None,
                      ip: str | None = None) -> None:
    """Take back one's "helpful", or the organisation's "adopted"."""
    if kind not in FeedbackKind.values:
        raise ValidationError({"kind": _("Choose “helpful” or “adopted”.")})
    membership = _feedback_membership(article, acting_user, kind, organisation)
    lookup = {"user": acting_user} if kind == FeedbackKind.HELPFUL else {"organisation": membership.organisation}
    deleted, _rows = Feedback.objects.filter(article=article, kind=kind, **lookup).delete()
    if deleted:
        audit.record("knowledge.feedback.withdraw", actor=acting_user, organisation_id=membership.organisation_id,
                     target=article, subject_organisation_id=article.owner_org_id, detail={"kind": kind}, ip=ip)


def record_read(article: Article, *, reader, channel: str, ip: str | None = None, api_key=None) -> None:
    """Reads of AMBER, AMBER+STRICT and RED articles are audited, as for reports."""
    if article.tlp not in SENSITIVE_LABELS:
        return
    detail = {"channel": channel, "tlp": article.tlp}
    if api_key is not None:
        detail["api_key"] = api_key.lookup
    org_id = api_key.organisation_id if api_key is not None else _reader_org_id(reader, article)
    audit.record("knowledge.article.read", actor=reader, organisation_id=org_id, target=article,
                 subject_organisation_id=article.owner_org_id, detail=detail, ip=ip)


# --- helpers --------------------------------------------------------------------------------


def require_editable(article: Article, user) -> None:
    """403 unless `user` may edit `article` (which they found through visible_to)."""
    if not Article.objects.editable_by(user).filter(pk=article.pk).exists():
        raise PermissionDenied(_("You may read this article but not change it."))


def may_write(user) -> bool:
    """Whether the person may write knowledge in any of their organisations."""
    return any(m.grants(Permission.KNOWLEDGE_WRITE) for m in Membership.objects.active().filter(user=user))


def parse_tags(text: str) -> list[str]:
    """"Reefer, PIN codes" -> ["reefer", "pin-codes"]: lowercase words joined by hyphens."""
    words = [re.sub(r"[^a-z0-9]+", "-", part.strip().lower()).strip("-") for part in re.split(r"[,;\n]", text or "")]
    return list(dict.fromkeys(word for word in words if word))


# --- private helpers ------------------------------------------------------------------------


def _clean_content(content: dict, model=Article) -> dict:
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    for name in ("title", "summary", "body"):
        if isinstance(content.get(name), str):
            content[name] = content[name].strip()
    check_lengths(model, content)
    return content


def check_lengths(model, values: dict) -> None:
    """full_clean does not hold a TextField to its max_length (only forms do); this does."""
    for name, value in values.items():
        limit = model._meta.get_field(name).max_length
        if isinstance(value, str) and limit and len(value) > limit:
            raise ValidationError({name: _("Keep this under %(limit)d characters (it has %(count)d).")
                                   % {"limit": limit, "count": len(value)}})


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > ArticleVersion._meta.get_field("note").max_length:
        raise ValidationError({"note": _("Keep the note under 300 characters.")})
    return note


def _tags_from(tags) -> list[Tag]:
    slugs = parse_tags(tags) if isinstance(tags, str) else [str(t).strip().lower() for t in tags]
    slugs = list(dict.fromkeys(s for s in slugs if s))
    if len(slugs) > MAX_TAGS:
        raise ValidationError({"tags": _("Use at most %(count)d tags.") % {"count": MAX_TAGS}})
    rows = []
    for slug in slugs:
        tag = Tag(slug=slug)
        try:
            tag.full_clean(validate_unique=False)
        except ValidationError as error:
            raise ValidationError({"tags": error.message_dict.get("slug", [_("Not a valid tag.")])}) from None
        rows.append(Tag.objects.get_or_create(slug=slug)[0])
    return rows


def _readable_reports(user, reports) -> list[Report]:
    """Reports an article may cite as its source of lessons: only those the writer may read,
    so that linking never becomes a way to learn that a report exists."""
    ids = {getattr(r, "pk", r) for r in reports}
    found = list(Report.objects.visible_to(user).filter(pk__in=ids)) if ids else []
    if len(found) != len(ids):
        raise ValidationError({"lessons_from": _("One of these reports does not exist or you may not see it.")})
    return found


def _cited_reports(article: Article, user, reports) -> list[Report]:
    """The reports a revision cites: those the editor chose among the ones they may read, and
    those already cited that they may not read, which an editor cannot see and so cannot drop."""
    hidden = article.lessons_from.exclude(pk__in=Report.objects.visible_to(user).values("pk")) if article.pk else []
    return _readable_reports(user, reports) + list(hidden)


def _require_readable(article: Article, user) -> None:
    """The callers found the article through visible_to (a 404 otherwise); this holds any other
    caller to the same rule, with the same answer as for a missing article."""
    if not Article.objects.visible_to(user).filter(pk=article.pk).exists():
        raise Http404


def _writing_membership(article: Article, user) -> Membership:
    """The membership in which `user` writes knowledge, the owner's seat first."""
    _require_readable(article, user)
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    for membership in sorted(memberships, key=lambda m: m.organisation_id != article.owner_org_id):
        if membership.grants(Permission.KNOWLEDGE_WRITE):
            return membership
    raise PermissionDenied(_("Your role does not allow writing in the knowledge base."))


def _feedback_membership(article: Article, user, kind: str, organisation: Organisation | None) -> Membership:
    _require_readable(article, user)
    memberships = list(Membership.objects.active().filter(user=user).select_related("organisation"))
    if organisation is not None:
        memberships = [m for m in memberships if m.organisation_id == organisation.pk]
        if not memberships:
            raise ValidationError({"organisation": _("You are not a member of this organisation.")})
    if kind == FeedbackKind.ADOPTED:
        # Adoption speaks for the organisation: someone who writes its knowledge says it.
        memberships = [m for m in memberships if m.grants(Permission.KNOWLEDGE_WRITE)]
        if not memberships:
            raise PermissionDenied(_("Your role does not allow speaking for your organisation here."))
        if organisation is None and len(memberships) > 1:
            raise ValidationError({"organisation": _("You belong to several organisations: say which one adopted it.")})
    if not memberships:
        raise PermissionDenied(_("Only members of an organisation may give feedback."))
    return memberships[0]


def _require_open(proposal: Proposal) -> None:
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError({"status": _("This proposal has already been decided.")})


def _decide(proposal: Proposal, user, status: str, reason: str) -> None:
    proposal.status, proposal.reason = status, reason
    proposal.decided_by, proposal.decided_at = user, timezone.now()
    proposal.full_clean()
    proposal.save()


def _new_version(article: Article, *, author, kind: str, note: str = "") -> ArticleVersion:
    """Every write of an article's text, tags or marking comes here: a version, and the
    full-text index kept in step in the same transaction."""
    search.index_article(article)
    return ArticleVersion.objects.create(
        article=article, number=article.version, title=article.title, summary=article.summary, body=article.body,
        author=author, kind=kind, note=note, tlp=article.tlp, audience=article.audience,
    )


def _audit(action: str, user, article: Article, ip, detail=None) -> None:
    audit.record(action, actor=user, organisation_id=article.owner_org_id, target=article,
                 subject_organisation_id=article.owner_org_id, detail=detail, ip=ip)


def _reader_org_id(user, article: Article) -> int | None:
    org_ids = list(Membership.objects.active().filter(user=user).values_list("organisation_id", flat=True))
    if article.owner_org_id in org_ids:
        return article.owner_org_id
    return org_ids[0] if org_ids else None

