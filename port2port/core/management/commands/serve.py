"""`port2port serve`: the production web server (gunicorn, gthread workers).

It refuses to start in a state that would hurt: debug or demo mode on, deployment checks
failing, database migrations not applied, static files not collected. The secret key is checked
by the settings.
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from port2port.core.management.gunicorn import gunicorn_argv


class Command(BaseCommand):
    help = "Serve the web UI and the API with gunicorn, for production (behind a reverse proxy)."
    # The deployment checks run below, at the level this command asks for.
    requires_system_checks = []

    def add_arguments(self, parser):
        # argparse converts these string defaults with `type`, so a bad variable fails loudly.
        env = os.environ.get
        parser.add_argument("--bind", default=env("P2P_BIND", "127.0.0.1:8000"),
                            help="Address to listen on, HOST:PORT or unix:PATH (env P2P_BIND; default %(default)s).")
        parser.add_argument("--workers", type=int, default=env("P2P_WORKERS", "3"),
                            help="Worker processes (env P2P_WORKERS; default %(default)s).")
        parser.add_argument("--threads", type=int, default=env("P2P_THREADS", "4"),
                            help="Threads per worker process (env P2P_THREADS; default %(default)s).")
        parser.add_argument("--timeout", type=int, default=env("P2P_TIMEOUT", "60"),
                            help="Seconds before a silent worker is restarted (env P2P_TIMEOUT; default %(default)s).")

    def handle(self, *, bind: str, workers: int, threads: int, timeout: int, **options):
        refuse_unsafe_start()
        argv = gunicorn_argv(bind=bind, workers=workers, threads=threads, timeout=timeout)
        self.stdout.write(f"Serving Port 2 Port on {bind} ({workers} workers × {threads} threads).")
        self.stdout.flush()
        # gunicorn takes this process's place, so a service manager's signals reach it directly.
        os.execv(argv[0], argv)


def refuse_unsafe_start() -> None:
    if settings.DEBUG:
        raise CommandError("Refusing to serve with P2P_DEBUG on: error pages would show internals to the network.")
    if settings.DEMO_MODE:
        raise CommandError(
            "Refusing to serve in demo mode (P2P_DEMO_MODE): no MFA, no secure cookies, a published "
            "demo password. `port2port demo` runs the demo on a laptop."
        )
    call_command("check", deploy=True, fail_level="ERROR")
    if pending_migrations():
        raise CommandError("The database is not up to date: run `port2port migrate` first.")
    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        raise CommandError("Static files are not collected: run `port2port collectstatic --noinput` first.")


def pending_migrations() -> list:
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())
