"""A first end-to-end look: indicators added through the action correlate across reports."""

from port2port.core.sharing import Audience, Tlp
from port2port.indicators import correlation
from port2port.indicators.actions import NewIndicator, add_indicators
from port2port.indicators.models import Indicator


def test_the_same_container_in_two_visible_reports_correlates_and_an_invisible_one_does_not(world):
    mine = world.report(tlp=Tlp.AMBER, audience=Audience.NETWORK)
    partners = world.report(author=world.analyst_b, organisation=world.org_b, tlp=Tlp.GREEN, audience=Audience.NETWORK)
    hidden = world.report(author=world.analyst_b, organisation=world.org_b, tlp=Tlp.AMBER, audience=Audience.OWNER)
    for report, author in ((mine, world.analyst_a), (partners, world.analyst_b), (hidden, world.analyst_b)):
        add_indicators(report, acting_user=author, items=[NewIndicator("container", "MSKU 123456-5")])
    [result] = correlation.correlate(mine, world.analyst_a)
    assert [m.report for m in result.matches] == [partners]
    assert result.total == 1
    assert Indicator.objects.visible_to(world.analyst_a).count() == 2
