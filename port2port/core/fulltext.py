"""Full-text search in English, Dutch, French and German, the same way on SQLite and PostgreSQL.

A document (a report, an article) is indexed in one row of a side table keyed by its primary
key: on SQLite an FTS5 table holding its words and their Snowball stems, on PostgreSQL a
`tsvector` built with the language's text-search configuration (plus `simple`, for the words
as written) under a GIN index. A query is the words a person typed, never an expression of
theirs: each word must match (AND), through itself or any language's stem of it (OR), and the
last word also as a prefix, for type-ahead. Operators, quotes and brackets someone types are
only separators, so no input can change the query's meaning or make it fail.

Callers narrow a queryset already passed through `visible_to` with `pk IN (matching rows)`:
search never widens what a person may see, and counts stay those of visible rows. On SQLite,
when many rows match, a page walks the caller's date index and tests each row against the set
of matches, so a common word costs a page, not a sort of every match (see `narrow`).
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connections, transaction
from django.db.models import F, Func, IntegerField
from django.db.models.expressions import RawSQL

# Language code -> Snowball algorithm; PostgreSQL's configurations carry the same names.
LANGUAGES = {"en": "english", "nl": "dutch", "fr": "french", "de": "german"}
MAX_QUERY_WORDS = 12
# A one-letter prefix would expand to thousands of terms; it is matched as a whole word.
MIN_PREFIX = 2
# Past this many matching rows, SQLite does better walking the caller's order (an index on a
# date) and testing each row against the matches, stopping after a page, than fetching every
# match and sorting; it cannot tell which from a virtual table, so `narrow` counts (cheaply).
WALK_ORDER_PAST = 500

# A word is a run of letters and digits, in any script (the underscore separates).
_WORD = re.compile(r"[^\W_]+")
# The combining accents of Latin letters, once a text is decomposed (NFD).
_ACCENT = re.compile("[\u0300-\u036f]")
# French elisions: "l'inspection" is the word "inspection" ("l" alone would have to match too).
_ELISION = re.compile(r"\b(?:c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu)['’](?=\w)")

# Frequent function words unique to one language: enough to tell the four apart in a few
# sentences, cheaply. Words two languages share ("de", "die", "en", "in", "is") are left out.
_FUNCTION_WORDS = {
    "en": "the and of to was were with for on at by from that this are an it not has have which".split(),
    "nl": "het een van op te dat niet met voor zijn werd bij aan naar ook door wordt er geen we ons".split(),
    "fr": "le la les des du un une et est dans pour par sur avec que qui pas au aux été ont sont".split(),
    "de": "der das und ist den dem ein eine mit von zu auf für nicht wurde im bei sich wird wir".split(),
}
_LANGUAGE_OF_WORD = {word: code for code, words in _FUNCTION_WORDS.items() for word in words}


def words(text: str) -> list[str]:
    """The words of `text` as the index sees them: lowercased, without the accents of Latin
    letters (people often type none, and the stems of bare words agree on both sides)."""
    text = text or ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", _ACCENT.sub("", unicodedata.normalize("NFD", text)))
    return _WORD.findall(_ELISION.sub(" ", text.lower()))


@lru_cache(maxsize=4)
def _stemmer(algorithm: str):
    return snowballstemmer.stemmer(algorithm)


@lru_cache(maxsize=200_000)
def stem(language: str, word: str) -> str:
    # Cached: the pure-Python stemmer is slow, and words repeat (Zipf) across documents.
    return _stemmer(LANGUAGES[language]).stemWord(word)


def stems(word: str, languages: Iterable[str] = LANGUAGES) -> set[str]:
    """The word's stems in `languages`, without the word itself."""
    return {stem(language, word) for language in languages} - {word}


def guess_language(text: str, *, sample: int = 400) -> str | None:
    """The language of `text` by its function words, or None when too few to tell: a cheap
    vote over the first `sample` words, for documents that do not carry their language."""
    votes = dict.fromkeys(LANGUAGES, 0)
    for word in words(text[: sample * 12])[:sample]:
        language = _LANGUAGE_OF_WORD.get(word)
        if language:
            votes[language] += 1
    ranked = sorted(votes.items(), key=lambda item: item[1], reverse=True)
    (best, first), (_, second) = ranked[0], ranked[1]
    return best if first >= 2 and first >= 2 * second else None


def document_languages(language: str | None) -> tuple[str, ...]:
    """The stemmers a document is indexed with: its own, or all of them when it is unknown."""
    return (language,) if language in LANGUAGES else tuple(LANGUAGES)


def query_terms(text: str) -> list[tuple[list[str], bool]]:
    """Per word typed (at most MAX_QUERY_WORDS): the alternatives that may match it (the word,
    then its stems in every language, since a query does not say its language) and whether it
    also matches as a prefix (the last word, for type-ahead)."""
    typed = words(text)[:MAX_QUERY_WORDS]
    terms = []
    for position, word in enumerate(typed):
        prefix = position == len(typed) - 1 and len(word) >= MIN_PREFIX
        terms.append(([word, *sorted(stems(word))], prefix))
    return terms


def fts5_query(text: str, *, prefix: bool = True) -> str:
    """An FTS5 MATCH expression for what a person typed, or "" when it holds no word. Every
    term is a quoted string of letters and digits, so nothing typed acts as an operator."""
    groups = []
    for alternatives, last in query_terms(text):
        quoted = [f'"{term}"' for term in alternatives]
        if last and prefix:
            quoted[0] += "*"
        groups.append("(" + " OR ".join(quoted) + ")")
    return " AND ".join(groups)


def _postgres_query(text: str) -> tuple[str, list[str]]:
    """A tsquery expression (SQL) and its parameters: per word, the word as written ('simple')
    or as any language's configuration normalises it, and all words."""
    configs = ["simple", *LANGUAGES.values()]
    groups, params = [], []
    for alternatives, prefix in query_terms(text):
        # Quoted, a run of letters and digits is one operand of to_tsquery whatever it holds.
        operand = f"'{alternatives[0]}'" + (":*" if prefix else "")
        groups.append("(" + " || ".join(f"to_tsquery('{config}', %s)" for config in configs) + ")")
        params += [operand] * len(configs)
    return " && ".join(groups), params


# The FTS5 table's columns and options. Rows hold `words` joined by spaces, and the "ascii"
# tokenizer splits only on ASCII punctuation and spaces, so each of our words is one token and
# a query term is never a phrase. That lets the index keep no positions (detail=column): 2.5
# times smaller, and a prefix three times faster to expand. Prefixes of 2 and 3 letters, which
# match many terms, have their own index.
FTS5_TABLE = "title, body, stems, tokenize='ascii', detail=column, prefix='2 3'"


@dataclass(frozen=True)
class Document:
    """What is indexed of one row: its key, a title (weighted above the rest), the body, and
    its language code (None: unknown, indexed with every stemmer)."""

    pk: int
    title: str
    body: str
    language: str | None = None


@dataclass(frozen=True)
class FullTextIndex:
    """The side table that indexes one model's rows, on either database."""

    table: str

    def create(self, schema_editor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5({FTS5_TABLE})")
        else:
            schema_editor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} (id bigint PRIMARY KEY, vector tsvector NOT NULL)"
            )
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {self.table}_vector ON {self.table} USING gin (vector)")

    def drop(self, schema_editor) -> None:
        schema_editor.execute(f"DROP TABLE IF EXISTS {self.table}")

    def write(self, connection, documents: Iterable[Document]) -> None:
        """Index (or re-index) the documents, in one statement per kind for many at once."""
        documents = list(documents)
        if not documents:
            return
        # One transaction: FTS5 turns each commit into a segment it must merge later.
        with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(d.pk,) for d in documents])
                cursor.executemany(
                    f"INSERT INTO {self.table} (rowid, title, body, stems) VALUES (%s, %s, %s, %s)",
                    [fts5_row(d) for d in documents],
                )
            else:
                for languages, group in _by_languages(documents).items():
                    cursor.executemany(self._postgres_upsert(languages), [_postgres_row(d) for d in group])

    def remove(self, connection, pks: Iterable[int]) -> None:
        key = "rowid" if connection.vendor == "sqlite" else "id"
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE {key} = %s", [(pk,) for pk in pks])

    def narrow(self, queryset, text: str):
        """The rows of `queryset` (already passed through `visible_to`) that match `text`:
        a filter on their keys, so it narrows and never widens, and counts stay right."""
        text = (text or "").strip()
        if not text:
            return queryset
        connection = connections[queryset.db]
        matching = self.matching(connection, text)
        if matching is None:
            return queryset.none()
        if connection.vendor == "sqlite" and self._many_match(connection, text):
            return queryset.alias(fulltext_key=_KeyWalkedInOrder(F("pk"))).filter(fulltext_key__in=matching)
        return queryset.filter(pk__in=matching)

    def _many_match(self, connection, text: str) -> bool:
        """Whether more than WALK_ORDER_PAST rows match. The words as typed are counted first:
        FTS5 stops at the limit there, while a prefix makes it merge every matching term first."""
        exact, full = fts5_query(text, prefix=False), fts5_query(text)
        return self._count_past(connection, exact) or (full != exact and self._count_past(connection, full))

    def _count_past(self, connection, query: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE {self.table} MATCH %s LIMIT %s)",
                [query, WALK_ORDER_PAST + 1],
            )
            return cursor.fetchone()[0] > WALK_ORDER_PAST

    def matching(self, connection, text: str) -> RawSQL | None:
        """A sub-query of the keys of rows matching `text`, or None when it holds no word."""
        if connection.vendor == "sqlite":
            query = fts5_query(text)
            if not query:
                return None
            return RawSQL(f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s", [query])
        expression, params = _postgres_query(text)
        if not expression:
            return None
        return RawSQL(f"SELECT id FROM {self.table} WHERE vector @@ ({expression})", params)

    def _postgres_upsert(self, languages: tuple[str, ...]) -> str:
        # The words as written (for prefixes and exact forms), then as each language stems them;
        # the title weighted A for ranking. Python splits the words, so both databases agree.
        parts = ["setweight(to_tsvector('simple', %(title)s), 'A') || to_tsvector('simple', %(body)s)"]
        parts += [
            f"setweight(to_tsvector('{LANGUAGES[code]}', %(title)s), 'A') || to_tsvector('{LANGUAGES[code]}', %(body)s)"
            for code in languages
        ]
        return (f"INSERT INTO {self.table} (id, vector) VALUES (%(pk)s, {' || '.join(parts)}) "
                "ON CONFLICT (id) DO UPDATE SET vector = EXCLUDED.vector")


def fts5_row(document: Document) -> tuple[int, str, str, str]:
    """The FTS5 row of a document: its words as `words` splits them (so index and query see
    the same words whatever the tokenizer makes of a script), then their stems."""
    title, body = words(document.title), words(document.body)
    found: set[str] = set()
    for word in set(title) | set(body):
        found |= stems(word, document_languages(document.language))
    return document.pk, " ".join(title), " ".join(body), " ".join(sorted(found))


class _KeyWalkedInOrder(Func):
    """The row's key, written "+id" in an ordered query: SQLite's way to say "do not look rows
    up by this term", so that an index gives the order, each row is tested against the set of
    matches, and the first page ends the walk. A count has no order: it looks the matches up."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        query = compiler.query
        ordered = query.order_by or (query.default_ordering and query.get_meta().ordering)
        template = "+%(expressions)s" if ordered else "%(expressions)s"
        return super().as_sql(compiler, connection, template=template, **extra)


def _by_languages(documents: list[Document]) -> dict[tuple[str, ...], list[Document]]:
    groups: dict[tuple[str, ...], list[Document]] = {}
    for document in documents:
        groups.setdefault(document_languages(document.language), []).append(document)
    return groups


def _postgres_row(document: Document) -> dict:
    return {"pk": document.pk, "title": " ".join(words(document.title)), "body": " ".join(words(document.body))}
