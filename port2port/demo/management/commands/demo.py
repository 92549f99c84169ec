"""`port2port demo`: the whole platform on a laptop, from an empty folder, with one command.

It prepares the data directory (database, migrations, the demo network, static files), then
runs the background worker and the web server as child processes until Ctrl-C. Demo mode and
the data directory reach the settings through the environment, which `port2port.cli` sets
before Django starts and the children inherit.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from port2port.core.management.gunicorn import gunicorn_argv
from port2port.demo.network import DEMO_PASSWORD, ORGANISATIONS, PLATFORM_ADMIN

STARTUP_SECONDS = 60
STOP_SECONDS = 10
ROLE_ACCOUNTS = ("admin", "officer", "analyst", "viewer")


class Command(BaseCommand):
    help = "Run the demo: a Belgian port network with a year of reports, on SQLite, at http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default %(default)s).")
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on (default %(default)s).")
        parser.add_argument("--data-dir", default="data",
                            help="Folder for the database, files and keys (default ./%(default)s).")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background worker.")
        parser.add_argument("--reset", action="store_true",
                            help="Delete the demo database and attachments first, and load the demo anew.")

    def handle(self, *, port: int, host: str, data_dir: str, no_worker: bool, reset: bool, **options):
        data_dir = Path(data_dir).expanduser().resolve()
        if not settings.DEMO_MODE or settings.DATA_DIR != data_dir:
            raise CommandError("Start the demo as `port2port demo`, which sets demo mode and the data directory.")
        require_free_port(host, port)
        stop_on_signals()
        if reset:
            delete_demo_data(data_dir)
        children = Children()
        try:
            self.prepare()
            self.run(children, host, port, with_worker=not no_worker)
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the demo…")
        finally:
            children.stop()
        self.stdout.write("Demo stopped.")

    def run(self, children: "Children", host: str, port: int, with_worker: bool) -> None:
        """Start the worker and the web server, say where to go, and watch them until stopped."""
        if with_worker:
            children.start("worker", [sys.executable, "-m", "port2port.cli", "worker", "--no-startup-delay"])
        web = children.start("web server", gunicorn_argv(bind=f"{host}:{port}", workers=2, threads=4,
                                                         graceful_timeout=5, quiet=True))
        url = f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else host}:{port}/"
        wait_until_serving(url, web)
        self.welcome(url, settings.DATA_DIR)
        children.watch()

    def prepare(self) -> None:
        self.stdout.write(f"Preparing the demo in {settings.DATA_DIR} …")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)

    def welcome(self, url: str, data_dir: Path) -> None:
        lines = [
            "",
            f"Port 2 Port demo is running at {url}   (Ctrl-C stops it; data in {data_dir})",
            "",
            f"Every demo account has the password: {DEMO_PASSWORD}",
            f"  {PLATFORM_ADMIN.email:<34} platform admin (manages accounts; reads no reports)",
            f"  Each organisation has {', '.join(name + '@' for name in ROLE_ACCOUNTS)} accounts, one per role:",
        ]
        for spec in ORGANISATIONS:
            extras = [p.email.split("@")[0] + "@" for p in spec.people if p.email.split("@")[0] not in ROLE_ACCOUNTS]
            also = f" (also {', '.join(extras)})" if extras else ""
            lines.append(f"    @{spec.domain:<30} {spec.name}{also}")
        lines += [
            "",
            f"  Try analyst@{ORGANISATIONS[0].domain} first.",
            "",
            "Antwerp-Bruges and North Sea Port have drone detectors, AI cameras and gate readers. To see",
            "them send events and raise live alerts, run this in another terminal, in the same folder:",
            f"  {simulate_command(url, data_dir)}",
            "",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()


def simulate_command(url: str, data_dir: Path) -> str:
    """`port2port simulate`, with the options that point it at this demo when they are not the defaults."""
    command = "port2port simulate"
    if url.rstrip("/") != "http://127.0.0.1:8000":
        command += f" --url {url.rstrip('/')}"
    if data_dir != Path("data").resolve():
        command += f" --data-dir {data_dir}"
    return command


def require_free_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As gunicorn does: a port left in TIME_WAIT by a previous run is free to take.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(f"Cannot serve on {host}:{port} ({error.strerror}). Choose another with --port.") from None


def delete_demo_data(data_dir: Path) -> None:
    """Remove the database and the stored files; keep the secret key (sessions just end)."""
    connections.close_all()
    for path in data_dir.glob("port2port.sqlite3*"):
        path.unlink()
    shutil.rmtree(data_dir / "attachments", ignore_errors=True)


def wait_until_serving(url: str, web: subprocess.Popen) -> None:
    """Poll the login page until it answers 200; fail at once on an error page or a dead server."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if web.poll() is not None:
            raise CommandError(f"The web server stopped while starting (exit code {web.returncode}).")
        try:
            with urllib.request.urlopen(url + "accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            raise CommandError(f"The web server answers {error.code} on its login page; see the log above.") from None
        except OSError:
            time.sleep(0.3)
    raise CommandError(f"The web server did not answer within {STARTUP_SECONDS} seconds.")


class Children:
    """The demo's child processes: started together, watched, and stopped together.

    Each child leads its own process group, so Ctrl-C in the terminal reaches the demo alone and
    the demo stops the children in order: gunicorn gets one SIGTERM and shuts down gracefully
    (a SIGINT and a SIGTERM at once can leave its workers hanging), and whatever of a child's
    group is still there after the grace time is killed, its web workers included."""

    def __init__(self):
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        self.processes[name] = subprocess.Popen(argv, process_group=0)
        return self.processes[name]

    def watch(self) -> None:
        """Wait until Ctrl-C or SIGTERM (see `stop_on_signals`) or a child dies."""
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise CommandError(f"The {name} stopped unexpectedly (exit code {process.returncode}).")
            time.sleep(0.5)

    def stop(self) -> None:
        """Ask each child to finish (SIGTERM), then force those that do not within the grace time."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the group: a leader gone may leave workers
            process.wait()


def stop_on_signals() -> None:
    """Ctrl-C and SIGTERM both raise KeyboardInterrupt, which stops the children. SIGINT is set
    explicitly: a shell without job control starts background commands with it ignored."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupt)


def _interrupt(signum, frame):
    raise KeyboardInterrupt
