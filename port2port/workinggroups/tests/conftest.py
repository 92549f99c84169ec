"""The Drugs sharing group of the shared world (port A owns it; port B and the police are in
it; port C is outside) made a working group with port B's analyst as its coordinator, and a
meeting held last month with one decision and one action for port A's analyst. Everything
goes through the real actions."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest

from port2port.workinggroups import actions
from port2port.workinggroups.models import MeetingStatus

PAST = datetime(2026, 1, 15, 9, 30, tzinfo=timezone.utc)


@dataclass
class Space:
    group: object
    meeting: object
    decision: object
    action: object


def plan(group, by, *, title="Quarterly drugs meeting", starts_at=PAST, **fields):
    return actions.plan_meeting(group, acting_user=by, title=title, starts_at=starts_at, **fields)


@pytest.fixture
def space(world) -> Space:
    group = actions.appoint_coordinator(world.drugs_group, acting_user=world.admin_a, coordinator=world.analyst_b)
    meeting = plan(group, world.analyst_b, place="Antwerp, Havenhuis", agenda="1. **Quokka** containers",
                   minutes="We agreed on identity-based release.", status=MeetingStatus.HELD)
    decision = actions.record_decision(meeting, acting_user=world.analyst_b,
                                       text="Adopt identity-based container release as a network standard by Q2")
    action = actions.assign_action_item(meeting, acting_user=world.analyst_b, title="Pilot RF drone detection at two quays",
                                        owner=world.analyst_a, due_on=date(2026, 6, 30))
    return Space(group=group, meeting=meeting, decision=decision, action=action)


def soon(days=14):
    return datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=days)
