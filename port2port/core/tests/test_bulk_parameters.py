"""core.bulk turns values into database parameters as Django itself would, with less work."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection
from hypothesis import given, settings, strategies as st

from port2port.core import bulk
from port2port.sensors.actions import register_sensor
from port2port.sensors.models import Event

pytestmark = pytest.mark.django_db

moments = st.builds(lambda moment, hours: moment.replace(tzinfo=timezone(timedelta(hours=hours))) if hours is not None
                    else moment.replace(tzinfo=UTC), st.datetimes(min_value=datetime(1990, 1, 1)),
                    st.one_of(st.none(), st.integers(-12, 14)))


@settings(max_examples=200, deadline=None)
@given(moments)
def test_a_datetime_becomes_the_parameter_django_makes(moment):
    convert = bulk._converter(Event._meta.get_field("occurred_at"), connection)
    assert convert(moment) == connection.ops.adapt_datetimefield_value(moment)


json_atoms = st.one_of(st.text(), st.integers(), st.booleans(), st.none())


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.dictionaries(st.text(), json_atoms, max_size=6), st.lists(json_atoms, max_size=6)))
def test_a_flat_object_or_list_is_written_as_json_that_reads_back_the_same(value):
    text = bulk._json_text(value)
    assert json.loads(text) == value and json.loads(json.dumps(value)) == value


@pytest.mark.parametrize("value", [{"nested": {"a": [1, 2]}}, {"float": 1.5}, [1.0, float("nan")], {"lone": "\ud800"},
                                   ["\udfff"], "text", 7, {1: "a key that is no text"}])
def test_anything_else_is_written_by_the_standard_library(value):
    assert bulk._json_text(value) == json.JSONEncoder().encode(value)


def test_what_the_standard_library_refuses_is_refused():
    with pytest.raises(TypeError):
        bulk._json_text({"when": datetime(2026, 1, 1)})


def test_json_written_compactly_in_utf8_reads_back_and_is_found_by_its_keys(world):
    from port2port.indicators.actions import NewIndicator, add_indicators
    from port2port.indicators.models import Indicator

    report = world.report()
    add_indicators(report, acting_user=world.analyst_a, items=[NewIndicator("company", "Société Générale Düsseldorf")])
    assert Indicator.objects.get(report=report).extra == {"name": "Société Générale Düsseldorf"}
    assert Indicator.objects.filter(extra__name="Société Générale Düsseldorf").count() == 1


def test_prepared_rows_go_in_as_they_are_and_come_back_as_saved(world):
    sensor = register_sensor(acting_user=world.officer_a, organisation=world.org_a, name="RF 1", kind="drone_rf",
                             port=world.port_a)
    columns = ("sensor_id", "organisation_id", "external_id", "kind", "occurred_at", "received_at", "zone_name",
               "drone_serial", "drone_model", "rf_band", "track_id", "badge_hash", "operator_id", "raw")
    moment = datetime(2026, 6, 3, 21, 58, 7, 120000, tzinfo=UTC)
    rows = [(sensor.pk, sensor.organisation_id, f"e-{n}", "drone_detected", moment, moment, *[""] * 7,
             bulk.EncodedJSON('{"n":%d}' % n)) for n in range(3)]
    ids = bulk.insert_returning_ids(Event, columns, bulk.prepare(Event, columns, rows))
    saved = Event.objects.filter(pk__in=ids).order_by("pk")
    assert [(e.external_id, e.occurred_at, e.raw) for e in saved] == [(f"e-{n}", moment, {"n": n}) for n in range(3)]
