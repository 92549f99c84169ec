"""Running the real `port2port` command in a child process, as an operator would.

The child gets a clean environment: none of the caller's P2P_* variables or DATABASE_URL leak
in, so each test says exactly which configuration it runs under.
"""

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path


def port2port(*args: str) -> list[str]:
    """The installed console script when there is one (as the README runs it), else the module."""
    script = Path(sys.executable).with_name("port2port")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "port2port.cli", *args]


def environment(**variables: str) -> dict:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("P2P_") and name not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(variables)
    return env


def production_environment(data_dir: Path, **variables: str) -> dict:
    """Production settings: a long random secret key, debug off, one allowed host."""
    return environment(P2P_SECRET_KEY=secrets.token_urlsafe(64), P2P_ALLOWED_HOSTS="ports.example",
                       P2P_DEBUG="false", P2P_DATA_DIR=str(data_dir), **variables)


def run(args: list[str], env: dict, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, input=stdin, capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
