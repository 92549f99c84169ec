"""The full-text index of articles (see core/fulltext.py), filled with the articles there are."""

from django.db import migrations

from port2port.core.fulltext import Document, FullTextIndex

INDEX = FullTextIndex("knowledge_article_fts")
CHUNK = 1000


def create_and_fill(apps, schema_editor):
    INDEX.create(schema_editor)
    Article = apps.get_model("knowledge", "Article")
    alias = schema_editor.connection.alias
    articles = Article.objects.using(alias).order_by("pk").values_list("pk", "title", "summary", "body", "language")
    pks = list(articles.values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start:start + CHUNK]
        tags: dict[int, list[str]] = {}
        through = Article.tags.through.objects.using(alias).filter(article_id__in=chunk)
        for article_id, slug in through.order_by("tag__slug").values_list("article_id", "tag__slug"):
            tags.setdefault(article_id, []).append(slug)
        INDEX.write(schema_editor.connection, [
            Document(pk, title, "\n".join([summary, body, " ".join(tags.get(pk, ()))]), language)
            for pk, title, summary, body, language in articles.filter(pk__in=chunk)
        ])


def drop(apps, schema_editor):
    INDEX.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(create_and_fill, drop)]
