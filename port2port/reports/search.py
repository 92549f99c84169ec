"""Full-text search over reports, in English, Dutch, French and German (see core/fulltext.py):
an FTS5 table on SQLite, a tsvector table under a GIN index on PostgreSQL, kept in step by the
actions in the same transaction as each write.

Reports do not say their language, so it is guessed from their function words; a report
that is too short to tell is indexed with every stemmer. Search only narrows a queryset that
the caller has already passed through `visible_to`; it never widens it, so a match in an
invisible report is never counted or shown.
"""

from collections.abc import Iterable

from django.db import connections

from port2port.core.fulltext import Document, FullTextIndex, guess_language

INDEX = FullTextIndex("reports_report_fts")
BODY_FIELDS = ["place", "narrative", "measures_taken", "lessons_learned"]


def document(pk: int, title: str, *body: str) -> Document:
    """What is indexed of a report, from its title and BODY_FIELDS in that order."""
    text = "\n".join(part or "" for part in body)
    return Document(pk, title or "", text, guess_language(f"{title}\n{text}"))


def index_report(report) -> None:
    """Keep the index in step with a report; the actions call it after every write."""
    index_reports([report])


def index_reports(reports: Iterable, using: str = "default") -> None:
    """Index many reports at once (bulk loads, rebuilds)."""
    INDEX.write(connections[using], [
        document(report.pk, report.title, *(getattr(report, name) for name in BODY_FIELDS)) for report in reports
    ])


def search(queryset, text: str):
    """Reports of `queryset` that match `text`: every word typed, as written or stemmed in any
    of the four languages, the last one also as the start of a word."""
    return INDEX.narrow(queryset, text)
