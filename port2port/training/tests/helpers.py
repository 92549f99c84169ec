"""Trainings and campaigns made through the real actions, for the tests."""

from datetime import timedelta

from django.utils import timezone

from port2port.core.sharing import Audience, Tlp
from port2port.knowledge.models import Theme
from port2port.training import actions
from port2port.training.models import TrainingKind


def schedule(world, *, organiser=None, organisation=None, tlp=Tlp.GREEN, audience=Audience.NETWORK,
             recipient_orgs=(), sharing_group=None, days=10, capacity=20, **content):
    """A training by Port A's officer, by default GREEN to the network, ten days from now."""
    starts = timezone.now() + timedelta(days=days)
    fields = {
        "kind": TrainingKind.TABLETOP, "title": "Drone over the container terminal: tabletop", "theme": Theme.DRONES,
        "description": "A drone hovers over quay 1742 at night. Who calls whom?", "starts_at": starts,
        "ends_at": starts + timedelta(hours=3), "place": "Port House, Zaha Hadidplein 1, Antwerp",
        "capacity": capacity, **content,
    }
    marking = {"tlp": tlp, "audience": audience, "recipient_orgs": list(recipient_orgs), "sharing_group": sharing_group}
    return actions.schedule_training(acting_user=organiser or world.officer_a, organisation=organisation or world.org_a,
                                     marking=marking, **fields)


def launch(world, *, tlp=Tlp.GREEN, audience=Audience.NETWORK, **content):
    today = timezone.localdate()
    fields = {"title": "Phishing awareness month", "theme": Theme.CYBER, "description": "Posters, a quiz, a test mail.",
              "starts_on": today, "ends_on": today + timedelta(days=30), **content}
    return actions.launch_campaign(acting_user=world.officer_a, organisation=world.org_a,
                                   marking={"tlp": tlp, "audience": audience}, **fields)


def start(training, *, ago=timedelta(hours=1)):
    """Move a training into the past as time would (a direct update: no action moves time)."""
    type(training).objects.filter(pk=training.pk).update(
        starts_at=timezone.now() - ago, ends_at=timezone.now() - ago + timedelta(hours=3))
    training.refresh_from_db()
    return training


def marking_cases(world):
    """Audience -> (marking keyword arguments, personas who may see, personas who may not)."""
    everyone = ["analyst_a", "officer_a", "admin_a", "analyst_b", "red_reader_b", "police_analyst", "outsider_c",
                "platform_admin"]
    readers = {
        Audience.OWNER: {"analyst_a", "officer_a", "admin_a"},
        Audience.ORGANISATIONS: {"analyst_a", "officer_a", "admin_a", "analyst_b", "red_reader_b"},
        Audience.GROUP: {"analyst_a", "officer_a", "admin_a", "analyst_b", "red_reader_b", "police_analyst"},
        Audience.NETWORK: {"analyst_a", "officer_a", "admin_a", "analyst_b", "red_reader_b", "police_analyst"},
    }
    extra = {Audience.ORGANISATIONS: {"recipient_orgs": [world.org_b]}, Audience.GROUP: {"sharing_group": world.drugs_group}}
    return {audience: (extra.get(audience, {}), people, [p for p in everyone if p not in people])
            for audience, people in readers.items()}
