"""The measures pages: what each persona gets, the forms' bad input, and the outsider's 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from port2port.core.models import AuditEvent
from port2port.measures import actions
from port2port.measures.models import AssessmentRecord, DisclosureSetting, Measure, MeasureStatus

from .conftest import assess, propose

MISSING = 987654321


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}


def page_urls(measure, record):
    return {
        "index": reverse("measures:index"),
        "detail": reverse("measures:detail", args=[measure.pk]),
        "versions": reverse("measures:versions", args=[measure.pk]),
        "history": reverse("measures:history", args=[measure.pk, record.organisation_id]),
        "network": reverse("measures:network"),
        "network print": reverse("measures:network_print"),
        "network csv": reverse("measures:network_csv"),
    }


def test_a_network_member_sees_every_page(world, client_for, measure, storage):
    record = assess(world.officer_a, measure, "partly", maturity=2,
                    evidence_upload=SimpleUploadedFile("audit.txt", b"gate audit 2025\n"))
    client = client_for(world.officer_a)
    for name, url in page_urls(measure, record).items():
        response = client.get(url)
        assert response.status_code == 200, name
    body = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "Identity-based container release" in body and "Partly implemented" in body
    download = client.get(reverse("measures:evidence", args=[record.pk]))
    assert b"".join(download.streaming_content) == b"gate audit 2025\n"
    assert download["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="measures.evidence.read").count() == 1


def test_an_outsider_gets_404_everywhere_like_for_a_missing_measure(world, client_for, measure):
    record = assess(world.officer_a, measure)
    client = client_for(world.outsider_c)
    missing = client.get(reverse("measures:detail", args=[MISSING]))
    assert missing.status_code == 404
    urls = {**page_urls(measure, record),
            "edit": reverse("measures:edit", args=[measure.pk]),
            "assess": reverse("measures:assess", args=[measure.pk]),
            "propose": reverse("measures:propose"),
            "disclosure": reverse("measures:disclosure"),
            "evidence": reverse("measures:evidence", args=[record.pk])}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 404, name
        assert response.content == missing.content, name
    for name in ("adopt", "retire"):
        assert client.post(reverse(f"measures:{name}", args=[measure.pk]), {"note": "x"}).status_code == 404


def test_evidence_is_served_to_its_organisation_only(world, client_for, measure, storage):
    actions.set_disclosure(acting_user=world.officer_a, organisation=world.org_a, level="full")
    record = assess(world.officer_a, measure, evidence_text="Badge audit: 3 lapsed badges found",
                    evidence_upload=SimpleUploadedFile("audit.txt", b"secret\n"))
    for person in (world.analyst_b, world.police_analyst):
        client = client_for(person)
        assert client.get(reverse("measures:evidence", args=[record.pk])).status_code == 404
        for url in (reverse("measures:detail", args=[measure.pk]), reverse("measures:history", args=[measure.pk, world.org_a.pk])):
            body = client.get(url).content.decode()
            assert "Implemented" in body and "lapsed badges" not in body and "audit.txt" not in body
    assert client_for(world.analyst_a).get(reverse("measures:evidence", args=[record.pk])).status_code == 200


def test_a_proposal_is_read_by_its_group_and_proposer_only(world, client_for, wg):
    proposal = propose(world, "Reefer inspection on arrival")
    url = reverse("measures:detail", args=[proposal.pk])
    assert client_for(world.analyst_b).get(url).status_code == 200  # B sits in the working group
    draft = propose(world, "Our own draft", group=None)
    assert client_for(world.analyst_b).get(reverse("measures:detail", args=[draft.pk])).status_code == 404
    assert client_for(world.analyst_a).get(reverse("measures:detail", args=[draft.pk])).status_code == 200


def test_proposing_through_the_page(world, client_for, wg):
    response = client_for(world.officer_a).post(reverse("measures:propose"), {
        "organisation": world.org_a.pk, "title": "Seal verification at the gate", "description": "Check every seal.",
        "theme": "security_checks", "level": "baseline", "threats": ["rip_on_rip_off"], "facility_kinds": ["container_terminal"],
        "legal_reference": "ISPS B/16.3", "working_group": wg.pk, "note": "From the Antwerp pilot",
    })
    assert response.status_code == 302
    assert Measure.objects.get(title="Seal verification at the gate").status == MeasureStatus.PROPOSED


def test_bad_input_on_the_propose_form_names_the_field_and_changes_nothing(world, client_for, wg):
    client = client_for(world.officer_a)
    before = Measure.objects.count()
    response = client.post(reverse("measures:propose"), {"organisation": world.org_a.pk, "title": "", "description": "x",
                                                          "theme": "weather", "level": "baseline", "threats": ["aliens"]})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"title", "theme", "threats"} <= set(errors)
    assert Measure.objects.count() == before


def test_an_analyst_may_not_propose_or_assess(world, client_for, measure):
    client = client_for(world.analyst_a)
    assert client.get(reverse("measures:propose")).status_code == 403
    assert client.get(reverse("measures:assess", args=[measure.pk])).status_code == 403
    assert client.get(reverse("measures:disclosure")).status_code == 403


def test_assessing_through_the_page_and_its_bad_input(world, client_for, measure, storage):
    client = client_for(world.officer_a)
    url = reverse("measures:assess", args=[measure.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"organisation": world.org_a.pk, "status": "planned", "maturity": "9"})
    assert response.status_code == 200 and "maturity" in response.context["form"].errors
    response = client.post(url, {"organisation": world.org_a.pk, "status": "planned"})
    assert response.status_code == 200 and "target_date" in response.context["form"].errors
    assert AssessmentRecord.objects.count() == 0
    response = client.post(url, {"organisation": world.org_a.pk, "status": "planned", "target_date": "2027-03-31",
                                 "maturity": "1", "evidence_file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")})
    assert response.status_code == 200 and "evidence_file" in response.context["form"].errors
    assert AssessmentRecord.objects.count() == 0
    response = client.post(url, {"organisation": world.org_a.pk, "status": "planned", "target_date": "2027-03-31", "maturity": "1"})
    assert response.status_code == 302
    assert AssessmentRecord.objects.get().status == "planned"


def test_the_coordinator_adopts_and_retires_through_the_page(world, client_for, wg):
    proposal = propose(world)
    client = client_for(world.analyst_b)
    assert client.post(reverse("measures:adopt", args=[proposal.pk]), {"adopted_on": "2099-01-01", "note": ""}).status_code == 200
    assert Measure.objects.get(pk=proposal.pk).status == MeasureStatus.PROPOSED
    assert client.post(reverse("measures:adopt", args=[proposal.pk]), {"adopted_on": "2025-02-01", "note": "Plenary"}).status_code == 302
    assert client_for(world.officer_a).post(reverse("measures:retire", args=[proposal.pk]), {"note": "no"}).status_code == 403
    assert client.post(reverse("measures:retire", args=[proposal.pk]), {"note": ""}).status_code == 200
    assert client.post(reverse("measures:retire", args=[proposal.pk]), {"note": "Superseded"}).status_code == 302
    assert Measure.objects.get(pk=proposal.pk).status == MeasureStatus.RETIRED


def test_the_disclosure_page_saves_the_choice_and_refuses_nonsense(world, client_for):
    client = client_for(world.officer_a)
    assert client.get(reverse("measures:disclosure")).status_code == 200
    response = client.post(reverse("measures:disclosure"), {"organisation": world.org_a.pk, "level": "gossip"})
    assert response.status_code == 200 and "level" in response.context["form"].errors
    assert not DisclosureSetting.objects.exists()
    assert client.post(reverse("measures:disclosure"), {"organisation": world.org_a.pk, "level": "nothing"}).status_code == 302
    assert DisclosureSetting.objects.get(organisation=world.org_a).level == "nothing"


def test_editing_a_proposal_through_the_page(world, client_for, wg):
    proposal = propose(world)
    client = client_for(world.officer_a)
    assert client.get(reverse("measures:edit", args=[proposal.pk])).status_code == 200
    response = client.post(reverse("measures:edit", args=[proposal.pk]), {
        "title": "Identity-based release of containers", "description": "Drivers identify themselves.",
        "theme": "access_control", "level": "recommended", "working_group": wg.pk})
    assert response.status_code == 302
    assert Measure.objects.get(pk=proposal.pk).version == 2
    assert client_for(world.analyst_b).get(reverse("measures:edit", args=[proposal.pk])).status_code == 200  # coordinator
    assert client_for(world.police_analyst).get(reverse("measures:edit", args=[proposal.pk])).status_code == 403
