"""The demo network: loaded through the real actions, once, with a year that covers the product."""

import random
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from port2port.core.audit import verify_chain
from port2port.core.permissions import Role
from port2port.core.sharing import Audience, Status, Tlp
from port2port.demo import generate
from port2port.demo.network import DEMO_PASSWORD, ORGANISATIONS, PLATFORM_ADMIN
from port2port.organisations.models import Membership, Organisation, Port, SharingGroup
from port2port.reports.models import Category, Comment, ModusOperandi, Report


@pytest.fixture(autouse=True)
def demo_mode(settings):
    # The demo network loads only in demo mode; `port2port demo` sets it, these tests do here.
    settings.DEMO_MODE = True


@pytest.fixture
def small_demo(db):
    return generate.load(report_count=40)


def test_the_demo_network_is_the_belgian_one_with_people_in_every_role(small_demo):
    assert Organisation.objects.count() == len(ORGANISATIONS)
    assert set(Port.objects.values_list("locode", flat=True)) == {
        "BEANR", "BEZEE", "BEGNE", "NLTNZ", "NLVLI", "BELGG", "BEBRU", "BEOST"}
    for organisation in Organisation.objects.all():
        roles = set(Membership.objects.filter(organisation=organisation).values_list("role", flat=True))
        assert roles == set(Role.values), organisation
    assert set(SharingGroup.objects.values_list("name", flat=True)) == {"Drugs working group", "Drones working group"}


def test_every_demo_account_signs_in_with_the_one_demo_password(small_demo):
    people = get_user_model().objects.all()
    assert people.count() == small_demo.people
    assert all(person.check_password(DEMO_PASSWORD) for person in people)
    assert people.get(email=PLATFORM_ADMIN.email).is_platform_admin


def test_the_demo_audit_log_verifies(small_demo):
    result = verify_chain()
    assert result.ok, result.problems
    assert result.checked > 40


def test_the_platform_admin_reads_no_demo_report(small_demo):
    admin = get_user_model().objects.get(email=PLATFORM_ADMIN.email)
    assert Report.objects.count() == 40
    assert not Report.objects.visible_to(admin).exists()


def test_loading_again_changes_nothing(small_demo):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "loaded already" in out.getvalue()
    assert Report.objects.count() == 40


def test_a_year_of_reports_covers_every_category_label_audience_and_status(db):
    summary = generate.load()
    reports = Report.objects.all()
    assert summary.report_total == reports.count() == generate.REPORT_COUNT
    assert set(reports.values_list("category", flat=True)) == set(Category.values)
    assert set(reports.exclude(modus_operandi="").values_list("modus_operandi", flat=True)) == set(ModusOperandi.values)
    assert set(reports.values_list("tlp", flat=True)) == set(Tlp.values)
    assert set(reports.values_list("audience", flat=True)) == set(Audience.values)
    assert set(reports.values_list("status", flat=True)) == set(Status.values)
    assert Comment.objects.count() == summary.comments > 0
    now = timezone.now()
    assert not reports.filter(occurred_at__gt=now).exists()
    assert not reports.filter(occurred_at__lt=now - timedelta(days=366)).exists()


def test_red_demo_reports_name_the_people_they_go_to(small_demo):
    red = Report.objects.filter(tlp=Tlp.RED).prefetch_related("recipient_people")
    assert red.exists()
    for report in red:
        assert report.audience == Audience.PEOPLE
        assert report.recipient_people.exists()
        assert report.author not in report.recipient_people.all()


def test_the_demo_network_never_loads_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="only in demo mode"):
        call_command("load_demo", reports=0)
    assert not get_user_model().objects.exists()


def test_container_numbers_carry_a_valid_iso_6346_check_digit():
    assert generate.iso6346_check_digit("CSQU305438") == 3  # the standard's own example
    number = generate.container_number(random.Random(1))
    assert generate.iso6346_check_digit(number[:10]) == int(number[10])
