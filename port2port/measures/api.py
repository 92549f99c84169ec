"""The measures API: the catalogue and its versions, proposing, editing, adopting and retiring
measures, self-assessments and their history, the disclosure setting, and the network view
(JSON and CSV).

Every read starts from `visible_to(caller)`: a measure the caller may not read is a 404 exactly
like a missing one, and assessments show only what their organisation discloses (evidence never
leaves it). Every write is one of `port2port.measures.actions`. Mounted at the root of /api/v1.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from port2port.core.sharing import Status as ShareStatus
from port2port.knowledge.models import Article
from port2port.organisations.models import Membership, Organisation, SharingGroup
from port2port.sensors.api import Keyset, organisation_or_404, own_organisation, visible_or_404

from . import actions
from .models import DEFAULT_DISCLOSURE, AssessmentRecord, DisclosureSetting, Measure, MeasureVersion
from .network import cell_fields, network_csv_text, network_view
from .schemas import (
    AssessmentIn, AssessmentOut, DecisionIn, DisclosureIn, DisclosureOut, MeasureDetailOut, MeasureFilters, MeasureIn,
    MeasurePage, MeasurePatch, NetworkOut, VersionOut,
)

router = Router()

MEASURE_PAGES = Keyset("updated_at", "port2port.measures.api.measures")


def _who(request) -> dict:
    return {"acting_user": request.auth.user, "ip": request.auth.ip}


def require_reader(request):
    """Callers outside the network and every sharing group get 404s, as on the web pages."""
    viewer = request.auth.viewer
    if not viewer.network_member and not viewer.group_ids:
        raise Http404
    return viewer


def visible_measures(request):
    return Measure.objects.visible_to(require_reader(request)).for_list()


def measure_or_404(request, measure_id: int) -> Measure:
    return visible_or_404(visible_measures(request), measure_id)


def detailed(request, measure_id: int) -> Measure:
    readable = Article.objects.visible_to(request.auth.viewer).exclude(status=ShareStatus.DRAFT).order_by("title")
    queryset = visible_measures(request).prefetch_related(Prefetch("articles", queryset=readable, to_attr="readable_articles"))
    return visible_or_404(queryset, measure_id)


def visible_assessments(request):
    return AssessmentRecord.objects.visible_to(request.auth.viewer).select_related("organisation", "owner")


# --- from the request to the actions' arguments ------------------------------------------------


def content_from(request, payload: MeasurePatch, organisation: Organisation) -> dict:
    content = payload.model_dump(exclude_unset=True, exclude={"note", "organisation"})
    if "working_group" in content:
        content["working_group"] = _group(content["working_group"], organisation)
    if "articles" in content:
        content["articles"] = _articles(request, content["articles"])
    return content


def _group(group_id, organisation: Organisation):
    if group_id is None:
        return None
    # A group the organisation is not in is answered like a missing one.
    group = SharingGroup.objects.filter(pk=group_id, members=organisation, is_working_group=True).first()
    if group is None:
        raise ValidationError({"working_group": _("Choose a working group the proposer organisation belongs to.")})
    return group


def _articles(request, ids: list[int]) -> list:
    found = list(Article.objects.visible_to(request.auth.viewer).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"articles": _("One of these articles does not exist or is not shared with you.")})
    return found


def _owner(person_id, organisation: Organisation):
    if person_id is None:
        return None
    members = Membership.objects.active().filter(organisation=organisation).values("user_id")
    person = get_user_model().objects.filter(pk=person_id, pk__in=members).first()
    if person is None:
        raise ValidationError({"owner": _("The owner must be an active member of your organisation.")})
    return person


def filtered(measures, filters: MeasureFilters):
    exact = {name: getattr(filters, name) for name in ("theme", "level", "status") if getattr(filters, name)}
    measures = measures.filter(**exact)
    # A list in a JSON column: its text holds each value in quotes (works on SQLite and PostgreSQL).
    if filters.threat:
        measures = measures.filter(threats__icontains=f'"{filters.threat}"')
    if filters.facility:
        measures = measures.filter(facility_kinds__icontains=f'"{filters.facility}"')
    return measures


# --- the catalogue -----------------------------------------------------------------------------


@router.get("/measures", response=MeasurePage, summary="The measures you may read")
def list_measures(request, filters: Query[MeasureFilters]):
    """Adopted and retired measures of the network, and the proposals of your organisations and
    working groups. Pass `next_cursor` back as `cursor` for the next page."""
    return MEASURE_PAGES.page(filtered(visible_measures(request), filters), limit=filters.limit, cursor=filters.cursor)


@router.post("/measures", response={201: MeasureDetailOut}, summary="Propose a measure")
def propose_measure(request, payload: MeasureIn):
    require_reader(request)
    organisation = own_organisation(request, payload.organisation)
    measure = actions.propose_measure(organisation=organisation, note=payload.note,
                                      **content_from(request, payload, organisation), **_who(request))
    return Status(201, detailed(request, measure.pk))


@router.get("/measures/{int:measure_id}", response=MeasureDetailOut, summary="A measure")
def read_measure(request, measure_id: int):
    return detailed(request, measure_id)


@router.patch("/measures/{int:measure_id}", response=MeasureDetailOut, summary="Edit a measure")
def edit_measure(request, measure_id: int, payload: MeasurePatch):
    measure = measure_or_404(request, measure_id)
    actions.require_measure_editor(measure, request.auth.user)
    actions.edit_measure(measure, note=payload.note, **content_from(request, payload, measure.proposed_by_org), **_who(request))
    return detailed(request, measure.pk)


@router.post("/measures/{int:measure_id}/adopt", response=MeasureDetailOut, summary="Adopt a measure (its working group's coordinator)")
def adopt_measure(request, measure_id: int, payload: DecisionIn):
    measure = measure_or_404(request, measure_id)
    actions.adopt_measure(measure, adopted_on=payload.on, note=payload.note, **_who(request))
    return detailed(request, measure.pk)


@router.post("/measures/{int:measure_id}/retire", response=MeasureDetailOut, summary="Retire a measure (its working group's coordinator)")
def retire_measure(request, measure_id: int, payload: DecisionIn):
    measure = measure_or_404(request, measure_id)
    actions.retire_measure(measure, retired_on=payload.on, note=payload.note, **_who(request))
    return detailed(request, measure.pk)


@router.get("/measures/{int:measure_id}/versions", response=list[VersionOut], summary="A measure's versions, oldest first")
def measure_versions(request, measure_id: int):
    measure = measure_or_404(request, measure_id)
    versions = list(MeasureVersion.objects.filter(measure=measure).select_related("author").order_by("number"))
    # A snapshot lists every linked article; the caller learns only of those they may read.
    linked = {pk for version in versions for pk in version.snapshot.get("articles", [])}
    readable = set(Article.objects.visible_to(request.auth.viewer).filter(pk__in=linked).values_list("pk", flat=True))
    for version in versions:
        version.snapshot = {**version.snapshot,
                            "articles": [pk for pk in version.snapshot.get("articles", []) if pk in readable]}
    return versions


# --- assessments -------------------------------------------------------------------------------


@router.get("/measures/{int:measure_id}/assessments", response=list[AssessmentOut],
            summary="The current answers to a measure you may see")
def list_assessments(request, measure_id: int):
    """Your organisations' answers in full; others' as their organisation discloses them."""
    measure = measure_or_404(request, measure_id)
    return visible_assessments(request).current().filter(measure=measure).order_by("organisation__name")


@router.post("/measures/{int:measure_id}/assessments", response={201: AssessmentOut}, summary="Record your organisation's answer")
def record_assessment(request, measure_id: int, payload: AssessmentIn):
    measure = measure_or_404(request, measure_id)
    organisation = own_organisation(request, payload.organisation)
    answer = payload.model_dump(exclude={"organisation", "owner"})
    record = actions.record_assessment(organisation=organisation, measure=measure,
                                       owner=_owner(payload.owner, organisation), **answer, **_who(request))
    return Status(201, visible_assessments(request).get(pk=record.pk))


@router.get("/measures/{int:measure_id}/assessments/{int:organisation_id}/history", response=list[AssessmentOut],
            summary="One organisation's answers over time, newest first")
def assessment_history(request, measure_id: int, organisation_id: int):
    measure = measure_or_404(request, measure_id)
    records = list(visible_assessments(request).filter(measure=measure, organisation_id=organisation_id))
    if not records:
        raise Http404
    return records


@router.get("/measures/disclosure/{int:organisation_id}", response=DisclosureOut, summary="What the network sees of your assessments")
def read_disclosure(request, organisation_id: int):
    organisation = organisation_or_404(request, organisation_id)
    setting = DisclosureSetting.objects.filter(organisation=organisation).first()
    return {"organisation": {"id": organisation.pk, "name": organisation.name},
            "level": setting.level if setting else DEFAULT_DISCLOSURE}


@router.put("/measures/disclosure/{int:organisation_id}", response=DisclosureOut, summary="Choose what the network sees")
def write_disclosure(request, organisation_id: int, payload: DisclosureIn):
    organisation = organisation_or_404(request, organisation_id)
    setting = actions.set_disclosure(organisation=organisation, level=payload.level, **_who(request))
    return {"organisation": {"id": organisation.pk, "name": organisation.name}, "level": setting.level}


# --- the network view --------------------------------------------------------------------------


def network_viewer(request):
    if not request.auth.viewer.network_member:
        raise Http404
    return request.auth.viewer


@router.get("/measures/network", response=NetworkOut, summary="The network view: matrix and figures")
def read_network(request):
    """Figures count only the answers the caller may see; `based_on` is how many organisations
    each rests on, and figures resting on fewer than `min_group_size` have `suppressed: true`
    and no percentage."""
    view = network_view(network_viewer(request))
    return {
        "min_group_size": view.min_group_size,
        "measures": [{"id": m.pk, "title": m.title} for m in view.measures],
        "rows": [{"organisation": {"id": row.organisation.pk, "name": row.organisation.name},
                  "cells": [{"measure": m.pk, **_cell(record)} for m, record in zip(view.measures, row.cells)]}
                 for row in view.rows],
        "themes": [{"theme": value, **_figure(f)} for value, _l, f in view.themes],
        "quarters": [{"quarter": label, **_figure(f)} for label, f in view.quarters],
        "weakest": [{"measure": w.measure.pk, "suppressed": not w.shown, "status": w.status, "based_on": w.based_on,
                     "organisations": [{"id": o.pk, "name": o.name} for o in w.organisations]}
                    for w in view.weakest],
    }


def _figure(figure) -> dict:
    return {"implemented_percent": figure.percent, "suppressed": figure.suppressed, "based_on": figure.organisations}


def _cell(record) -> dict:
    fields = cell_fields(record)
    return {name: fields[name] for name in ("status", "maturity", "target_date")}


@router.get("/measures/network.csv", response={200: None}, summary="The network view as CSV",
            openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}})
def network_csv(request):
    viewer = network_viewer(request)
    actions.record_network_export(viewer, reader=request.auth.user, channel="api:csv", ip=request.auth.ip)
    response = HttpResponse(network_csv_text(network_view(viewer)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="network-measures.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
