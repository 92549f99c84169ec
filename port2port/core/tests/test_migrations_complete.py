"""The models and their migrations agree: a model change without its migration would reach an
operator's `port2port migrate` as a schema the code does not expect."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
    except SystemExit:
        pytest.fail("A model changed without a migration: run `port2port makemigrations` and commit it.")
