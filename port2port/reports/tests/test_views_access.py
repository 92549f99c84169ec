"""Who reaches which report page: invisible is a 404 identical to a missing id, anonymous is
sent to sign in, and a reader who may not change a report gets a 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from port2port.core.sharing import Audience, Tlp
from port2port.reports import actions
from port2port.reports.models import Report

MISSING = 999999


def report_with_attachment(world):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.NETWORK)
    upload = SimpleUploadedFile("notes.txt", b"gate 4 log", content_type="text/plain")
    attachment = actions.add_attachment(report, acting_user=world.analyst_a, upload=upload)
    return report, attachment


# (method, url name, extra kwargs, POST data): every page that takes a report id.
REPORT_ENDPOINTS = [
    ("get", "reports:detail", {}, None),
    ("get", "reports:edit", {}, None),
    ("post", "reports:edit", {}, {"title": "Changed"}),
    ("get", "reports:share", {}, None),
    ("post", "reports:share", {}, {"tlp": "clear", "audience": "network"}),
    ("post", "reports:close", {}, {}),
    ("post", "reports:comment", {}, {"body": "Seen here too."}),
    ("post", "reports:attach", {}, {}),
    ("get", "reports:history", {}, None),
]


def call(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data or {})


@pytest.mark.parametrize("method,name,extra,data", REPORT_ENDPOINTS)
def test_an_outsider_gets_the_same_404_as_for_a_missing_report(world, client_for, method, name, extra, data):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.NETWORK)
    client = client_for(world.outsider_c)
    forbidden = call(client, method, reverse(name, kwargs={"pk": report.pk, **extra}), data)
    missing = call(client, method, reverse(name, kwargs={"pk": MISSING, **extra}), data)
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert Report.objects.get(pk=report.pk).version == report.version  # nothing changed


def test_the_404_page_carries_no_path_id_token_or_nonce(world, client_for):
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    body = client_for(world.analyst_b).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "/reports/" + str(report.pk) not in body
    assert "csrfmiddlewaretoken" not in body
    assert "nonce" not in body


def test_an_outsider_gets_the_same_404_for_an_attachment_as_for_a_missing_one(world, client_for):
    report, attachment = report_with_attachment(world)
    client = client_for(world.outsider_c)
    forbidden = client.get(reverse("reports:attachment", args=[report.pk, attachment.pk]))
    missing = client.get(reverse("reports:attachment", args=[MISSING, attachment.pk]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_an_attachment_is_only_served_through_its_own_report(world, client_for):
    """A reader of report X cannot fetch report Y's attachment by putting X's id in the URL."""
    _, hidden_attachment = report_with_attachment(world)
    Report.objects.filter(pk=hidden_attachment.report_id).update(audience=Audience.OWNER)
    visible = world.report(tlp=Tlp.GREEN, audience=Audience.NETWORK)
    client = client_for(world.analyst_b)
    response = client.get(reverse("reports:attachment", args=[visible.pk, hidden_attachment.pk]))
    missing = client.get(reverse("reports:attachment", args=[visible.pk, MISSING]))
    assert response.status_code == 404
    assert response.content == missing.content


def test_a_red_report_is_a_404_for_everyone_it_does_not_name(world, client_for):
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    for person in (world.admin_a, world.officer_a, world.analyst_b, world.platform_admin, world.police_analyst):
        assert client_for(person).get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client_for(world.red_reader_b).get(reverse("reports:detail", args=[report.pk])).status_code == 200


def test_a_draft_is_a_404_for_partners(world, client_for):
    report = world.report(share_now=False)
    assert client_for(world.analyst_b).get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client_for(world.officer_a).get(reverse("reports:detail", args=[report.pk])).status_code == 200


ANONYMOUS_PAGES = [
    ("get", "home", {}),
    ("get", "reports:list", {}),
    ("get", "reports:create", {}),
    ("post", "reports:create", {}),
    ("get", "reports:detail", {"pk": None}),
    ("get", "reports:edit", {"pk": None}),
    ("get", "reports:share", {"pk": None}),
    ("post", "reports:close", {"pk": None}),
    ("post", "reports:comment", {"pk": None}),
    ("post", "reports:attach", {"pk": None}),
    ("get", "reports:history", {"pk": None}),
    ("get", "reports:attachment", {"pk": None, "attachment_id": None}),
]


@pytest.mark.parametrize("method,name,kwargs", ANONYMOUS_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(world, client, method, name, kwargs):
    report, attachment = report_with_attachment(world)
    filled = {key: (report.pk if key == "pk" else attachment.pk) for key in kwargs}
    url = reverse(name, kwargs=filled)
    response = call(client, method, url, {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_public_pages_show_public_reports_to_visitors_and_nothing_else(world, client, settings):
    settings.PUBLIC_PAGES = True
    public = world.report(tlp=Tlp.CLEAR, audience=Audience.PUBLIC, title="Public advice on drones")
    network = world.report(tlp=Tlp.CLEAR, audience=Audience.NETWORK, title="Network only advice")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Public advice on drones" in home.content.decode()
    assert "Network only advice" not in home.content.decode()
    public_page = client.get(reverse("reports:detail", args=[public.pk]))
    assert public_page.status_code == 200
    assert world.analyst_a.full_name not in public_page.content.decode()  # names stay inside the network
    hidden = client.get(reverse("reports:detail", args=[network.pk]))
    missing = client.get(reverse("reports:detail", args=[MISSING]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_without_public_pages_a_public_report_needs_a_sign_in(world, client, settings):
    settings.PUBLIC_PAGES = False
    public = world.report(tlp=Tlp.CLEAR, audience=Audience.PUBLIC)
    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("reports:detail", args=[public.pk])).status_code == 302


READ_ONLY_ACTIONS = [
    ("get", "reports:edit", None),
    ("post", "reports:edit", {"title": "Changed by a partner"}),
    ("get", "reports:share", None),
    ("post", "reports:share", {"tlp": "clear", "audience": "network"}),
    ("post", "reports:close", {}),
    ("post", "reports:attach", {}),
]


@pytest.mark.parametrize("method,name,data", READ_ONLY_ACTIONS)
def test_a_partner_who_may_read_but_not_change_gets_a_403(world, client_for, method, name, data):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.NETWORK)
    response = call(client_for(world.analyst_b), method, reverse(name, args=[report.pk]), data)
    assert response.status_code == 403
    report.refresh_from_db()
    assert (report.title, report.tlp, report.status) == ("Rip-off attempt at quay 1742", Tlp.AMBER, "shared")


def test_a_viewer_may_not_file_reports(world, client_for):
    assert client_for(world.red_reader_b).get(reverse("reports:create")).status_code == 403


def test_a_viewer_may_not_comment(world, client_for):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.NETWORK)
    response = client_for(world.red_reader_b).post(reverse("reports:comment", args=[report.pk]), {"body": "Hello"})
    assert response.status_code == 403
    assert not report.comments.exists()


def test_only_the_author_edits_a_red_report(world, client_for):
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    assert client_for(world.red_reader_b).get(reverse("reports:edit", args=[report.pk])).status_code == 403
    assert client_for(world.analyst_a).get(reverse("reports:edit", args=[report.pk])).status_code == 200


def test_the_health_check_answers_without_a_sign_in(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_the_error_pages_render_without_a_request():
    """The 500 page is rendered with no request and no user: it must stand on its own."""
    from django.template import loader

    body = loader.get_template("500.html").render()
    assert "Something went wrong" in body and "csrfmiddlewaretoken" not in body


def test_the_403_page_says_why(world, client_for):
    report = world.report()
    response = client_for(world.analyst_b).get(reverse("reports:edit", args=[report.pk]))
    assert response.status_code == 403
    assert "You may read this report but not change it." in response.content.decode()
