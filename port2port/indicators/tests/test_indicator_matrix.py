"""The indicator authorization matrix: personas × markings × every indicator read.

For each allowed marking, port A's analyst files one report holding a container and a plate,
and says the container was seen at Antwerp. Port B, the police and port C watch the container;
each persona also holds a report of its own organisation (owner only) with the same values, to
correlate from. Every persona then reads through each Python channel the UI and the API build
on: correlation, exact and fuzzy search by value, the timeline, the sightings list with its
per-port counts, watch hits and interest notices. A reader of the report finds it exactly as
the rule in docs/sharing-rules.md gives; anyone else finds nothing of it: no match, no count,
no port, no sighting, no hit. (The HTTP channels have their own matrix tests in the UI and
API test modules.) Each (persona, channel) pair is a subtest; the test ids name the marking.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from port2port.core.sharing import Audience
from port2port.indicators import correlation, tasks
from port2port.indicators.actions import NewIndicator, add_indicators, create_watch, record_sighting
from port2port.indicators.models import Sighting
from port2port.indicators.types import normalise
from port2port.reports.tests.test_authorization_matrix import MARKINGS, READERS

CONTAINER = "MSKU 123456-5"
PLATE = "1-ABC-123"
MISREAD_PLATE = "1-A8C-123"
PERSONAS = ["analyst_a", "admin_a", "analyst_b", "red_reader_b", "outsider_c", "police_analyst", "platform_admin",
            "anonymous"]
ORGANISATION_OF = {"analyst_a": "org_a", "admin_a": "org_a", "analyst_b": "org_b", "red_reader_b": "org_b",
                   "outsider_c": "org_c", "police_analyst": "police"}
# The organisations (as a whole: no person, so no RED and no drafts) that may see port A's report.
ORGANISATIONS_READING = {
    Audience.OWNER: set(),
    Audience.ORGANISATIONS: {"org_b"},  # named: port B
    Audience.GROUP: {"org_b", "police"},
    Audience.NETWORK: {"org_b", "police"},
    Audience.PUBLIC: {"org_b", "police"},
    Audience.PEOPLE: set(),  # RED names people, never an organisation
}
WATCHERS = {"org_b": "analyst_b", "police": "police_analyst", "org_c": "outsider_c"}


def reader(world, persona):
    return AnonymousUser() if persona == "anonymous" else getattr(world, persona)


def file_subject(world, tlp, audience):
    marking = {}
    if audience == Audience.ORGANISATIONS:
        marking["recipient_orgs"] = [world.org_b]
    if audience == Audience.GROUP:
        marking["sharing_group"] = world.drugs_group
    if audience == Audience.PEOPLE:
        marking["recipient_people"] = [world.red_reader_b]
    report = world.report(tlp=tlp, audience=audience, title="Quokka container", **marking)
    add_indicators(report, acting_user=world.analyst_a,
                   items=[NewIndicator("container", CONTAINER), NewIndicator("plate", PLATE)])
    record_sighting(report.indicators.get(kind="container"), acting_user=world.analyst_a, port=world.port_a)
    return report


def own_reports(world) -> dict[str, object]:
    """Per organisation, a report only it reads, holding the container and a misread plate."""
    authors = {"org_a": world.analyst_a, "org_b": world.analyst_b, "org_c": world.outsider_c,
               "police": world.police_analyst}
    reports = {}
    for name, author in authors.items():
        report = world.report(author=author, organisation=getattr(world, name), audience=Audience.OWNER,
                              title=f"Own report of {name}")
        add_indicators(report, acting_user=author,
                       items=[NewIndicator("container", CONTAINER), NewIndicator("plate", MISREAD_PLATE)])
        reports[name] = report
    return reports


@pytest.fixture
def scene(world, django_capture_on_commit_callbacks):
    def build(tlp, audience):
        with django_capture_on_commit_callbacks(execute=True):
            for organisation, person in WATCHERS.items():
                create_watch(acting_user=getattr(world, person), organisation=getattr(world, organisation),
                             kind="container", raw=CONTAINER)
        with django_capture_on_commit_callbacks(execute=True):
            own = own_reports(world)
            subject = file_subject(world, tlp, audience)
        return subject, own

    return build


def channels(world, persona, subject, own):
    """Each channel's answer, reduced to: did the subject report show up, and how."""
    viewer = reader(world, persona)
    container = normalise("container", CONTAINER)
    plate = normalise("plate", MISREAD_PLATE)
    # Correlate from the persona's own report (the platform admin and anonymous have none: they
    # get port A's own report, as a caller that forgot to check would; still nothing leaks).
    probe = own.get(ORGANISATION_OF.get(persona, ""), own["org_a"])
    results = {r.indicator.kind: r for r in correlation.correlate(probe, viewer, include_common=True)}
    exact, fuzzy = results["container"], results["plate"]
    sightings = Sighting.objects.visible_to(viewer).filter(indicator__report=subject)
    return {
        "correlation matches": subject.pk in {m.report_id for m in exact.matches},
        "correlation count": exact.total - sum(1 for r in own.values() if r.pk != probe.pk and _own_visible(r, viewer)),
        "correlation ports": world.port_a in {m.report.port for m in exact.matches if m.report_id == subject.pk},
        "fuzzy correlation": subject.pk in {m.report_id for m in fuzzy.fuzzy},
        "search by value": subject.pk in {r.report_id for r in correlation.search(viewer, kind="container", value=container.value)},
        "fuzzy search": subject.pk in {r.report_id for r in correlation.search(viewer, kind="plate", value=plate.fuzzy_key, fuzzy=True)},
        "timeline": subject.pk in {r.report_id for r in correlation.timeline(viewer, "container", container.value)},
        "sightings list": sightings.count(),
        "sightings per port": [(r["port__locode"], r["n"]) for r in sightings.per_port()],
        "watch hits": {h.indicator.report_id for h in tasks.hits_for(viewer)} & {subject.pk},
        "interest notices": sorted(n.watch.organisation.name for n in tasks.interest_notices_for(viewer)
                                   if n.indicator.report_id == subject.pk),
    }


def _own_visible(report, viewer) -> bool:
    return report.indicators.visible_to(viewer).exists()


def expected(world, persona, tlp, audience):
    reads = persona in READERS[audience]
    organisation = ORGANISATION_OF.get(persona)
    watcher_sees = organisation in WATCHERS and organisation in ORGANISATIONS_READING[audience]
    edits = persona == "analyst_a" or (persona == "admin_a" and audience != Audience.PEOPLE)
    told_about = sorted(getattr(world, o).name for o in WATCHERS if o not in ORGANISATIONS_READING[audience])
    return {
        "correlation matches": reads,
        "correlation count": 1 if reads else 0,
        "correlation ports": reads,
        "fuzzy correlation": reads,
        "search by value": reads,
        "fuzzy search": reads,
        "timeline": reads,
        "sightings list": 1 if reads else 0,
        "sightings per port": [("BEANR", 1)] if reads else [],
        "watch hits": {"subject"} if reads and watcher_sees else set(),
        "interest notices": told_about if edits else [],
    }


@pytest.mark.parametrize(("tlp", "audience"), MARKINGS, ids=[f"{t}-{a}" for t, a in MARKINGS])
def test_every_persona_finds_exactly_what_the_rule_gives(world, scene, subtests, tlp, audience):
    subject, own = scene(tlp, audience)
    for persona in PERSONAS:
        got = channels(world, persona, subject, own)
        want = expected(world, persona, tlp, audience)
        want["watch hits"] = {subject.pk} if want["watch hits"] else set()
        for channel in want:
            with subtests.test(persona=persona, channel=channel):
                assert got[channel] == want[channel], (persona, channel)


def test_the_matrix_covers_the_rule_of_every_reader():
    assert set(READERS) == set(ORGANISATIONS_READING)
    assert set(PERSONAS) >= {p for readers in READERS.values() for p in readers}
