"""The operator's commands: `createadmin` and `audit verify`."""

import io
import sqlite3

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from port2port.core.models import AuditEvent

from .commandline import port2port, production_environment, run

STRONG_PASSWORD = "quay-lantern-harbour-9"


def create_admin(*args, password=STRONG_PASSWORD):
    out = io.StringIO()
    call_command("createadmin", *args, "--password-stdin", stdin=io.StringIO(password + "\n"), stdout=out)
    return out.getvalue()


def test_createadmin_makes_a_platform_admin_through_the_audited_action(db):
    output = create_admin("--email", "Ops@Ports.example", "--full-name", "Olivia Ops")
    admin = get_user_model().objects.get(email="ops@ports.example")
    assert admin.is_platform_admin and admin.full_name == "Olivia Ops"
    assert admin.check_password(STRONG_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.create", target_id=str(admin.pk)).exists()
    assert "ops@ports.example created" in output


def test_createadmin_refuses_a_weak_password_and_saves_nothing(db):
    with pytest.raises(CommandError, match="^password: "):
        create_admin("--email", "ops@ports.example", password="short")
    assert not get_user_model().objects.exists()


def test_createadmin_refuses_an_address_that_has_an_account(world):
    with pytest.raises(CommandError, match="^email: "):
        create_admin("--email", world.analyst_a.email)


def test_createadmin_without_a_terminal_asks_for_the_options(db):
    with pytest.raises(CommandError, match="--email and --password-stdin"):
        call_command("createadmin", stdin=io.StringIO(""))


def test_audit_verify_reports_an_intact_chain(world):
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"Checked {AuditEvent.objects.count()} audit entries." in out.getvalue()
    assert "intact" in out.getvalue()


def test_audit_verify_lists_each_break_and_fails(world):
    AuditEvent.objects.filter(seq=3).update(action="organisations.nothing_happened")
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", stdout=out)
    assert failure.value.returncode == 1
    assert "entry 3: content does not match its hash (modified)" in out.getvalue()


@pytest.mark.slow
def test_the_command_line_exits_1_on_a_tampered_audit_log(tmp_path):
    """The whole path an operator's timer takes: a real database, a real process, exit codes."""
    env = production_environment(tmp_path)
    assert run(port2port("migrate", "-v", "0"), env).returncode == 0
    created = run(port2port("createadmin", "--email", "root@ports.example", "--password-stdin"), env,
                  stdin=STRONG_PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    assert run(port2port("audit", "verify"), env).returncode == 0

    with sqlite3.connect(tmp_path / "port2port.sqlite3") as database:
        database.execute("UPDATE core_auditevent SET actor_label = 'someone-else@ports.example' WHERE seq = 1")

    verified = run(port2port("audit", "verify"), env)
    assert verified.returncode == 1
    assert "entry 1: content does not match its hash (modified)" in verified.stdout
    assert "The audit log has 1 problem(s)." in verified.stderr


def test_simulate_runs_in_the_demos_environment(monkeypatch, tmp_path):
    from port2port import cli

    seen = {}
    monkeypatch.setattr(cli, "demo_environment", lambda args, environ=None: seen.setdefault("args", args))
    monkeypatch.setattr(cli, "exit_on_bad_configuration", lambda: None)
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: seen.setdefault("argv", argv))
    cli.main(["simulate", "--data-dir", str(tmp_path), "--rate", "5"])
    assert seen["args"] == ["--data-dir", str(tmp_path), "--rate", "5"]
    assert seen["argv"] == ["port2port", "simulate", "--data-dir", str(tmp_path), "--rate", "5"]
