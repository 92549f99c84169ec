"""What a working group's space holds for one viewer, read through each item's own rule: its
meetings and open actions (the group's members now), the articles shared with the group that
the viewer may read (the knowledge base's rule), and the measures it has under discussion.

The web page and the API both read the space here, so the two channels never disagree.
"""

from dataclasses import dataclass

from django.utils import timezone

from port2port.knowledge.models import Article
from port2port.measures.models import Measure, MeasureStatus
from port2port.organisations.models import Organisation

from .models import ActionItem, Delegate, Meeting

UPCOMING_SHOWN = 10
PAST_SHOWN = 20
ARTICLES_SHOWN = 50


@dataclass
class Space:
    group: object
    members: list
    delegates: list
    upcoming: list
    past: list
    open_actions: list
    articles: list
    measures: list


def members_of(group) -> list:
    return list(Organisation.objects.filter(groupmembership__group=group).order_by("name"))


def delegates_of(group, viewer) -> list:
    return list(Delegate.objects.visible_to(viewer).filter(group=group).select_related("user").order_by("added_at"))


def open_actions_of(group, viewer) -> list:
    return list(ActionItem.objects.visible_to(viewer).open().filter(meeting__group=group)
                .select_related("owner", "meeting").order_by("due_on", "pk"))


def articles_of(group, viewer) -> list:
    """Articles shared with the group that this viewer may read, newest first."""
    return list(Article.objects.visible_to(viewer).filter(sharing_group=group)
                .select_related("owner_org").order_by("-updated_at", "-pk")[:ARTICLES_SHOWN])


def measures_of(group, viewer) -> list:
    """Common measures placed in the group that are still proposals: under discussion."""
    return list(Measure.objects.visible_to(viewer).filter(working_group=group, status=MeasureStatus.PROPOSED)
                .order_by("title", "pk"))


def space_of(group, viewer, *, now=None) -> Space:
    now = now or timezone.now()
    meetings = Meeting.objects.visible_to(viewer).filter(group=group)
    return Space(
        group=group,
        members=members_of(group),
        delegates=delegates_of(group, viewer),
        upcoming=list(meetings.upcoming(now)[:UPCOMING_SHOWN]),
        past=list(meetings.past(now)[:PAST_SHOWN]),
        open_actions=open_actions_of(group, viewer),
        articles=articles_of(group, viewer),
        measures=measures_of(group, viewer),
    )
