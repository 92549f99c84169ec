"""Full-text search over articles in English, Dutch, French and German (see core/fulltext.py):
an FTS5 table on SQLite, a tsvector table under a GIN index on PostgreSQL. Each article is
stemmed in the language it is written in; its title, summary, text and tags are searched.

The actions call `index_article` after every write, in the same transaction. Search only
narrows a queryset the caller has already passed through `visible_to`: it never widens it,
so a match in an invisible article is never shown or counted.
"""

from collections.abc import Iterable

from django.db import connections

from port2port.core.fulltext import Document, FullTextIndex

from .models import Article

INDEX = FullTextIndex("knowledge_article_fts")


def document(pk: int, title: str, summary: str, body: str, language: str, tags: Iterable[str] = ()) -> Document:
    """What is indexed of an article: the title, then summary, text and tags (hyphens in a tag
    separate words, so "pin-code" is found by "pin" and by "code")."""
    text = "\n".join([summary or "", body or "", " ".join(tags)])
    return Document(pk, title or "", text, language)


def index_article(article: Article) -> None:
    """Keep the index in step with an article; call it after every write of its text or tags."""
    index_articles([article])


def index_articles(articles: Iterable[Article], using: str = "default") -> None:
    """Index many articles at once (bulk loads, rebuilds): one query for all their tags."""
    articles = list(articles)
    tags: dict[int, list[str]] = {}
    through = Article.tags.through.objects.using(using).filter(article_id__in=[a.pk for a in articles])
    for article_id, slug in through.values_list("article_id", "tag__slug"):
        tags.setdefault(article_id, []).append(slug)
    INDEX.write(connections[using], [
        document(a.pk, a.title, a.summary, a.body, a.language, sorted(tags.get(a.pk, ()))) for a in articles
    ])


def unindex_article(article_pk: int, using: str = "default") -> None:
    """Take a deleted article out of the index."""
    INDEX.remove(connections[using], [article_pk])


def search(queryset, text: str):
    """Articles of `queryset` that match `text`: every word typed, as written or stemmed in any
    of the four languages, the last one also as the start of a word."""
    return INDEX.narrow(queryset, text)
