"""Awareness campaign pages: the list, one campaign with its participants and their reach,
launching, editing and sharing one, and an organisation joining, leaving or reporting reach.

Thin, like every training page (see views.py): read through `visible_to`, check the input with
a form, call one action, render; a campaign the person may not read is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from port2port.core.views import client_ip
from port2port.knowledge.models import Article
from port2port.organisations.models import viewer_for

from . import actions
from .forms import CampaignForm, NewCampaignForm, OrganisationForm, ReachForm, organised_organisations
from .models import Campaign, Participation
from .views import INVALID, share_page


def _with_reach(campaigns):
    current = Q(participations__left_at__isnull=True)
    return campaigns.annotate(
        participants=Count("participations", filter=current, distinct=True),
        people_reached=Sum("participations__people_reached"), sessions_held=Sum("participations__sessions_held"))


@login_required
@require_GET
def campaigns(request):
    visible = Campaign.objects.visible_to(viewer_for(request.user)).for_list()
    return render(request, "training/campaigns.html", {
        "campaigns": _with_reach(visible).order_by("-starts_on", "-pk"),
        "can_organise": organised_organisations(request.user).exists(), "today": timezone.localdate(),
    })


def visible_campaign(request, pk) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(viewer_for(request.user)).for_list(), pk=pk)


@login_required
@require_GET
def campaign_detail(request, pk):
    campaign = visible_campaign(request, pk)
    return render(request, "training/campaign.html", campaign_context(request, campaign))


def campaign_context(request, campaign, **forms) -> dict:
    viewer = viewer_for(request.user)
    participations = list(Participation.objects.visible_to(viewer).filter(campaign=campaign)
                          .select_related("organisation").order_by("left_at", "organisation__name"))
    organised = list(organised_organisations(request.user))
    taking_part = {p.organisation_id for p in participations if p.left_at is None}
    return {
        "campaign": campaign, "participations": participations,
        "people_reached": sum(p.people_reached for p in participations),
        "sessions_held": sum(p.sessions_held for p in participations),
        "organiser": actions.organises(request.user, campaign),
        "may_join": [o for o in organised if o.pk not in taking_part],
        "may_report": [o for o in organised if o.pk in taking_part],
        "materials": Article.objects.visible_to(viewer).filter(pk__in=campaign.materials.values("pk")).order_by("title"),
        "reach_form": forms.get("reach_form") or ReachForm(user=request.user),
    }


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    organisations = list(organised_organisations(request.user))
    if not organisations:
        raise PermissionDenied(_("Your role does not allow organising campaigns."))
    form = NewCampaignForm(request.POST or None, user=request.user, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = actions.launch_campaign(
                acting_user=request.user, organisation=form.chosen_organisation(), marking=form.marking(),
                materials=form.cleaned_data["materials"], ip=client_ip(request), **form.content())
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The campaign is launched."))
            return redirect("training:campaign", pk=campaign.pk)
    return render(request, "training/campaign_form.html", {"form": form, "creating": True},
                  status=INVALID if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk):
    campaign = visible_campaign(request, pk)
    actions.require_organiser_of(campaign, request.user)
    form = CampaignForm(request.POST or None, initial=CampaignForm.initial_from(campaign), user=request.user,
                        current_materials=list(campaign.materials.all()))
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_campaign(campaign, acting_user=request.user, materials=form.cleaned_data["materials"],
                                  ip=client_ip(request), **form.content())
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("training:campaign", pk=campaign.pk)
    return render(request, "training/campaign_form.html", {"form": form, "creating": False, "campaign": campaign},
                  status=INVALID if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_share(request, pk):
    return share_page(request, visible_campaign(request, pk), actions.share_campaign, "training/share.html",
                       "training:campaign")


def _participation_change(request, pk, change, done: str):
    campaign = visible_campaign(request, pk)
    form = OrganisationForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose one of the organisations you organise for."))
        return redirect("training:campaign", pk=campaign.pk)
    try:
        change(campaign, acting_user=request.user, organisation=form.cleaned_data["organisation"], ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("training:campaign", pk=campaign.pk)


@login_required
@require_POST
def campaign_join(request, pk):
    return _participation_change(request, pk, actions.join_campaign, _("Your organisation takes part in the campaign."))


@login_required
@require_POST
def campaign_leave(request, pk):
    return _participation_change(request, pk, actions.leave_campaign, _("Your organisation left the campaign."))


@login_required
@require_POST
def campaign_reach(request, pk):
    campaign = visible_campaign(request, pk)
    form = ReachForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            actions.report_reach(campaign, acting_user=request.user, ip=client_ip(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_action_error(error)
        else:
            messages.success(request, _("The reach figures are saved."))
            return redirect("training:campaign", pk=campaign.pk)
    return render(request, "training/campaign.html", campaign_context(request, campaign, reach_form=form),
                  status=INVALID)
