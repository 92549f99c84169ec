"""The embedded database's connection settings: what operations.md promises is what runs.
(A cache size below SQLite's own is refused at start: test_deploy.)"""

import pytest
from django.db import connection

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

