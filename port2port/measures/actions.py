"""Every write to measures and assessments is one of these named actions: validated, in a
transaction, audited. Views, the API, the demo and the tests call them; nothing else writes.

Callers pass a measure they found through `Measure.objects.visible_to`, so "may not see" is a
404 before an action runs; an action raises PermissionDenied (403) for people who may see a
measure but not change it.

Who may do what:
- propose: security officers and admins of a network organisation (measures:propose), into a
  working group their organisation sits in, or as their organisation's draft (no group);
- edit a proposal: the proposer organisation's officers and admins, and the group's coordinator;
- adopt, retire, and edit a standard: the coordinator of the measure's working group alone, while
  they hold an active seat in one of its organisations. A measure outside any working group
  cannot be adopted: no single organisation sets a standard for the whole network;
- assess and choose the disclosure: the organisation's officers and admins (measures:assess).
"""

import hashlib
import secrets
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from port2port.core import audit
from port2port.core.permissions import Permission
from port2port.knowledge.models import Article
from port2port.organisations.actions.permissions import require_org_permission
from port2port.organisations.models import Membership, Organisation, SharingGroup, viewer_for_organisation
# Evidence files are checked exactly like report attachments: size limit, sniffed type, images
# re-encoded without EXIF/GPS. One implementation, so the two cannot drift apart.
from port2port.reports.actions import checked_upload, safe_name

from .models import (
    AssessmentRecord, AssessmentStatus, Disclosure, DisclosureSetting, FacilityKind, Measure, MeasureStatus,
    MeasureVersion, Threat,
)

CONTENT_FIELDS = ["title", "description", "theme", "threats", "legal_reference", "facility_kinds", "level",
                  "working_group", "articles"]


# --- measures --------------------------------------------------------------------------------


@transaction.atomic
def propose_measure(*, acting_user, organisation: Organisation, note: str = "", ip=None, **content) -> Measure:
    """Put a measure forward for the network's catalogue. It stays a proposal until the
    coordinator of its working group adopts it."""
    require_org_permission(acting_user, organisation, Permission.MEASURES_PROPOSE)
    if not organisation.is_network_member:
        raise PermissionDenied(_("Only members of the network propose common measures."))
    articles = content.pop("articles", None)
    measure = Measure(proposed_by_org=organisation, proposed_by=acting_user)
    _apply(measure, content, acting_user)
    measure.full_clean(exclude=["articles"])
    measure.save()
    _link_articles(measure, articles, acting_user)
    _after_write(measure, acting_user, "measures.propose", note, ip)
    return measure


@transaction.atomic
def edit_measure(measure: Measure, *, acting_user, note: str = "", ip=None, **changes) -> Measure:
    """Change a measure's content. A standard's changes say why (`note`): the network follows them."""
    require_measure_editor(measure, acting_user)
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed by an edit.") for name in sorted(unknown)})
    note = (note or "").strip()
    if measure.status != MeasureStatus.PROPOSED and not note:
        raise ValidationError({"note": _("Say why this standard changes: the network follows its versions.")})
    if "working_group" in changes and measure.status != MeasureStatus.PROPOSED and changes["working_group"] != measure.working_group:
        raise ValidationError({"working_group": _("An adopted measure stays with the working group that adopted it.")})
    articles = changes.pop("articles", None)
    before = snapshot(measure)
    _apply(measure, changes, acting_user)
    measure.full_clean(exclude=["articles"])
    _link_articles(measure, articles, acting_user)
    if snapshot(measure) == before:
        return measure
    measure.version += 1
    measure.save()
    _after_write(measure, acting_user, "measures.edit", note, ip)
    return measure


@transaction.atomic
def adopt_measure(measure: Measure, *, acting_user, adopted_on: date | None = None, note: str = "", ip=None) -> Measure:
    """Make a proposal a network standard from `adopted_on` (today by default)."""
    _require_coordinator(measure, acting_user)
    if measure.status != MeasureStatus.PROPOSED:
        raise ValidationError({"status": _("Only a proposed measure can be adopted.")})
    adopted_on = adopted_on or timezone.localdate()
    _not_in_future(adopted_on, "adopted_on")
    measure.status, measure.adopted_on = MeasureStatus.ADOPTED, adopted_on
    return _save_step(measure, acting_user, "measures.adopt", note, ip)


@transaction.atomic
def retire_measure(measure: Measure, *, acting_user, retired_on: date | None = None, note: str = "", ip=None) -> Measure:
    """End a standard from `retired_on`; its assessments stay as history."""
    _require_coordinator(measure, acting_user)
    if measure.status != MeasureStatus.ADOPTED:
        raise ValidationError({"status": _("Only an adopted measure can be retired.")})
    retired_on = retired_on or timezone.localdate()
    _not_in_future(retired_on, "retired_on")
    if retired_on < measure.adopted_on:
        raise ValidationError({"retired_on": _("A measure cannot be retired before it was adopted.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the measure is retired (superseded by what?).")})
    measure.status, measure.retired_on = MeasureStatus.RETIRED, retired_on
    return _save_step(measure, acting_user, "measures.retire", note, ip)


def _save_step(measure: Measure, user, action: str, note: str, ip) -> Measure:
    measure.full_clean(exclude=["articles"])
    measure.version += 1
    measure.save()
    _after_write(measure, user, action, note, ip)
    return measure


# --- who may change a measure ------------------------------------------------------------------


def is_coordinator(user, group: SharingGroup | None) -> bool:
    """The coordinator of a working group acts while they hold an active seat in one of its
    organisations: a coordinator who left loses the role's power at once."""
    if group is None or not group.is_working_group or group.coordinator_id != getattr(user, "pk", None):
        return False
    return Membership.objects.active().filter(user=user, organisation__sharing_groups=group).exists()


def may_edit(measure: Measure, user) -> bool:
    if is_coordinator(user, measure.working_group):
        return True
    if measure.status != MeasureStatus.PROPOSED:
        return False
    membership = Membership.objects.active().filter(user=user, organisation_id=measure.proposed_by_org_id).first()
    return membership is not None and membership.grants(Permission.MEASURES_PROPOSE)


def require_measure_editor(measure: Measure, user) -> None:
    if not may_edit(measure, user):
        if measure.status == MeasureStatus.PROPOSED:
            raise PermissionDenied(_("The proposer organisation's security officers and admins, and the working group's coordinator, change a proposal."))
        raise PermissionDenied(_("Only the coordinator of its working group changes a network standard."))


def _require_coordinator(measure: Measure, user) -> None:
    if measure.working_group_id is None:
        raise ValidationError({"working_group": _("Place the measure in a working group first: its coordinator adopts measures for the network.")})
    if not is_coordinator(user, measure.working_group):
        raise PermissionDenied(_("Only the coordinator of the measure's working group adopts or retires it."))


# --- content checks ----------------------------------------------------------------------------


def _apply(measure: Measure, content: dict, user) -> None:
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    for name in ("title", "description", "legal_reference"):
        if isinstance(content.get(name), str):
            content[name] = content[name].strip()
    for name, choices in (("threats", Threat), ("facility_kinds", FacilityKind)):
        if name in content:
            content[name] = _choices_list(name, content[name], choices)
    if "working_group" in content:
        _check_group(measure.proposed_by_org, content["working_group"])
    for name, value in content.items():
        setattr(measure, name, value)


def _choices_list(field: str, values, choices) -> list[str]:
    """A multiple choice, kept in the order of the choices, each once."""
    values = [str(value) for value in (values or [])]
    if any(value not in choices.values for value in values):
        raise ValidationError({field: _("Select a valid choice. That choice is not one of the available choices.")})
    return [value for value in choices.values if value in values]


def _check_group(organisation: Organisation, group: SharingGroup | None) -> None:
    if group is None:
        return
    if not group.is_working_group:
        raise ValidationError({"working_group": _("Choose a working group, not a plain sharing group.")})
    if not group.members.filter(pk=organisation.pk).exists():
        raise ValidationError({"working_group": _("The proposer organisation is not a member of this working group.")})


def _link_articles(measure: Measure, articles, user) -> None:
    """Link the articles given (None: leave the links as they are). One may link only articles
    one may read; the links a reader sees are filtered again by what they may read. Links to
    articles the editor cannot read stay: they never saw them, so they cannot have meant to
    drop them."""
    if articles is None:
        return
    articles = list(articles)
    ids = {article.pk for article in articles}
    readable = Article.objects.visible_to(user)
    if readable.filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"articles": _("One of these articles does not exist or is not shared with you.")})
    unseen = list(measure.articles.exclude(pk__in=readable.values("pk")))
    measure.articles.set([*articles, *unseen])


def _not_in_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _after_write(measure: Measure, user, action: str, note: str, ip) -> None:
    MeasureVersion.objects.create(measure=measure, number=measure.version, author=user, action=action,
                                  note=(note or "").strip()[:500], snapshot=snapshot(measure))
    audit.record(action, actor=user, organisation_id=measure.proposed_by_org_id, target=measure,
                 subject_organisation_id=measure.proposed_by_org_id,
                 detail={"version": measure.version, "status": measure.status}, ip=ip)


def snapshot(measure: Measure) -> dict:
    """The measure's fields as plain JSON, for its version history."""
    data = {name: getattr(measure, name) for name in CONTENT_FIELDS if name not in ("working_group", "articles")}
    data["working_group"] = measure.working_group.name if measure.working_group_id else None
    data["articles"] = sorted(measure.articles.values_list("pk", flat=True)) if measure.pk else []
    data.update(status=measure.status, adopted_on=_iso(measure.adopted_on), retired_on=_iso(measure.retired_on))
    return data


def _iso(day):
    return day.isoformat() if day else None


# --- assessments -------------------------------------------------------------------------------


@transaction.atomic
def record_assessment(*, acting_user, organisation: Organisation, measure: Measure, status: str,
                      maturity: int | None = None, target_date: date | None = None, owner=None, note: str = "",
                      evidence_text: str = "", evidence_upload=None, keep_evidence_file: bool = True,
                      disclosure: str | None = None, recorded_at=None, ip=None) -> AssessmentRecord:
    """Record where `organisation` stands on an adopted measure. A new record every time: the
    history stays, and the latest by `recorded_at` is the current answer. `recorded_at` lets an
    earlier (paper) assessment be entered afterwards; it may not lie in the future."""
    require_org_permission(acting_user, organisation, Permission.MEASURES_ASSESS)
    _check_assessable(organisation, measure)
    recorded_at = recorded_at or timezone.now()
    record = AssessmentRecord(
        organisation=organisation, measure=measure, status=status, maturity=maturity, target_date=target_date,
        owner=owner, note=(note or "").strip(), evidence_text=(evidence_text or "").strip(),
        disclosure=disclosure or None, recorded_at=recorded_at, recorded_by=acting_user,
    )
    _check_answer(record, organisation)
    record.full_clean(exclude=["evidence_file"])
    saved_file = _attach_evidence(record, organisation, measure, evidence_upload, keep_evidence_file)
    try:
        record.save()
        _make_latest_current(organisation, measure)
        audit.record("measures.assess", actor=acting_user, organisation_id=organisation.pk, target=measure,
                     subject_organisation_id=organisation.pk,
                     detail={"record": record.pk, "status": record.status, "disclosure": record.disclosure,
                             "evidence_file": bool(saved_file)}, ip=ip)
    except Exception:
        # The file reached the disk before the row: take it back so no file outlives a failed save.
        if saved_file:
            record.evidence_file.delete(save=False)
        raise
    return record


def _check_assessable(organisation: Organisation, measure: Measure) -> None:
    visible = Measure.objects.visible_to(viewer_for_organisation(organisation)).filter(pk=measure.pk).exists()
    if not visible or measure.status != MeasureStatus.ADOPTED:
        raise ValidationError({"measure": _("Only adopted measures of your network are assessed.")})


def _check_answer(record: AssessmentRecord, organisation: Organisation) -> None:
    if record.recorded_at > timezone.now():
        raise ValidationError({"recorded_at": _("An assessment cannot be dated in the future.")})
    if record.status == AssessmentStatus.NOT_APPLICABLE and record.maturity is not None:
        raise ValidationError({"maturity": _("A measure that does not apply has no maturity.")})
    if record.status in (AssessmentStatus.PLANNED, AssessmentStatus.PARTLY) and record.target_date is None:
        raise ValidationError({"target_date": _("Give the date by which it will be in place.")})
    if record.owner is not None and not Membership.objects.active().filter(user=record.owner, organisation=organisation).exists():
        raise ValidationError({"owner": _("The owner must be an active member of your organisation.")})
    if record.disclosure is not None and record.disclosure not in Disclosure.values:
        raise ValidationError({"disclosure": _("Select a valid choice. That choice is not one of the available choices.")})


def _attach_evidence(record, organisation, measure, upload, keep: bool) -> bool:
    """Store a new evidence file, or carry the previous answer's file forward. True when a new
    file was written to disk."""
    if upload is None:
        previous = AssessmentRecord.objects.filter(organisation=organisation, measure=measure, is_current=True).first()
        if keep and previous is not None and previous.evidence_file:
            for name in ("evidence_file", "evidence_name", "evidence_content_type", "evidence_size",
                         "evidence_sha256", "evidence_token"):
                setattr(record, name, getattr(previous, name))
        return False
    try:
        data, content_type = checked_upload(upload)
    except ValidationError as error:
        raise ValidationError({"evidence_file": error.message_dict.get("file", error.messages)}) from None
    record.evidence_name = safe_name(getattr(upload, "name", "") or "evidence")
    record.evidence_content_type, record.evidence_size = content_type, len(data)
    record.evidence_sha256, record.evidence_token = hashlib.sha256(data).hexdigest(), secrets.token_hex(16)
    record.evidence_file.save("unused", ContentFile(data), save=False)
    return True


def _make_latest_current(organisation: Organisation, measure: Measure) -> None:
    records = AssessmentRecord.objects.filter(organisation=organisation, measure=measure)
    latest = records.order_by("-recorded_at", "-id").values_list("pk", flat=True).first()
    records.filter(is_current=True).exclude(pk=latest).update(is_current=False)
    records.filter(pk=latest).update(is_current=True)


@transaction.atomic
def set_disclosure(*, acting_user, organisation: Organisation, level: str, ip=None) -> DisclosureSetting:
    """Choose what the other network organisations see of this organisation's assessments."""
    require_org_permission(acting_user, organisation, Permission.MEASURES_ASSESS)
    if level not in Disclosure.values:
        raise ValidationError({"level": _("Select a valid choice. That choice is not one of the available choices.")})
    setting = DisclosureSetting.objects.filter(organisation=organisation).first()
    before = setting.level if setting else None
    setting = setting or DisclosureSetting(organisation=organisation)
    setting.level, setting.updated_by = level, acting_user
    setting.full_clean()
    setting.save()
    audit.record("measures.disclosure", actor=acting_user, organisation_id=organisation.pk, target=organisation,
                 subject_organisation_id=organisation.pk, detail={"from": before, "to": level}, ip=ip)
    return setting


def record_evidence_read(record: AssessmentRecord, *, reader, channel: str, ip=None) -> None:
    """Downloads of evidence are audited: evidence is the organisation's most sensitive part."""
    audit.record("measures.evidence.read", actor=reader, organisation_id=record.organisation_id, target=record.measure,
                 subject_organisation_id=record.organisation_id, detail={"record": record.pk, "channel": channel}, ip=ip)


def record_network_export(viewer, *, reader, channel: str, ip=None) -> None:
    """Exports of the network view are audited, like every bulk export."""
    org_id = min(viewer.org_ids) if viewer.org_ids else None
    audit.record("measures.network.export", actor=reader, organisation_id=org_id, detail={"channel": channel}, ip=ip)
