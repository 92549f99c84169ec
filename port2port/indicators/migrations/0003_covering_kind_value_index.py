# The (kind, value) index gains report_id so that counting matches per value reads the index
# only. The new index is built before the old one is dropped, so lookups never lose an index.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0002_warning_list"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="indicator",
            index=models.Index(fields=["kind", "value", "report"], name="indicator_kind_value_report"),
        ),
        migrations.RemoveIndex(
            model_name="indicator",
            name="indicator_kind_value",
        ),
    ]
