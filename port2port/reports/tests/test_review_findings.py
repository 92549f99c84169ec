"""Security review of the sharing core: side paths by which a report could reach someone it
was not meant for (history, comments, people pickers, audit, caches, forms).

Each section names a finding of the review; its tests show the fix holds. The last section pins
down guarantees that no other test held yet.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from port2port.core.models import AuditEvent
from port2port.core.permissions import Role
from port2port.core.sharing import Audience, Status, Tlp
from port2port.organisations import actions as org_actions
from port2port.reports import actions
from port2port.reports.models import Report

from .api_helpers import Api, report_body

SECRET = "Jan Peeters of crew 7"


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}


def red_report_redacted_then_loosened(world):
    """The everyday way to release RED material: write it for named people, take the names out,
    then share the cleaned text with the network."""
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b],
                          narrative=f"Informant {SECRET} tipped us off about the reefer.")
    actions.edit_report(report, acting_user=world.analyst_a, narrative="A source tipped us off about the reefer.")
    actions.share_report(report, acting_user=world.analyst_a, tlp=Tlp.GREEN, audience=Audience.NETWORK)
    return report


# --- finding 1: the version history shows what a report said before it reached the reader ------


def test_the_web_history_does_not_show_a_partner_what_the_report_said_while_it_was_red(world, client_for):
    report = red_report_redacted_then_loosened(world)
    client = client_for(world.analyst_b)
    assert SECRET not in client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    history = client.get(reverse("reports:history", args=[report.pk]))
    assert history.status_code == 200
    assert SECRET not in history.content.decode()


def test_the_api_history_does_not_show_a_partner_what_the_report_said_while_it_was_red(world):
    report = red_report_redacted_then_loosened(world)
    history = Api(world.analyst_b).get(f"/reports/{report.pk}/history")
    assert history.status_code == 200
    assert SECRET not in history.content.decode()


def test_the_history_does_not_show_a_partner_the_draft_before_it_was_shared(world, client_for):
    report = world.report(share_now=False, narrative=f"Draft: our guard {SECRET} let them through.")
    actions.edit_report(report, acting_user=world.analyst_a, narrative="A guard let them through.")
    actions.share_report(report, acting_user=world.analyst_a, tlp=Tlp.AMBER, audience=Audience.NETWORK)
    history = client_for(world.analyst_b).get(reverse("reports:history", args=[report.pk]))
    assert history.status_code == 200
    assert SECRET not in history.content.decode()


def test_the_author_still_sees_the_whole_history(world, client_for):
    """Whatever fix hides older versions from later readers must keep them for the editors."""
    report = red_report_redacted_then_loosened(world)
    history = client_for(world.analyst_a).get(reverse("reports:history", args=[report.pk]))
    assert SECRET in history.content.decode()


# --- finding 2: comments written under RED travel with a later loosening -----------------------


def red_report_with_a_recipients_comment(world):
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.analyst_b])
    actions.add_comment(report, acting_user=world.analyst_b, body=f"My contact {SECRET} confirms the seal number.")
    actions.share_report(report, acting_user=world.analyst_a, tlp=Tlp.GREEN, audience=Audience.NETWORK)
    return report


def test_a_comment_written_under_red_stays_with_the_people_it_was_written_for(world, client_for):
    report = red_report_with_a_recipients_comment(world)
    page = client_for(world.police_analyst).get(reverse("reports:detail", args=[report.pk]))
    assert page.status_code == 200
    assert SECRET not in page.content.decode()


def test_the_api_does_not_list_a_red_era_comment_to_the_wider_audience(world):
    report = red_report_with_a_recipients_comment(world)
    comments = Api(world.police_analyst).get(f"/reports/{report.pk}/comments")
    assert comments.status_code == 200
    assert SECRET not in comments.content.decode()


# --- finding 3: a RED recipient whose organisation was deactivated keeps reading ---------------


def test_a_red_recipient_loses_the_report_when_their_organisation_is_deactivated(world, client_for):
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    org_actions.set_organisation_active(world.org_b, acting_user=world.platform_admin, active=False)
    assert not Report.objects.visible_to(world.red_reader_b).filter(pk=report.pk).exists()
    response = client_for(world.red_reader_b).get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 404


def test_a_green_reader_loses_the_report_when_their_organisation_is_deactivated(world, client_for):
    """The docstring of set_organisation_active promises this; it holds for every label but RED."""
    report = world.report(tlp=Tlp.GREEN, audience=Audience.NETWORK)
    org_actions.set_organisation_active(world.org_b, acting_user=world.platform_admin, active=False)
    assert client_for(world.analyst_b).get(reverse("reports:detail", args=[report.pk])).status_code == 404


# --- finding 4: a group's owner admits an organisation -----------------------------------------
# The brief's rule is "a member of that group now" (ARCHITECTURE.md section 2): an organisation
# the owner admits reads the group's items, older ones included. docs/sharing-rules.md says so,
# and the admission is an audited action of the owner. These tests pin that decision down.


def test_an_organisation_admitted_to_a_group_reads_its_earlier_items_and_the_admission_is_audited(world):
    report = world.report(author=world.analyst_b, organisation=world.org_b, tlp=Tlp.AMBER_STRICT,
                          audience=Audience.GROUP, sharing_group=world.drugs_group)
    org_actions.add_group_member(world.drugs_group, acting_user=world.admin_a, organisation=world.org_c)
    assert Report.objects.visible_to(world.outsider_c).filter(pk=report.pk).exists()
    from port2port.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="groups.add_member", detail__organisation=world.org_c.pk).exists()


def test_a_newcomer_to_a_group_reads_what_is_shared_with_it_from_then_on(world):
    """The other side of finding 4: joining a group must keep working for new items."""
    org_actions.add_group_member(world.drugs_group, acting_user=world.admin_a, organisation=world.org_c)
    report = world.report(author=world.analyst_b, organisation=world.org_b, tlp=Tlp.AMBER_STRICT,
                          audience=Audience.GROUP, sharing_group=world.drugs_group)
    assert Report.objects.visible_to(world.outsider_c).filter(pk=report.pk).exists()


# --- finding 5: the API names anyone as a RED recipient, and the pages then print who they are --


def test_the_api_names_only_the_people_the_web_picker_offers(world):
    # Port C is in no group and not in the network: the picker offers it only its own people.
    body = report_body(world, port=None, tlp="red", audience="people", share_now=False,
                       recipient_people=[world.analyst_a.pk, world.police_analyst.pk])
    response = Api(world.outsider_c).post("/reports", body)
    assert response.status_code == 422, response.content
    assert {e["field"] for e in response.json()["errors"]} == {"recipient_people"}


def test_an_outsider_cannot_turn_a_red_draft_into_a_directory_of_people(world, client_for):
    body = report_body(world, port=None, tlp="red", audience="people", share_now=False,
                       recipient_people=[world.analyst_a.pk, world.police_analyst.pk])
    created = Api(world.outsider_c).post("/reports", body)
    report_id = created.json()["id"] if created.status_code == 201 else 987654321
    client = client_for(world.outsider_c)
    pages = [client.get(reverse("reports:detail", args=[report_id])),
             client.get(reverse("reports:share", args=[report_id]))]
    for page in pages:
        text = page.content.decode()
        # (Organisation names are a public directory inside the platform; people are not.)
        assert "Arne Analyst" not in text and "Paula Police" not in text


# --- finding 8: reads that leave no trace in the audit log ------------------------------------


def test_a_refused_comment_does_not_show_the_report_without_auditing_the_read(world, client_for):
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b],
                          narrative=f"Informant {SECRET} tipped us off.")
    reads_before = AuditEvent.objects.filter(action="reports.read", target_id=str(report.pk)).count()
    response = client_for(world.red_reader_b).post(reverse("reports:comment", args=[report.pk]), {"body": ""})
    shown = SECRET in response.content.decode()
    audited = AuditEvent.objects.filter(action="reports.read", target_id=str(report.pk)).count() > reads_before
    assert audited or not shown


def test_listing_the_attachments_of_an_amber_report_is_audited(world, storage):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.NETWORK)
    actions.add_attachment(report, acting_user=world.analyst_a, upload=SimpleUploadedFile("crew-list.txt", b"names\n"))
    reads_before = AuditEvent.objects.filter(action="reports.read", target_id=str(report.pk)).count()
    response = Api(world.analyst_b).get(f"/reports/{report.pk}/attachments")
    assert b"crew-list.txt" in response.content
    assert AuditEvent.objects.filter(action="reports.read", target_id=str(report.pk)).count() > reads_before


# --- finding 10: the API serves an attachment with no cache rule ---------------------------------


def test_the_api_serves_an_attachment_as_carefully_as_the_web_page(world, storage):
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    attachment = actions.add_attachment(report, acting_user=world.analyst_a,
                                        upload=SimpleUploadedFile("informant.txt", b"name\n"))
    response = Api(world.red_reader_b).get(f"/reports/{report.pk}/attachments/{attachment.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.get("Cache-Control", "")


# --- finding 11: images in Pillow's "warning only" zone are decoded in full -------------------


def png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("P", (width, height)).save(out, format="PNG")
    return out.getvalue()


def test_an_image_past_the_pixel_limit_is_refused_not_decoded(world, storage, monkeypatch):
    from PIL import Image

    # Scaled down: Pillow only warns between MAX_IMAGE_PIXELS and twice that (89 to 179 million
    # pixels by default, which a 20 MB PNG holds easily); it raises only above.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    report = world.report()
    with pytest.raises(ValidationError) as error:
        actions.add_attachment(report, acting_user=world.analyst_a, upload=SimpleUploadedFile("quay.png", png(12, 12)))
    assert "file" in error.value.message_dict


# --- guarantees that hold (no other test pinned them) ------------------------------------------


def test_the_web_edit_form_ignores_marking_owner_author_and_status_fields(world, client_for):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.OWNER)
    data = {
        "title": "Edited title", "category": "drug_smuggling", "occurred_at": "2026-03-04T03:30",
        "severity": "high", "source_reliability": "B", "info_credibility": "2", "narrative": "Edited.",
        # What a forged form would add:
        "tlp": "clear", "audience": "public", "status": "closed", "owner_org": world.org_b.pk,
        "author": world.analyst_b.pk, "sharing_group": world.drugs_group.pk, "recipient_orgs": [world.org_c.pk],
    }
    response = client_for(world.analyst_a).post(reverse("reports:edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "Edited title"
    assert (report.tlp, report.audience, report.status) == (Tlp.AMBER, Audience.OWNER, Status.SHARED)
    assert (report.owner_org, report.author, report.sharing_group) == (world.org_a, world.analyst_a, None)
    assert not report.recipient_orgs.exists()


def test_home_counts_and_widgets_include_only_what_the_reader_may_see(world, client_for):
    for _ in range(3):
        world.report(tlp=Tlp.AMBER, audience=Audience.OWNER, title="Owner-only walrus")
    world.report(share_now=False, title="Draft walrus")
    world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b], title="Red walrus")
    for person in (world.analyst_b, world.outsider_c):
        page = client_for(person).get(reverse("home"))
        assert page.status_code == 200
        assert "walrus" not in page.content.decode()
        counts = {row["value"]: row["count"] for row in page.context["category_counts"]}
        assert sum(counts.values()) == 0, (person, counts)


def test_the_search_does_not_find_a_report_by_a_word_taken_out_of_it(world, client_for):
    report = red_report_redacted_then_loosened(world)
    assert client_for(world.analyst_b).get(reverse("reports:detail", args=[report.pk])).status_code == 200
    page = client_for(world.analyst_b).get(reverse("reports:list"), {"q": "Peeters"})
    assert page.context["page"].paginator.count == 0
    assert Api(world.analyst_b).get("/reports", {"q": "Peeters"}).json()["items"] == []


def test_the_search_does_not_reveal_a_word_of_an_invisible_report(world, client_for):
    world.report(tlp=Tlp.AMBER, audience=Audience.OWNER, narrative="The narwhal codeword.")
    world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b],
                 narrative="The narwhal codeword again.")
    page = client_for(world.analyst_b).get(reverse("reports:list"), {"q": "narwhal"})
    assert page.context["page"].paginator.count == 0
    api = Api(world.analyst_b).get("/reports", {"q": "narwhal"})
    assert api.json()["items"] == []


def test_org_admins_audit_trails_carry_no_title_of_a_red_report(world, client_for):
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b],
                          title="Walrus informant in crew 7")
    actions.record_read(report, reader=world.red_reader_b, channel="web")
    admin_b = org_actions.create_account(acting_user=world.platform_admin, email="admin.b@p2p.test",
                                         password="correct horse battery")
    org_actions.add_member(acting_user=world.platform_admin, organisation=world.org_b, user=admin_b, role=Role.ORG_ADMIN)
    for admin, org in ((world.admin_a, world.org_a), (admin_b, world.org_b)):
        page = client_for(admin).get(reverse("organisations:audit", args=[org.slug]))
        assert page.status_code == 200
        assert "Walrus" not in page.content.decode()


def test_an_attachment_name_cannot_reach_the_file_system_or_the_headers(world, storage, tmp_path):
    report = world.report()
    upload = SimpleUploadedFile("../../etc/pass\r\nX-Evil: 1.txt", b"plain text\n")
    attachment = actions.add_attachment(report, acting_user=world.analyst_a, upload=upload)
    assert "/" not in attachment.original_name and "\r" not in attachment.original_name
    stored = tmp_path / attachment.file.name
    assert stored.resolve().is_relative_to(tmp_path.resolve()) and stored.exists()
    assert ".." not in attachment.file.name


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_sign_in_and_language_switch_never_send_people_to_another_site(world, client, elsewhere):
    response = client.post("/accounts/login/", {
        "login": world.analyst_a.email, "password": "correct horse battery", "next": elsewhere})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    response = client.post("/i18n/setlang/", {"language": "nl", "next": elsewhere})
    assert "evil.example" not in response.get("Location", "")
    response = client.post("/i18n/setlang/", {"language": "nl"}, headers={"referer": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")
