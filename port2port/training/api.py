"""The training API: trainings and exercises, seats and the waiting list, attendance, feedback,
and awareness campaigns with their participants and reach.

Every read starts from `visible_to(caller)`, so a training or campaign the caller may not see is
a 404 exactly like a missing one; every write is one of `port2port.training.actions`, which
decide who may organise (a refusal is a 403). The calendar feed is not here: it has its own
address with a per-person secret (see views.calendar_feed). Mounted at the root of /api/v1.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from port2port.knowledge.models import Article
from port2port.organisations.models import Organisation, SharingGroup
from port2port.sensors.api import Keyset, visible_or_404

from . import actions
from .models import ACTIVE_STATUSES, Campaign, Feedback, Participation, Registration, RegistrationStatus, Training
from .schemas import (
    AttendanceIn, CampaignIn, CampaignOut, CampaignPatch, FeedbackIn, FeedbackOut, MarkingIn, OrganisationIn,
    ReachIn, RegisterIn, RegistrationOut, TrainingFilters, TrainingIn, TrainingOut, TrainingPage, TrainingPatch,
)

router = Router()

TRAINING_PAGES = Keyset("starts_at", "port2port.training.api.trainings")
MARKING_FIELDS = {"tlp", "audience", "recipient_orgs", "sharing_group"}


def _who(request) -> dict:
    return {"acting_user": request.auth.user, "ip": request.auth.ip}


def _organiser_organisation(request, requested_id: int | None) -> Organisation:
    """The organisation a new training or campaign is for: one the caller (the key, for a key)
    organises for; asked for by id when there are several."""
    viewer = request.auth.viewer
    organised = list(Organisation.objects.filter(pk__in=viewer.org_ids, is_active=True)
                     .filter(pk__in=actions.organisations_organised(request.auth.user)))
    if requested_id is None:
        if len(organised) != 1:
            raise ValidationError({"organisation": _("Say which of your organisations organises this.")})
        return organised[0]
    chosen = next((o for o in organised if o.pk == requested_id), None)
    if chosen is None:
        raise ValidationError({"organisation": _("Choose an organisation you organise trainings for.")})
    return chosen


def _marking(payload: MarkingIn) -> dict:
    """The marking with its recipients looked up; an id naming nothing is a field error."""
    orgs = list(Organisation.objects.filter(pk__in=payload.recipient_orgs))
    if len(orgs) != len(set(payload.recipient_orgs)):
        raise ValidationError({"recipient_orgs": _("One of these organisations does not exist or is no longer active.")})
    group = None
    if payload.sharing_group is not None:
        group = SharingGroup.objects.filter(pk=payload.sharing_group).first()
        if group is None:
            raise ValidationError({"sharing_group": _("Choose a sharing group your organisation belongs to.")})
    return {"tlp": payload.tlp.value, "audience": payload.audience.value, "recipient_orgs": orgs, "sharing_group": group}


def _articles(ids: list[int] | None):
    if ids is None:
        return None
    # The action checks they are visible to the caller; here only the rows are looked up.
    found = list(Article.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"materials": _("One of these articles does not exist or is not shared with you.")})
    return found


# --- trainings ----------------------------------------------------------------------------------


def visible_trainings(request):
    viewer = request.auth.viewer
    mine = Registration.objects.filter(person=request.auth.user, status__in=ACTIVE_STATUSES)
    return (Training.objects.visible_to(viewer).for_list()
            .annotate(seats_taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
                      waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)))
            .prefetch_related("recipient_orgs",
                              Prefetch("materials", queryset=Article.objects.visible_to(viewer).order_by("title"),
                                       to_attr="visible_materials"),
                              Prefetch("registrations", queryset=mine, to_attr="my_registrations")))


def _training(request, training_id: int) -> Training:
    return visible_or_404(visible_trainings(request), training_id)


def _filtered(trainings, filters: TrainingFilters):
    if filters.starts_after:
        trainings = trainings.filter(ends_at__gt=filters.starts_after)
    if filters.starts_before:
        trainings = trainings.filter(starts_at__lt=filters.starts_before)
    if filters.theme:
        trainings = trainings.filter(theme=filters.theme)
    if filters.kind:
        trainings = trainings.filter(kind=filters.kind)
    return trainings


@router.get("/trainings", response=TrainingPage, summary="Trainings and exercises you may see, latest start first")
def list_trainings(request, filters: Query[TrainingFilters]):
    """Pass `next_cursor` back as `cursor` for the next page."""
    return TRAINING_PAGES.page(_filtered(visible_trainings(request), filters), limit=filters.limit, cursor=filters.cursor)


@router.post("/trainings", response={201: TrainingOut}, summary="Announce a training or exercise")
def create_training(request, payload: TrainingIn):
    """Security officers and admins organise in their organisation's name. GREEN or AMBER only."""
    organisation = _organiser_organisation(request, payload.organisation)
    content = payload.model_dump(exclude={"organisation", "materials", *MARKING_FIELDS})
    training = actions.schedule_training(organisation=organisation, marking=_marking(payload),
                                         materials=_articles(payload.materials), **content, **_who(request))
    return Status(201, _training(request, training.pk))


@router.get("/trainings/{int:training_id}", response=TrainingOut, summary="A training")
def read_training(request, training_id: int):
    return _training(request, training_id)


@router.patch("/trainings/{int:training_id}", response=TrainingOut, summary="Change a training")
def change_training(request, training_id: int, payload: TrainingPatch):
    """Fields left out stay as they are. More seats give places to the waiting list at once."""
    training = _training(request, training_id)
    changes = payload.model_dump(exclude_unset=True)
    materials = _articles(changes.pop("materials", None))
    actions.edit_training(training, materials=materials, **changes, **_who(request))
    return _training(request, training.pk)


@router.post("/trainings/{int:training_id}/share", response=TrainingOut, summary="Set who may see and join a training")
def share_training(request, training_id: int, payload: MarkingIn):
    training = _training(request, training_id)
    actions.share_training(training, **_marking(payload), **_who(request))
    return _training(request, training.pk)


@router.post("/trainings/{int:training_id}/cancel", response=TrainingOut, summary="Cancel a training")
def cancel_training(request, training_id: int):
    training = _training(request, training_id)
    actions.cancel_training(training, **_who(request))
    return _training(request, training.pk)


# --- seats ----------------------------------------------------------------------------------------


def visible_registrations(request):
    return Registration.objects.visible_to(request.auth.viewer).select_related("person", "organisation")


@router.get("/trainings/{int:training_id}/registrations", response=list[RegistrationOut],
            summary="Seats at a training: all of them for its organisers, otherwise yours and your organisation's")
def list_registrations(request, training_id: int):
    training = _training(request, training_id)
    return visible_registrations(request).filter(training=training).order_by("queued_at", "pk")


@router.post("/trainings/{int:training_id}/registrations", response={201: RegistrationOut},
             summary="Register for a training (or join its waiting list when it is full)")
def register(request, training_id: int, payload: RegisterIn):
    """Without `person`, you register yourself; an organiser may register a member of their organisation."""
    training = _training(request, training_id)
    person = None
    if payload.person is not None:
        person = get_user_model().objects.filter(pk=payload.person, is_active=True).first()
        if person is None:
            raise ValidationError({"person": _("This training is not open to this person.")})
    registration = actions.register(training, person=person, **_who(request))
    return Status(201, visible_registrations(request).get(pk=registration.pk))


def _registration(request, registration_id: int) -> Registration:
    return visible_or_404(visible_registrations(request).select_related("training"), registration_id)


@router.post("/training-registrations/{int:registration_id}/cancel", response=RegistrationOut,
             summary="Cancel a registration; the first person waiting gets the seat")
def cancel_registration(request, registration_id: int):
    registration = _registration(request, registration_id)
    actions.cancel_registration(registration, **_who(request))
    return visible_registrations(request).get(pk=registration.pk)


@router.post("/training-registrations/{int:registration_id}/attendance", response=RegistrationOut,
             summary="Record whether a seat holder attended (organisers, after the start)")
def mark_attendance(request, registration_id: int, payload: AttendanceIn):
    registration = _registration(request, registration_id)
    actions.mark_attendance(registration, attended=payload.attended, **_who(request))
    return visible_registrations(request).get(pk=registration.pk)


# --- feedback -----------------------------------------------------------------------------------


@router.get("/trainings/{int:training_id}/feedback", response=list[FeedbackOut],
            summary="Feedback on a training: all of it for its organisers, otherwise your own")
def list_feedback(request, training_id: int):
    training = _training(request, training_id)
    return (Feedback.objects.visible_to(request.auth.viewer).filter(registration__training=training)
            .order_by("-created_at", "-pk"))


@router.put("/trainings/{int:training_id}/feedback", response=FeedbackOut, summary="Give your feedback (attendees)")
def give_feedback(request, training_id: int, payload: FeedbackIn):
    """A rating from 1 to 5 and a comment; giving it again replaces it."""
    training = _training(request, training_id)
    registration = Registration.objects.filter(training=training, person=request.auth.user).first()
    if registration is None:
        raise PermissionDenied(_("Only people who attended give feedback."))
    return actions.give_feedback(registration, rating=payload.rating, comment=payload.comment, **_who(request))


# --- campaigns ----------------------------------------------------------------------------------


def visible_campaigns(request):
    viewer = request.auth.viewer
    participations = Participation.objects.select_related("organisation").order_by("organisation__name")
    return (Campaign.objects.visible_to(viewer).for_list()
            .prefetch_related("recipient_orgs", Prefetch("participations", queryset=participations),
                              Prefetch("materials", queryset=Article.objects.visible_to(viewer).order_by("title"),
                                       to_attr="visible_materials")))


def _campaign(request, campaign_id: int) -> Campaign:
    return visible_or_404(visible_campaigns(request), campaign_id)


@router.get("/awareness-campaigns", response=list[CampaignOut], summary="Awareness campaigns you may see, newest first")
def list_campaigns(request):
    return visible_campaigns(request).order_by("-starts_on", "-pk")


@router.post("/awareness-campaigns", response={201: CampaignOut}, summary="Launch an awareness campaign")
def create_campaign(request, payload: CampaignIn):
    organisation = _organiser_organisation(request, payload.organisation)
    content = payload.model_dump(exclude={"organisation", "materials", *MARKING_FIELDS})
    campaign = actions.launch_campaign(organisation=organisation, marking=_marking(payload),
                                       materials=_articles(payload.materials), **content, **_who(request))
    return Status(201, _campaign(request, campaign.pk))


@router.get("/awareness-campaigns/{int:campaign_id}", response=CampaignOut, summary="An awareness campaign")
def read_campaign(request, campaign_id: int):
    return _campaign(request, campaign_id)


@router.patch("/awareness-campaigns/{int:campaign_id}", response=CampaignOut, summary="Change a campaign")
def change_campaign(request, campaign_id: int, payload: CampaignPatch):
    campaign = _campaign(request, campaign_id)
    changes = payload.model_dump(exclude_unset=True)
    materials = _articles(changes.pop("materials", None))
    actions.edit_campaign(campaign, materials=materials, **changes, **_who(request))
    return _campaign(request, campaign.pk)


@router.post("/awareness-campaigns/{int:campaign_id}/share", response=CampaignOut,
             summary="Set who may see and join a campaign")
def share_campaign(request, campaign_id: int, payload: MarkingIn):
    campaign = _campaign(request, campaign_id)
    actions.share_campaign(campaign, **_marking(payload), **_who(request))
    return _campaign(request, campaign.pk)


def _own_organisation(request, requested_id: int | None) -> Organisation:
    try:
        return _organiser_organisation(request, requested_id)
    except ValidationError:
        raise ValidationError({"organisation": _("Choose an organisation you organise trainings for.")}) from None


@router.post("/awareness-campaigns/{int:campaign_id}/participants", response={201: CampaignOut},
             summary="Your organisation takes part in a campaign")
def join_campaign(request, campaign_id: int, payload: OrganisationIn):
    campaign = _campaign(request, campaign_id)
    actions.join_campaign(campaign, organisation=_own_organisation(request, payload.organisation), **_who(request))
    return Status(201, _campaign(request, campaign.pk))


@router.delete("/awareness-campaigns/{int:campaign_id}/participants/{int:organisation_id}", response=CampaignOut,
               summary="Your organisation leaves a campaign (its reported reach stays in the totals)")
def leave_campaign(request, campaign_id: int, organisation_id: int):
    campaign = _campaign(request, campaign_id)
    if organisation_id not in request.auth.viewer.org_ids:
        raise Http404
    actions.leave_campaign(campaign, organisation=_own_organisation(request, organisation_id), **_who(request))
    return _campaign(request, campaign.pk)


@router.put("/awareness-campaigns/{int:campaign_id}/participants/{int:organisation_id}/reach", response=CampaignOut,
            summary="Report your organisation's reach: people reached and sessions held, as running totals")
def report_reach(request, campaign_id: int, organisation_id: int, payload: ReachIn):
    campaign = _campaign(request, campaign_id)
    if organisation_id not in request.auth.viewer.org_ids:
        raise Http404
    actions.report_reach(campaign, organisation=_own_organisation(request, organisation_id),
                         people_reached=payload.people_reached, sessions_held=payload.sessions_held, **_who(request))
    return _campaign(request, campaign.pk)
