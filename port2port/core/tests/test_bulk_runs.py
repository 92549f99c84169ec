"""Ids handed to a task as runs of consecutive numbers (core.bulk.id_runs) come back whole."""

from hypothesis import given
from hypothesis import strategies as st

from port2port.core.bulk import id_runs, ids_of


def test_one_insert_of_consecutive_ids_is_one_run():
    assert id_runs(range(501, 1501)) == [[501, 1500]]


def test_gaps_start_new_runs_and_order_does_not_matter():
    assert id_runs([9, 3, 4, 5, 11, 10]) == [[3, 5], [9, 11]]


def test_no_ids_no_runs():
    assert id_runs([]) == [] and ids_of([]) == []


@given(st.sets(st.integers(min_value=1, max_value=10**12), max_size=200))
def test_runs_give_back_exactly_the_ids(ids):
    assert ids_of(id_runs(ids)) == sorted(ids)
