"""The per-person iCalendar feed: valid RFC 5545, nothing above GREEN in its body, and a secret
that stops working when revoked, rotated, or when its person leaves."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from port2port.core.sharing import Audience, Tlp
from port2port.organisations import actions as org_actions
from port2port.organisations.models import Membership
from port2port.training import actions
from port2port.training.models import CalendarToken

from .helpers import schedule


def fetch(token) -> Calendar:
    response = Client().get(reverse("training:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    return Calendar.from_ical(response.content)


def events(calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_is_valid_icalendar_with_stable_uids_and_utc_times(world):
    training = schedule(world, title="ISPS drill: security level 2 at the Deurganck dock")
    actions.register(training, acting_user=world.analyst_b)
    _row, token = actions.issue_calendar_token(acting_user=world.analyst_b)
    calendar = fetch(token)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    event = events(calendar)[f"training-{training.pk}@port2port"]
    for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL"):
        assert required in event, required
    assert event.decoded("DTSTART") == training.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == training.ends_at.replace(microsecond=0)
    assert event.decoded("DTSTART").utcoffset() == event.decoded("DTEND").utcoffset() == timedelta(0)
    assert str(event["SUMMARY"]) == training.title
    assert str(event["URL"]).endswith(reverse("training:detail", args=[training.pk]))
    assert str(event["TRANSP"]) == "OPAQUE"  # a held seat blocks the time
    assert event["LOCATION"] == training.place
    again = events(fetch(token))[f"training-{training.pk}@port2port"]
    assert again["UID"] == event["UID"]


def test_raw_lines_follow_rfc_5545(world):
    schedule(world, description="Line one.\nLine two, with a comma; and a semicolon. " + "long " * 40)
    _row, token = actions.issue_calendar_token(acting_user=world.analyst_b)
    raw = Client().get(reverse("training:feed", args=[token])).content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets
    assert b"\nX" not in raw.replace(b"\r\n", b"")  # only CRLF line ends
    assert b"DTSTART:" in raw and b"Z\r\n" in raw  # UTC form, no floating times


def test_an_amber_training_shows_only_its_time_and_link(world):
    training = schedule(world, tlp=Tlp.AMBER, title="Rip-off at terminal 1742: insider scenario",
                        place="Room 3, Kallo", description="Badge 4471 was cloned.")
    _row, token = actions.issue_calendar_token(acting_user=world.analyst_b)
    raw = Client().get(reverse("training:feed", args=[token])).content.decode()
    event = events(Calendar.from_ical(raw))[f"training-{training.pk}@port2port"]
    for secret in ("1742", "insider", "Kallo", "4471", "Rip-off"):
        assert secret not in raw
    assert "TLP:AMBER" in str(event["SUMMARY"]) and "LOCATION" not in event
    assert str(event["CLASS"]) == "CONFIDENTIAL"


def test_a_cancelled_training_stays_in_the_feed_as_cancelled_with_a_higher_sequence(world):
    training = schedule(world)
    _row, token = actions.issue_calendar_token(acting_user=world.analyst_a)
    actions.cancel_training(training, acting_user=world.officer_a)
    event = events(fetch(token))[f"training-{training.pk}@port2port"]
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1


def test_the_token_is_prefixed_shown_once_and_stored_only_as_a_hash(world):
    row, token = actions.issue_calendar_token(acting_user=world.analyst_a)
    assert token.startswith("p2p_cal_")
    stored = CalendarToken.objects.get(pk=row.pk)
    assert token.split("_")[-1] not in (stored.secret_hash, stored.lookup)
    assert stored.secret_hash == CalendarToken.hash_secret(token[len("p2p_cal_") + 13:])


def test_a_revoked_or_replaced_token_gets_the_same_404_as_a_made_up_one(world):
    _row, first = actions.issue_calendar_token(acting_user=world.analyst_a)
    _row, second = actions.issue_calendar_token(acting_user=world.analyst_a)
    made_up = Client().get(reverse("training:feed", args=["p2p_cal_000000000000_nothing"]))
    replaced = Client().get(reverse("training:feed", args=[first]))
    assert replaced.status_code == made_up.status_code == 404 and replaced.content == made_up.content
    fetch(second)
    actions.revoke_calendar_token(acting_user=world.analyst_a)
    assert Client().get(reverse("training:feed", args=[second])).status_code == 404
    tampered = second[:-3] + ("aaa" if not second.endswith("aaa") else "bbb")
    assert Client().get(reverse("training:feed", args=[tampered])).status_code == 404


def test_revoking_without_a_token_names_the_field(world):
    with pytest.raises(Exception) as error:
        actions.revoke_calendar_token(acting_user=world.analyst_a)
    assert "token" in error.value.message_dict


def test_a_person_who_leaves_their_organisation_loses_its_trainings_at_the_next_fetch(world):
    training = schedule(world, audience=Audience.ORGANISATIONS, recipient_orgs=[world.org_b])
    _row, token = actions.issue_calendar_token(acting_user=world.analyst_b)
    assert f"training-{training.pk}@port2port" in events(fetch(token))
    # Still a member elsewhere, so the account stays active: only Port B's reach is lost.
    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_c, user=world.analyst_b)
    membership = Membership.objects.get(user=world.analyst_b, organisation=world.org_b)
    org_actions.deactivate_member(membership, acting_user=world.platform_admin)
    assert events(fetch(token)) == {}


def test_a_deactivated_account_has_no_feed(world):
    _row, token = actions.issue_calendar_token(acting_user=world.analyst_b)
    org_actions.deactivate_account(world.analyst_b, acting_user=world.platform_admin)
    assert Client().get(reverse("training:feed", args=[token])).status_code == 404


def test_the_feed_token_opens_nothing_else(world):
    _row, token = actions.issue_calendar_token(acting_user=world.analyst_a)
    training = schedule(world)
    api = Client().get(f"/api/v1/trainings/{training.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 401
    page = Client().get(reverse("training:detail", args=[training.pk]) + f"?token={token}")
    assert page.status_code == 302  # to the sign-in page


def test_the_feed_keeps_its_queries_few_however_many_trainings(world, django_assert_max_num_queries):
    for days in range(1, 9):
        actions.register(schedule(world, days=days), acting_user=world.analyst_b)
    _row, token = actions.issue_calendar_token(acting_user=world.analyst_b)
    with django_assert_max_num_queries(8):
        fetch(token)


def test_the_window_leaves_out_trainings_long_past(world):
    from .helpers import start

    old = start(schedule(world), ago=timedelta(days=200))
    _row, token = actions.issue_calendar_token(acting_user=world.analyst_a)
    assert f"training-{old.pk}@port2port" not in events(fetch(token))
