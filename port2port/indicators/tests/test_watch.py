"""Watchlists and hit/no-hit deconfliction.

Port B watches a container. When it turns up in a report port B may see, port B gets a hit.
When it turns up in a report port B may not see, port B learns nothing at all, and the
report's owner is told that port B has an interest in that value, so it can choose to share.
Once it shares, the interest counts as a hit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience, Tlp
from port2port.indicators import tasks
from port2port.indicators.actions import NewIndicator, add_indicators, create_watch, stop_watch
from port2port.indicators.models import Watch, WatchHit, WatchHitOutcome
from port2port.reports import actions as report_actions

CONTAINER = "MSKU 123456-5"


@pytest.fixture
def added(django_capture_on_commit_callbacks):
    """Add indicators as the product does: watches are matched once the transaction commits."""

    def add(report, author, *items):
        with django_capture_on_commit_callbacks(execute=True):
            add_indicators(report, acting_user=author, items=[NewIndicator(kind, raw) for kind, raw in items])
        return report

    return add


@pytest.fixture
def watch(world, django_capture_on_commit_callbacks):
    def make(user=None, organisation=None, kind="container", raw=CONTAINER):
        with django_capture_on_commit_callbacks(execute=True):
            return create_watch(acting_user=user or world.analyst_b, organisation=organisation or world.org_b,
                                kind=kind, raw=raw, label="Operation Walrus")

    return make


def test_a_watched_value_in_a_report_the_watcher_may_see_is_a_hit(world, watch, added):
    watch()
    report = added(world.report(), world.analyst_a, ("container", CONTAINER))
    [hit] = tasks.hits_for(world.analyst_b)
    assert (hit.outcome, hit.indicator.report_id) == (WatchHitOutcome.HIT, report.pk)
    assert list(tasks.interest_notices_for(world.officer_a)) == []
    assert AuditEvent.objects.filter(action="indicators.watch_hit", organisation_id=world.org_b.pk).count() == 1


def test_a_watch_made_later_finds_the_indicators_already_there(world, watch, added):
    report = added(world.report(), world.analyst_a, ("container", CONTAINER))
    watch()
    assert [h.indicator.report_id for h in tasks.hits_for(world.analyst_b)] == [report.pk]


def test_a_watched_value_in_a_report_the_watcher_may_not_see_tells_only_the_owner(world, watch, added):
    watch()
    hidden = added(world.report(audience=Audience.OWNER), world.analyst_a, ("container", CONTAINER))
    # The watcher learns nothing: no hit, no count, nothing in its audit trail.
    assert list(tasks.hits_for(world.analyst_b)) == []
    assert tasks.hits_for(world.analyst_b).count() == 0
    assert WatchHit.objects.hits_for(world.red_reader_b).count() == 0
    watcher_trail = AuditEvent.objects.filter(action__startswith="indicators.watch_",
                                              organisation_id=world.org_b.pk)
    assert not watcher_trail.exists()
    assert not AuditEvent.objects.filter(action="indicators.watch_interest",
                                         subject_organisation_id=world.org_b.pk).exists()
    # The owner's editors are told which value of which report is of interest, not to whom.
    [notice] = tasks.interest_notices_for(world.officer_a)
    assert (notice.outcome, notice.indicator.report_id) == (WatchHitOutcome.INTEREST, hidden.pk)
    assert not hasattr(notice, "watcher_name")
    event = AuditEvent.objects.get(action="indicators.watch_interest")
    assert "watch" not in event.detail and "watcher" not in event.detail
    assert [n.pk for n in tasks.interest_notices_for(world.analyst_a)] == [notice.pk]  # the author
    assert AuditEvent.objects.filter(action="indicators.watch_interest", organisation_id=world.org_a.pk,
                                     subject_organisation_id=world.org_a.pk).count() == 1


@pytest.mark.parametrize("persona", ["analyst_b", "red_reader_b", "police_analyst", "outsider_c", "platform_admin"])
def test_nobody_but_the_owners_editors_sees_an_interest_notice(world, watch, added, persona):
    watch()
    added(world.report(audience=Audience.OWNER), world.analyst_a, ("container", CONTAINER))
    assert tasks.interest_notices_for(getattr(world, persona)).count() == 0


def test_an_interest_becomes_a_hit_once_the_owner_shares_with_the_watcher(world, watch, added):
    watch()
    report = added(world.report(audience=Audience.OWNER), world.analyst_a, ("container", CONTAINER))
    assert tasks.hits_for(world.analyst_b).count() == 0
    report_actions.share_report(report, acting_user=world.analyst_a, tlp=Tlp.AMBER,
                                audience=Audience.ORGANISATIONS, recipient_orgs=[world.org_b])
    [hit] = tasks.hits_for(world.analyst_b)
    assert hit.indicator.report_id == report.pk
    assert tasks.hits_for(world.police_analyst).count() == 0  # not the watcher


def test_a_hit_disappears_when_the_report_is_narrowed(world, watch, added):
    watch()
    report = added(world.report(), world.analyst_a, ("container", CONTAINER))
    assert tasks.hits_for(world.analyst_b).count() == 1
    report_actions.share_report(report, acting_user=world.analyst_a, tlp=Tlp.AMBER, audience=Audience.OWNER)
    assert tasks.hits_for(world.analyst_b).count() == 0


def test_a_red_report_naming_one_person_of_the_watcher_is_no_hit_for_the_organisation(world, watch, added):
    watch()
    added(world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b]),
          world.analyst_a, ("container", CONTAINER))
    assert tasks.hits_for(world.red_reader_b).count() == 0
    assert tasks.hits_for(world.analyst_b).count() == 0
    [notice] = tasks.interest_notices_for(world.analyst_a)  # RED: its author alone edits it
    assert tasks.interest_notices_for(world.officer_a).count() == 0
    assert notice.outcome == WatchHitOutcome.INTEREST


def test_a_draft_is_no_hit_but_its_owner_is_told(world, watch, added):
    watch()
    added(world.report(share_now=False), world.analyst_a, ("container", CONTAINER))
    assert tasks.hits_for(world.analyst_b).count() == 0
    assert tasks.interest_notices_for(world.analyst_a).count() == 1


def test_an_organisations_own_reports_are_no_news_to_it(world, watch, added):
    watch()
    added(world.report(author=world.analyst_b, organisation=world.org_b), world.analyst_b, ("container", CONTAINER))
    assert WatchHit.objects.count() == 0


def _id_range(report):
    ids = [i.pk for i in report.indicators.all()]
    return min(ids), max(ids)


def test_matching_twice_records_once(world, watch, added):
    w = watch()
    report = added(world.report(), world.analyst_a, ("container", CONTAINER))
    assert tasks.match_watch.call(w.pk) == 0
    assert tasks.match_watches_for_indicators.call(report.pk, *_id_range(report)) == 0
    assert WatchHit.objects.count() == 1


def test_a_stopped_watch_matches_nothing_new_but_keeps_its_hits(world, watch, added):
    w = watch()
    added(world.report(), world.analyst_a, ("container", CONTAINER))
    stop_watch(w, acting_user=world.analyst_b)
    added(world.report(title="Again"), world.analyst_a, ("container", CONTAINER))
    assert tasks.hits_for(world.analyst_b).count() == 1


def test_a_switched_off_watcher_organisation_gets_nothing_and_tells_nobody(world, watch, added):
    watch()
    world.org_b.is_active = False
    world.org_b.save(update_fields=["is_active"])
    added(world.report(audience=Audience.OWNER), world.analyst_a, ("container", CONTAINER))
    assert WatchHit.objects.count() == 0


def test_many_watchers_each_get_their_own_answer(world, watch, added):
    watch()
    watch(user=world.police_analyst, organisation=world.police)
    watch(user=world.outsider_c, organisation=world.org_c)
    report = added(world.report(audience=Audience.ORGANISATIONS, recipient_orgs=[world.org_b]),
                   world.analyst_a, ("container", CONTAINER))
    assert tasks.hits_for(world.analyst_b).count() == 1
    assert tasks.hits_for(world.police_analyst).count() == 0
    assert tasks.hits_for(world.outsider_c).count() == 0
    assert tasks.interest_notices_for(world.officer_a).count() == 2  # police and C, unnamed
    assert all(n.indicator.report_id == report.pk for n in tasks.interest_notices_for(world.officer_a))


def test_hits_are_read_in_a_fixed_number_of_queries(world, watch, added, django_assert_max_num_queries):
    watch()
    for n in range(5):
        added(world.report(title=f"Report {n}"), world.analyst_a, ("container", CONTAINER))
    with django_assert_max_num_queries(6):
        hits = list(tasks.hits_for(world.analyst_b))
        [(h.watch.display, h.indicator.report.port) for h in hits]
    assert len(hits) == 5


# --- bad input ----------------------------------------------------------------------------


def test_watching_needs_a_role_that_files_reports_in_that_organisation(world):
    with pytest.raises(PermissionDenied):
        create_watch(acting_user=world.red_reader_b, organisation=world.org_b, kind="container", raw=CONTAINER)
    with pytest.raises(PermissionDenied):
        create_watch(acting_user=world.analyst_a, organisation=world.org_b, kind="container", raw=CONTAINER)
    with pytest.raises(PermissionDenied):
        stop_watch(Watch.objects.create(organisation=world.org_b, kind="container", value="X", display="X",
                                        created_by=world.analyst_b), acting_user=world.analyst_a)


@pytest.mark.parametrize(("kind", "raw", "field"), [
    ("spaceship", "NCC-1701", "kind"),
    ("container", "not a container", "value"),
    ("imo", "", "value"),
])
def test_a_bad_watch_names_the_field_and_saves_nothing(world, kind, raw, field):
    with pytest.raises(ValidationError) as error:
        create_watch(acting_user=world.analyst_b, organisation=world.org_b, kind=kind, raw=raw)
    assert set(error.value.message_dict) == {field}
    assert Watch.objects.count() == 0


def test_watching_the_same_value_twice_is_refused(world, watch):
    watch()
    with pytest.raises(ValidationError) as error:
        watch(raw="msku1234565")
    assert "value" in error.value.message_dict


def test_matching_an_import_reads_only_that_reports_indicators_in_its_range(world, watch, added):
    watch()
    first = added(world.report(), world.analyst_a, ("container", CONTAINER))
    other = added(world.report(title="Second case"), world.analyst_a, ("container", CONTAINER))
    WatchHit.objects.all().delete()
    # The range of the second report's import spans no indicator of the first.
    assert tasks.match_watches_for_indicators.call(other.pk, *_id_range(other)) == 1
    assert list(WatchHit.objects.values_list("indicator__report", flat=True)) == [other.pk]
    assert tasks.match_watches_for_indicators.call(first.pk, 1, 10**9) == 1
