"""What the server acknowledged is never lost: the real server (gunicorn, production settings, a
SQLite database on disk) is killed with SIGKILL while a sensor streams batches into it; every
event of every batch it had answered 200 for is in the database after a restart, the database
is sound, and the batches sent again are recognised as already stored."""

import contextlib
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from port2port.core.management.gunicorn import gunicorn_argv
from port2port.core.tests.commandline import environment, free_port

pytestmark = pytest.mark.slow

BATCH = 200
ACKNOWLEDGED_BEFORE_KILL = 8
STARTUP_SECONDS = 30

# Run in a child with the server's settings: the schema, then a sensor and its credential made
# through the actions, as an officer would make them. Prints the credential's token.
SET_UP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from port2port.organisations import actions as org
from port2port.sensors import actions as sensors
admin = org.create_account(acting_user=None, email="admin@p2p.test", is_platform_admin=True)
port_a = org.create_organisation(acting_user=admin, name="Port A", kind="port_authority")
officer = org.create_account(acting_user=admin, email="officer.a@p2p.test")
org.add_member(acting_user=admin, organisation=port_a, user=officer, role="security_officer")
sensor = sensors.register_sensor(acting_user=officer, organisation=port_a, name="RF detector 1", kind="drone_rf")
print(sensors.issue_credential(sensor, acting_user=officer)[1])
"""


def server_environment(data_dir) -> dict:
    """Production settings (debug off, a secret key), on plain HTTP as behind a TLS proxy."""
    return environment(P2P_SECRET_KEY=secrets.token_urlsafe(64), P2P_DEBUG="false", P2P_DATA_DIR=str(data_dir),
                       P2P_ALLOWED_HOSTS="127.0.0.1", P2P_SSL_REDIRECT="false", P2P_LOG_LEVEL="WARNING",
                       DJANGO_SETTINGS_MODULE="port2port.settings")


def start_server(port: int, env: dict, log) -> subprocess.Popen:
    argv = gunicorn_argv(bind=f"127.0.0.1:{port}", workers=2, threads=4, quiet=True)
    server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, process_group=0)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
            return server
        time.sleep(0.2)
    kill(server)
    raise AssertionError("the server did not start")


def kill(server: subprocess.Popen, sig=signal.SIGKILL) -> None:
    """The whole process group: gunicorn's arbiter and its workers, mid-request."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, sig)
    server.wait(timeout=30)


def batch(number: int) -> list[dict]:
    at = (datetime.now(UTC) - timedelta(seconds=5)).isoformat()
    return [{"id": f"b{number}-{n}", "kind": "drone_detected", "time": at, "lat": 51.28, "lon": 4.26,
             "drone": {"serial": "1581F6BHK2291047RZ3M", "track_id": f"T-{number}"}} for n in range(BATCH)]


def post(port: int, token: str, events: list[dict], timeout: float = 30) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/ingest", data=json.dumps(events).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        assert response.status == 200
        return json.load(response)


class Sensor(threading.Thread):
    """Posts batch after batch until the server stops answering; keeps what it was told."""

    def __init__(self, port: int, token: str):
        super().__init__(daemon=True)
        self.port, self.token = port, token
        self.sent: list[int] = []
        self.acknowledged: dict[int, dict] = {}  # batch number -> the server's answer
        self.cut_off: Exception | None = None

    def run(self):
        number = 0
        while True:
            self.sent.append(number)
            try:
                self.acknowledged[number] = post(self.port, self.token, batch(number))
            except (OSError, urllib.error.URLError, ValueError) as error:  # reset, refused, cut short
                self.cut_off = error
                return
            number += 1


def stored(database) -> tuple[set[str], str]:
    """The event ids in the database, and what SQLite's integrity check says of it."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        ids = {row[0] for row in connection.execute("SELECT external_id FROM sensors_event")}
        return ids, connection.execute("PRAGMA integrity_check").fetchone()[0]


def test_every_acknowledged_event_survives_the_server_being_killed_mid_stream(tmp_path):
    env = server_environment(tmp_path)
    made = subprocess.run([sys.executable, "-c", SET_UP], env=env, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    token, port = made.stdout.strip().splitlines()[-1], free_port()

    with (tmp_path / "server.log").open("w") as log:
        server = start_server(port, env, log)
        sensor = Sensor(port, token)
        sensor.start()
        deadline = time.monotonic() + 20
        while len(sensor.acknowledged) < ACKNOWLEDGED_BEFORE_KILL and sensor.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        kill(server)
        sensor.join(timeout=30)
        assert sensor.cut_off is not None, "the stream was not cut by the kill"
        assert len(sensor.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL, (tmp_path / "server.log").read_text()[-2000:]

        server = start_server(port, env, log)
        try:
            # The sensor sends again everything it sent, as a sensor with a buffer would.
            resent = {number: post(port, token, batch(number)) for number in sensor.sent}
        finally:
            kill(server, signal.SIGTERM)

    ids, integrity = stored(tmp_path / "port2port.sqlite3")
    acknowledged = {f"b{number}-{n}" for number in sensor.acknowledged for n in range(BATCH)}
    assert integrity == "ok"
    assert all(answer["accepted"] == BATCH for answer in sensor.acknowledged.values())
    assert acknowledged <= ids, f"{len(acknowledged - ids)} acknowledged events were lost"
    assert all(resent[number]["duplicate"] == BATCH for number in sensor.acknowledged)
    assert ids == {f"b{number}-{n}" for number in sensor.sent for n in range(BATCH)}
