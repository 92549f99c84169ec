"""Data migrations of indicators, run forwards and back on real rows."""

from importlib import import_module

from django.apps import apps

from port2port.indicators.actions import NewIndicator, add_indicators
from port2port.indicators.models import Indicator

container_keys = import_module("port2port.indicators.migrations.0005_container_keys_found_by_value")


def test_container_keys_leave_the_column_and_come_back_when_reversed(world):
    report = world.report()
    add_indicators(report, acting_user=world.analyst_a, items=[
        NewIndicator("container", "MSKU 123456 5"), NewIndicator("container", "CSQU305438"),
        NewIndicator("plate", "1-ABC-123")])
    before = {"MSKU1234565": "MSKU123456", "CSQU305438": "CSQU305438", "BE:1ABC123": "1A8C123"}
    for value, key in before.items():  # the keys as they were stored before the migration
        Indicator.objects.filter(value=value).update(fuzzy_key=key)

    container_keys.forget_container_keys(apps, None)
    assert dict(Indicator.objects.values_list("value", "fuzzy_key")) == {
        "MSKU1234565": "", "CSQU305438": "", "BE:1ABC123": "1A8C123"}

    container_keys.restore_container_keys(apps, None)
    assert dict(Indicator.objects.values_list("value", "fuzzy_key")) == before
