"""Bad input on the report pages: a message on the field at fault, and nothing saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from port2port.core.sharing import Audience, Tlp
from port2port.reports.models import Attachment, Comment, Report

from .test_views_pages import report_data


def post_create(client, world, **overrides):
    return client.post(reverse("reports:create"), report_data(organisation=world.org_a.pk, **overrides))


def field_errors(response) -> dict:
    """Errors of every form on the page, by field name."""
    errors = {}
    for name in ("form", "marking_form", "comment_form", "attachment_form"):
        form = response.context.get(name) if response.context else None
        if form is not None:
            errors.update(form.errors)
    return errors


BAD_REPORTS = [
    pytest.param({"title": "x" * 201}, "title", "at most 200 characters", id="title too long"),
    pytest.param({"title": "   "}, "title", "required", id="blank title"),
    pytest.param({"category": "piracy"}, "category", "not one of the available choices", id="unknown category"),
    pytest.param({"severity": "apocalyptic"}, "severity", "not one of the available choices", id="unknown severity"),
    pytest.param({"source_reliability": "G"}, "source_reliability", "not one of the available choices", id="Admiralty G"),
    pytest.param({"info_credibility": "7"}, "info_credibility", "not one of the available choices", id="Admiralty 7"),
    pytest.param({"occurred_at": "yesterday"}, "occurred_at", "valid date/time", id="date not a date"),
    pytest.param({"occurred_at": "2999-01-01T00:00"}, "occurred_at", "in the future", id="date in the future"),
    pytest.param({"latitude": "north"}, "latitude", "number", id="latitude not a number"),
    pytest.param({"latitude": "91"}, "latitude", "less than or equal to 90", id="latitude out of range"),
    pytest.param({"longitude": ""}, "longitude", "both latitude and longitude", id="half a point"),
    pytest.param({"narrative": "x" * 20001}, "narrative", "at most 20000 characters", id="narrative too long"),
    pytest.param({"port": "999999"}, "port", "not one of the available choices", id="unknown port"),
    pytest.param({"category": "drone"}, "modus_operandi", "only recorded for drug smuggling", id="modus for a drone"),
    pytest.param({"tlp": "purple"}, "tlp", "not one of the available choices", id="unknown TLP"),
    pytest.param({"audience": "everyone"}, "audience", "not one of the available choices", id="unknown audience"),
    pytest.param({"tlp": Tlp.RED, "audience": Audience.NETWORK}, "audience", "TLP:RED goes only to named people", id="RED to the network"),
    pytest.param({"tlp": Tlp.AMBER, "audience": Audience.PEOPLE}, "audience", "Only TLP:RED", id="AMBER to people"),
    pytest.param({"audience": Audience.ORGANISATIONS}, "recipient_orgs", "at least one organisation", id="no organisation named"),
    pytest.param({"audience": Audience.GROUP}, "sharing_group", "Choose a sharing group", id="no group chosen"),
]


@pytest.mark.parametrize("overrides,field,message", BAD_REPORTS)
def test_a_bad_report_is_refused_on_its_field_and_nothing_is_saved(world, client_for, overrides, field, message):
    response = post_create(client_for(world.analyst_a), world, **overrides)
    assert response.status_code == 200
    errors = field_errors(response)
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Report.objects.exists()


def test_public_is_not_offered_while_public_pages_are_off(world, client_for, settings):
    settings.PUBLIC_PAGES = False
    response = post_create(client_for(world.analyst_a), world, tlp=Tlp.CLEAR, audience=Audience.PUBLIC)
    assert "audience" in field_errors(response)
    assert not Report.objects.exists()


def test_a_report_cannot_be_filed_for_another_organisation(world, client_for):
    response = client_for(world.analyst_a).post(reverse("reports:create"), report_data(organisation=world.org_b.pk))
    assert "organisation" in field_errors(response)
    assert not Report.objects.exists()


def test_a_group_of_which_my_organisation_is_not_a_member_is_refused(world, client_for):
    from port2port.organisations import actions as org_actions

    other = org_actions.create_sharing_group(acting_user=world.outsider_c, owner=world.org_c, name="Inland only")
    response = post_create(client_for(world.analyst_a), world, audience=Audience.GROUP, sharing_group=other.pk)
    assert "sharing_group" in field_errors(response)
    assert not Report.objects.exists()


def test_a_bad_edit_changes_nothing(world, client_for):
    report = world.report(title="Original title")
    response = client_for(world.officer_a).post(
        reverse("reports:edit", args=[report.pk]), report_data(title="x" * 201, port=world.port_a.pk)
    )
    assert "title" in field_errors(response)
    report.refresh_from_db()
    assert (report.title, report.version) == ("Original title", 1)


def test_a_bad_share_changes_nothing(world, client_for):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.NETWORK)
    response = client_for(world.officer_a).post(
        reverse("reports:share", args=[report.pk]),
        {"tlp": Tlp.GREEN, "audience": Audience.PUBLIC, "confirm_loosening": "on"},
    )
    assert "audience" in field_errors(response)
    report.refresh_from_db()
    assert (report.tlp, report.audience, report.version) == (Tlp.AMBER, Audience.NETWORK, 1)


def test_an_empty_comment_is_refused(world, client_for):
    report = world.report()
    response = client_for(world.analyst_b).post(reverse("reports:comment", args=[report.pk]), {"body": "   "})
    assert "body" in field_errors(response)
    assert not Comment.objects.exists()


def test_a_too_long_comment_is_refused(world, client_for):
    report = world.report()
    response = client_for(world.analyst_b).post(reverse("reports:comment", args=[report.pk]), {"body": "x" * 5001})
    assert "at most 5000 characters" in " ".join(field_errors(response)["body"])
    assert not Comment.objects.exists()


def test_an_oversized_upload_is_refused(world, client_for, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    report = world.report()
    upload = SimpleUploadedFile("big.txt", b"x" * 2048, content_type="text/plain")
    response = client_for(world.officer_a).post(reverse("reports:attach", args=[report.pk]), {"file": upload})
    assert response.status_code == 200
    assert "larger than the limit" in " ".join(field_errors(response)["file"])
    assert not Attachment.objects.exists()


def test_an_unaccepted_file_type_is_refused(world, client_for):
    report = world.report()
    upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    response = client_for(world.officer_a).post(reverse("reports:attach", args=[report.pk]), {"file": upload})
    assert "not accepted" in " ".join(field_errors(response)["file"])
    assert not Attachment.objects.exists()


def test_an_upload_without_a_file_is_refused(world, client_for):
    report = world.report()
    response = client_for(world.officer_a).post(reverse("reports:attach", args=[report.pk]), {})
    assert "file" in field_errors(response)
    assert not Attachment.objects.exists()


def jpeg_with_gps() -> bytes:
    """A small photo that carries a camera model and the GPS position it was taken at."""
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Port camera 7"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 17.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 16.0, 12.0),
    }
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_an_uploaded_photo_loses_its_exif_and_gps_data(world, client_for):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has GPS
    report = world.report()
    upload = SimpleUploadedFile("quay.jpg", original, content_type="image/jpeg")
    client_for(world.officer_a).post(reverse("reports:attach", args=[report.pk]), {"file": upload})
    attachment = report.attachments.get()
    download = client_for(world.analyst_b).get(reverse("reports:attachment", args=[report.pk, attachment.pk]))
    served = b"".join(download.streaming_content)
    image = Image.open(io.BytesIO(served))
    assert image.format == "JPEG" and image.size == (16, 16)
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Port camera 7" not in served and b"Exif" not in served
