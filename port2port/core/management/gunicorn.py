"""The gunicorn command line shared by `port2port serve` and `port2port demo`.

gthread workers: a few processes, each with threads, so a slow request (an upload, a search)
does not hold up the others, and no extra server library is needed. Ours spread new connections
over the processes (`core/gunicorn_worker.py`).
"""

import sys


def gunicorn_argv(*, bind: str, workers: int, threads: int, timeout: int = 60, graceful_timeout: int = 30,
                  quiet: bool = False) -> list[str]:
    """The command that runs gunicorn with this interpreter (and so this virtualenv)."""
    argv = [
        sys.executable, "-m", "gunicorn", "port2port.wsgi:application",
        "--worker-class", "port2port.core.gunicorn_worker.SpreadingThreadWorker",
        "--workers", str(workers), "--threads", str(threads),
        "--bind", bind, "--timeout", str(timeout), "--graceful-timeout", str(graceful_timeout),
    ]
    # A laptop demo keeps its terminal for its own messages; a server logs every request.
    argv += ["--log-level", "warning"] if quiet else ["--access-logfile", "-"]
    return argv
