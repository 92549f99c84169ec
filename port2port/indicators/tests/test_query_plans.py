"""The lookups correlation and search make are served by the indicator indexes (SQLite's plan;
PostgreSQL plans by table statistics, so its choice on a test table says nothing)."""

import pytest
from django.db import connection
from django.db.models import Q

from port2port.indicators.correlation import HAS_FUZZY_KEY
from port2port.indicators.models import Indicator

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(row[-1] for row in cursor.fetchall())


def test_a_fuzzy_lookup_uses_the_partial_fuzzy_index(db):
    lookup = Indicator.objects.filter(HAS_FUZZY_KEY, Q(kind="plate", fuzzy_key__in=["1ABC123", "2XYZ001"]))
    assert "USING INDEX indicator_kind_fuzzy_partial" in plan(lookup)


def test_a_fuzzy_lookup_over_two_kinds_uses_the_partial_index_in_each_branch(db):
    from port2port.indicators.correlation import _kind_value_q

    keys = [("plate", "1ABC123"), ("vessel_name", "N0RD1C STAR")]
    found = plan(Indicator.objects.filter(_kind_value_q(keys, "fuzzy_key", each=HAS_FUZZY_KEY)))
    # Stated once for the whole OR, SQLite fell back to walking every report's indicators.
    assert found.count("USING INDEX indicator_kind_fuzzy_partial") == 2 and "autoindex" not in found


def test_the_retention_run_uses_the_partial_review_index(db):
    from django.utils import timezone

    assert "USING INDEX indicator_review_at_partial" in plan(Indicator.objects.due_for_review(timezone.now()))


def test_a_reports_indicators_are_found_through_the_unique_constraint(db):
    assert "sqlite_autoindex_indicators_indicator" in plan(Indicator.objects.filter(report_id=5))


def test_an_exact_match_uses_the_covering_kind_value_index(db):
    lookup = Indicator.objects.filter(kind="container", value__in=["MSKU1234565"]).values("report_id")
    assert "indicator_kind_value_report" in plan(lookup)


def test_a_near_search_for_a_container_uses_the_covering_kind_value_index(world):
    from port2port.indicators import correlation

    lookup = Indicator.objects.visible_to(world.analyst_a).filter(kind="container").filter(
        correlation._near("container", "MSKU123456"))
    found = plan(lookup)
    assert "USING INDEX indicator_kind_value_report (kind=? AND value=?)" in found
    assert "SCAN indicators_indicator" not in found


def correlation_plan(world, partition: str, keys, **options) -> str:
    """The plan of a correlation lookup as correlate runs it: visible_to's rule compiled into
    SQL, with the condition on (kind, value) or (kind, fuzzy key) added."""
    from port2port.indicators.correlation import OtherVisibleIndicators, _kind_value_sql

    visible = OtherVisibleIndicators(world.analyst_a, world.report())
    condition, params = _kind_value_sql(keys, partition, **options)
    sql, params = visible._newest(condition, params, partition, with_total=partition == "value")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " | ".join(row[-1] for row in cursor.fetchall())


def test_correlating_looks_up_each_kind_on_the_kind_value_index(world):
    found = correlation_plan(world, "value", [("container", "MSKU1234565"), ("plate", "1ABC123")])
    assert found.count("USING INDEX indicator_kind_value_report (kind=? AND value=?)") == 2
    assert "SCAN indicators_indicator" not in found


def test_near_matches_are_looked_up_on_the_partial_fuzzy_index_in_each_branch(world):
    found = correlation_plan(world, "fuzzy_key", [("plate", "1ABC123"), ("vessel_name", "N0RD1C STAR")],
                             each_has_a_fuzzy_key=True)
    assert found.count("USING INDEX indicator_kind_fuzzy_partial") == 2
    assert "SCAN indicators_indicator" not in found
