"""Search in four languages: the SQLite FTS5 table gains the words' stems, PostgreSQL gets a
tsvector table under a GIN index in place of vectors computed at query time, and every
existing report is indexed again."""

from django.db import migrations

from port2port.core.fulltext import Document, FullTextIndex, guess_language

INDEX = FullTextIndex("reports_report_fts")
BODY_FIELDS = ["place", "narrative", "measures_taken", "lessons_learned"]
CHUNK = 2000


def rebuild(apps, schema_editor):
    INDEX.drop(schema_editor)
    INDEX.create(schema_editor)
    Report = apps.get_model("reports", "Report")
    rows = Report.objects.using(schema_editor.connection.alias).order_by("pk").values_list("pk", "title", *BODY_FIELDS)
    chunk = []
    for pk, title, *body in rows.iterator(chunk_size=CHUNK):
        text = "\n".join(part or "" for part in body)
        chunk.append(Document(pk, title, text, guess_language(f"{title}\n{text}")))
        if len(chunk) == CHUNK:
            INDEX.write(schema_editor.connection, chunk)
            chunk = []
    INDEX.write(schema_editor.connection, chunk)


def back_to_words_only(apps, schema_editor):
    """The index of 0002 (SQLite only): title and body, no stems."""
    INDEX.drop(schema_editor)
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE reports_report_fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')"
    )
    schema_editor.execute(
        "INSERT INTO reports_report_fts (rowid, title, body) SELECT id, title, "
        "place || char(10) || narrative || char(10) || measures_taken || char(10) || lessons_learned FROM reports_report"
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_comment_marking_version")]
    operations = [migrations.RunPython(rebuild, back_to_words_only)]
