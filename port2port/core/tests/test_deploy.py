"""Production settings pass Django's deployment checks, and refuse to run unsafely."""

import pytest

from .commandline import environment, port2port, production_environment, run

pytestmark = pytest.mark.slow


def test_production_settings_pass_the_deployment_checks_without_a_warning(tmp_path):
    result = run(port2port("check", "--deploy", "--fail-level", "WARNING"), production_environment(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run(port2port("check"), environment(P2P_DATA_DIR=str(tmp_path)))
    assert result.returncode != 0
    assert "P2P_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_to_start_with_debug_on(tmp_path):
    result = run(port2port("serve"), environment(P2P_DATA_DIR=str(tmp_path), P2P_DEBUG="true"))
    assert result.returncode != 0
    assert "Refusing to serve with P2P_DEBUG on" in result.stderr


def test_serve_refuses_demo_mode(tmp_path):
    result = run(port2port("serve"), production_environment(tmp_path, P2P_DEMO_MODE="true"))
    assert result.returncode != 0
    assert "Refusing to serve in demo mode" in result.stderr


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path):
    result = run(port2port("serve"), production_environment(tmp_path))
    assert result.returncode != 0
    assert "run `port2port migrate` first" in result.stderr


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("P2P_SESSION_HOURS", "eight", "P2P_SESSION_HOURS must be a whole number"),
    ("P2P_SQLITE_CACHE_MB", "1", "P2P_SQLITE_CACHE_MB must be at least 2"),
])
def test_a_malformed_variable_is_named_in_a_one_line_error(tmp_path, variable, value, message):
    result = run(port2port("check"), production_environment(tmp_path, **{variable: value}))
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
