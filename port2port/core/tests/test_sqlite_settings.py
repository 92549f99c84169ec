"""The embedded database's connection settings: what operations.md promises is what runs.
(A cache size below SQLite's own is refused at start: test_deploy.)"""

import pytest
from django.db import connection

from port2port.settings import sqlite_wal_kept_bytes

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")


@sqlite_only
@pytest.mark.django_db
def test_each_connection_caches_64_mb_of_pages_by_default():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -64 * 1024  # negative: KiB, not pages


@sqlite_only
@pytest.mark.django_db
def test_the_log_is_copied_back_every_100000_pages_by_default():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 100_000


@sqlite_only
@pytest.mark.django_db
def test_after_a_checkpoint_the_log_keeps_the_size_it_takes_between_two():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_size_limit")
        assert cursor.fetchone()[0] == 476_708_864  # 400 MB of 4 KB pages and 64 MB


@pytest.mark.parametrize(("pages", "kept"), [(100_000, 476_708_864), (1_000, 71_204_864), (0, 67_108_864), (-1, 67_108_864)])
def test_the_log_kept_is_what_it_takes_between_two_checkpoints_and_64_mb_more(pages, kept):
    # 0 or less turns the automatic checkpoint off: the log is still cut back to 64 MB.
    assert sqlite_wal_kept_bytes(pages) == kept
