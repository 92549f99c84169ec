"""The `port2port` command: Django's management commands with the project's settings.

`port2port demo`, `simulate`, `serve`, `worker`, `migrate`, `createadmin` and `audit verify` are management
commands of the project's apps; every other Django command works as well.

Settings are read from the environment once, at import. `port2port demo` must therefore put
demo mode and its data directory into the environment *before* Django starts; this module does
that (for `simulate` too, which works on the demo's database), and the child processes the demo
starts (worker, web server) inherit the same environment.
"""

import argparse
import os
import sys
from pathlib import Path


def demo_environment(args: list[str], environ=os.environ) -> None:
    """Prepare the environment of `port2port demo [--data-dir DIR] [--port N] [--host H]`.

    The demo always runs on its own SQLite database in the data directory, so a DATABASE_URL
    meant for something else (a test server, production) is never touched by it."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir", default="data")
    parser.add_argument("--port", default="8000")
    parser.add_argument("--host", default="127.0.0.1")
    known, _ = parser.parse_known_args(args)
    environ["P2P_DEMO_MODE"] = "true"
    environ["P2P_DATA_DIR"] = str(Path(known.data_dir).expanduser().resolve())
    environ.pop("DATABASE_URL", None)
    environ.pop("P2P_TESTING", None)
    hosts = environ.get("P2P_ALLOWED_HOSTS") or "127.0.0.1,localhost"
    if known.host not in hosts.split(",") and known.host not in {"0.0.0.0", "::"}:
        hosts += f",{known.host}"
    environ["P2P_ALLOWED_HOSTS"] = hosts
    environ.setdefault("P2P_SITE_URL", f"http://{known.host}:{known.port}")


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["demo"], ["simulate"]):
        # simulate talks to a running demo and writes to the demo's database: the same environment.
        demo_environment(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "port2port.settings")
    exit_on_bad_configuration()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["port2port", *args])


def exit_on_bad_configuration() -> None:
    """Load the settings now, so that a missing secret key or a malformed variable ends the
    command with its one-line reason instead of a traceback."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018  (reading it imports and checks the settings)
    except ImproperlyConfigured as error:
        sys.stderr.write(f"port2port: configuration error: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
