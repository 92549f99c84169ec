"""Working-group pages: the list of working groups, a group's space, its meetings with their
decisions and action items, a meeting's calendar file, and the owner's and coordinator's
settings (coordinator, delegates).

Thin, like every page: read through `visible_to`, check the input with a form, call one action,
render. A space, meeting or action of a group one's organisation is not in is a 404, exactly like
a missing one; a member who may see but not run the group gets the page without the controls,
and a 403 if they post anyway.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from port2port.core.permissions import Permission
from port2port.core.views import client_ip
from port2port.knowledge.markdown import render as render_markdown
from port2port.organisations.actions import require_org_permission
from port2port.organisations.models import SharingGroup, viewer_for
from port2port.reports.forms import organisations_where
from port2port.sensors.views import INVALID

from . import actions, calendar
from .forms import ActionItemForm, CoordinatorForm, DecisionForm, DelegateForm, MeetingForm
from .models import ActionItem, ActionStatus, Decision, Meeting, WorkingGroup
from .space import space_of


def visible_group(viewer, pk) -> WorkingGroup:
    return get_object_or_404(WorkingGroup.objects.visible_to(viewer).select_related("owner", "coordinator"), pk=pk)


def visible_meeting(viewer, pk) -> Meeting:
    queryset = Meeting.objects.visible_to(viewer).select_related("group", "group__owner", "group__coordinator")
    return get_object_or_404(queryset, pk=pk)


def _message_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- The list and the space ----------------------------------------------------------------------

@login_required
@require_GET
def index(request):
    viewer = viewer_for(request.user)
    now = timezone.now()
    mine = (WorkingGroup.objects.visible_to(viewer).select_related("owner", "coordinator")
            .annotate(upcoming=Count("meetings", filter=Q(meetings__starts_at__gte=now), distinct=True),
                      members_count=Count("members", distinct=True)))
    others = (WorkingGroup.objects.listed_for(viewer).exclude(pk__in=viewer.group_ids)
              .select_related("owner", "coordinator"))
    managed = (SharingGroup.objects.filter(owner__in=organisations_where(request.user, Permission.GROUPS_MANAGE))
               .select_related("coordinator").order_by("name"))
    return render(request, "workinggroups/index.html", {"mine": mine, "others": others, "managed": managed})


@login_required
@require_GET
def space(request, pk):
    viewer = viewer_for(request.user)
    group = visible_group(viewer, pk)
    return render(request, "workinggroups/space.html", space_context(request, viewer, group))


def space_context(request, viewer, group, *, delegate_form=None) -> dict:
    space = space_of(group, viewer)
    can_run = actions.runs(request.user, group)
    context = {
        "space": space, "group": group, "can_run": can_run, "today": timezone.localdate(),
        "is_coordinator": actions.is_coordinator(request.user, group),
        "can_manage": organisations_where(request.user, Permission.GROUPS_MANAGE).filter(pk=group.owner_id).exists(),
        "markable": _markable(request.user, can_run, space.open_actions),
    }
    if context["is_coordinator"]:
        context["delegate_form"] = delegate_form or DelegateForm(group=group)
    return context


def _markable(user, can_run: bool, items) -> set:
    """Actions this person may mark: all for the coordinator and delegates, their own otherwise
    (the action checks again)."""
    return {item.pk for item in items if can_run or item.owner_id == user.pk}


# --- The owner's settings: the coordinator -------------------------------------------------------

def _owned_group(request, pk) -> SharingGroup:
    """A sharing group the person's organisation sits in (404 otherwise) that one of their
    organisations owns and they manage (403 otherwise)."""
    viewer = viewer_for(request.user)
    group = get_object_or_404(SharingGroup.objects.filter(pk__in=viewer.group_ids).select_related("owner", "coordinator"), pk=pk)
    require_org_permission(request.user, group.owner, Permission.GROUPS_MANAGE)
    return group


@login_required
@require_http_methods(["GET", "POST"])
def coordinator(request, pk):
    group = _owned_group(request, pk)
    form = CoordinatorForm(request.POST or None, group=group, initial={"coordinator": group.coordinator_id})
    if request.method == "POST" and form.is_valid():
        try:
            actions.appoint_coordinator(group, acting_user=request.user, coordinator=form.cleaned_data["coordinator"],
                                        ip=client_ip(request))
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("%(name)s coordinates the working group.") % {"name": form.cleaned_data["coordinator"]})
            return redirect("workinggroups:space", pk=group.pk)
    return render(request, "workinggroups/coordinator.html", {"group": group, "form": form},
                  status=INVALID if form.is_bound else 200)


@login_required
@require_POST
def stop(request, pk):
    group = _owned_group(request, pk)
    try:
        actions.stop_working_group(group, acting_user=request.user, ip=client_ip(request))
    except ValidationError as error:
        _message_errors(request, error)
    else:
        messages.success(request, _("“%(name)s” is a plain sharing group again.") % {"name": group.name})
    return redirect("workinggroups:index")


# --- The coordinator's settings: delegates -------------------------------------------------------

@login_required
@require_POST
def delegate_add(request, pk):
    viewer = viewer_for(request.user)
    group = visible_group(viewer, pk)
    actions.require_coordinator(request.user, group)
    form = DelegateForm(request.POST, group=group)
    if form.is_valid():
        try:
            actions.name_delegate(group, acting_user=request.user, person=form.cleaned_data["person"], ip=client_ip(request))
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("%(name)s may now prepare meetings and write minutes.") % {"name": form.cleaned_data["person"]})
            return redirect("workinggroups:space", pk=group.pk)
    return render(request, "workinggroups/space.html", space_context(request, viewer, group, delegate_form=form),
                  status=INVALID)


@login_required
@require_POST
def delegate_remove(request, pk, user_pk):
    viewer = viewer_for(request.user)
    group = visible_group(viewer, pk)
    actions.require_coordinator(request.user, group)
    person = get_object_or_404(get_user_model(), pk=user_pk, pk__in=group.delegates.values("user_id"))
    actions.remove_delegate(group, acting_user=request.user, person=person, ip=client_ip(request))
    messages.success(request, _("%(name)s is no longer a delegate.") % {"name": person})
    return redirect("workinggroups:space", pk=group.pk)


# --- Meetings ------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk):
    group = visible_group(viewer_for(request.user), pk)
    actions.require_runner(request.user, group)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.plan_meeting(group, acting_user=request.user, ip=client_ip(request), **form.values())
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The meeting “%(title)s” is planned.") % {"title": meeting.title})
            return redirect("workinggroups:meeting", pk=meeting.pk)
    return render(request, "workinggroups/meeting_form.html", {"group": group, "form": form, "creating": True},
                  status=INVALID if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = visible_meeting(viewer_for(request.user), pk)
    actions.require_runner(request.user, meeting.group)
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                actions.edit_meeting(meeting, acting_user=request.user, ip=client_ip(request), **form.values())
            except ValidationError as error:
                form.add_action_error(error)
            else:
                messages.success(request, _("The meeting is saved."))
                return redirect("workinggroups:meeting", pk=meeting.pk)
        meeting.refresh_from_db()  # the action set the refused values on this instance
    else:
        form = MeetingForm(initial=MeetingForm.initial_from(meeting))
    return render(request, "workinggroups/meeting_form.html",
                  {"group": meeting.group, "meeting": meeting, "form": form, "creating": False},
                  status=INVALID if form.is_bound else 200)


def meeting_context(request, viewer, meeting, **forms) -> dict:
    group = meeting.group
    can_run = actions.runs(request.user, group)
    items = list(ActionItem.objects.visible_to(viewer).filter(meeting=meeting).select_related("owner"))
    context = {
        "meeting": meeting, "group": group, "can_run": can_run, "today": timezone.localdate(),
        "agenda_html": render_markdown(meeting.agenda) if meeting.agenda else "",
        "minutes_html": render_markdown(meeting.minutes) if meeting.minutes else "",
        "decisions": Decision.objects.visible_to(viewer).filter(meeting=meeting).order_by("decided_on", "pk"),
        "action_items": items,
        "markable": _markable(request.user, can_run, items),
    }
    if can_run:
        context["decision_form"] = forms.get("decision_form") or DecisionForm()
        context["action_form"] = forms.get("action_form") or ActionItemForm(group=group)
    return context


@login_required
@require_GET
def meeting_detail(request, pk):
    viewer = viewer_for(request.user)
    meeting = visible_meeting(viewer, pk)
    return render(request, "workinggroups/meeting_detail.html", meeting_context(request, viewer, meeting))


@login_required
@require_GET
def meeting_ics(request, pk):
    meeting = visible_meeting(viewer_for(request.user), pk)
    return calendar.ics_response(meeting, request.build_absolute_uri(meeting_url(meeting)))


def meeting_url(meeting) -> str:
    return reverse("workinggroups:meeting", args=[meeting.pk])


# --- Decisions and action items ------------------------------------------------------------------

@login_required
@require_POST
def decision_add(request, pk):
    viewer = viewer_for(request.user)
    meeting = visible_meeting(viewer, pk)
    actions.require_runner(request.user, meeting.group)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            actions.record_decision(meeting, acting_user=request.user, ip=client_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("workinggroups:meeting", pk=meeting.pk)
    context = meeting_context(request, viewer, meeting, decision_form=form)
    return render(request, "workinggroups/meeting_detail.html", context, status=INVALID)


@login_required
@require_POST
def action_add(request, pk):
    viewer = viewer_for(request.user)
    meeting = visible_meeting(viewer, pk)
    actions.require_runner(request.user, meeting.group)
    form = ActionItemForm(request.POST, group=meeting.group)
    if form.is_valid():
        try:
            actions.assign_action_item(meeting, acting_user=request.user, ip=client_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The action is recorded."))
            return redirect("workinggroups:meeting", pk=meeting.pk)
    context = meeting_context(request, viewer, meeting, action_form=form)
    return render(request, "workinggroups/meeting_detail.html", context, status=INVALID)


@login_required
@require_POST
def action_mark(request, pk):
    queryset = ActionItem.objects.visible_to(viewer_for(request.user)).select_related("meeting", "meeting__group")
    item = get_object_or_404(queryset, pk=pk)
    done = request.POST.get("status", ActionStatus.DONE) == ActionStatus.DONE
    actions.mark_action_item(item, acting_user=request.user, done=done, ip=client_ip(request))
    messages.success(request, _("The action is marked done.") if done else _("The action is open again."))
    back = request.POST.get("back")
    if back == "space":
        return redirect("workinggroups:space", pk=item.meeting.group_id)
    return redirect("workinggroups:meeting", pk=item.meeting_id)
