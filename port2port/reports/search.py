"""Full-text search over reports: SQLite FTS5 by default, PostgreSQL full-text otherwise.

Search only narrows a queryset that the caller has already passed through `visible_to`;
it never widens it, so a match in an invisible report is never counted or shown.
"""

import re

from django.db import connection
from django.db.models.expressions import RawSQL

FTS_TABLE = "reports_report_fts"
SEARCHED_FIELDS = ["title", "place", "narrative", "measures_taken", "lessons_learned"]


def _document(report) -> str:
    return "\n".join(getattr(report, name) or "" for name in SEARCHED_FIELDS[1:])


def index_report(report) -> None:
    """Keep the SQLite FTS5 index in step with a report (PostgreSQL computes it at query time)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [report.pk])
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
            [report.pk, report.title, _document(report)],
        )


def _fts5_query(text: str) -> str:
    """Turn what a person typed into a safe FTS5 query: every word must appear, each as a
    prefix, and no FTS5 operator a user typed can change the query's meaning."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " AND ".join(f'"{word}"*' for word in words[:12])


def search(queryset, text: str):
    """Reports of `queryset` that match `text`, best matches first where the database ranks."""
    text = (text or "").strip()
    if not text:
        return queryset
    if connection.vendor == "sqlite":
        query = _fts5_query(text)
        if not query:
            return queryset.none()
        matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [query])
        return queryset.filter(pk__in=matching)
    from django.contrib.postgres.search import SearchQuery, SearchVector

    vector = SearchVector(*SEARCHED_FIELDS, config="simple")
    return queryset.annotate(search_vector=vector).filter(
        search_vector=SearchQuery(text, config="simple", search_type="websearch")
    )
