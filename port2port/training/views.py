"""Training pages: the calendar (month grid and agenda), one training with its seats,
attendance and feedback, and each person's calendar feed (awareness campaigns are in
campaign_views.py).

Thin, like every page: read through `visible_to`, check the input with a form, call one action,
render. A training or campaign the person may not read is a 404, exactly like a missing one;
someone who may read but not change it gets the page without the control, and a 403 if they
post anyway.
"""

import calendar as monthcal
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from port2port.core.views import client_ip
from port2port.knowledge.models import Article
from port2port.organisations.models import viewer_for

from . import actions, feed
from .forms import (
    AttendanceForm, CalendarForm, FeedbackForm, MarkingFields, NewTrainingForm, RegisterMemberForm, ShareForm,
    TrainingForm, organised_organisations,
)
from .models import (
    ACTIVE_STATUSES, CalendarToken, Feedback, Registration, RegistrationStatus, Training, find_calendar_token,
)

INVALID = 400  # a page shown again because its form had bad input


# --- the calendar -------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """A month of the trainings the person may see, as a grid or an agenda; their own seats stand out."""
    form = CalendarForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    first = data.get("month") or today.replace(day=1)
    view = data.get("view") or "month"
    start, end = _local_midnight(first), _local_midnight(_next_month(first))
    viewer = viewer_for(request.user)
    trainings = list(Training.objects.visible_to(viewer).for_list().overlapping(start, end).order_by("starts_at", "pk"))
    seats = dict(Registration.objects.filter(person=request.user, status__in=ACTIVE_STATUSES,
                                             training__in=[t.pk for t in trainings])
                 .values_list("training_id", "status"))
    for training in trainings:
        training.my_status = seats.get(training.pk)
    context = {
        "first": first, "view": view, "today": today, "trainings": trainings,
        "weeks": _weeks(first, trainings) if view == "month" else None,
        "agenda": _agenda(trainings) if view == "agenda" else None,
        "previous_month": _month_param(_previous_month(first)), "next_month": _month_param(_next_month(first)),
        "this_month": _month_param(today.replace(day=1)), "month_param": _month_param(first),
        "can_organise": organised_organisations(request.user).exists(),
    }
    return render(request, "training/calendar.html", context)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _next_month(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def _previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def _month_param(first: date) -> str:
    return first.strftime("%Y-%m")


def _days_of(training) -> set[date]:
    start = timezone.localtime(training.starts_at).date()
    # A training ending at midnight does not spill into the next day.
    end = timezone.localtime(training.ends_at - timedelta(microseconds=1)).date()
    return {start + timedelta(days=n) for n in range((end - start).days + 1)}


def _weeks(first: date, trainings) -> list[list[dict]]:
    """Weeks from Monday, each day with the trainings taking place on it (local time)."""
    by_day: dict[date, list] = {}
    for training in trainings:
        for day in _days_of(training):
            by_day.setdefault(day, []).append(training)
    weeks = monthcal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [[{"date": day, "in_month": day.month == first.month, "trainings": by_day.get(day, [])} for day in week]
            for week in weeks]


def _agenda(trainings) -> list[dict]:
    days: dict[date, list] = {}
    for training in trainings:
        days.setdefault(timezone.localtime(training.starts_at).date(), []).append(training)
    return [{"date": day, "trainings": items} for day, items in sorted(days.items())]


# --- one training ---------------------------------------------------------------------------------


def visible_training(request, pk) -> Training:
    return get_object_or_404(Training.objects.visible_to(viewer_for(request.user)).for_list(), pk=pk)


@login_required
@require_GET
def detail(request, pk):
    training = visible_training(request, pk)
    return render(request, "training/detail.html", detail_context(request, training))


def detail_context(request, training, **forms) -> dict:
    viewer = viewer_for(request.user)
    organiser = actions.organises(request.user, training)
    seats = Registration.objects.visible_to(viewer).filter(training=training).select_related("person", "organisation")
    mine = next((r for r in seats if r.person_id == request.user.pk), None)
    counts = training.registrations.aggregate(
        taken=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)))
    started = training.starts_at <= timezone.now()
    return {
        "training": training, "organiser": organiser, "started": started, "mine": mine,
        "seats": [r for r in seats if r.status != RegistrationStatus.CANCELLED],
        "taken": counts["taken"], "waiting": counts["waiting"], "free": max(training.capacity - counts["taken"], 0),
        "waiting_position": _waiting_position(training, mine),
        "materials": Article.objects.visible_to(viewer).filter(pk__in=training.materials.values("pk")).order_by("title"),
        "my_feedback": Feedback.objects.filter(registration=mine).first() if mine else None,
        "feedback": _feedback_summary(viewer, training) if organiser else None,
        "can_register_members": organised_organisations(request.user).exists(),
        "member_form": forms.get("member_form") or RegisterMemberForm(user=request.user),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
    }


def _waiting_position(training, mine) -> int | None:
    if mine is None or mine.status != RegistrationStatus.WAITING:
        return None
    ahead = training.registrations.filter(status=RegistrationStatus.WAITING).filter(
        Q(queued_at__lt=mine.queued_at) | Q(queued_at=mine.queued_at, pk__lt=mine.pk))
    return ahead.count() + 1


def _feedback_summary(viewer, training) -> dict:
    given = Feedback.objects.visible_to(viewer).filter(registration__training=training)
    summary = given.aggregate(average=Avg("rating"), count=Count("pk"))
    summary["comments"] = list(given.exclude(comment="").order_by("-created_at").values_list("rating", "comment"))
    return summary


def _organiser_forms_context(request, creating: bool, form, training=None) -> dict:
    return {"form": form, "creating": creating, "training": training}


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    organisations = list(organised_organisations(request.user))
    if not organisations:
        raise PermissionDenied(_("Your role does not allow organising trainings."))
    form = NewTrainingForm(request.POST or None, user=request.user, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            training = actions.schedule_training(
                acting_user=request.user, organisation=form.chosen_organisation(), marking=form.marking(),
                materials=form.cleaned_data["materials"], ip=client_ip(request), **form.content())
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The training is announced."))
            return redirect("training:detail", pk=training.pk)
    return render(request, "training/training_form.html", _organiser_forms_context(request, True, form),
                  status=INVALID if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    training = visible_training(request, pk)
    actions.require_organiser_of(training, request.user)
    current = list(training.materials.all())
    initial = TrainingForm.initial_from(training)
    form = TrainingForm(request.POST or None, initial=initial, user=request.user, current_materials=current)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_training(training, acting_user=request.user, materials=form.cleaned_data["materials"],
                                  ip=client_ip(request), **form.content())
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The training is saved."))
            return redirect("training:detail", pk=training.pk)
    return render(request, "training/training_form.html", _organiser_forms_context(request, False, form, training),
                  status=INVALID if form.is_bound else 200)


def share_page(request, item, share, template_name: str, back: str):
    actions.require_organiser_of(item, request.user)
    form = ShareForm(request.POST or None, initial=MarkingFields.initial_from(item))
    form.set_marking_choices([item.owner_org])
    if request.method == "POST" and form.is_valid():
        try:
            share(item, acting_user=request.user, ip=client_ip(request), **form.marking())
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("Who may see it is saved."))
            return redirect(back, pk=item.pk)
    return render(request, template_name, {"form": form, "item": item, "back": back},
                  status=INVALID if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def share(request, pk):
    return share_page(request, visible_training(request, pk), actions.share_training, "training/share.html",
                       "training:detail")


@login_required
@require_POST
def cancel(request, pk):
    training = visible_training(request, pk)
    try:
        actions.cancel_training(training, acting_user=request.user, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The training is cancelled."))
    return redirect("training:detail", pk=training.pk)


# --- seats, attendance, feedback --------------------------------------------------------------


def _registered_message(registration) -> str:
    if registration.status == RegistrationStatus.REGISTERED:
        return _("%(name)s has a seat.") % {"name": registration.person}
    return _("The training is full: %(name)s is on the waiting list.") % {"name": registration.person}


@login_required
@require_POST
def register(request, pk):
    training = visible_training(request, pk)
    try:
        registration = actions.register(training, acting_user=request.user, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _registered_message(registration))
    return redirect("training:detail", pk=training.pk)


@login_required
@require_POST
def register_member(request, pk):
    training = visible_training(request, pk)
    form = RegisterMemberForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            registration = actions.register(training, acting_user=request.user, person=form.cleaned_data["person"],
                                            ip=client_ip(request))
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _registered_message(registration))
            return redirect("training:detail", pk=training.pk)
    return render(request, "training/detail.html", detail_context(request, training, member_form=form), status=INVALID)


def visible_registration(request, pk) -> Registration:
    queryset = Registration.objects.visible_to(viewer_for(request.user)).select_related("training", "person")
    return get_object_or_404(queryset, pk=pk)


@login_required
@require_POST
def cancel_registration(request, pk):
    registration = visible_registration(request, pk)
    try:
        actions.cancel_registration(registration, acting_user=request.user, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The registration is cancelled."))
    return redirect("training:detail", pk=registration.training_id)


@login_required
@require_POST
def attendance(request, pk):
    registration = visible_registration(request, pk)
    actions.require_organiser_of(registration.training, request.user)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the person attended."))
        return redirect("training:detail", pk=registration.training_id)
    try:
        actions.mark_attendance(registration, acting_user=request.user, attended=form.cleaned_data["attended"],
                                ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("training:detail", args=[registration.training_id]) + "#seats")


@login_required
@require_POST
def feedback(request, pk):
    training = visible_training(request, pk)
    registration = Registration.objects.filter(training=training, person=request.user).first()
    if registration is None:
        raise PermissionDenied(_("Only people who attended give feedback."))
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            actions.give_feedback(registration, acting_user=request.user, ip=client_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("training:detail", pk=training.pk)
    return render(request, "training/detail.html", detail_context(request, training, feedback_form=form),
                  status=INVALID)


# --- the calendar feed --------------------------------------------------------------------------


@login_required
@require_GET
def feed_settings(request):
    token = CalendarToken.objects.filter(person=request.user, revoked_at__isnull=True).first()
    return render(request, "training/feed.html", {"token": token})


@login_required
@require_POST
def feed_issue(request):
    row, token = actions.issue_calendar_token(acting_user=request.user, ip=client_ip(request))
    # The one response that shows the address: only its hash is kept.
    url = request.build_absolute_uri(reverse("training:feed", args=[token]))
    return render(request, "training/feed_created.html", {"token": row, "url": url})


@login_required
@require_POST
def feed_revoke(request):
    try:
        actions.revoke_calendar_token(acting_user=request.user, ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your calendar feed address no longer works."))
    return redirect("training:feed_settings")


@require_GET
def calendar_feed(request, token):
    """The person's trainings as iCalendar. A calendar application cannot send a header, so the
    secret travels in the address; it reads this one feed only (nothing else accepts it), is
    read-only, and stops at once when revoked or when the account is deactivated. Unknown and
    revoked tokens get the same 404 as any missing page."""
    row = find_calendar_token(token)
    if row is None:
        raise Http404
    actions.record_feed_use(row)
    body = feed.calendar_for(row.person, lambda training: request.build_absolute_uri(training.get_absolute_url()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
