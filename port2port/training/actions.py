"""Every write to trainings, seats, attendance, feedback, campaigns and calendar tokens is one of
these named actions: validated, in a transaction, audited.

Callers pass a training or campaign they found through `visible_to`, so "may not see" is
already a 404; an action raises PermissionDenied (a 403) for people who may see but not change.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from port2port.core import audit
from port2port.core.permissions import ROLE_PERMISSIONS, Permission
from port2port.core.sharing import Audience, Tlp, is_loosening
from port2port.knowledge.models import Article
from port2port.organisations.models import Membership, Organisation, SharingGroup, viewer_for_organisation

from .models import (
    ACTIVE_STATUSES, AUDIENCES, LABELS, Attendance, CalendarToken, Campaign, Feedback, Participation, Registration,
    RegistrationStatus, Training,
)

TRAINING_FIELDS = ["kind", "title", "theme", "description", "starts_at", "ends_at", "place", "online_url", "capacity"]
CAMPAIGN_FIELDS = ["title", "theme", "description", "starts_on", "ends_on"]
# Changing these moves the event in people's calendars: the iCalendar SEQUENCE goes up.
SCHEDULE_FIELDS = {"starts_at", "ends_at", "place", "online_url", "title"}


# --- who may act ------------------------------------------------------------------------------


def organiser_membership(user, organisation: Organisation) -> Membership:
    """The caller's membership that lets them organise in `organisation`'s name, or 403."""
    membership = Membership.objects.active().filter(user=user, organisation=organisation).first()
    if membership is None or not membership.grants(Permission.TRAINING_ORGANISE):
        raise PermissionDenied(_("Your role in this organisation does not allow organising trainings."))
    return membership


def organisations_organised(user):
    """Ids of the organisations in whose name `user` organises trainings and campaigns."""
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if Permission.TRAINING_ORGANISE in granted]
    return Membership.objects.active().filter(user=user, role__in=roles).values("organisation_id")


def organises(user, item) -> bool:
    """True when `user` may change this training or campaign (an organiser of its organisation,
    or its author while still a member there)."""
    return type(item).objects.editable_by(user).filter(pk=item.pk).exists()


def require_organiser_of(item, user) -> None:
    if not organises(user, item):
        raise PermissionDenied(_("You may see this but not change it."))


# --- the marking ------------------------------------------------------------------------------


def _checked_marking(owner: Organisation, *, tlp=Tlp.GREEN, audience=Audience.NETWORK, recipient_orgs=(),
                     sharing_group: SharingGroup | None = None) -> dict:
    """GREEN or AMBER, to the owner, named organisations, a group of the owner or the network."""
    if tlp not in LABELS:
        raise ValidationError({"tlp": _("A training or campaign is TLP:GREEN or TLP:AMBER.")})
    if audience not in AUDIENCES:
        raise ValidationError({"audience": _("Choose your organisation, named organisations, a sharing group or the whole network.")})
    orgs = list(recipient_orgs) if audience == Audience.ORGANISATIONS else []
    if audience == Audience.ORGANISATIONS and not orgs:
        raise ValidationError({"recipient_orgs": _("Name at least one organisation.")})
    if any(not org.is_active for org in orgs):
        raise ValidationError({"recipient_orgs": _("One of these organisations is no longer active.")})
    group = sharing_group if audience == Audience.GROUP else None
    if audience == Audience.GROUP and (group is None or not group.members.filter(pk=owner.pk).exists()):
        raise ValidationError({"sharing_group": _("Choose a sharing group your organisation belongs to.")})
    if audience == Audience.NETWORK and not owner.is_network_member:
        raise ValidationError({"audience": _("Your organisation is not a member of the network.")})
    return {"tlp": tlp, "audience": audience, "orgs": orgs, "sharing_group": group}


def _apply_marking(item, marking: dict) -> None:
    item.tlp, item.audience, item.sharing_group = marking["tlp"], marking["audience"], marking["sharing_group"]


def _visible_materials(acting_user, articles, item=None) -> list[Article]:
    """Only articles the organiser may read themselves can be attached as materials. Materials
    of `item` the organiser cannot read stay attached: they never saw them to drop them."""
    wanted = {article.pk for article in articles}
    readable = Article.objects.visible_to(acting_user)
    found = list(readable.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"materials": _("One of these articles does not exist or is not shared with you.")})
    if item is not None:
        found += list(item.materials.exclude(pk__in=readable.values("pk")))
    return found


def _fields_only(content: dict, allowed: list[str]) -> dict:
    unknown = set(content) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in sorted(unknown)})
    return content


def _clean_text(content: dict) -> dict:
    return {name: value.strip() if isinstance(value, str) else value for name, value in content.items()}


def _audit(action: str, item, acting_user, ip, detail=None, organisation_id=None) -> None:
    owner_id = item.owner_org_id
    audit.record(action, actor=acting_user, organisation_id=organisation_id or owner_id, target=item,
                 subject_organisation_id=owner_id, detail=detail or {}, ip=ip)


def _marking_detail(before: dict, marking: dict) -> dict:
    return {
        "from": before, "to": {"tlp": marking["tlp"], "audience": marking["audience"]},
        "loosened": is_loosening(before["tlp"], before["audience"], marking["tlp"], marking["audience"]),
        "organisations": sorted(org.pk for org in marking["orgs"]),
        "group": marking["sharing_group"].pk if marking["sharing_group"] else None,
    }


# --- trainings --------------------------------------------------------------------------------


@transaction.atomic
def schedule_training(*, acting_user, organisation: Organisation, marking: dict | None = None, materials=(),
                      ip: str | None = None, **content) -> Training:
    """Announce a training or exercise in `organisation`'s name; it reaches its audience at once."""
    organiser_membership(acting_user, organisation)
    training = Training(owner_org=organisation, author=acting_user, status="shared",
                        **_clean_text(_fields_only(content, TRAINING_FIELDS)))
    checked = _checked_marking(organisation, **(marking or {}))
    _apply_marking(training, checked)
    training.full_clean(exclude=["recipient_orgs", "recipient_people", "materials"])
    articles = _visible_materials(acting_user, materials)
    training.save()
    training.recipient_orgs.set(checked["orgs"])
    training.materials.set(articles)
    _audit("training.training.create", training, acting_user, ip,
           {"tlp": training.tlp, "audience": training.audience, "capacity": training.capacity})
    return training


@transaction.atomic
def edit_training(training: Training, *, acting_user, materials=None, ip: str | None = None, **changes) -> Training:
    """Change what a training is, when and where, its seats and materials. The marking stays."""
    require_organiser_of(training, acting_user)
    training = Training.objects.select_for_update().get(pk=training.pk)
    changes = _clean_text(_fields_only(changes, TRAINING_FIELDS))
    before = {name: getattr(training, name) for name in changes}
    for name, value in changes.items():
        setattr(training, name, value)
    training.full_clean(exclude=["recipient_orgs", "recipient_people", "materials"])
    _check_capacity(training)
    changed = sorted(name for name in changes if getattr(training, name) != before[name])
    if SCHEDULE_FIELDS & set(changed):
        training.sequence += 1
    training.save()
    if materials is not None:
        training.materials.set(_visible_materials(acting_user, materials, training))
        changed.append("materials")
    promoted = _fill_free_seats(training)
    _audit("training.training.edit", training, acting_user, ip, {"fields": changed, "promoted": promoted})
    return training


def _check_capacity(training: Training) -> None:
    taken = training.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    if training.capacity < taken:
        raise ValidationError({"capacity": _("%(count)d people already hold a seat; cancel seats before lowering the number.")
                               % {"count": taken}})


@transaction.atomic
def share_training(training: Training, *, acting_user, ip: str | None = None, **marking) -> Training:
    """Set who may see and join the training, and under which label: the one way to widen it."""
    require_organiser_of(training, acting_user)
    return _share(training, acting_user, ip, marking, "training.training.share")


def _share(item, acting_user, ip, marking: dict, action: str):
    checked = _checked_marking(item.owner_org, **marking)
    before = {"tlp": item.tlp, "audience": item.audience}
    _apply_marking(item, checked)
    item.full_clean(exclude=["recipient_orgs", "recipient_people", "materials"])
    item.save()
    item.recipient_orgs.set(checked["orgs"])
    _audit(action, item, acting_user, ip, _marking_detail(before, checked))
    return item


@transaction.atomic
def cancel_training(training: Training, *, acting_user, ip: str | None = None) -> Training:
    """Call a training off. Seats stay on record; calendars show it as cancelled."""
    require_organiser_of(training, acting_user)
    if training.is_cancelled:
        raise ValidationError({"status": _("This training is already cancelled.")})
    training.cancelled_at = timezone.now()
    training.sequence += 1
    training.save(update_fields=["cancelled_at", "sequence", "updated_at"])
    _audit("training.training.cancel", training, acting_user, ip)
    return training


# --- seats and the waiting list ---------------------------------------------------------------


@transaction.atomic
def register(training: Training, *, acting_user, person=None, ip: str | None = None) -> Registration:
    """Take a seat at a training, or a place on its waiting list when it is full. A person
    registers themself; an organiser of one of their organisations may register them too."""
    person = person or acting_user
    organisation = _registering_organisation(training, acting_user, person)
    training = Training.objects.select_for_update().get(pk=training.pk)  # one seat-taker at a time
    _check_open(training)
    registration = Registration.objects.filter(training=training, person=person).first()
    if registration is not None and registration.status in ACTIVE_STATUSES:
        raise ValidationError({"person": _("This person is already registered for this training.")})
    registration = registration or Registration(training=training, person=person)
    registration.organisation, registration.registered_by = organisation, acting_user
    registration.status = RegistrationStatus.REGISTERED if _free_seats(training) > 0 else RegistrationStatus.WAITING
    registration.queued_at, registration.cancelled_at = timezone.now(), None
    registration.attendance, registration.attendance_marked_at = Attendance.UNKNOWN, None
    registration.full_clean(exclude=["training", "person"])
    registration.save()
    audit.record("training.registration.create", actor=acting_user, organisation_id=organisation.pk, target=training,
                 subject_organisation_id=training.owner_org_id,
                 detail={"registration": registration.pk, "person": person.pk, "status": registration.status}, ip=ip)
    return registration


def _registering_organisation(training: Training, acting_user, person) -> Organisation:
    """The organisation the seat is for: one of the person's that the training reaches (read
    through the rule). Registering someone else takes an organiser role in that organisation."""
    memberships = list(Membership.objects.active().filter(user=person).select_related("organisation")
                       .order_by("organisation__name"))
    if person != acting_user:
        # Someone outside the organisations you organise for gets the same answer as an unknown
        # id (a 403 here would tell the caller which account ids exist).
        memberships = [m for m in memberships if _organises_in(acting_user, m.organisation)]
    for membership in memberships:
        reached = Training.objects.visible_to(viewer_for_organisation(membership.organisation))
        if reached.filter(pk=training.pk).exists():
            return membership.organisation
    # The same words whether the person exists or not: registering is no account directory.
    raise ValidationError({"person": _("This training is not open to this person.")})


def _organises_in(user, organisation: Organisation) -> bool:
    membership = Membership.objects.active().filter(user=user, organisation=organisation).first()
    return membership is not None and membership.grants(Permission.TRAINING_ORGANISE)


def _check_open(training: Training) -> None:
    if training.is_cancelled:
        raise ValidationError({"training": _("This training is cancelled.")})
    if training.starts_at <= timezone.now():
        raise ValidationError({"training": _("This training has started; registration is closed.")})


def _free_seats(training: Training) -> int:
    return training.capacity - training.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _fill_free_seats(training: Training) -> list[int]:
    """Give free seats to the first people waiting, in the order they queued."""
    free = _free_seats(training)
    if free <= 0 or training.starts_at <= timezone.now():
        return []
    waiting = list(training.registrations.filter(status=RegistrationStatus.WAITING).queue_order()[:free])
    for registration in waiting:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status"])
    return [registration.pk for registration in waiting]


@transaction.atomic
def cancel_registration(registration: Registration, *, acting_user, ip: str | None = None) -> Registration:
    """Give up a seat or a waiting place. A freed seat goes to the first person waiting."""
    training = Training.objects.select_for_update().get(pk=registration.training_id)
    _require_may_change_seat(registration, training, acting_user)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError({"status": _("This registration is already cancelled.")})
    if training.starts_at <= timezone.now():
        raise ValidationError({"status": _("The training has started; the organiser records attendance instead.")})
    registration.status, registration.cancelled_at = RegistrationStatus.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    promoted = _fill_free_seats(training)
    audit.record("training.registration.cancel", actor=acting_user, organisation_id=registration.organisation_id,
                 target=training, subject_organisation_id=training.owner_org_id,
                 detail={"registration": registration.pk, "promoted": promoted}, ip=ip)
    return registration


def _require_may_change_seat(registration: Registration, training: Training, user) -> None:
    if registration.person_id == user.pk or organises(user, training):
        return
    if _organises_in(user, registration.organisation):
        return
    raise PermissionDenied(_("You may see this registration but not change it."))


@transaction.atomic
def mark_attendance(registration: Registration, *, acting_user, attended: bool, ip: str | None = None) -> Registration:
    """The organiser records, once the training has started, whether a seat holder came."""
    training = Training.objects.get(pk=registration.training_id)  # its time now, not when the seat was taken
    require_organiser_of(training, acting_user)
    if training.starts_at > timezone.now():
        raise ValidationError({"attendance": _("Attendance is recorded once the training has started.")})
    if registration.status != RegistrationStatus.REGISTERED:
        raise ValidationError({"attendance": _("Only people who held a seat can be marked present or absent.")})
    registration.attendance = Attendance.ATTENDED if attended else Attendance.NO_SHOW
    registration.attendance_marked_at = timezone.now()
    registration.save(update_fields=["attendance", "attendance_marked_at"])
    _audit("training.attendance.mark", training, acting_user, ip,
           {"registration": registration.pk, "attendance": registration.attendance})
    return registration


@transaction.atomic
def give_feedback(registration: Registration, *, acting_user, rating, comment: str = "",
                  ip: str | None = None) -> Feedback:
    """An attendee rates the training (1 to 5) and may say why; giving it again replaces it."""
    if registration.person_id != acting_user.pk:
        raise PermissionDenied(_("Only the attendee gives feedback on their own seat."))
    if registration.attendance != Attendance.ATTENDED:
        raise PermissionDenied(_("Only people who attended give feedback."))
    feedback = Feedback.objects.filter(registration=registration).first() or Feedback(registration=registration)
    feedback.rating, feedback.comment = rating, (comment or "").strip()
    feedback.full_clean(exclude=["registration"])
    feedback.save()
    training = registration.training
    audit.record("training.feedback.give", actor=acting_user, organisation_id=registration.organisation_id,
                 target=training, subject_organisation_id=training.owner_org_id,
                 detail={"feedback": feedback.pk, "rating": feedback.rating}, ip=ip)
    return feedback


# --- awareness campaigns ----------------------------------------------------------------------


@transaction.atomic
def launch_campaign(*, acting_user, organisation: Organisation, marking: dict | None = None, materials=(),
                    ip: str | None = None, **content) -> Campaign:
    """Start an awareness campaign; the launching organisation takes part from the start."""
    organiser_membership(acting_user, organisation)
    campaign = Campaign(owner_org=organisation, author=acting_user, status="shared",
                        **_clean_text(_fields_only(content, CAMPAIGN_FIELDS)))
    checked = _checked_marking(organisation, **(marking or {}))
    _apply_marking(campaign, checked)
    campaign.full_clean(exclude=["recipient_orgs", "recipient_people", "materials"])
    articles = _visible_materials(acting_user, materials)
    campaign.save()
    campaign.recipient_orgs.set(checked["orgs"])
    campaign.materials.set(articles)
    Participation.objects.create(campaign=campaign, organisation=organisation, joined_by=acting_user,
                                 joined_at=timezone.now())
    _audit("training.campaign.create", campaign, acting_user, ip, {"tlp": campaign.tlp, "audience": campaign.audience})
    return campaign


@transaction.atomic
def edit_campaign(campaign: Campaign, *, acting_user, materials=None, ip: str | None = None, **changes) -> Campaign:
    require_organiser_of(campaign, acting_user)
    changes = _clean_text(_fields_only(changes, CAMPAIGN_FIELDS))
    for name, value in changes.items():
        setattr(campaign, name, value)
    campaign.full_clean(exclude=["recipient_orgs", "recipient_people", "materials"])
    campaign.save()
    if materials is not None:
        campaign.materials.set(_visible_materials(acting_user, materials, campaign))
    _audit("training.campaign.edit", campaign, acting_user, ip,
           {"fields": sorted(changes) + (["materials"] if materials is not None else [])})
    return campaign


@transaction.atomic
def share_campaign(campaign: Campaign, *, acting_user, ip: str | None = None, **marking) -> Campaign:
    require_organiser_of(campaign, acting_user)
    return _share(campaign, acting_user, ip, marking, "training.campaign.share")


@transaction.atomic
def join_campaign(campaign: Campaign, *, acting_user, organisation: Organisation, ip: str | None = None) -> Participation:
    """An organisation the campaign reaches takes part in it (again, after leaving)."""
    organiser_membership(acting_user, organisation)
    if not Campaign.objects.visible_to(viewer_for_organisation(organisation)).filter(pk=campaign.pk).exists():
        raise ValidationError({"organisation": _("This campaign is not open to this organisation.")})
    participation = Participation.objects.filter(campaign=campaign, organisation=organisation).first()
    if participation is not None and participation.left_at is None:
        raise ValidationError({"organisation": _("This organisation already takes part.")})
    participation = participation or Participation(campaign=campaign, organisation=organisation)
    participation.joined_by, participation.joined_at, participation.left_at = acting_user, timezone.now(), None
    participation.save()
    _audit("training.campaign.join", campaign, acting_user, ip, {"participant": organisation.pk}, organisation.pk)
    return participation


@transaction.atomic
def leave_campaign(campaign: Campaign, *, acting_user, organisation: Organisation, ip: str | None = None) -> Participation:
    """An organisation stops taking part; the reach it reported stays in the totals."""
    organiser_membership(acting_user, organisation)
    participation = _current_participation(campaign, organisation)
    participation.left_at = timezone.now()
    participation.save(update_fields=["left_at"])
    _audit("training.campaign.leave", campaign, acting_user, ip, {"participant": organisation.pk}, organisation.pk)
    return participation


def _current_participation(campaign: Campaign, organisation: Organisation) -> Participation:
    participation = Participation.objects.current().filter(campaign=campaign, organisation=organisation).first()
    if participation is None:
        raise ValidationError({"organisation": _("This organisation does not take part in the campaign.")})
    return participation


@transaction.atomic
def report_reach(campaign: Campaign, *, acting_user, organisation: Organisation, people_reached: int,
                 sessions_held: int, ip: str | None = None) -> Participation:
    """A participant's running totals: how many people its part of the campaign reached, in
    how many sessions."""
    organiser_membership(acting_user, organisation)
    participation = _current_participation(campaign, organisation)
    participation.people_reached, participation.sessions_held = people_reached, sessions_held
    participation.full_clean(exclude=["campaign", "organisation", "joined_by"])
    participation.reach_reported_at = timezone.now()
    participation.save()
    _audit("training.campaign.reach", campaign, acting_user, ip,
           {"participant": organisation.pk, "people_reached": people_reached, "sessions_held": sessions_held},
           organisation.pk)
    return participation


# --- calendar feed tokens ---------------------------------------------------------------------


@transaction.atomic
def issue_calendar_token(*, acting_user, ip: str | None = None) -> tuple[CalendarToken, str]:
    """A new secret feed address for the caller; the one before it stops working at once."""
    replaced = _revoke_live_tokens(acting_user)
    token, lookup, secret_hash = CalendarToken.new_token()
    row = CalendarToken.objects.create(person=acting_user, lookup=lookup, secret_hash=secret_hash)
    audit.record("training.calendar_token.issue", actor=acting_user, target=row,
                 detail={"token": row.lookup, "replaced": replaced}, ip=ip)
    return row, token


@transaction.atomic
def revoke_calendar_token(*, acting_user, ip: str | None = None) -> None:
    """Stop the caller's feed address; calendars subscribed to it get nothing more."""
    revoked = _revoke_live_tokens(acting_user)
    if not revoked:
        raise ValidationError({"token": _("You have no calendar feed address to revoke.")})
    audit.record("training.calendar_token.revoke", actor=acting_user, detail={"tokens": revoked}, ip=ip)


def _revoke_live_tokens(person) -> list[str]:
    live = list(CalendarToken.objects.filter(person=person, revoked_at__isnull=True).values_list("lookup", flat=True))
    CalendarToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return live


def record_feed_use(token: CalendarToken) -> None:
    """When the feed was last fetched, for the person's settings page. Not audited: a calendar
    client polls every few minutes and would flood the chain with identical reads."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        CalendarToken.objects.filter(pk=token.pk).update(last_used_at=now)
