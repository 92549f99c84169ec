"""Who sees a training, through every read channel: its page, the calendar (grid and agenda),
the API (one and the list), seats, and the iCalendar feed. Personas × audiences × channels."""

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from port2port.core.sharing import Audience, Tlp
from port2port.knowledge import actions as knowledge_actions
from port2port.knowledge.models import Theme
from port2port.training import actions

from .helpers import launch, marking_cases, schedule


def _channels(client, training, token):
    """What each channel answers about this training: True when it shows it."""
    month = timezone.localtime(training.starts_at).strftime("%Y-%m")
    grid = client.get(reverse("training:index"), {"month": month}).content.decode()
    agenda = client.get(reverse("training:index"), {"month": month, "view": "agenda"}).content.decode()
    listed = client.get("/api/v1/trainings").json()["items"]
    feed = Calendar.from_ical(client.get(reverse("training:feed", args=[token])).content)
    uids = {str(event["UID"]) for event in feed.walk("VEVENT")}
    return {
        "page": client.get(reverse("training:detail", args=[training.pk])).status_code == 200,
        "grid": reverse("training:detail", args=[training.pk]) in grid,
        "agenda": reverse("training:detail", args=[training.pk]) in agenda,
        "api": client.get(f"/api/v1/trainings/{training.pk}").status_code == 200,
        "api-list": any(item["id"] == training.pk for item in listed),
        "api-seats": client.get(f"/api/v1/trainings/{training.pk}/registrations").status_code == 200,
        "feed": f"training-{training.pk}@port2port" in uids,
    }


@pytest.mark.parametrize("audience", [Audience.OWNER, Audience.ORGANISATIONS, Audience.GROUP, Audience.NETWORK])
def test_every_channel_shows_a_training_to_its_audience_only(world, client_for, audience):
    extra, readers, others = marking_cases(world)[audience]
    training = schedule(world, tlp=Tlp.AMBER, audience=audience, **extra)
    for name in [*readers, *others]:
        person = getattr(world, name)
        _row, token = actions.issue_calendar_token(acting_user=person)
        seen = _channels(client_for(person), training, token)
        expected = name in readers
        assert seen == dict.fromkeys(seen, expected), (name, audience, seen)


def test_a_missing_and_an_invisible_training_get_the_same_404(world, client_for):
    hidden = schedule(world, audience=Audience.OWNER)
    client = client_for(world.analyst_b)
    invisible = client.get(f"/api/v1/trainings/{hidden.pk}")
    missing = client.get("/api/v1/trainings/999999")
    assert invisible.status_code == missing.status_code == 404
    assert invisible.content == missing.content
    page_invisible = client.get(reverse("training:detail", args=[hidden.pk]))
    page_missing = client.get(reverse("training:detail", args=[999999]))
    assert page_invisible.status_code == page_missing.status_code == 404
    assert page_invisible.content == page_missing.content


def test_materials_show_each_reader_only_the_articles_shared_with_them(world, client_for):
    def article(title, audience):
        return knowledge_actions.write_article(
            acting_user=world.officer_a, organisation=world.org_a, share_now=True,
            marking={"tlp": Tlp.AMBER, "audience": audience}, title=title, body="Steps.", theme=Theme.DRONES)

    open_one = article("Drone response checklist", Audience.NETWORK)
    internal = article("Antwerp drone detector blind spots", Audience.OWNER)
    training = schedule(world)
    actions.edit_training(training, acting_user=world.officer_a, materials=[open_one, internal])
    page_b = client_for(world.analyst_b).get(reverse("training:detail", args=[training.pk])).content.decode()
    api_b = client_for(world.analyst_b).get(f"/api/v1/trainings/{training.pk}").json()
    page_a = client_for(world.analyst_a).get(reverse("training:detail", args=[training.pk])).content.decode()
    assert "Drone response checklist" in page_b and "blind spots" not in page_b
    assert [m["title"] for m in api_b["materials"]] == ["Drone response checklist"]
    assert "blind spots" in page_a


def test_an_organiser_cannot_attach_an_article_they_cannot_read(world):
    secret = knowledge_actions.write_article(
        acting_user=world.analyst_b, organisation=world.org_b, share_now=True,
        marking={"tlp": Tlp.AMBER, "audience": Audience.OWNER}, title="Ghent only", body="x", theme=Theme.CYBER)
    training = schedule(world)
    with pytest.raises(Exception) as error:
        actions.edit_training(training, acting_user=world.officer_a, materials=[secret])
    assert "materials" in error.value.message_dict
    assert not training.materials.exists()


def test_seats_are_seen_by_their_holder_the_organisers_and_the_holders_officers_only(world, client_for):
    training = schedule(world)
    actions.register(training, acting_user=world.analyst_b)
    actions.register(training, acting_user=world.police_analyst)

    def people(user):
        answer = client_for(user).get(f"/api/v1/trainings/{training.pk}/registrations").json()
        return sorted(row["person"]["id"] for row in answer)

    assert people(world.officer_a) == sorted([world.analyst_b.pk, world.police_analyst.pk])
    assert people(world.analyst_b) == [world.analyst_b.pk]
    assert people(world.red_reader_b) == []
    assert people(world.analyst_a) == []


@pytest.mark.parametrize("audience", [Audience.OWNER, Audience.NETWORK])
def test_campaigns_reach_their_audience_only(world, client_for, audience):
    campaign = launch(world, audience=audience)
    for person, expected in [(world.analyst_a, True), (world.analyst_b, audience == Audience.NETWORK),
                             (world.police_analyst, audience == Audience.NETWORK), (world.outsider_c, False),
                             (world.platform_admin, False)]:
        client = client_for(person)
        page = client.get(reverse("training:campaign", args=[campaign.pk])).status_code
        api = client.get(f"/api/v1/awareness-campaigns/{campaign.pk}").status_code
        listed = any(c["id"] == campaign.pk for c in client.get("/api/v1/awareness-campaigns").json())
        in_list_page = campaign.title in client.get(reverse("training:campaigns")).content.decode()
        assert (page == 200, api == 200, listed, in_list_page) == (expected,) * 4, person
