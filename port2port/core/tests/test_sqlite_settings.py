"""The embedded database's connection settings: what operations.md promises is what runs."""

import pytest
from django.db import connection

from .commandline import port2port, production_environment, run

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")


@sqlite_only
@pytest.mark.django_db
def test_each_connection_caches_64_mb_of_pages_by_default():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -64 * 1024  # negative: KiB, not pages


@sqlite_only
@pytest.mark.django_db
def test_the_log_is_copied_back_every_30000_pages_by_default():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 30_000


@pytest.mark.slow
def test_a_cache_smaller_than_sqlites_own_is_refused_in_one_line(tmp_path):
    result = run(port2port("check"), production_environment(tmp_path, P2P_SQLITE_CACHE_MB="1"))
    assert result.returncode != 0
    assert "P2P_SQLITE_CACHE_MB must be at least 2" in result.stderr
    assert "Traceback" not in result.stderr
