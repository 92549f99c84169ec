"""The authorization matrix for assessments: personas × disclosure × read channels.

Port B's officer answers one measure (status, maturity, target date, owner, a note, evidence
text and an evidence file) under each disclosure; every persona reads it through every channel.
B's own people read all of it; other network members (a partner port, the police, a national
authority) read what the disclosure allows and never the evidence; an outsider, a platform admin
without a seat and a visitor read nothing, with the same answer as for a missing measure.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from port2port.core.permissions import Role
from port2port.measures import actions
from port2port.organisations import actions as org_actions
from port2port.organisations.models import OrganisationKind

from .conftest import Api, org_of

MISSING = 987654321
OWN = {"analyst_b", "red_reader_b"}
OTHERS = {"officer_a", "police_analyst", "authority"}
NOBODY = {"outsider_c", "platform_admin", "anonymous"}
PERSONAS = sorted(OWN | OTHERS | NOBODY)
# (organisation setting, this answer's own override) -> what others see
CASES = {
    ("nothing", None): set(),
    ("status", None): {"status"},
    ("progress", None): {"status", "maturity", "target"},
    ("full", None): {"status", "maturity", "target", "note"},
    ("full", "nothing"): set(),
    ("nothing", "progress"): {"status", "maturity", "target"},
}
MARKERS = {"status": "Partly implemented", "maturity": "3/5", "target": "30 Jun 2027", "note": "Gate 7 pending"}
API_MARKERS = {"status": '"partly"', "maturity": '"maturity": 3', "target": "2027-06-30", "note": "Gate 7 pending"}
CSV_MARKERS = {"status": "partly", "maturity": ",3,", "target": "2027-06-30"}
# What each channel carries at all: the matrix shows status and maturity, the CSV and the
# network JSON add the target date; pages of one measure and the API carry every field.
CARRIES = {"web matrix": {"status", "maturity"}, "web print": {"status", "maturity"},
           "web csv": {"status", "maturity", "target"}, "api csv": {"status", "maturity", "target"},
           "api network": {"status", "maturity", "target"}}


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}


def authority_analyst(world):
    admin = world.platform_admin
    org = org_actions.create_organisation(acting_user=admin, name="Maritime Security Authority",
                                          kind=OrganisationKind.NATIONAL_AUTHORITY)
    user = org_actions.create_account(acting_user=admin, email="analyst@authority.test", full_name="Nora National",
                                      password="correct horse battery")
    org_actions.add_member(acting_user=admin, organisation=org, user=user, role=Role.ORG_ADMIN)
    return user


def answer(officers, measure, setting, override):
    officer_b = officers["b"]
    actions.set_disclosure(acting_user=officer_b, organisation=org_of(officer_b), level=setting)
    return actions.record_assessment(
        acting_user=officer_b, organisation=org_of(officer_b), measure=measure, status="partly", maturity=3,
        target_date=date(2027, 6, 30), owner=officer_b, note="Gate 7 pending", evidence_text="Wombat evidence",
        evidence_upload=SimpleUploadedFile("numbat.txt", b"numbat\n"), disclosure=override)


def channels(measure, record):
    org = record.organisation_id
    return {
        "web detail": ("web", reverse("measures:detail", args=[measure.pk])),
        "web history": ("web", reverse("measures:history", args=[measure.pk, org])),
        "web matrix": ("web", reverse("measures:network")),
        "web print": ("web", reverse("measures:network_print")),
        "web csv": ("csv", reverse("measures:network_csv")),
        "api assessments": ("api", f"/measures/{measure.pk}/assessments"),
        "api history": ("api", f"/measures/{measure.pk}/assessments/{org}/history"),
        "api network": ("api", "/measures/network"),
        "api csv": ("csv", "/measures/network.csv"),
    }


def fetch(world, persona, kind, url, authority):
    user = authority if persona == "authority" else getattr(world, persona, None)
    if kind in ("api",) or url.startswith("/measures/network.csv"):
        return Api(user).get(url)
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(("setting", "override"), list(CASES), ids=[f"{s}-{o}" for s, o in CASES])
def test_every_persona_reads_exactly_what_the_disclosure_gives(world, officers, measure, storage, subtests, setting, override):
    authority = authority_analyst(world)
    record = answer(officers, measure, setting, override)
    shown = CASES[(setting, override)]
    for persona in PERSONAS:
        for channel, (kind, url) in channels(measure, record).items():
            with subtests.test(persona=persona, channel=channel):
                response = fetch(world, persona, kind, url, authority)
                body = response.content.decode()
                if persona in NOBODY:
                    assert response.status_code in (302, 401, 404), response.status_code
                    assert "Port B" not in body and "Wombat" not in body
                    continue
                if persona in OTHERS and not shown and "history" in channel:
                    assert response.status_code == 404
                    continue
                assert response.status_code == 200, (response.status_code, body[:300])
                markers = CSV_MARKERS if kind == "csv" else API_MARKERS if kind == "api" else MARKERS
                if channel in ("web matrix", "web print"):  # the legend names every status: look for B's row
                    markers = {**markers, "status": '<th scope="row">Port B</th>'}
                visible = (set(MARKERS) if persona in OWN else shown) & CARRIES.get(channel, set(MARKERS))
                for field, marker in markers.items():
                    assert (marker in body) is (field in visible), (field, marker)
                evidence_shown = persona in OWN and kind != "csv" and "network" not in channel and "matrix" not in channel \
                    and "print" not in channel
                assert ("Wombat evidence" in body) is evidence_shown
                download = fetch(world, persona, "web", reverse("measures:evidence", args=[record.pk]), authority)
                assert download.status_code == (200 if persona in OWN else 404)

