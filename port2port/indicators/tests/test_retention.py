"""Retention: person and phone indicators come up for review after RETENTION_REVIEW_MONTHS; the
daily run asks their owner, and purges what nobody kept within RETENTION_GRACE_DAYS. Purged
means gone from search, correlation, timelines and watch hits.

Time passes here by moving the stored dates back (`elapse`), which is what the run compares."""

from datetime import datetime, timedelta, timezone
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db.models import F

from port2port.core.models import AuditEvent
from port2port.indicators import correlation
from port2port.indicators.actions import NewIndicator, add_indicators, create_watch, keep_indicator, months_later
from port2port.indicators.models import Indicator, WatchHit

PERSON = "Jan Janssens; 1985-03-12"
PHONE = "+32 470 12 34 56"


def elapse(days: float) -> None:
    """Let `days` pass for every review date and question already stored."""
    Indicator.objects.update(review_at=F("review_at") - timedelta(days=days),
                             review_asked_at=F("review_asked_at") - timedelta(days=days))


def run_retention() -> str:
    out = StringIO()
    call_command("retention", stdout=out)
    return out.getvalue()


@pytest.fixture
def personal(world):
    """Port A's network report with a person, a phone and a container, filed now; port B's
    report holding the same phone."""
    mine = world.report()
    add_indicators(mine, acting_user=world.analyst_a, items=[
        NewIndicator("person", PERSON), NewIndicator("phone", PHONE), NewIndicator("container", "MSKU 123456-5")])
    theirs = world.report(author=world.analyst_b, organisation=world.org_b)
    add_indicators(theirs, acting_user=world.analyst_b, items=[NewIndicator("phone", PHONE)])
    return mine, theirs


def test_personal_kinds_carry_a_review_date_and_others_do_not(world, personal):
    mine, _ = personal
    rows = {i.kind: i for i in mine.indicators.all()}
    assert rows["person"].review_at == rows["phone"].review_at
    assert abs(rows["phone"].review_at - months_later(rows["phone"].created_at, 12)) < timedelta(seconds=5)
    assert rows["container"].review_at is None


def test_the_review_date_follows_the_setting(world, settings):
    settings.RETENTION_REVIEW_MONTHS = 6
    [phone] = add_indicators(world.report(), acting_user=world.analyst_a, items=[NewIndicator("phone", PHONE)])
    phone.refresh_from_db()
    assert abs(phone.review_at - months_later(phone.created_at, 6)) < timedelta(seconds=5)


def test_months_later_lands_on_the_last_day_of_a_shorter_month():
    assert months_later(datetime(2026, 1, 31, tzinfo=timezone.utc), 1) == datetime(2026, 2, 28, tzinfo=timezone.utc)
    assert months_later(datetime(2026, 11, 30, tzinfo=timezone.utc), 3) == datetime(2027, 2, 28, tzinfo=timezone.utc)


def test_nothing_happens_before_the_review_date(world, personal):
    elapse(300)
    output = run_retention()
    assert "Asked for review: 0" in output and "Purged: 0" in output
    assert Indicator.objects.filter(review_asked_at__isnull=False).count() == 0


def test_at_the_review_date_the_owner_is_asked_once(world, personal):
    mine, theirs = personal
    elapse(366)
    first = run_retention()
    second = run_retention()
    review_list = list(Indicator.objects.due_for_review_for(world.officer_a))
    assert {i.kind for i in review_list} == {"person", "phone"}
    assert all(i.report_id == mine.pk and i.purge_after for i in review_list)
    assert [i.report_id for i in Indicator.objects.due_for_review_for(world.analyst_b)] == [theirs.pk]
    for persona in ("police_analyst", "outsider_c", "red_reader_b", "platform_admin"):
        assert Indicator.objects.due_for_review_for(getattr(world, persona)).count() == 0
    assert "Asked for review: 3 indicator(s) in 2 report(s)" in first
    assert "Asked for review: 0" in second and "Purged: 0" in second
    asked = AuditEvent.objects.filter(action="indicators.review_asked")
    assert asked.count() == 2
    assert all("value" not in event.detail for event in asked)


def test_what_nobody_kept_is_purged_after_the_grace_period(world, personal, settings,
                                                         django_capture_on_commit_callbacks):
    mine, theirs = personal
    phone_value = mine.indicators.get(kind="phone").value
    with django_capture_on_commit_callbacks(execute=True):
        create_watch(acting_user=world.police_analyst, organisation=world.police, kind="phone", raw=PHONE)
    assert WatchHit.objects.count() == 2
    elapse(366)
    run_retention()
    elapse(settings.RETENTION_GRACE_DAYS - 1)
    assert "Purged: 0" in run_retention()
    elapse(2)
    output = run_retention()
    again = run_retention()
    assert "Purged: 3 indicator(s)" in output
    assert "Purged: 0" in again and "Asked for review: 0" in again
    assert set(Indicator.objects.values_list("kind", flat=True)) == {"container"}
    # Gone from search, correlation and timelines.
    assert correlation.search(world.analyst_a, kind="phone", value=phone_value) == []
    assert correlation.timeline(world.analyst_a, "phone", phone_value) == []
    assert [r.indicator.kind for r in correlation.correlate(mine, world.analyst_a)] == ["container"]
    assert WatchHit.objects.count() == 0
    purges = AuditEvent.objects.filter(action="indicators.purge")
    assert purges.count() == 3
    assert {e.detail["by"] for e in purges} == {"retention"}
    assert not any(PHONE.replace(" ", "") in str(e.detail) for e in purges)


def test_a_kept_indicator_survives_until_its_next_review(world, personal, settings):
    mine, _ = personal
    elapse(366)
    run_retention()
    phone = mine.indicators.get(kind="phone")
    keep_indicator(phone, acting_user=world.officer_a, reason="Open investigation 2026/114")
    elapse(settings.RETENTION_GRACE_DAYS + 1)
    run_retention()
    phone.refresh_from_db()
    assert (phone.kept_reason, phone.review_asked_at) == ("Open investigation 2026/114", None)
    assert phone.review_at > datetime.now(timezone.utc) + timedelta(days=300)
    assert set(mine.indicators.values_list("kind", flat=True)) == {"phone", "container"}
    assert AuditEvent.objects.filter(action="indicators.keep").count() == 1


def test_keeping_needs_a_reason_and_the_right_to_edit_the_report(world, personal):
    mine, _ = personal
    phone = mine.indicators.get(kind="phone")
    with pytest.raises(ValidationError) as error:
        keep_indicator(phone, acting_user=world.analyst_a, reason="   ")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        keep_indicator(phone, acting_user=world.analyst_b, reason="We need it too")
    with pytest.raises(ValidationError):
        keep_indicator(mine.indicators.get(kind="container"), acting_user=world.analyst_a, reason="Why not")


def test_the_review_list_is_read_in_a_fixed_number_of_queries(world, personal, django_assert_max_num_queries):
    elapse(366)
    run_retention()
    with django_assert_max_num_queries(3):
        rows = list(Indicator.objects.due_for_review_for(world.officer_a))
        [(r.report.title, r.report.port, r.purge_after) for r in rows]
    assert len(rows) == 2
