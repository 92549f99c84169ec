"""A meeting as an iCalendar file (RFC 5545), for a member to put in their own calendar.

The file carries the title, the time, the place or link and the way back to the meeting, never
its agenda or minutes: a calendar travels to phones and cloud services the platform does not
control, so, like an e-mail, it holds a title and a link, not the content.
"""

from datetime import timedelta

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import MeetingStatus

PRODID = "-//Port 2 Port//Working groups//EN"
ICS_STATUS = {MeetingStatus.PLANNED: "CONFIRMED", MeetingStatus.HELD: "CONFIRMED", MeetingStatus.CANCELLED: "CANCELLED"}


def meeting_calendar(meeting, link: str) -> bytes:
    event = Event()
    event.add("uid", f"wg-meeting-{meeting.pk}@port2port")
    event.add("dtstamp", timezone.now())
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.duration_minutes))
    event.add("summary", f"{meeting.group.name}: {meeting.title}")
    event.add("status", ICS_STATUS[meeting.status])
    event.add("url", link)
    event.add("description", link)
    if meeting.place or meeting.online_url:
        event.add("location", meeting.place or meeting.online_url)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical()


def ics_response(meeting, link: str) -> HttpResponse:
    response = HttpResponse(meeting_calendar(meeting, link), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    # Members only: never kept by a shared cache or the browser.
    response["Cache-Control"] = "private, no-store"
    return response
