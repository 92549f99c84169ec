"""The named actions on reports: what they allow, what they refuse, and what they record."""

import io
from datetime import datetime, timezone

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience, Status, Tlp
from port2port.reports import actions
from port2port.reports.models import Category, Report, ReportVersion


def test_a_new_report_is_a_draft_for_its_own_organisation(world):
    report = world.report(share_now=False, tlp=Tlp.AMBER, audience=Audience.OWNER)
    assert report.status == Status.DRAFT
    assert AuditEvent.objects.filter(action="reports.create", target_id=str(report.pk)).exists()
    assert report.versions.count() == 1


def test_only_members_who_may_create_file_reports(world):
    with pytest.raises(PermissionDenied):
        world.report(author=world.red_reader_b, organisation=world.org_b)  # a viewer
    with pytest.raises(PermissionDenied):
        world.report(author=world.analyst_b, organisation=world.org_a)  # not a member of A


@pytest.mark.parametrize(
    ("tlp", "audience", "field"),
    [
        (Tlp.RED, Audience.NETWORK, "audience"),
        (Tlp.AMBER, Audience.PEOPLE, "audience"),
        (Tlp.GREEN, Audience.PUBLIC, "audience"),
        ("purple", Audience.NETWORK, "tlp"),
        (Tlp.AMBER, "everyone", "audience"),
        (Tlp.AMBER, Audience.ORGANISATIONS, "recipient_orgs"),
        (Tlp.AMBER, Audience.GROUP, "sharing_group"),
    ],
)
def test_it_refuses_markings_that_do_not_go_together(world, tlp, audience, field):
    with pytest.raises(ValidationError) as error:
        world.report(tlp=tlp, audience=audience)
    assert field in error.value.message_dict
    assert Report.objects.count() == 0


def test_it_refuses_a_group_the_owner_is_not_in(world):
    group = world.drugs_group
    with pytest.raises(ValidationError) as error:
        world.report(author=world.outsider_c, organisation=world.org_c, audience=Audience.GROUP, sharing_group=group)
    assert "sharing_group" in error.value.message_dict


def test_it_refuses_a_modus_operandi_outside_drug_smuggling(world):
    with pytest.raises(ValidationError) as error:
        world.report(category=Category.DRONE, modus_operandi="rip_on_rip_off")
    assert "modus_operandi" in error.value.message_dict
    assert Report.objects.count() == 0


def test_it_refuses_half_a_map_point(world):
    with pytest.raises(ValidationError) as error:
        world.report(latitude=51.2)
    assert "longitude" in error.value.message_dict


def test_an_edit_cannot_touch_the_marking(world):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.OWNER)
    with pytest.raises(ValidationError) as error:
        actions.edit_report(report, acting_user=world.analyst_a, tlp=Tlp.CLEAR)
    assert "tlp" in error.value.message_dict
    report.refresh_from_db()
    assert report.tlp == Tlp.AMBER


def test_an_edit_is_kept_as_a_version_and_audited(world):
    report = world.report()
    actions.edit_report(report, acting_user=world.officer_a, title="Rip-off at quay 1742, two arrests")
    assert list(report.versions.values_list("number", flat=True)) == [1, 2]
    assert report.versions.last().snapshot["title"] == "Rip-off at quay 1742, two arrests"
    event = AuditEvent.objects.filter(action="reports.edit").get()
    assert event.detail == {"fields": ["title"]}


def test_partners_may_read_but_not_edit(world):
    report = world.report(audience=Audience.NETWORK)
    with pytest.raises(PermissionDenied):
        actions.edit_report(report, acting_user=world.analyst_b, title="Mine now")
    with pytest.raises(PermissionDenied):
        actions.share_report(report, acting_user=world.analyst_b, tlp=Tlp.CLEAR, audience=Audience.PUBLIC)


def test_colleagues_without_an_officer_role_cannot_edit_each_others_reports(world):
    report = world.report(author=world.officer_a)
    with pytest.raises(PermissionDenied):
        actions.edit_report(report, acting_user=world.analyst_a, title="Changed")


def test_red_is_the_authors_alone_to_edit(world):
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    with pytest.raises(PermissionDenied):
        actions.edit_report(report, acting_user=world.admin_a, title="Admins may not")
    actions.edit_report(report, acting_user=world.analyst_a, title="The author may")


def test_loosening_is_an_explicit_audited_share(world):
    report = world.report(tlp=Tlp.AMBER_STRICT, audience=Audience.OWNER, share_now=False)
    actions.share_report(report, acting_user=world.officer_a, tlp=Tlp.GREEN, audience=Audience.NETWORK)
    report.refresh_from_db()
    assert (report.tlp, report.audience, report.status) == (Tlp.GREEN, Audience.NETWORK, Status.SHARED)
    event = AuditEvent.objects.get(action="reports.share")
    assert event.detail["loosened"] is True
    assert event.detail["from"] == {"tlp": "amber+strict", "audience": "owner"}


def test_sharing_to_red_keeps_only_the_named_people(world):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.ORGANISATIONS, recipient_orgs=[world.org_b])
    actions.share_report(report, acting_user=world.analyst_a, tlp=Tlp.RED, audience=Audience.PEOPLE,
                         recipient_people=[world.red_reader_b], recipient_orgs=[world.org_b])
    assert list(report.recipient_orgs.all()) == []
    assert list(report.recipient_people.all()) == [world.red_reader_b]
    assert not Report.objects.visible_to(world.analyst_b).filter(pk=report.pk).exists()


def test_only_a_shared_report_can_be_closed(world):
    draft = world.report(share_now=False)
    with pytest.raises(ValidationError):
        actions.close_report(draft, acting_user=world.analyst_a)
    shared = world.report()
    actions.close_report(shared, acting_user=world.analyst_a)
    assert Report.objects.get(pk=shared.pk).status == Status.CLOSED


def test_readers_with_a_commenting_role_may_comment(world):
    report = world.report(audience=Audience.NETWORK)
    comment = actions.add_comment(report, acting_user=world.analyst_b, body="Same MO seen in Ghent last week.")
    assert comment.organisation == world.org_b
    with pytest.raises(PermissionDenied):
        actions.add_comment(report, acting_user=world.red_reader_b, body="Viewers read only.")
    with pytest.raises(ValidationError):
        actions.add_comment(report, acting_user=world.analyst_b, body="   ")


def test_reads_of_amber_and_red_are_audited_and_green_is_not(world):
    amber = world.report(tlp=Tlp.AMBER)
    green = world.report(tlp=Tlp.GREEN)
    actions.record_read(amber, reader=world.analyst_b, channel="web")
    actions.record_read(green, reader=world.analyst_b, channel="web")
    reads = AuditEvent.objects.filter(action="reports.read")
    assert [(e.target_id, e.organisation_id, e.subject_organisation_id) for e in reads] == [
        (str(amber.pk), world.org_b.pk, world.org_a.pk)
    ]


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "navy")
    exif = Image.Exif()
    exif[0x010F] = "DroneCam"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 16.0, 12.0), 3: "E", 4: (4.0, 24.0, 1.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_attachments_lose_their_exif_and_gps(world, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path}}}
    report = world.report()
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()
    attachment = actions.add_attachment(report, acting_user=world.analyst_a,
                                        upload=SimpleUploadedFile("quay.jpg", original, "image/jpeg"))
    stored = attachment.file.read()
    assert attachment.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"DroneCam" not in stored


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.exe", b"MZ\x90\x00binary", "not accepted"),
        ("notes.txt", b"", "empty"),
        ("big.pdf", b"%PDF-" + b"0" * 2048, "larger than"),
    ],
)
def test_it_refuses_bad_uploads_and_saves_nothing(world, settings, name, data, message):
    settings.ATTACHMENT_MAX_BYTES = 1024
    report = world.report()
    with pytest.raises(ValidationError) as error:
        actions.add_attachment(report, acting_user=world.analyst_a, upload=SimpleUploadedFile(name, data))
    assert message in str(error.value.message_dict["file"])
    assert report.attachments.count() == 0


def test_every_write_leaves_a_version_with_the_marking(world):
    report = world.report(share_now=False)
    actions.share_report(report, acting_user=world.analyst_a, tlp=Tlp.GREEN, audience=Audience.NETWORK)
    numbers = ReportVersion.objects.filter(report=report).values_list("number", "snapshot__tlp")
    assert list(numbers) == [(1, "amber"), (2, "green")]
    assert report.occurred_at == datetime(2026, 3, 4, 2, 30, tzinfo=timezone.utc)


def test_a_failed_attachment_leaves_no_file_behind(world, settings, tmp_path, monkeypatch):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path}}}
    report = world.report()

    def audit_down(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(actions.audit, "record", audit_down)
    with pytest.raises(RuntimeError):
        actions.add_attachment(report, acting_user=world.analyst_a,
                               upload=SimpleUploadedFile("notes.txt", b"quay 1742\n"))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
