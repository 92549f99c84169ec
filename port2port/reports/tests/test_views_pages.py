"""The report pages doing their job: home, list, detail, create, edit, share, close, comment,
attachments and history, each through the real actions."""

from datetime import datetime, timedelta, timezone

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone as django_timezone

from port2port.core.models import AuditEvent
from port2port.core.sharing import Audience, Status, Tlp
from port2port.reports import actions
from port2port.reports.models import Category, Report

WHEN = "2026-03-04T03:30"


def report_data(**overrides):
    """A valid POST of the create form, as a browser sends it."""
    data = {
        "title": "Clone container found at gate 4",
        "category": Category.DRUG_SMUGGLING,
        "modus_operandi": "clone_container",
        "occurred_at": WHEN,
        "severity": "high",
        "source_reliability": "B",
        "info_credibility": "2",
        "narrative": "A container with a duplicated number was stopped at gate 4.",
        "place": "Gate 4",
        "latitude": "51.29",
        "longitude": "4.26",
        "tlp": Tlp.AMBER,
        "audience": Audience.NETWORK,
        "intent": "share",
    }
    data.update(overrides)
    return data


# --- home -------------------------------------------------------------------------------------


def test_home_shows_what_is_new_for_me(world, client_for):
    world.report(title="Network AMBER report", occurred_at=django_timezone.now() - timedelta(days=2))
    world.report(world.analyst_b, world.org_b, title="Named for Port A", tlp=Tlp.AMBER,
                 audience=Audience.ORGANISATIONS, recipient_orgs=[world.org_a])
    world.report(title="My draft", share_now=False)
    world.report(world.analyst_b, world.org_b, title="Red for someone else", tlp=Tlp.RED,
                 audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    response = client_for(world.analyst_a).get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert [r.title for r in response.context["named"]] == ["Named for Port A"]
    assert [r.title for r in response.context["drafts"]] == ["My draft"]
    assert "Network AMBER report" in body
    assert "Red for someone else" not in body
    counts = {row["value"]: row["count"] for row in response.context["category_counts"]}
    assert counts[Category.DRUG_SMUGGLING] == 1  # the recent one; drafts and older reports not counted


def test_home_lists_a_red_report_under_shared_with_me_by_name(world, client_for):
    world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b], title="For Rita only")
    response = client_for(world.red_reader_b).get(reverse("home"))
    assert [r.title for r in response.context["named"]] == ["For Rita only"]


# --- list -------------------------------------------------------------------------------------


def test_the_list_shows_only_what_i_may_see(world, client_for):
    world.report(title="Shared with the network")
    world.report(title="Kept at Port A", audience=Audience.OWNER)
    response = client_for(world.analyst_b).get(reverse("reports:list"))
    titles = [r.title for r in response.context["page"]]
    assert titles == ["Shared with the network"]


def test_the_list_filters_by_category_port_label_status_and_period(world, client_for):
    world.report(title="Old drone", category=Category.DRONE, modus_operandi="", tlp=Tlp.GREEN,
                 occurred_at=datetime(2026, 1, 10, 12, tzinfo=timezone.utc))
    world.report(title="New drone", category=Category.DRONE, modus_operandi="", tlp=Tlp.GREEN,
                 occurred_at=datetime(2026, 3, 10, 12, tzinfo=timezone.utc))
    world.report(title="Drugs", tlp=Tlp.AMBER)
    world.report(world.analyst_b, world.org_b, title="At Ghent", port=world.port_b, category=Category.THEFT)
    client = client_for(world.analyst_a)

    def titles(**query):
        return sorted(r.title for r in client.get(reverse("reports:list"), query).context["page"])

    assert titles(category="drone") == ["New drone", "Old drone"]
    assert titles(tlp="green", occurred_from="2026-03-01") == ["New drone"]
    assert titles(occurred_to="2026-01-31") == ["Old drone"]
    assert titles(port=world.port_b.pk) == ["At Ghent"]
    assert titles(status="closed") == []


def test_an_invalid_filter_is_named_and_left_out(world, client_for):
    world.report(title="Still listed")
    response = client_for(world.analyst_a).get(reverse("reports:list"), {"category": "piracy"})
    assert "category" in response.context["form"].errors
    assert [r.title for r in response.context["page"]] == ["Still listed"]


def test_search_finds_only_visible_reports(world, client_for):
    world.report(title="Reefer tampering at quay 9", tlp=Tlp.GREEN)
    world.report(title="Reefer secret", tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    response = client_for(world.analyst_b).get(reverse("reports:list"), {"q": "reefer"})
    assert [r.title for r in response.context["page"]] == ["Reefer tampering at quay 9"]


def test_htmx_gets_the_results_alone(world, client_for):
    world.report(title="Drone over the terminal", category=Category.DRONE, modus_operandi="")
    response = client_for(world.analyst_a).get(reverse("reports:list"), {"category": "drone"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="results"')
    assert "<html" not in body
    assert "Drone over the terminal" in body
    assert "HX-Request" in response["Vary"]


def test_the_list_is_paginated(world, client_for):
    for number in range(27):
        world.report(title=f"Report {number}")
    client = client_for(world.analyst_a)
    first = client.get(reverse("reports:list"))
    second = client.get(reverse("reports:list"), {"page": 2})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 2


# --- detail -----------------------------------------------------------------------------------


def test_the_detail_page_shows_the_report_its_marking_in_words_and_audits_the_read(world, client_for):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.GROUP, sharing_group=world.drugs_group,
                          latitude=51.29, longitude=4.26, measures_taken="Extra patrols.")
    response = client_for(world.analyst_b).get(reverse("reports:detail", args=[report.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "TLP:AMBER" in body
    assert "shared with: Drugs (sharing group)" in body
    assert "Extra patrols." in body
    assert 'data-lat="51.290000"' in body
    assert not response.context["can_edit"]
    assert reverse("reports:edit", args=[report.pk]) not in body
    read = AuditEvent.objects.filter(action="reports.read", target_id=str(report.pk)).latest("seq")
    assert read.actor_id == world.analyst_b.pk and read.detail["channel"] == "web"


def test_editors_see_edit_share_and_close(world, client_for):
    report = world.report()
    response = client_for(world.officer_a).get(reverse("reports:detail", args=[report.pk]))
    body = response.content.decode()
    for name in ("reports:edit", "reports:share", "reports:close", "reports:attach"):
        assert reverse(name, args=[report.pk]) in body


def test_a_red_report_names_its_people(world, client_for):
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    body = client_for(world.red_reader_b).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "TLP:RED" in body and "shared with: Rita Recipient" in body


# --- create and edit --------------------------------------------------------------------------


def test_an_analyst_files_and_shares_a_report(world, client_for):
    response = client_for(world.analyst_a).post(reverse("reports:create"), report_data(organisation=world.org_a.pk, port=world.port_a.pk))
    report = Report.objects.get(title="Clone container found at gate 4")
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert (report.owner_org, report.author, report.status) == (world.org_a, world.analyst_a, Status.SHARED)
    assert (report.tlp, report.audience, report.port, report.latitude) == (Tlp.AMBER, Audience.NETWORK, world.port_a, 51.29)
    assert report.occurred_at == datetime(2026, 3, 4, 2, 30, tzinfo=timezone.utc)  # 03:30 in Brussels


def test_save_as_draft_keeps_the_report_to_its_editors(world, client_for):
    client_for(world.analyst_a).post(reverse("reports:create"), report_data(organisation=world.org_a.pk, intent="draft"))
    report = Report.objects.get()
    assert report.status == Status.DRAFT
    assert not Report.objects.visible_to(world.analyst_b).exists()


def test_a_red_report_is_created_for_named_people(world, client_for):
    data = report_data(organisation=world.org_a.pk, tlp=Tlp.RED, audience=Audience.PEOPLE,
                       recipient_people=[world.red_reader_b.pk])
    client_for(world.analyst_a).post(reverse("reports:create"), data)
    report = Report.objects.get()
    assert list(report.recipient_people.all()) == [world.red_reader_b]


def test_the_create_form_offers_only_organisations_where_i_may_file(world, client_for):
    response = client_for(world.analyst_a).get(reverse("reports:create"))
    assert list(response.context["form"].fields["organisation"].queryset) == [world.org_a]


def test_the_people_picker_shows_names_and_organisations_not_addresses(world, client_for):
    response = client_for(world.analyst_a).get(reverse("reports:create"))
    people = response.context["marking_form"].fields["recipient_people"]
    assert world.outsider_c not in people.queryset  # no relationship with Port A
    assert world.red_reader_b in people.queryset
    assert "Rita Recipient — Port B" in response.content.decode()
    assert "red.b@p2p.test" not in response.content.decode()


def test_an_edit_changes_the_content_and_never_the_marking(world, client_for):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.GROUP, sharing_group=world.drugs_group)
    data = report_data(title="Clone container, corrected", tlp=Tlp.CLEAR, audience=Audience.PUBLIC, port=world.port_a.pk)
    response = client_for(world.officer_a).post(reverse("reports:edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "Clone container, corrected"
    assert (report.tlp, report.audience, report.version) == (Tlp.AMBER, Audience.GROUP, 2)


def test_the_edit_form_starts_from_the_report(world, client_for):
    report = world.report()
    form = client_for(world.analyst_a).get(reverse("reports:edit", args=[report.pk])).context["form"]
    assert form["title"].value() == report.title
    assert 'value="2026-03-04T03:30"' in str(form["occurred_at"])


# --- share, close -----------------------------------------------------------------------------


def test_sharing_a_draft_publishes_it_to_the_chosen_group(world, client_for):
    report = world.report(share_now=False)
    data = {"tlp": Tlp.GREEN, "audience": Audience.GROUP, "sharing_group": world.drugs_group.pk}
    response = client_for(world.officer_a).post(reverse("reports:share", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.tlp, report.sharing_group) == (Status.SHARED, Tlp.GREEN, world.drugs_group)
    assert Report.objects.visible_to(world.analyst_b).filter(pk=report.pk).exists()


def test_widening_a_shared_report_asks_for_an_explicit_yes(world, client_for):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.OWNER)
    client = client_for(world.officer_a)
    data = {"tlp": Tlp.AMBER, "audience": Audience.NETWORK}
    refused = client.post(reverse("reports:share", args=[report.pk]), data)
    assert refused.status_code == 200
    assert "confirm_loosening" in refused.context["form"].errors
    report.refresh_from_db()
    assert report.audience == Audience.OWNER
    client.post(reverse("reports:share", args=[report.pk]), {**data, "confirm_loosening": "on"})
    report.refresh_from_db()
    assert report.audience == Audience.NETWORK
    share = AuditEvent.objects.filter(action="reports.share").latest("seq")
    assert share.detail["loosened"] is True


def test_tightening_needs_no_confirmation(world, client_for):
    report = world.report(tlp=Tlp.GREEN, audience=Audience.NETWORK)
    client_for(world.officer_a).post(reverse("reports:share", args=[report.pk]), {"tlp": Tlp.AMBER, "audience": Audience.NETWORK})
    report.refresh_from_db()
    assert report.tlp == Tlp.AMBER


def test_closing_a_report_keeps_it_readable(world, client_for):
    report = world.report()
    response = client_for(world.officer_a).post(reverse("reports:close", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert client_for(world.analyst_b).get(reverse("reports:detail", args=[report.pk])).status_code == 200


def test_closing_a_draft_is_explained_not_done(world, client_for):
    report = world.report(share_now=False)
    response = client_for(world.officer_a).post(reverse("reports:close", args=[report.pk]), follow=True)
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert "Only a shared report can be closed." in response.content.decode()


# --- comments, attachments, history -----------------------------------------------------------


def test_a_partner_comments_on_a_report(world, client_for):
    report = world.report()
    response = client_for(world.analyst_b).post(reverse("reports:comment", args=[report.pk]), {"body": "Same car seen in Ghent."})
    assert response.status_code == 302
    comment = report.comments.get()
    assert (comment.author, comment.organisation, comment.body) == (world.analyst_b, world.org_b, "Same car seen in Ghent.")


def test_an_editor_attaches_a_file_and_a_reader_downloads_it(world, client_for):
    report = world.report()
    upload = SimpleUploadedFile("gate-log.csv", b"time,plate\n02:10,1-ABC-123\n", content_type="text/csv")
    response = client_for(world.officer_a).post(reverse("reports:attach", args=[report.pk]), {"file": upload})
    assert response.status_code == 302
    attachment = report.attachments.get()
    download = client_for(world.analyst_b).get(reverse("reports:attachment", args=[report.pk, attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "gate-log.csv" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "text/csv"
    assert b"".join(download.streaming_content) == b"time,plate\n02:10,1-ABC-123\n"
    read = AuditEvent.objects.filter(action="reports.read").latest("seq")
    assert (read.actor_id, read.detail["channel"]) == (world.analyst_b.pk, "attachment")


def test_the_history_shows_what_changed_between_versions(world, client_for):
    report = world.report(title="First title")
    actions.edit_report(report, acting_user=world.analyst_a, title="Second title")
    response = client_for(world.analyst_b).get(reverse("reports:history", args=[report.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    newest = response.context["versions"][0]
    assert newest["changes"] == [{"label": "Title", "old": "First title", "new": "Second title"}]
    assert "First title" in body and "Second title" in body
