"""The SQLite FTS5 index of reports. PostgreSQL searches with its own full-text at query time."""

from django.db import migrations


def create_fts(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS reports_report_fts USING fts5("
        "title, body, tokenize='unicode61 remove_diacritics 2')"
    )


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS reports_report_fts")


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(create_fts, drop_fts)]
