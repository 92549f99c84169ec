"""Known-benign values left out of correlation: example numbers from standards and documentation,
and services so common that a match says nothing. Operators add their own."""

from django.db import migrations

BENIGN = [
    ("container", "CSQU3054383", "the example number of ISO 6346 itself"),
    ("domain", "example.com", "reserved for documentation (RFC 2606)"),
    ("domain", "example.org", "reserved for documentation (RFC 2606)"),
    ("domain", "example.net", "reserved for documentation (RFC 2606)"),
    ("domain", "google.com", "a service almost everyone uses"),
    ("domain", "microsoft.com", "a service almost everyone uses"),
    ("domain", "outlook.com", "a service almost everyone uses"),
    ("domain", "gmail.com", "a service almost everyone uses"),
    ("ip", "8.8.8.8", "a public DNS resolver"),
    ("ip", "1.1.1.1", "a public DNS resolver"),
    ("ip", "127.0.0.1", "the loopback address"),
]


def add(apps, schema_editor):
    from port2port.indicators.types import IndicatorError, normalise

    Entry = apps.get_model("indicators", "WarningListEntry")
    for kind, raw, reason in BENIGN:
        try:
            value = normalise(kind, raw).value
        except IndicatorError:
            continue
        Entry.objects.get_or_create(kind=kind, value=value, defaults={"reason": reason})


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
