"""The sharing rule at the queryset level, one sentence of docs/sharing-rules.md per test."""

from port2port.core.sharing import Audience, Tlp
from port2port.organisations.actions import remove_group_member
from port2port.reports.models import Report


def visible(user, report):
    return Report.objects.visible_to(user).filter(pk=report.pk).exists()


def test_it_shows_network_amber_reports_to_network_members_only(world):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.NETWORK)
    assert visible(world.analyst_b, report)
    assert visible(world.police_analyst, report)
    assert not visible(world.outsider_c, report)
    assert not visible(world.platform_admin, report)
    assert not visible(None, report)


def test_it_hides_red_reports_from_partners_and_admins(world):
    report = world.report(tlp=Tlp.RED, audience=Audience.PEOPLE, recipient_people=[world.red_reader_b])
    assert visible(world.analyst_a, report)  # the author
    assert visible(world.red_reader_b, report)
    for user in (world.admin_a, world.officer_a, world.analyst_b, world.platform_admin, world.police_analyst):
        assert not visible(user, report)


def test_it_hides_drafts_from_everyone_but_editors(world):
    report = world.report(share_now=False)
    assert visible(world.analyst_a, report)
    assert visible(world.officer_a, report)
    assert visible(world.admin_a, report)
    assert not visible(world.analyst_b, report)


def test_leaving_a_group_loses_access_at_once(world):
    report = world.report(tlp=Tlp.GREEN, audience=Audience.GROUP, sharing_group=world.drugs_group)
    assert visible(world.analyst_b, report)
    assert not visible(world.outsider_c, report)
    remove_group_member(world.drugs_group, acting_user=world.admin_a, organisation=world.org_b)
    assert not visible(world.analyst_b, report)


def test_visible_to_returns_each_report_once(world):
    report = world.report(tlp=Tlp.AMBER, audience=Audience.ORGANISATIONS, recipient_orgs=[world.org_b, world.police])
    assert Report.objects.visible_to(world.analyst_b).filter(pk=report.pk).count() == 1
    assert Report.objects.visible_to(world.analyst_a).count() == 1


def test_an_api_key_reads_no_red_not_even_its_makers_own(world):
    from port2port.organisations.actions import create_api_key
    from port2port.organisations.models import viewer_for

    key, _ = create_api_key(acting_user=world.admin_a, organisation=world.org_a, name="SIEM")
    report = world.report(author=world.admin_a, tlp=Tlp.RED, audience=Audience.PEOPLE,
                          recipient_people=[world.red_reader_b])
    key_viewer = viewer_for(world.admin_a, api_key=key)
    assert visible(world.admin_a, report)
    assert not Report.objects.visible_to(key_viewer).filter(pk=report.pk).exists()
    assert not Report.objects.editable_by(key_viewer).filter(pk=report.pk).exists()
