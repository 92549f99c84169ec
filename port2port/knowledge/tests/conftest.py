"""Helpers for the knowledge tests: articles written through the real actions."""

import pytest

from port2port.core.sharing import Audience, Tlp
from port2port.knowledge import actions
from port2port.knowledge.models import Theme


def write(world, author=None, organisation=None, *, tlp=Tlp.AMBER, audience=Audience.NETWORK, share_now=True,
          **overrides):
    """An AMBER article of port A to the network, unless told otherwise."""
    author = author or world.analyst_a
    organisation = organisation or world.org_a
    marking = {"tlp": tlp, "audience": audience}
    for key in ("recipient_orgs", "recipient_people", "sharing_group"):
        if key in overrides:
            marking[key] = overrides.pop(key)
    content = {
        "title": "Reefer inspection checklist",
        "summary": "What to look at when opening a reefer container.",
        "body": "## Before opening\n\n1. Check the seal number against the manifest.\n2. Photograph the doors.\n",
        "theme": Theme.INSPECTIONS,
        **overrides,
    }
    return actions.write_article(acting_user=author, organisation=organisation, marking=marking, share_now=share_now,
                                 **content)


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
