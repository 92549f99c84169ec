"""Report pages. Thin: read through `visible_to`, check the input with a form, call one action
from `actions.py`, render. A report the person may not see is a 404, exactly like a missing one;
a report they may see but not change is a 403."""

from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from port2port.core.permissions import Permission
from port2port.core.sharing import Audience, Status, is_loosening
from port2port.core.views import client_ip
from port2port.organisations.models import Membership, Port, viewer_for

from . import actions, search
from .forms import (
    AttachmentForm,
    CommentForm,
    CreateReportForm,
    MarkingForm,
    ReportContentForm,
    ReportFilterForm,
    ShareForm,
    organisations_where,
    roles_granting,
    start_of_day,
)
from .models import Attachment, Category, Comment, Report, ReportVersion

PAGE_SIZE = 25


def login_required_unless_public(view):
    """Signed-in people only, unless the operator turned public pages on; then visitors get
    whatever the sharing rule gives an anonymous viewer (public CLEAR reports)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated or settings.PUBLIC_PAGES:
            return view(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path())

    return wrapper


def detail_queryset():
    """Everything the detail page shows, in a fixed number of queries."""
    return Report.objects.select_related("owner_org", "port", "author", "sharing_group").prefetch_related(
        "recipient_orgs", "recipient_people",
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
    )


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def visible_report(viewer, pk, queryset=None):
    """The report if this viewer may see it; otherwise the same 404 as a missing id."""
    queryset = Report.objects if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(viewer), pk=pk)


def require_editable(viewer, report) -> None:
    """403 for people who may read the report but not change it (the actions check again)."""
    if not Report.objects.editable_by(viewer).filter(pk=report.pk).exists():
        raise PermissionDenied(_("You may read this report but not change it."))


def apply_errors(error: ValidationError, *forms) -> None:
    """Put an action's field errors on the form that shows that field, the rest on top."""
    if not hasattr(error, "error_dict"):
        forms[0].add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        target = next((form for form in forms if field in form.fields), None)
        (target or forms[0]).add_error(field if target else None, messages_)


# --- home ------------------------------------------------------------------------------------

LATEST_COUNT = 12
SIDE_COUNT = 8  # the side panels are narrower
COUNT_WINDOW_DAYS = 30


@require_GET
def home(request):
    """What is new for me; or, for a visitor while public pages are on, the public reports."""
    if not request.user.is_authenticated:
        if settings.PUBLIC_PAGES:
            return _public_home(request)
        return redirect_to_login(request.get_full_path())
    viewer = viewer_for(request.user)
    visible = Report.objects.visible_to(viewer)
    window_start = timezone.localdate() - timedelta(days=COUNT_WINDOW_DAYS)
    return render(request, "reports/home.html", {
        "latest": visible.exclude(status=Status.DRAFT).for_list()[:LATEST_COUNT],
        "drafts": visible.filter(status=Status.DRAFT).for_list()[:SIDE_COUNT],
        "named": _shared_with_me_by_name(visible, viewer).for_list()[:SIDE_COUNT],
        "category_counts": _counts_by_category_since(visible, window_start),
        "window_days": COUNT_WINDOW_DAYS,
        "window_start": window_start,
    })


def _public_home(request):
    public = Report.objects.visible_to(request.user).filter(audience=Audience.PUBLIC)
    return render(request, "reports/public_home.html", {"reports": public.for_list()[:50]})


def _shared_with_me_by_name(visible, viewer):
    """Reports that name me (RED) or my organisation, rather than reaching me through a group
    or the network. Narrowing `visible` keeps the sharing rule in charge."""
    named_people = Report.recipient_people.through.objects.filter(report=OuterRef("pk"), user_id=viewer.user_id)
    named_orgs = Report.recipient_orgs.through.objects.filter(report=OuterRef("pk"), organisation_id__in=viewer.org_ids)
    by_name = Q(Exists(named_people)) | (Q(audience=Audience.ORGANISATIONS) & Q(Exists(named_orgs)))
    return visible.filter(by_name).exclude(status=Status.DRAFT).exclude(owner_org_id__in=viewer.org_ids)


def _counts_by_category_since(visible, day) -> list[dict]:
    """How many shared reports I may see per category since `day` (the same period the list
    shows when a count is clicked). Categories with none stay, so the table does not jump."""
    rows = (
        visible.exclude(status=Status.DRAFT).filter(occurred_at__gte=start_of_day(day))
        .order_by().values("category").annotate(count=Count("pk"))
    )
    counts = {row["category"]: row["count"] for row in rows}
    return [{"value": value, "label": label, "count": counts.get(value, 0)} for value, label in Category.choices]


# --- list ------------------------------------------------------------------------------------


@login_required
@require_GET
def report_list(request):
    """Reports I may see, filtered and searched; htmx asks for the results part alone."""
    viewer = viewer_for(request.user)
    form = ReportFilterForm(request.GET)
    form.is_valid()  # invalid filters are shown with their message and left out
    reports = Report.objects.visible_to(viewer).for_list()
    reports = form.apply(search.search(reports, form.cleaned_data.get("q", "")))
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "reports/list.html#results" if is_htmx(request) else "reports/list.html"
    response = render(request, template, {"form": form, "page": page})
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- detail and its parts --------------------------------------------------------------------


@login_required_unless_public
@require_GET
def report_detail(request, pk):
    viewer = viewer_for(request.user)
    report = visible_report(viewer, pk, detail_queryset())
    actions.record_read(report, reader=request.user, channel="web", ip=client_ip(request))
    return render(request, "reports/detail.html", detail_context(request, viewer, report))


def detail_context(request, viewer, report, *, comment_form=None, attachment_form=None) -> dict:
    signed_in = request.user.is_authenticated
    return {
        "report": report,
        "comments": Comment.objects.readable_by(report, viewer).select_related("author", "organisation"),
        "audience_words": audience_in_words(report),
        "can_edit": signed_in and Report.objects.editable_by(viewer).filter(pk=report.pk).exists(),
        "can_comment": signed_in and _holds(request.user, Permission.REPORTS_COMMENT),
        "comment_form": comment_form or CommentForm(),
        "attachment_form": attachment_form or AttachmentForm(),
        "ports": list(Port.objects.values("name", "locode", "latitude", "longitude")),
        "point": {"lat": report.latitude, "lon": report.longitude} if report.latitude is not None else None,
    }


def _holds(user, permission: Permission) -> bool:
    return Membership.objects.active().filter(user=user, role__in=roles_granting(permission)).exists()


def audience_in_words(report) -> str:
    """Who the report reaches, as a sentence: "shared with: Drugs working group"."""
    if report.audience == Audience.OWNER:
        who = _("%(organisation)s only") % {"organisation": report.owner_org.display_name}
    elif report.audience == Audience.ORGANISATIONS:
        who = ", ".join(sorted({report.owner_org.display_name, *(o.display_name for o in report.recipient_orgs.all())}))
    elif report.audience == Audience.GROUP:
        who = _("%(group)s (sharing group)") % {"group": report.sharing_group.name if report.sharing_group else "?"}
    elif report.audience == Audience.NETWORK:
        who = _("the whole network")
    elif report.audience == Audience.PUBLIC:
        who = _("everyone (public)")
    else:
        # Names only: an e-mail address here would turn the page into a directory of accounts.
        who = ", ".join(sorted(person.full_name or _("a named person") for person in report.recipient_people.all()))
        who = who or _("nobody yet")
    if report.status == Status.DRAFT:
        return _("draft — only its editors see it; once shared: %(who)s") % {"who": who}
    return _("shared with: %(who)s") % {"who": who}


@login_required
@require_POST
def report_comment(request, pk):
    viewer = viewer_for(request.user)
    report = visible_report(viewer, pk, detail_queryset())
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(report, acting_user=request.user, body=form.cleaned_data["body"], ip=client_ip(request))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(reverse("reports:detail", args=[report.pk]) + "#comments")
    # The page shows the report again, with the form's errors: that is a read like any other.
    actions.record_read(report, reader=request.user, channel="web", ip=client_ip(request))
    return render(request, "reports/detail.html", detail_context(request, viewer, report, comment_form=form))


@login_required
@require_POST
def report_attach(request, pk):
    viewer = viewer_for(request.user)
    report = visible_report(viewer, pk, detail_queryset())
    require_editable(viewer, report)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_attachment(report, acting_user=request.user, upload=form.cleaned_data["file"], ip=client_ip(request))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("The file was attached."))
            return redirect(reverse("reports:detail", args=[report.pk]) + "#attachments")
    actions.record_read(report, reader=request.user, channel="web", ip=client_ip(request))
    return render(request, "reports/detail.html", detail_context(request, viewer, report, attachment_form=form))


@login_required
@require_GET
def attachment_download(request, pk, attachment_id):
    """A file of a report I may see, as a download: never rendered by the browser."""
    viewer = viewer_for(request.user)
    report = visible_report(viewer, pk)
    attachment = get_object_or_404(Attachment.objects.filter(report=report), pk=attachment_id)
    actions.record_read(report, reader=request.user, channel="attachment", ip=client_ip(request))
    return attachment_response(attachment)


def attachment_response(attachment: Attachment) -> FileResponse:
    """A file as a download that no browser renders, sniffs or keeps (web and API alike)."""
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def report_close(request, pk):
    viewer = viewer_for(request.user)
    report = visible_report(viewer, pk)
    try:
        actions.close_report(report, acting_user=request.user, ip=client_ip(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is closed. It stays readable to the same people."))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_GET
def report_history(request, pk):
    viewer = viewer_for(request.user)
    report = visible_report(viewer, pk, Report.objects.select_related("owner_org"))
    actions.record_read(report, reader=request.user, channel="history", ip=client_ip(request))
    versions = list(ReportVersion.objects.readable_by(report, viewer).select_related("edited_by").order_by("number"))
    return render(request, "reports/history.html", {"report": report, "versions": version_changes(versions)})


ACTION_WORDS = {
    "reports.create": gettext_lazy("Created"),
    "reports.edit": gettext_lazy("Edited"),
    "reports.share": gettext_lazy("Shared or marking changed"),
    "reports.close": gettext_lazy("Closed"),
}


def version_changes(versions) -> list[dict]:
    """Each version with the fields that changed since the one before, newest first."""
    rows, previous = [], {}
    for version in versions:
        changes = [
            {"label": _field_label(name), "old": _shown(name, previous.get(name)), "new": _shown(name, value)}
            for name, value in version.snapshot.items()
            if previous and previous.get(name) != value
        ]
        rows.append({"version": version, "action": ACTION_WORDS.get(version.action, version.action), "changes": changes})
        previous = version.snapshot
    return rows[::-1]


def _field_label(name: str) -> str:
    try:
        return capfirst(Report._meta.get_field(name).verbose_name)  # not .capitalize(): "TLP", German nouns
    except Exception:  # a field a later model no longer has: show its stored name
        return name


def _shown(name: str, value) -> str:
    """A stored snapshot value as the reader knows it: choice labels and local times."""
    if value in (None, ""):
        return "—"
    if name == "occurred_at":
        return date_format(timezone.localtime(datetime.fromisoformat(value)), "j F Y, H:i")
    try:
        choices = dict(Report._meta.get_field(name).flatchoices)
    except Exception:
        choices = {}
    return str(choices.get(value, value))


# --- create, edit, share ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request):
    organisations = list(organisations_where(request.user, Permission.REPORTS_CREATE))
    if not organisations:
        raise PermissionDenied(_("Your role does not allow filing reports."))
    data = request.POST if request.method == "POST" else None
    form = CreateReportForm(data, user=request.user)
    marking_form = MarkingForm(data, user=request.user, owner_orgs=organisations)
    if data is not None and form.is_valid() & marking_form.is_valid():
        share_now = request.POST.get("intent") == "share"
        try:
            report = actions.report_incident(
                acting_user=request.user, organisation=form.cleaned_data["organisation"],
                marking=marking_form.marking(), share_now=share_now, ip=client_ip(request), **form.content(),
            )
        except ValidationError as error:
            apply_errors(error, form, marking_form)
        else:
            messages.success(request, _("The report is shared.") if share_now else _("The report is saved as a draft."))
            return redirect(report)
    return render(request, "reports/form.html", {
        "form": form, "marking_form": marking_form, "creating": True, "ports": _ports(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    """Change what the report says. Who receives it is the share dialog's business."""
    viewer = viewer_for(request.user)
    report = visible_report(viewer, pk, Report.objects.select_related("owner_org", "port"))
    require_editable(viewer, report)
    if request.method == "POST":
        form = ReportContentForm(request.POST)
        if form.is_valid():
            version = report.version
            try:
                actions.edit_report(report, acting_user=request.user, ip=client_ip(request), **form.content())
            except ValidationError as error:
                apply_errors(error, form)
            else:
                changed = report.version != version
                messages.success(request, _("Your changes are saved.") if changed else _("Nothing changed."))
                return redirect(report)
    else:
        form = ReportContentForm(initial=ReportContentForm.initial_from(report))
    return render(request, "reports/form.html", {"form": form, "report": report, "creating": False, "ports": _ports()})


def _ports() -> list[dict]:
    return list(Port.objects.values("name", "locode", "latitude", "longitude"))


@login_required
@require_http_methods(["GET", "POST"])
def report_share(request, pk):
    """Set the TLP label and the audience. Letting a shared report travel further asks for an
    explicit yes; the action records every change in the audit log."""
    viewer = viewer_for(request.user)
    report = visible_report(viewer, pk, detail_queryset())
    require_editable(viewer, report)
    current_people = list(report.recipient_people.all())
    form_args = {"user": request.user, "owner_orgs": [report.owner_org], "current_people": current_people}
    if request.method == "POST":
        form = ShareForm(request.POST, **form_args)
        if form.is_valid() and _loosening_confirmed(form, report):
            try:
                actions.share_report(report, acting_user=request.user, ip=client_ip(request), **form.marking())
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, f"{report.get_tlp_display()} — {audience_in_words(report)}")
                return redirect(report)
    else:
        form = ShareForm(initial=_current_marking(report, current_people), **form_args)
    return render(request, "reports/share.html", {
        "form": form, "report": report, "audience_words": audience_in_words(report),
    })


def _current_marking(report, current_people) -> dict:
    return {
        "tlp": report.tlp, "audience": report.audience, "sharing_group": report.sharing_group,
        "recipient_orgs": list(report.recipient_orgs.all()), "recipient_people": current_people,
    }


def _loosening_confirmed(form, report) -> bool:
    """A draft has no readers yet; for a shared report, travelling further needs a tick."""
    if report.status == Status.DRAFT or form.cleaned_data["confirm_loosening"] or not widens(report, form.marking()):
        return True
    form.add_error("confirm_loosening", _("This lets the report travel further than now. Tick the box to confirm."))
    return False


def widens(report, marking: dict) -> bool:
    """True when the new marking loosens the label, widens the audience, or adds recipients."""
    if is_loosening(report.tlp, report.audience, marking["tlp"], marking["audience"]):
        return True
    if marking["audience"] == Audience.ORGANISATIONS:
        return bool({o.pk for o in marking["recipient_orgs"]} - {o.pk for o in report.recipient_orgs.all()})
    if marking["audience"] == Audience.PEOPLE:
        return bool({p.pk for p in marking["recipient_people"]} - {p.pk for p in report.recipient_people.all()})
    if marking["audience"] == Audience.GROUP:
        return getattr(marking["sharing_group"], "pk", None) != report.sharing_group_id
    return False
