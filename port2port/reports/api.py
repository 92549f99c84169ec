"""The reports API: list, file, read, edit, share and close reports; comments, attachments and
the version history.

Every read starts from `Report.objects.visible_to(caller)`, so a report the caller may not see
is a 404 exactly like a missing one; every write is one of `port2port.reports.actions`. The
caller is `request.auth` (see port2port/api.py): a person, through a session or an API key.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status, UploadedFile

from port2port.core.sharing import Audience, MarkingError, check_marking
from port2port.organisations.models import Organisation, Port, SharingGroup, people_nameable_for

from . import actions, search
from .views import attachment_response
from .models import Attachment, Comment, Report, ReportVersion
from .schemas import (
    MAX_ID, AttachmentOut, CommentIn, CommentOut, ContentIn, MarkingIn, ReportFilters, ReportIn, ReportOut,
    ReportPage, ReportPatch, ShareIn, VersionOut,
)

router = Router()

# ---------------------------------------------------------------------------------------------
# Finding reports: through the sharing rule, always
# ---------------------------------------------------------------------------------------------


def visible_reports(request):
    return Report.objects.visible_to(request.auth.viewer)


def get_visible(request, report_id: int, queryset=None) -> Report:
    """The report if the caller may see it; otherwise 404, the same as for a missing id."""
    queryset = queryset if queryset is not None else visible_reports(request).select_related("owner_org")
    report = queryset.filter(pk=report_id).first() if 0 < report_id <= MAX_ID else None
    if report is None:
        raise Http404
    return report


def get_editable(request, report_id: int) -> Report:
    """A report the caller may change: 404 if they may not see it, 403 if they may only read.
    A key edits only its own organisation's reports, even if its maker edits others'."""
    report = get_visible(request, report_id)
    if not Report.objects.editable_by(request.auth.viewer).filter(pk=report.pk).exists():
        raise PermissionDenied(_("You may read this report but not change it."))
    return report


def with_details(request, report_id: int) -> Report:
    queryset = visible_reports(request).for_list().prefetch_related("recipient_orgs", "recipient_people")
    return get_visible(request, report_id, queryset)


def record_read(request, report: Report, channel: str) -> None:
    principal = request.auth
    actions.record_read(report, reader=principal.user, channel=channel, ip=principal.ip, api_key=principal.api_key)


# ---------------------------------------------------------------------------------------------
# From the request to the actions' arguments
# ---------------------------------------------------------------------------------------------

CONTENT_FIELDS = set(ContentIn.model_fields)


def content_from(payload: Schema, *, only_sent: bool = False) -> dict:
    content = payload.model_dump(include=CONTENT_FIELDS, exclude_unset=only_sent)
    if "modus_operandi" in content:
        content["modus_operandi"] = content["modus_operandi"] or ""
    if "port" in content:
        content["port"] = port_named(content["port"])
    return content


def port_named(locode: str | None) -> Port | None:
    if not locode:
        return None
    port = Port.objects.filter(locode=locode.strip().upper()).first()
    if port is None:
        raise ValidationError({"port": _("Unknown port. Give its UN/LOCODE, for example BEANR.")})
    return port


def filing_organisation(request, requested_id: int | None) -> Organisation:
    """The organisation a new report is filed for: the one asked for, which must be the
    caller's (the key's, for a key), or the caller's only one."""
    org_ids = request.auth.viewer.org_ids
    if not org_ids:
        raise PermissionDenied(_("You are not an active member of any organisation."))
    if requested_id is None and len(org_ids) > 1:
        raise ValidationError({"organisation": _("You belong to several organisations: say which one files this report.")})
    org_id = requested_id if requested_id is not None else next(iter(org_ids))
    if org_id not in org_ids:
        raise ValidationError({"organisation": _("You cannot file reports for this organisation.")})
    return Organisation.objects.get(pk=org_id)


def marking_from(payload: MarkingIn, organisation: Organisation) -> dict:
    """The marking with its recipients looked up. An id that names nothing, or something no
    longer active, is a field error; so is a recipient the chosen audience does not use."""
    errors = {}
    try:
        check_marking(payload.tlp, payload.audience)  # the action checks again; here to name every field at once
    except MarkingError as error:
        errors[error.field] = error.message
    orgs = _active_organisations(payload.recipient_orgs, errors)
    people = _nameable_people(payload.recipient_people, organisation, errors)
    group = _group_of(organisation, payload.sharing_group, errors)
    _check_recipients_fit_audience(payload, errors)
    if errors:
        raise ValidationError(errors)
    return {"tlp": payload.tlp, "audience": payload.audience, "recipient_orgs": orgs,
            "recipient_people": people, "sharing_group": group}


def _active_organisations(ids: list[int], errors: dict) -> list[Organisation]:
    found = list(Organisation.objects.filter(pk__in=ids, is_active=True))
    if len(found) != len(set(ids)):
        errors["recipient_orgs"] = _("One of these organisations does not exist or is no longer active.")
    return found


def _nameable_people(ids: list[int], organisation: Organisation, errors: dict) -> list:
    # Unknown ids and people out of reach get the same answer: naming is no account directory.
    found = list(people_nameable_for([organisation.pk]).filter(pk__in=ids)) if ids else []
    if len(found) != len(set(ids)):
        errors["recipient_people"] = _("One of these people cannot be named: name active members of your organisation or of an organisation that shares a sharing group with it.")
    return found


def _group_of(organisation: Organisation, group_id: int | None, errors: dict) -> SharingGroup | None:
    if group_id is None:
        return None
    # A group the organisation is not in is answered like a missing one: the API does not say
    # which groups exist elsewhere.
    group = SharingGroup.objects.filter(pk=group_id, members=organisation).first()
    if group is None:
        errors["sharing_group"] = _("Choose a sharing group your organisation belongs to.")
    return group


def _check_recipients_fit_audience(payload: MarkingIn, errors: dict) -> None:
    unused = {
        "recipient_orgs": (payload.recipient_orgs, Audience.ORGANISATIONS,
                           _("Named organisations go with the audience “organisations” only.")),
        "recipient_people": (payload.recipient_people, Audience.PEOPLE,
                             _("Named people go with TLP:RED and the audience “people” only.")),
        "sharing_group": (payload.sharing_group, Audience.GROUP,
                          _("A sharing group goes with the audience “group” only.")),
    }
    for field, (value, audience, message) in unused.items():
        if value and payload.audience != audience:
            errors.setdefault(field, message)


# ---------------------------------------------------------------------------------------------
# Listing: filters and an opaque cursor over (occurred_at, id)
# ---------------------------------------------------------------------------------------------

CURSOR_SALT = "port2port.reports.api.cursor"


def filtered(reports, filters: ReportFilters):
    if filters.category:
        reports = reports.filter(category=filters.category)
    if filters.port:
        reports = reports.filter(port__locode=filters.port.strip().upper())
    if filters.tlp:
        reports = reports.filter(tlp=filters.tlp)
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.occurred_from:
        reports = reports.filter(occurred_at__gte=_moment(filters.occurred_from))
    if filters.occurred_to:
        reports = reports.filter(**_until(filters.occurred_to))
    if filters.q:
        reports = search.search(reports, filters.q)
    return reports


def _moment(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, tzinfo=timezone.get_current_timezone())


def _until(value: date | datetime) -> dict:
    """A date includes its whole day; a time is the last moment included."""
    if isinstance(value, datetime):
        return {"occurred_at__lte": value}
    return {"occurred_at__lt": _moment(value + timedelta(days=1))}


def encode_cursor(report: Report) -> str:
    """Signed, so a client cannot forge a position, and opaque, so it may change shape later."""
    return signing.dumps([report.occurred_at.isoformat(), report.pk], salt=CURSOR_SALT, compress=True)


def after_cursor(reports, cursor: str):
    """The reports after the cursor's position in newest-first order. A keyset, not an offset:
    a report filed meanwhile never shifts the pages, so each report comes exactly once."""
    try:
        occurred, pk = signing.loads(cursor, salt=CURSOR_SALT)
        occurred = datetime.fromisoformat(occurred)
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError({"cursor": _("This cursor is not valid. Start again without one.")}) from None
    return reports.filter(Q(occurred_at__lt=occurred) | Q(occurred_at=occurred, pk__lt=pk))


def page_of(reports, filters: ReportFilters) -> dict:
    reports = reports.for_list().order_by("-occurred_at", "-pk")
    if filters.cursor:
        reports = after_cursor(reports, filters.cursor)
    rows = list(reports[: filters.limit + 1])
    items, more = rows[: filters.limit], len(rows) > filters.limit
    return {"items": items, "next_cursor": encode_cursor(items[-1]) if more else None}


# ---------------------------------------------------------------------------------------------
# Endpoints
# ---------------------------------------------------------------------------------------------


@router.get("", response=ReportPage, summary="List the reports shared with you")
def list_reports(request, filters: Query[ReportFilters]):
    """Newest first. Pass `next_cursor` back as `cursor` for the next page."""
    return page_of(filtered(visible_reports(request), filters), filters)


@router.post("", response={201: ReportOut}, summary="File a report")
def create_report(request, payload: ReportIn):
    organisation = filing_organisation(request, payload.organisation)
    report = actions.report_incident(
        acting_user=request.auth.user, organisation=organisation, marking=marking_from(payload, organisation),
        share_now=payload.share_now, ip=request.auth.ip, **content_from(payload),
    )
    return Status(201, with_details(request, report.pk))


@router.get("/{int:report_id}", response=ReportOut, summary="Read a report")
def read_report(request, report_id: int):
    report = with_details(request, report_id)
    record_read(request, report, "api")
    return report


@router.patch("/{int:report_id}", response=ReportOut, summary="Edit a report's content")
def edit_report(request, report_id: int, payload: ReportPatch):
    report = get_editable(request, report_id)
    actions.edit_report(report, acting_user=request.auth.user, ip=request.auth.ip, **content_from(payload, only_sent=True))
    return with_details(request, report.pk)


@router.post("/{int:report_id}/share", response=ReportOut, summary="Share a report: set its label and audience")
def share_report(request, report_id: int, payload: ShareIn):
    report = get_editable(request, report_id)
    actions.share_report(report, acting_user=request.auth.user, ip=request.auth.ip,
                         **marking_from(payload, report.owner_org))
    return with_details(request, report.pk)


@router.post("/{int:report_id}/close", response=ReportOut, summary="Close a shared report")
def close_report(request, report_id: int):
    report = get_editable(request, report_id)
    actions.close_report(report, acting_user=request.auth.user, ip=request.auth.ip)
    return with_details(request, report.pk)


@router.get("/{int:report_id}/comments", response=list[CommentOut], summary="A report's comments")
def list_comments(request, report_id: int):
    report = get_visible(request, report_id)
    record_read(request, report, "api:comments")
    return Comment.objects.readable_by(report, request.auth.viewer).select_related("author", "organisation")


@router.post("/{int:report_id}/comments", response={201: CommentOut}, summary="Comment on a report")
def add_comment(request, report_id: int, payload: CommentIn):
    report = get_visible(request, report_id)
    comment = actions.add_comment(report, acting_user=request.auth.user, body=payload.body, ip=request.auth.ip)
    return Status(201, Comment.objects.select_related("author", "organisation").get(pk=comment.pk))


@router.get("/{int:report_id}/attachments", response=list[AttachmentOut], summary="A report's attachments")
def list_attachments(request, report_id: int):
    report = get_visible(request, report_id)
    record_read(request, report, "api:attachments")
    return report.attachments.select_related("uploaded_by")


def refuse_too_large(file) -> None:
    """An upload over the limit is refused before an action reads it, answered 413 (the
    "too_large" code) naming the `file` field."""
    if file.size > settings.ATTACHMENT_MAX_BYTES:
        message = _("The file is larger than the limit of %(mb)d MB.") % {"mb": settings.ATTACHMENT_MAX_BYTES // 2**20}
        raise ValidationError({"file": ValidationError(message, code="too_large")})


@router.post("/{int:report_id}/attachments", response={201: AttachmentOut}, summary="Attach a file (multipart)")
def upload_attachment(request, report_id: int, file: File[UploadedFile]):
    """Images (JPEG, PNG, GIF, WebP, stored without EXIF/GPS), PDF, text or CSV."""
    report = get_editable(request, report_id)
    refuse_too_large(file)
    attachment = actions.add_attachment(report, acting_user=request.auth.user, upload=file, ip=request.auth.ip)
    return Status(201, Attachment.objects.select_related("uploaded_by").get(pk=attachment.pk))


@router.get("/{int:report_id}/attachments/{int:attachment_id}", response={200: None}, summary="Download an attachment",
            openapi_extra={"responses": {200: {"description": "The file, as an attachment",
                                                 "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}})
def download_attachment(request, report_id: int, attachment_id: int):
    report = get_visible(request, report_id)
    attachment = report.attachments.filter(pk=attachment_id).first() if 0 < attachment_id <= MAX_ID else None
    if attachment is None:
        raise Http404
    record_read(request, report, "api:attachment")
    return attachment_response(attachment)


@router.get("/{int:report_id}/history", response=list[VersionOut], summary="A report's versions, oldest first")
def report_history(request, report_id: int):
    report = get_visible(request, report_id)
    record_read(request, report, "api:history")
    return ReportVersion.objects.readable_by(report, request.auth.viewer).select_related("edited_by").order_by("number")
