"""Measures pages. Thin: read through `visible_to`, check the input with a form, call one
action, render. A measure or an assessment the person may not see is a 404, exactly like a
missing one; one they may see but not change is a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from port2port.core.permissions import Permission
from port2port.core.sharing import Status
from port2port.core.views import client_ip
from port2port.knowledge.models import Article
from port2port.organisations.models import viewer_for
from port2port.reports.forms import organisations_where
from port2port.reports.views import apply_errors

from . import actions
from .forms import AdoptForm, AssessmentForm, DisclosureForm, MeasureFilterForm, MeasureForm, ProposeForm, RetireForm
from .models import (
    DEFAULT_DISCLOSURE, AssessmentRecord, AssessmentStatus, Disclosure, DisclosureSetting, Measure, MeasureStatus,
    MeasureVersion,
)
from .network import network_csv_text, network_view


def reader_viewer(request):
    """The viewer, or 404 for people the catalogue has nothing for: those outside the network
    and outside every sharing group see no page of it, not even an empty one."""
    viewer = viewer_for(request.user)
    if not viewer.network_member and not viewer.group_ids:
        raise Http404
    return viewer


def network_viewer(request):
    viewer = viewer_for(request.user)
    if not viewer.network_member:
        raise Http404
    return viewer


def visible_measure(viewer, pk, queryset=None):
    return get_object_or_404((queryset or Measure.objects).visible_to(viewer), pk=pk)


# --- the catalogue -----------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    viewer = reader_viewer(request)
    form = MeasureFilterForm(request.GET)
    form.is_valid()  # invalid filters are shown with their message and left out
    measures = list(form.apply(Measure.objects.visible_to(viewer).for_list()))
    own = AssessmentRecord.objects.visible_to(viewer).current().filter(
        organisation_id__in=sorted(viewer.org_ids), measure__in=[m.pk for m in measures])
    own_status = {}
    for record in own.order_by("organisation__name"):
        own_status.setdefault(record.measure_id, record)
    return render(request, "measures/index.html", {
        "form": form, "rows": [(measure, own_status.get(measure.pk)) for measure in measures],
        "can_propose": organisations_where(request.user, Permission.MEASURES_PROPOSE).filter(is_network_member=True).exists(),
        "can_assess": bool(viewer.org_ids) and organisations_where(request.user, Permission.MEASURES_ASSESS).exists(),
        "network_member": viewer.network_member,
    })


@login_required
@require_GET
def detail(request, pk):
    viewer = reader_viewer(request)
    measure = visible_measure(viewer, pk, detail_queryset(viewer))
    return render(request, "measures/detail.html", detail_context(request, viewer, measure))


def detail_queryset(viewer):
    """The measure with the linked articles this viewer may read themselves, and no others."""
    readable = Article.objects.visible_to(viewer).exclude(status=Status.DRAFT).order_by("title")
    return Measure.objects.for_list().prefetch_related(Prefetch("articles", queryset=readable, to_attr="readable_articles"))


def detail_context(request, viewer, measure, **forms) -> dict:
    visible = AssessmentRecord.objects.visible_to(viewer).filter(measure=measure).select_related("organisation", "owner")
    current = list(visible.current().order_by("organisation__name"))
    own = [record for record in current if record.is_own]
    may_change = actions.may_edit(measure, request.user)
    coordinator = actions.is_coordinator(request.user, measure.working_group)
    return {
        "measure": measure, "own": own, "others": [record for record in current if not record.is_own],
        "can_edit": may_change, "is_coordinator": coordinator,
        "can_assess": measure.status == MeasureStatus.ADOPTED and organisations_where(request.user, Permission.MEASURES_ASSESS).filter(pk__in=viewer.org_ids).exists(),
        "adopt_form": forms.get("adopt_form") or AdoptForm(initial={"adopted_on": timezone.localdate()}),
        "retire_form": forms.get("retire_form") or RetireForm(initial={"retired_on": timezone.localdate()}),
    }


@login_required
@require_GET
def versions(request, pk):
    viewer = reader_viewer(request)
    measure = visible_measure(viewer, pk)
    rows = MeasureVersion.objects.filter(measure=measure).select_related("author").order_by("-number")
    return render(request, "measures/versions.html", {"measure": measure, "versions": rows})


# --- proposing, editing, adopting, retiring ----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def propose(request):
    reader_viewer(request)
    form = ProposeForm(request.POST or None, user=request.user)
    if not form.fields["organisation"].queryset.exists():
        raise PermissionDenied(_("Security officers and admins of network organisations propose measures."))
    if request.method == "POST" and form.is_valid():
        try:
            measure = actions.propose_measure(acting_user=request.user, organisation=form.cleaned_data["organisation"],
                                              note=form.cleaned_data["note"], ip=client_ip(request), **form.content())
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("The measure is proposed."))
            return redirect(measure)
    return render(request, "measures/form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    viewer = reader_viewer(request)
    measure = visible_measure(viewer, pk, Measure.objects.for_list())
    actions.require_measure_editor(measure, request.user)
    form_args = {"user": request.user, "organisations": [measure.proposed_by_org]}
    if request.method == "POST":
        form = MeasureForm(request.POST, **form_args)
        if form.is_valid():
            try:
                actions.edit_measure(measure, acting_user=request.user, note=form.cleaned_data["note"],
                                     ip=client_ip(request), **form.content())
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(measure)
    else:
        form = MeasureForm(initial=MeasureForm.initial_from(measure), **form_args)
    return render(request, "measures/form.html", {"form": form, "measure": measure, "creating": False})


@login_required
@require_POST
def adopt(request, pk):
    return _decide(request, pk, AdoptForm, actions.adopt_measure, "adopted_on", _("The measure is a network standard."))


@login_required
@require_POST
def retire(request, pk):
    return _decide(request, pk, RetireForm, actions.retire_measure, "retired_on", _("The measure is retired."))


def _decide(request, pk, form_class, action, date_field, done):
    viewer = reader_viewer(request)
    measure = visible_measure(viewer, pk, detail_queryset(viewer))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(measure, acting_user=request.user, note=form.cleaned_data["note"], ip=client_ip(request),
                   **{date_field: form.cleaned_data[date_field]})
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, done)
            return redirect(measure)
    key = "adopt_form" if form_class is AdoptForm else "retire_form"
    return render(request, "measures/detail.html", detail_context(request, viewer, measure, **{key: form}), status=200)


# --- assessing --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assess(request, pk):
    viewer = reader_viewer(request)
    measure = visible_measure(viewer, pk)
    form = AssessmentForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["organisation"].queryset.exists():
        raise PermissionDenied(_("Security officers and admins of your organisation record its assessment."))
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_assessment(acting_user=request.user, organisation=form.cleaned_data["organisation"],
                                      measure=measure, ip=client_ip(request), **form.answer())
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Your assessment is recorded."))
            return redirect(measure)
    elif request.method == "GET":
        form = AssessmentForm(initial=_previous_answer(viewer, measure), user=request.user)
    return render(request, "measures/assess.html", {"form": form, "measure": measure})


def _previous_answer(viewer, measure) -> dict:
    record = (AssessmentRecord.objects.visible_to(viewer).current()
              .filter(measure=measure, organisation_id__in=sorted(viewer.org_ids)).first())
    if record is None:
        return {}
    return {"organisation": record.organisation_id, "status": record.status, "maturity": record.maturity,
            "target_date": record.target_date, "owner": record.owner_id, "note": record.note,
            "evidence_text": record.evidence_text, "disclosure": record.disclosure or ""}


@login_required
@require_GET
def history(request, pk, org_pk):
    """One organisation's answers to one measure over time, as the viewer may see them."""
    viewer = reader_viewer(request)
    measure = visible_measure(viewer, pk)
    records = list(AssessmentRecord.objects.visible_to(viewer).filter(measure=measure, organisation_id=org_pk)
                   .select_related("organisation", "owner", "recorded_by"))
    if not records:
        raise Http404
    return render(request, "measures/history.html", {"measure": measure, "records": records,
                                                     "organisation": records[0].organisation})


@login_required
@require_GET
def evidence(request, record_pk):
    """An evidence file, to its own organisation only, as a download no browser renders."""
    viewer = reader_viewer(request)
    record = get_object_or_404(AssessmentRecord.objects.visible_to(viewer).filter(organisation_id__in=sorted(viewer.org_ids)),
                               pk=record_pk)
    if not record.evidence_file:
        raise Http404
    actions.record_evidence_read(record, reader=request.user, channel="web", ip=client_ip(request))
    return evidence_response(record)


def evidence_response(record) -> FileResponse:
    response = FileResponse(record.evidence_file.open("rb"), as_attachment=True, filename=record.evidence_name,
                            content_type=record.evidence_content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def disclosure(request):
    reader_viewer(request)
    form = DisclosureForm(request.POST or None, user=request.user)
    organisations = list(form.fields["organisation"].queryset)
    if not organisations:
        raise PermissionDenied(_("Security officers and admins of your organisation choose what the network sees."))
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_disclosure(acting_user=request.user, organisation=form.cleaned_data["organisation"],
                                   level=form.cleaned_data["level"], ip=client_ip(request))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Your choice is saved. It applies at once, to earlier answers too."))
            return redirect("measures:disclosure")
    settings = {s.organisation_id: s.level for s in DisclosureSetting.objects.filter(organisation__in=organisations)}
    current = [(org, Disclosure(settings.get(org.pk, DEFAULT_DISCLOSURE)).label) for org in organisations]
    if request.method == "GET":
        first = organisations[0]
        form = DisclosureForm(initial={"organisation": first, "level": settings.get(first.pk, DEFAULT_DISCLOSURE)}, user=request.user)
    return render(request, "measures/disclosure.html", {"form": form, "current": current})


# --- the network view -------------------------------------------------------------------------


@login_required
@require_GET
def network(request):
    view = network_view(network_viewer(request))
    return render(request, "measures/network.html", {"view": view, "statuses": AssessmentStatus.choices})


@login_required
@require_GET
def network_print(request):
    view = network_view(network_viewer(request))
    return render(request, "measures/network_print.html", {
        "view": view, "statuses": AssessmentStatus.choices, "today": timezone.localdate()})


@login_required
@require_GET
def network_csv(request):
    viewer = network_viewer(request)
    view = network_view(viewer)
    actions.record_network_export(viewer, reader=request.user, channel="web:csv", ip=client_ip(request))
    response = HttpResponse(network_csv_text(view), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="network-measures.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
