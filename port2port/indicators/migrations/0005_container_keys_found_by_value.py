"""Containers' near matches are found by value (models.NEAR_BY_VALUE_KINDS): their fuzzy keys
leave the column, and with it the partial (kind, fuzzy_key) index."""

from django.db import migrations
from django.db.models.functions import Substr

CONTAINER_BODY_LENGTH = 10  # owner code, category and serial: the number without its check digit


def forget_container_keys(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(kind="container").exclude(fuzzy_key="").update(fuzzy_key="")


def restore_container_keys(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(kind="container").update(fuzzy_key=Substr("value", 1, CONTAINER_BODY_LENGTH))


class Migration(migrations.Migration):

    dependencies = [("indicators", "0004_lighter_indexes")]

    operations = [migrations.RunPython(forget_container_keys, restore_container_keys)]
