"""Indicator pages. Thin, like the report pages: read through `visible_to`, check the input with
a form, call one action from `actions.py`, render. Whatever the person may not see is a 404
with the same body as a missing id; what they may see but not change is a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from port2port.core.permissions import Permission
from port2port.core.views import client_ip
from port2port.organisations.models import Membership, Organisation, ports_of, viewer_for
from port2port.reports.forms import organisations_where
from port2port.reports.models import Report

from . import actions, correlation
from .extract import _PERSON, extract  # _PERSON: see _input_of
from .forms import AddIndicatorForm, KeepForm, PasteForm, SearchForm, SightingForm, WatchForm
from .models import PERSONAL_KINDS, Indicator, Watch, WatchHit
from .panel import panel_context
from .types import REGISTRY, IndicatorError, normalise

# A candidate at least this sure is ticked on the confirmation page; the rest wait for a person.
CONFIDENT = 0.7
LIST_LIMIT = 50


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def visible_report(viewer, pk):
    return get_object_or_404(Report.objects.visible_to(viewer).select_related("owner_org", "port"), pk=pk)


def editable_report(viewer, pk):
    """The report if the viewer may change it; 404 when invisible, 403 when read-only."""
    report = visible_report(viewer, pk)
    if not Report.objects.editable_by(viewer).filter(pk=report.pk).exists():
        raise PermissionDenied(_("You may read this report but not change it."))
    return report


def visible_indicator(viewer, pk):
    return get_object_or_404(Indicator.objects.visible_to(viewer).select_related("report"), pk=pk)


def report_anchor(report) -> str:
    return reverse("reports:detail", args=[report.pk]) + "#indicators"


def _field_errors(form, error: ValidationError, mapping: dict | None = None) -> None:
    """Put an action's errors on the form's fields (`mapping` renames the action's keys)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, texts in error.message_dict.items():
        field = (mapping or {}).get(key, key)
        form.add_error(field if field in form.fields else None, texts)


# --- the report's panel and what its buttons do -------------------------------------------


@login_required
@require_GET
def report_panel(request, pk):
    """The panel alone (htmx), for instance with the common values shown on request."""
    viewer = viewer_for(request.user)
    report = visible_report(viewer, pk)
    return _panel_response(request, viewer, report)


def _panel_response(request, viewer, report, *, notice="", level="success"):
    """The panel as htmx swaps it in; `notice` says what just happened, in the panel itself."""
    context = {**panel_context(request, viewer, report), "notice": notice, "notice_level": level}
    response = render(request, "indicators/_panel.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def indicator_sighting(request, pk):
    """"Seen at my port too", "false positive" or "expired" on an indicator one may see."""
    viewer = viewer_for(request.user)
    indicator = visible_indicator(viewer, pk)
    form = SightingForm(request.POST, ports=ports_of(request.user))
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        data = form.cleaned_data
        actions.record_sighting(indicator, acting_user=request.user, kind=data["kind"],
                                seen_at=data["seen_at"], port=data["port"] or ports_of(request.user).first(),
                                place=data["place"], ip=client_ip(request))
    except ValidationError as error:
        notice, level = _sighting_errors(form, error), "error"
    else:
        notice, level = _("Thank you: your word on %(value)s is recorded.") % {"value": indicator.display}, "success"
    if is_htmx(request):
        return _panel_response(request, viewer, indicator.report, notice=notice, level=level)
    getattr(messages, level)(request, notice)
    return redirect(report_anchor(indicator.report))


def _sighting_errors(form, error: ValidationError) -> str:
    """Each problem with the field it concerns, in the reader's words: "When: …"."""
    parts = []
    for field, messages_ in error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]:
        label = form.fields[field].label if field in form.fields else ""
        parts.extend(f"{label}: {message}" if label else message for message in messages_)
    return " ".join(parts)


@login_required
@require_POST
def indicator_remove(request, pk):
    viewer = viewer_for(request.user)
    indicator = visible_indicator(viewer, pk)
    report = indicator.report
    actions.remove_indicator(indicator, acting_user=request.user, ip=client_ip(request))
    if is_htmx(request):
        return _panel_response(request, viewer, report, notice=_("The indicator was removed."))
    messages.success(request, _("The indicator was removed."))
    return redirect(report_anchor(report))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_add(request, pk):
    """Add one indicator by hand: a kind and a value."""
    viewer = viewer_for(request.user)
    report = editable_report(viewer, pk)
    form = AddIndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = actions.NewIndicator(form.cleaned_data["kind"], form.cleaned_data["value"], form.cleaned_data["comment"])
        try:
            created = actions.add_indicators(report, acting_user=request.user, items=[item], ip=client_ip(request))
        except ValidationError as error:
            _field_errors(form, error, AddIndicatorForm.ACTION_FIELDS)
        else:
            if created:
                messages.success(request, _("The indicator was added."))
            else:
                messages.info(request, _("This report already holds that value."))
            return redirect(report_anchor(report))
    return render(request, "indicators/add.html", {"report": report, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_paste(request, pk):
    """Paste to extract: text in, candidates out, the person ticks, then they are added."""
    viewer = viewer_for(request.user)
    report = editable_report(viewer, pk)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm_candidates(request, report)
    form = PasteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        candidates = [_candidate_row(number, c.kind, _input_of(c), c.confidence) for number, c in
                      enumerate(extract(form.cleaned_data["text"]))]
        return render(request, "indicators/confirm.html", {"report": report, "candidates": candidates})
    return render(request, "indicators/paste.html", {"report": report, "form": form})


def _input_of(candidate) -> str:
    """What to hand the action for a candidate: the text as found, except for a person, whose
    name and date of birth extraction read from around the span ("Jan Janssens (°12/03/1985)"
    becomes "Jan Janssens; 12/03/1985", the form the person type takes)."""
    if candidate.kind == "person":
        match = _PERSON.search(candidate.raw)
        if match:
            return f"{match.group('name')}; {match.group('born')}"
    return candidate.raw


def _candidate_row(number, kind, raw, confidence, *, picked=None, error="") -> dict:
    row = {"number": number, "kind": kind, "raw": raw, "confidence": confidence, "error": error,
           "label": REGISTRY[kind].label if kind in REGISTRY else kind, "normalised": None}
    try:
        row["normalised"] = normalise(kind, raw) if kind in REGISTRY else None
    except IndicatorError as problem:
        row["error"] = row["error"] or str(problem.message)
    row["picked"] = (confidence >= CONFIDENT and not row["normalised"].flags) if picked is None and row["normalised"] else bool(picked)
    return row


def _posted_candidates(post) -> list[dict]:
    """The rows the confirmation page sent back (kind, raw text, confidence, ticked or not)."""
    picked = set(post.getlist("pick"))
    rows = []
    for number in range(min(_int(post.get("count")), actions.MAX_BATCH)):
        kind, raw = post.get(f"kind_{number}", ""), post.get(f"raw_{number}", "")
        confidence = _float(post.get(f"confidence_{number}"))
        rows.append(_candidate_row(number, kind, raw, confidence, picked=str(number) in picked))
    return rows


def _confirm_candidates(request, report):
    rows = _posted_candidates(request.POST)
    chosen = [row for row in rows if row["picked"]]
    problem = ""
    if not chosen:
        problem = _("Tick at least one indicator to add, or go back to the report.")
    else:
        items = [actions.NewIndicator(row["kind"], row["raw"]) for row in chosen]
        try:
            created = actions.add_indicators(report, acting_user=request.user, items=items, ip=client_ip(request))
        except ValidationError as error:
            problem = _mark_rows(error, chosen)
        else:
            messages.success(request, _("%(count)d indicators were added.") % {"count": len(created)})
            return redirect(report_anchor(report))
    return render(request, "indicators/confirm.html", {"report": report, "candidates": rows, "problem": problem})


def _mark_rows(error: ValidationError, chosen: list[dict]) -> str:
    """The action numbers the rows it was given; put each message on the row it names."""
    general = []
    for key, texts in getattr(error, "message_dict", {"": error.messages}).items():
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(chosen):
            chosen[int(parts[1])]["error"] = " ".join(texts)
        else:
            general.extend(texts)
    return " ".join(general) or _("Some values are not valid. Untick them or go back and correct the text.")


def _int(text) -> int:
    try:
        return max(int(text), 0)
    except (TypeError, ValueError):
        return 0


def _float(text) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return 0.0


# --- one value across the network ---------------------------------------------------------


@login_required
@require_GET
def indicator_value(request, kind, value):
    """The timeline of one value across ports, as far as the viewer may see: a 404 (the same
    as for a value nobody holds) when no visible report holds it."""
    if kind not in REGISTRY:
        raise Http404
    viewer = viewer_for(request.user)
    rows = list(correlation.timeline(viewer, kind, value))
    if not rows:
        raise Http404
    ports = {row.report.port_id: row.report.port for row in rows if row.report.port_id}
    return render(request, "indicators/value.html", {
        "kind": kind, "kind_label": REGISTRY[kind].label, "value": value, "display": rows[-1].display,
        "rows": rows, "ports": [_port_point(port) for port in ports.values()],
        "port_count": len(ports), "organisation_count": len({row.report.owner_org_id for row in rows}),
        "watchable": kind not in PERSONAL_KINDS and bool(_watching_orgs(request.user)),
        "watch_form": WatchForm(initial={"kind": kind, "value": rows[-1].display}),
    })


def _port_point(port) -> dict:
    return {"name": port.name, "locode": port.locode, "latitude": port.latitude, "longitude": port.longitude}


@login_required
@require_GET
def indicator_search(request):
    """Search by value, exact or with near matches, among the reports the viewer may see."""
    form = SearchForm(request.GET or None)
    results, searched = [], False
    if request.GET and form.is_valid():
        searched = True
        found = form.cleaned_data["normalised"]
        fuzzy = form.cleaned_data["fuzzy"] and bool(found.fuzzy_key)
        results = list(correlation.search(
            viewer_for(request.user), kind=form.cleaned_data["kind"],
            value=found.fuzzy_key if fuzzy else found.value, fuzzy=fuzzy, limit=LIST_LIMIT,
        ))
        for row in results:
            row.is_fuzzy = row.value != found.value
    return render(request, "indicators/search.html", {"form": form, "results": results, "searched": searched,
                                                      "limit": LIST_LIMIT})


# --- watchlist ----------------------------------------------------------------------------


def _member_orgs(user):
    return Organisation.objects.filter(
        pk__in=Membership.objects.active().filter(user=user).values("organisation_id"))


def _watching_orgs(user):
    return list(organisations_where(user, Permission.REPORTS_CREATE))


@login_required
@require_http_methods(["GET", "POST"])
def watchlist(request):
    """The organisation's watched values, its hits, and the interest notices on its reports."""
    managing = _watching_orgs(request.user)
    form = WatchForm(request.POST or None, organisations=managing)
    if request.method == "POST":
        if not managing:
            raise PermissionDenied(_("Your role does not allow this."))
        if form.is_valid():
            try:
                watch = actions.create_watch(
                    acting_user=request.user, organisation=form.chosen_organisation(), kind=form.cleaned_data["kind"],
                    raw=form.cleaned_data["value"], label=form.cleaned_data["label"], ip=client_ip(request))
            except ValidationError as error:
                _field_errors(form, error)
            else:
                messages.success(request, _("Your organisation now watches %(value)s.") % {"value": watch.display})
                return redirect("indicators:watchlist")
    viewer = viewer_for(request.user)
    orgs = _member_orgs(request.user)
    return render(request, "indicators/watchlist.html", {
        "form": form, "can_manage": bool(managing),
        "watches": Watch.objects.filter(organisation__in=orgs, is_active=True).select_related("organisation"),
        "hits": _hits(viewer), "notices": _interest_notices(viewer),
    })


def _hits(viewer):
    """Hits of the organisation's watches, decided now (an interest becomes a hit once the
    owner shares; a narrowed report drops out), in reports this person may see too."""
    return WatchHit.objects.hits_for(viewer).order_by("-created_at", "-id")[:LIST_LIMIT]


def _interest_notices(viewer):
    """For the people who may share a report: another organisation looks for a value in it.
    One notice per indicator, however many organisations watch it. The page does not name
    the watcher (issue 3: "neither side learns more than that")."""
    hits = WatchHit.objects.interest_notices_for(viewer).order_by("-created_at", "-id")[:LIST_LIMIT * 4]
    notices, seen = [], set()
    for hit in hits:
        if hit.indicator_id not in seen:
            seen.add(hit.indicator_id)
            notices.append(hit)
    return notices[:LIST_LIMIT]


@login_required
@require_POST
def watch_stop(request, pk):
    watch = get_object_or_404(Watch.objects.filter(organisation__in=_member_orgs(request.user), is_active=True), pk=pk)
    actions.stop_watch(watch, acting_user=request.user, ip=client_ip(request))
    messages.success(request, _("Your organisation no longer watches %(value)s.") % {"value": watch.display})
    return redirect("indicators:watchlist")


# --- retention review ---------------------------------------------------------------------


@login_required
@require_GET
def retention_review(request):
    return _review_page(request)


def _review_page(request, *, errors=None):
    viewer = viewer_for(request.user)
    due = Indicator.objects.due_for_review_for(viewer).filter(kind__in=PERSONAL_KINDS)[:LIST_LIMIT * 4]
    rows = [{"indicator": indicator, "form": (errors or {}).get(indicator.pk) or KeepForm(prefix=f"keep-{indicator.pk}")}
            for indicator in due]
    error_form = next(iter((errors or {}).values()), None)
    return render(request, "indicators/review.html", {"rows": rows, "error_form": error_form})


@login_required
@require_POST
def indicator_keep(request, pk):
    viewer = viewer_for(request.user)
    indicator = visible_indicator(viewer, pk)
    if not Report.objects.editable_by(viewer).filter(pk=indicator.report_id).exists():
        raise PermissionDenied(_("You may read this report but not change it."))
    form = KeepForm(request.POST, prefix=f"keep-{indicator.pk}")
    if form.is_valid():
        try:
            actions.keep_indicator(indicator, acting_user=request.user, reason=form.cleaned_data["reason"],
                                   ip=client_ip(request))
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(request, _("Kept until the next review."))
            return redirect("indicators:review")
    return _review_page(request, errors={indicator.pk: form})


@login_required
@require_POST
def indicator_purge(request, pk):
    viewer = viewer_for(request.user)
    indicator = visible_indicator(viewer, pk)
    actions.purge_indicator(indicator, acting_user=request.user, ip=client_ip(request))
    messages.success(request, _("Purged: gone from search, correlation and exports."))
    return redirect("indicators:review")
