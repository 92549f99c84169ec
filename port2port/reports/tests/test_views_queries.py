"""The report pages run a fixed number of queries, however many reports there are (no N+1)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from port2port.core.sharing import Audience, Tlp
from port2port.reports import actions
from port2port.reports.models import Category


def file_reports(world, count):
    """Reports from two organisations, on several ports, under the labels a partner can see."""
    for number in range(count):
        author, org, port = (world.analyst_a, world.org_a, world.port_a) if number % 2 else (world.analyst_b, world.org_b, world.port_b)
        world.report(author, org, title=f"Reefer report {number}", port=port,
                     tlp=[Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT][number % 3], audience=Audience.NETWORK)


def queries_for(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, data or {}).status_code == 200
    return len(captured)


def test_the_list_runs_the_same_queries_for_3_or_30_reports(world, client_for, django_assert_max_num_queries):
    client = client_for(world.police_analyst)
    file_reports(world, 3)
    few = queries_for(client, reverse("reports:list"))
    file_reports(world, 27)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("reports:list"))
    assert len(response.context["page"]) == 25


def test_filtered_search_and_htmx_results_stay_constant_too(world, client_for, django_assert_max_num_queries):
    client = client_for(world.police_analyst)
    query = {"q": "reefer", "tlp": "amber", "category": Category.DRUG_SMUGGLING, "occurred_from": "2026-01-01"}
    file_reports(world, 3)
    few = queries_for(client, reverse("reports:list"), query)
    file_reports(world, 27)
    with django_assert_max_num_queries(few):
        client.get(reverse("reports:list"), query, HTTP_HX_REQUEST="true")


def test_the_list_stays_within_a_small_budget(world, client_for, django_assert_max_num_queries):
    file_reports(world, 30)
    client = client_for(world.police_analyst)
    # session, user, the viewer's memberships and groups, the count, the page, the ports filter
    with django_assert_max_num_queries(7):
        client.get(reverse("reports:list"))


def test_home_runs_the_same_queries_for_few_or_many_reports(world, client_for, django_assert_max_num_queries):
    client = client_for(world.analyst_a)
    file_reports(world, 3)
    few = queries_for(client, reverse("home"))
    file_reports(world, 27)
    with django_assert_max_num_queries(few):
        client.get(reverse("home"))


def test_the_detail_page_does_not_grow_with_comments_and_attachments(world, client_for, django_assert_max_num_queries):
    report = world.report(tlp=Tlp.GREEN, audience=Audience.ORGANISATIONS, recipient_orgs=[world.org_b, world.police])
    client = client_for(world.officer_a)

    def add_parts(count):
        for number in range(count):
            actions.add_comment(report, acting_user=world.analyst_b, body=f"Comment {number}")
            upload = SimpleUploadedFile(f"note-{number}.txt", b"note", content_type="text/plain")
            actions.add_attachment(report, acting_user=world.officer_a, upload=upload)

    add_parts(1)
    few = queries_for(client, reverse("reports:detail", args=[report.pk]))
    add_parts(10)
    with django_assert_max_num_queries(few):
        client.get(reverse("reports:detail", args=[report.pk]))
