"""A person's trainings as an RFC 5545 iCalendar document, for their calendar application.

What leaves the platform: a calendar feed ends up on phones and on the servers of calendar
providers, outside anyone's need-to-know. So the body carries nothing above TLP:GREEN. A GREEN
training shows its title, time, place, kind, organiser and description. An AMBER training
shows only that there is a TLP:AMBER training at that time, with the link to its page, where
the person reads the rest after signing in: its title alone could say which terminal worries
whom.
"""

from datetime import UTC, timedelta

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from port2port.core.sharing import Tlp
from port2port.organisations.models import viewer_for

from .models import ACTIVE_STATUSES, Registration, RegistrationStatus, Training

PAST_DAYS = 90
FUTURE_DAYS = 400
DESCRIPTION_CHARS = 1000
PRODID = "-//Port 2 Port//Trainings//EN"


def feed_trainings(person, now=None):
    """The trainings the person may read now, recently past and coming, with their own seat.
    Read through the sharing rule at each request: someone who left an organisation loses its
    items from the very next fetch."""
    now = now or timezone.now()
    mine = Registration.objects.filter(person=person, status__in=ACTIVE_STATUSES)
    return (Training.objects.visible_to(viewer_for(person)).for_list()
            .overlapping(now - timedelta(days=PAST_DAYS), now + timedelta(days=FUTURE_DAYS))
            .prefetch_related(Prefetch("registrations", queryset=mine, to_attr="my_registrations"))
            .order_by("starts_at", "pk"))


def uid_of(training: Training) -> str:
    # Stable for the training's whole life, whatever address the feed was fetched from.
    return f"training-{training.pk}@port2port"


def calendar_for(person, link_for) -> bytes:
    """The feed body; `link_for(training)` gives the absolute address of a training's page."""
    with translation.override(person.language or None):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Port 2 Port trainings"))
        for training in feed_trainings(person):
            calendar.add_component(_event(training, link_for(training)))
        return calendar.to_ical()


def _event(training: Training, link: str) -> Event:
    seat = training.my_registrations[0] if training.my_registrations else None
    event = Event()
    event.add("uid", uid_of(training))
    event.add("dtstamp", training.updated_at.astimezone(UTC))
    event.add("dtstart", training.starts_at.astimezone(UTC))
    event.add("dtend", training.ends_at.astimezone(UTC))
    event.add("sequence", training.sequence)
    event.add("status", "CANCELLED" if training.is_cancelled else "CONFIRMED")
    # A held seat blocks the time; a training one merely may join does not.
    event.add("transp", "OPAQUE" if seat and seat.status == RegistrationStatus.REGISTERED else "TRANSPARENT")
    event.add("url", link)
    if training.tlp == Tlp.GREEN:
        _green_details(event, training, seat)
    else:
        event.add("summary", _("TLP:AMBER training: details on Port 2 Port"))
        event.add("class", "CONFIDENTIAL")
        event.add("description", link)
    return event


def _green_details(event: Event, training: Training, seat) -> None:
    event.add("summary", training.title)
    event.add("class", "PRIVATE")
    location = training.place or training.online_url
    if location:
        event.add("location", location)
    lines = [f"TLP:GREEN · {training.get_kind_display()} · {training.owner_org.display_name}"]
    if seat is not None:
        lines.append(_("You are registered.") if seat.status == RegistrationStatus.REGISTERED
                     else _("You are on the waiting list."))
    if training.description:
        lines.append(training.description[:DESCRIPTION_CHARS])
    event.add("description", vText("\n\n".join(lines)))
    event.add("categories", [training.get_theme_display()])
