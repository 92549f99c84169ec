"""`port2port demo` from a fresh data directory: it loads, serves, and stops cleanly."""

import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from port2port.demo.network import DEMO_PASSWORD, PLATFORM_ADMIN

from .commandline import environment, free_port, port2port, run

pytestmark = pytest.mark.slow

STARTUP_SECONDS = 90


def login_page_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # not listening yet


def wait_until_ready(url: str, demo: subprocess.Popen, log) -> int:
    """Poll until the login page answers 200 and the demo has printed its welcome; return the
    last status seen (0: no answer)."""
    deadline, status = time.monotonic() + STARTUP_SECONDS, 0
    while time.monotonic() < deadline and demo.poll() is None:
        status = login_page_status(url)
        if status == 200 and "is running at" in log.read_text():
            break
        time.sleep(0.5)
    return status


def session_members(sid: int) -> list[int]:
    """Processes of the session the demo leads: the demo, its worker, gunicorn and its workers
    (each child leads its own process group inside the demo's session)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] != "Z":  # after the name: state, ppid, pgrp, session
                members.append(int(stat.parent.name))
    return members


def session_is_gone(sid: int, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while session_members(sid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_the_demo_starts_from_a_fresh_data_dir_serves_its_login_page_and_stops_its_children(tmp_path):
    port, data_dir, log = free_port(), tmp_path / "data", tmp_path / "demo.log"
    with log.open("w") as output:
        demo = subprocess.Popen(port2port("demo", "--port", str(port), "--data-dir", str(data_dir)),
                                env=environment(), stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        status = wait_until_ready(f"http://127.0.0.1:{port}/accounts/login/", demo, log)
        printed = log.read_text()
        assert status == 200, printed[-3000:]
        assert f"http://127.0.0.1:{port}/" in printed
        assert DEMO_PASSWORD in printed and PLATFORM_ADMIN.email in printed
        # SIGTERM to the demo alone: it must stop the worker and the web server itself.
        demo.send_signal(signal.SIGTERM)
        assert demo.wait(timeout=30) == 0
        assert session_is_gone(demo.pid), "a child of the demo outlived it"
    finally:
        for pid in session_members(demo.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    assert (data_dir / "port2port.sqlite3").exists()
    verified = run(port2port("audit", "verify"), environment(P2P_DEMO_MODE="true", P2P_DATA_DIR=str(data_dir)))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "The audit chain is intact." in verified.stdout
