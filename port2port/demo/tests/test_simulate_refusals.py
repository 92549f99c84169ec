"""`port2port simulate` runs only beside the demo: in demo mode, with the demo's sensors loaded."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_it_refuses_to_run_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("simulate", duration=1)


@pytest.mark.django_db
def test_it_asks_for_the_demo_when_its_sensors_are_not_loaded(settings):
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="port2port demo"):
        call_command("simulate", duration=1)


@pytest.mark.django_db
def test_it_refuses_a_data_folder_the_settings_do_not_point_at(settings, tmp_path):
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="P2P_DATA_DIR"):
        call_command("simulate", duration=1, data_dir=str(tmp_path))
