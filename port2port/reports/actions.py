"""Every write to reports is one of these named actions: validated, in a transaction, audited.

Views, the API, the demo generator and the tests all call them; nothing else writes reports.
A caller passes a report it obtained through `visible_to`, so "may not see" is already a 404
by the time an action runs; an action raises PermissionDenied (a 403) only for people who may
see the report but not change it.
"""

import hashlib
import io
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from port2port.core import audit
from port2port.core.permissions import Permission
from port2port.core.sharing import Audience, MarkingError, Status, Tlp, check_marking, is_loosening
from port2port.organisations.models import Membership, Organisation, SharingGroup, people_nameable_for

from . import search
from .models import Attachment, Category, Comment, Report, ReportVersion

# The content fields an edit may change. The marking is not among them: only share_report
# changes who receives a report or what they may do with it.
CONTENT_FIELDS = [
    "title", "category", "modus_operandi", "port", "place", "latitude", "longitude",
    "occurred_at", "severity", "source_reliability", "info_credibility",
    "narrative", "measures_taken", "lessons_learned",
]
SENSITIVE_LABELS = {Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED}


def membership_granting(user, organisation, permission: Permission) -> Membership:
    """The caller's active membership in `organisation` that grants `permission`, or 403."""
    membership = Membership.objects.active().filter(user=user, organisation=organisation).first()
    if membership is None or not membership.grants(permission):
        raise PermissionDenied(_("Your role in this organisation does not allow this."))
    return membership


@transaction.atomic
def report_incident(*, acting_user, organisation: Organisation, marking: dict | None = None,
                    share_now: bool = False, ip: str | None = None, **content) -> Report:
    """File a new report for `organisation`. It starts as a draft for its editors unless
    `share_now`; `marking` holds tlp, audience and the recipients (see share_report)."""
    membership_granting(acting_user, organisation, Permission.REPORTS_CREATE)
    report = Report(owner_org=organisation, author=acting_user, **_clean_content(content))
    marking = {"tlp": Tlp.AMBER, "audience": Audience.OWNER, **(marking or {})}
    recipients = validate_marking(report, acting_user=acting_user, **marking)
    report.tlp, report.audience = marking["tlp"], marking["audience"]
    report.sharing_group = recipients["sharing_group"]
    if share_now:
        report.status, report.shared_at = Status.SHARED, timezone.now()
    report.full_clean(exclude=["recipient_orgs", "recipient_people"])
    report.save()
    report.recipient_orgs.set(recipients["orgs"])
    report.recipient_people.set(recipients["people"])
    _after_write(report, acting_user, "reports.create", ip)
    return report


@transaction.atomic
def edit_report(report: Report, *, acting_user, ip: str | None = None, **changes) -> Report:
    """Change the content of a report. The marking stays as it is."""
    require_editable(report, acting_user)
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed by an edit.") for name in sorted(unknown)})
    before = {name: getattr(report, name) for name in changes}
    for name, value in _clean_content(changes, report).items():
        setattr(report, name, value)
    report.full_clean(exclude=["recipient_orgs", "recipient_people"])
    changed = sorted(name for name in changes if getattr(report, name) != before[name])
    if not changed:
        return report
    report.version += 1
    report.save()
    _after_write(report, acting_user, "reports.edit", ip, detail={"fields": changed})
    return report


@transaction.atomic
def share_report(report: Report, *, acting_user, tlp: str, audience: str, recipient_orgs=(),
                 recipient_people=(), sharing_group=None, ip: str | None = None) -> Report:
    """Set who receives the report and what they may do with it, and publish a draft.

    The one way to loosen a label or widen an audience; tightening goes the same way."""
    require_editable(report, acting_user)
    recipients = validate_marking(
        report, acting_user=acting_user, tlp=tlp, audience=audience,
        recipient_orgs=recipient_orgs, recipient_people=recipient_people, sharing_group=sharing_group,
    )
    old = {"tlp": report.tlp, "audience": report.audience}
    report.tlp, report.audience, report.sharing_group = tlp, audience, recipients["sharing_group"]
    if report.status == Status.DRAFT:
        report.status, report.shared_at = Status.SHARED, timezone.now()
    report.version += 1
    report.save()
    report.recipient_orgs.set(recipients["orgs"])
    report.recipient_people.set(recipients["people"])
    detail = {
        "from": old,
        "to": {"tlp": tlp, "audience": audience},
        "loosened": is_loosening(old["tlp"], old["audience"], tlp, audience),
        "organisations": sorted(o.pk for o in recipients["orgs"]),
        "people": sorted(p.pk for p in recipients["people"]),
        "group": recipients["sharing_group"].pk if recipients["sharing_group"] else None,
    }
    _after_write(report, acting_user, "reports.share", ip, detail=detail)
    return report


@transaction.atomic
def close_report(report: Report, *, acting_user, ip: str | None = None) -> Report:
    """Mark a shared report as closed: the case is over; it stays readable to the same people."""
    require_editable(report, acting_user)
    if report.status != Status.SHARED:
        raise ValidationError({"status": _("Only a shared report can be closed.")})
    report.status = Status.CLOSED
    report.version += 1
    report.save()
    _after_write(report, acting_user, "reports.close", ip)
    return report


@transaction.atomic
def add_comment(report: Report, *, acting_user, body: str, ip: str | None = None) -> Comment:
    """Comment on a report the person may read. The comment reaches whoever the report reaches."""
    membership = _commenting_membership(report, acting_user)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something before sending.")})
    comment = Comment(report=report, author=acting_user, organisation=membership.organisation, body=body,
                      report_version=report.version)
    comment.full_clean()
    comment.save()
    audit.record("reports.comment", actor=acting_user, organisation_id=membership.organisation_id, target=report,
                 subject_organisation_id=report.owner_org_id, detail={"comment": comment.pk}, ip=ip)
    return comment


@transaction.atomic
def add_attachment(report: Report, *, acting_user, upload, ip: str | None = None) -> Attachment:
    """Attach a file to a report the person may edit. Images lose their EXIF and GPS data."""
    require_editable(report, acting_user)
    data, content_type = checked_upload(upload)
    attachment = Attachment(
        report=report, uploaded_by=acting_user, token=secrets.token_hex(16),
        original_name=safe_name(getattr(upload, "name", "") or "attachment"),
        content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
    )
    attachment.file.save("unused", ContentFile(data), save=False)
    try:
        attachment.save()
        audit.record("reports.attach", actor=acting_user, organisation_id=report.owner_org_id, target=report,
                     subject_organisation_id=report.owner_org_id,
                     detail={"attachment": attachment.pk, "size": len(data)}, ip=ip)
    except Exception:
        # The file reached the disk before the row: take it back so no file outlives a failed save.
        attachment.file.delete(save=False)
        raise
    return attachment


def record_read(report: Report, *, reader, channel: str, ip: str | None = None, api_key=None) -> None:
    """Reads of AMBER, AMBER+STRICT and RED reports are audited: who, which, through what."""
    if report.tlp not in SENSITIVE_LABELS:
        return
    detail = {"channel": channel, "tlp": report.tlp}
    if api_key is not None:
        detail["api_key"] = api_key.lookup
    org_id = api_key.organisation_id if api_key is not None else _reader_org_id(reader, report)
    audit.record("reports.read", actor=reader, organisation_id=org_id, target=report,
                 subject_organisation_id=report.owner_org_id, detail=detail, ip=ip)


# --- helpers --------------------------------------------------------------------------------


def require_editable(report: Report, user) -> None:
    """403 unless `user` may edit `report` (which they found through visible_to)."""
    if not Report.objects.editable_by(user).filter(pk=report.pk).exists():
        raise PermissionDenied(_("You may read this report but not change it."))


def _commenting_membership(report: Report, user) -> Membership:
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    # Prefer the owner organisation's seat, so a colleague's remark is labelled as theirs.
    ordered = sorted(memberships, key=lambda m: m.organisation_id != report.owner_org_id)
    for membership in ordered:
        if membership.grants(Permission.REPORTS_COMMENT):
            return membership
    raise PermissionDenied(_("Your role does not allow comments."))


def _reader_org_id(user, report: Report) -> int | None:
    org_ids = list(Membership.objects.active().filter(user=user).values_list("organisation_id", flat=True))
    if report.owner_org_id in org_ids:
        return report.owner_org_id
    return org_ids[0] if org_ids else None


def _clean_content(content: dict, report: Report | None = None) -> dict:
    """Check cross-field rules that a single field cannot: the modus operandi belongs to drug
    smuggling; a point on the map needs both coordinates; the port must exist."""
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    category = content.get("category", getattr(report, "category", None))
    modus = content.get("modus_operandi", getattr(report, "modus_operandi", ""))
    if modus and category != Category.DRUG_SMUGGLING:
        raise ValidationError({"modus_operandi": _("A modus operandi is only recorded for drug smuggling.")})
    lat = content.get("latitude", getattr(report, "latitude", None))
    lon = content.get("longitude", getattr(report, "longitude", None))
    if (lat is None) != (lon is None):
        raise ValidationError({"longitude" if lon is None else "latitude": _("Give both latitude and longitude, or neither.")})
    for text_field in ("title", "narrative"):
        if text_field in content and isinstance(content[text_field], str):
            content[text_field] = content[text_field].strip()
    return content


def validate_marking(report: Report, *, acting_user, tlp, audience, recipient_orgs=(),
                     recipient_people=(), sharing_group=None) -> dict:
    """Check a label/audience pair and its recipients; return the recipients to store."""
    try:
        check_marking(tlp, audience)
    except MarkingError as error:
        raise ValidationError({error.field: error.message}) from None
    orgs = list(recipient_orgs) if audience == Audience.ORGANISATIONS else []
    people = list(recipient_people) if audience == Audience.PEOPLE else []
    group = sharing_group if audience == Audience.GROUP else None
    if audience == Audience.ORGANISATIONS:
        if not orgs:
            raise ValidationError({"recipient_orgs": _("Name at least one organisation.")})
        if any(not org.is_active for org in orgs):
            raise ValidationError({"recipient_orgs": _("One of these organisations is no longer active.")})
    if audience == Audience.GROUP:
        _check_group(report.owner_org, group)
    if audience == Audience.PEOPLE:
        _check_people_nameable(report, people)
    if audience == Audience.NETWORK and not report.owner_org.is_network_member:
        raise ValidationError({"audience": _("Your organisation is not a member of the network.")})
    return {"orgs": orgs, "people": people, "sharing_group": group}


def _check_people_nameable(report: Report, people: list) -> None:
    """Named people must be reachable from the owner organisation (its members and its group
    partners), or named already. One message for every refusal: it does not say who exists."""
    already = set(report.recipient_people.values_list("pk", flat=True)) if report.pk else set()
    allowed = set(people_nameable_for([report.owner_org_id]).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    if any(person.pk not in allowed and not (person.pk in already and person.is_active) for person in people):
        raise ValidationError({"recipient_people": _(
            "One of these people cannot be named: name active members of your organisation or of an "
            "organisation that shares a sharing group with it."
        )})


def _check_group(owner_org: Organisation, group: SharingGroup | None) -> None:
    if group is None:
        raise ValidationError({"sharing_group": _("Choose a sharing group.")})
    if not group.members.filter(pk=owner_org.pk).exists():
        raise ValidationError({"sharing_group": _("Your organisation is not a member of this sharing group.")})


def _after_write(report: Report, user, action: str, ip: str | None, detail: dict | None = None) -> None:
    ReportVersion.objects.create(report=report, number=report.version, edited_by=user, action=action,
                                 snapshot=snapshot(report))
    search.index_report(report)
    audit.record(action, actor=user, organisation_id=report.owner_org_id, target=report,
                 subject_organisation_id=report.owner_org_id, detail=detail, ip=ip)


def snapshot(report: Report) -> dict:
    """The report's fields as plain JSON, for its version history."""
    data = {name: getattr(report, name) for name in CONTENT_FIELDS}
    data["port"] = report.port.locode if report.port_id else None
    data["occurred_at"] = report.occurred_at.isoformat()
    data.update(tlp=report.tlp, audience=report.audience, status=report.status)
    return data


# --- uploads --------------------------------------------------------------------------------

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
DOCUMENT_SIGNATURES = {b"%PDF-": "application/pdf"}
TEXT_TYPES = {".txt": "text/plain", ".csv": "text/csv"}


def checked_upload(upload) -> tuple[bytes, str]:
    """Read an upload, refuse what is too large or of a type we do not keep, and return its
    bytes (images re-encoded without metadata) with the content type we sniffed."""
    if upload is None:
        raise ValidationError({"file": _("Choose a file.")})
    if getattr(upload, "size", 0) > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than the limit of %(mb)d MB.") % {"mb": settings.ATTACHMENT_MAX_BYTES // 2**20}})
    data = upload.read()
    if len(data) > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than the limit of %(mb)d MB.") % {"mb": settings.ATTACHMENT_MAX_BYTES // 2**20}})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    image = _stripped_image(data)
    if image is not None:
        return image
    for signature, content_type in DOCUMENT_SIGNATURES.items():
        if data.startswith(signature):
            return data, content_type
    suffix = "." + (getattr(upload, "name", "") or "").rsplit(".", 1)[-1].lower()
    if suffix in TEXT_TYPES and _is_text(data):
        return data, TEXT_TYPES[suffix]
    raise ValidationError({"file": _("This type of file is not accepted. Use an image (JPEG, PNG, GIF, WebP), a PDF, or a text or CSV file.")})


# Photos from a phone or a camera stay far below this; anything larger is refused before it
# is decoded, so a small file that unpacks into gigabytes cannot exhaust the server's memory.
MAX_IMAGE_PIXELS = 60_000_000


def _stripped_image(data: bytes) -> tuple[bytes, str] | None:
    """The image re-encoded from its pixels alone (no EXIF, GPS, XMP or comments), or None
    when `data` is not an image we keep. Raises ValidationError for an image too large."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                return None
            limit = min(MAX_IMAGE_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_IMAGE_PIXELS)
            if image.width * image.height > limit:
                raise ValidationError({"file": _("This image has too many pixels (more than %(limit)s).") % {"limit": f"{limit:,}"}})
            fmt = image.format
            image.load()
            upright = ImageOps.exif_transpose(image) if fmt == "JPEG" else image
            clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            if upright.mode == "P" and upright.getpalette():
                clean.putpalette(upright.getpalette())
            out = io.BytesIO()
            clean.save(out, format=fmt, **({"quality": 92} if fmt in {"JPEG", "WEBP"} else {}))
            return out.getvalue(), IMAGE_FORMATS[fmt]
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def safe_name(name: str) -> str:
    """An uploaded file's name without its folders or unprintable characters, shown on download."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:200] or "attachment"
