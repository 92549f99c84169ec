"""The server's worker class (core/gunicorn_worker.py) spreads new connections over its
processes: two clients that connect at the same moment are served by two processes, so their
requests run on two cores instead of taking turns under one process's GIL. Real gunicorn, a
small application that answers with its process id."""

import contextlib
import http.client
import os
import signal
import subprocess
import threading
import time

import pytest

from port2port.core.management.gunicorn import gunicorn_argv
from port2port.core.tests.commandline import environment, free_port

pytestmark = pytest.mark.slow

APPLICATION = "port2port.core.tests.pid_app:application"


@contextlib.contextmanager
def server(workers: int, threads: int = 4):
    port = free_port()
    argv = gunicorn_argv(bind=f"127.0.0.1:{port}", workers=workers, threads=threads, quiet=True)
    argv[argv.index("port2port.wsgi:application")] = APPLICATION
    process = subprocess.Popen(argv, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               process_group=0)
    try:
        wait_for_workers(port, workers)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def wait_for_workers(port: int, workers: int) -> None:
    """Until every worker has booted (the arbiter answers before all of them are up)."""
    seen, deadline = set(), time.monotonic() + 30
    while len(seen) < workers and time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            seen.add(get(port))
        time.sleep(0.05)
    time.sleep(0.3)  # the last workers to boot are still starting their loops


def get(port: int, pause: float = 0.0, connection=None) -> str:
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", f"/?pause={pause}")
    return connection.getresponse().read().decode()


def at_once(port: int, clients: int, pause: float, requests: int = 1) -> tuple[list[list[str]], float]:
    """`clients` clients connect at the same moment, each sending `requests` requests on its
    kept-alive connection: the process ids that served each, and the seconds it all took."""
    start, served = threading.Barrier(clients), [[] for _ in range(clients)]

    def client(number):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        start.wait()
        connection.connect()
        for _ in range(requests):
            served[number].append(get(port, pause, connection))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return served, time.monotonic() - began


def test_two_clients_connecting_at_once_are_served_by_two_processes_for_as_long_as_they_stay():
    with server(workers=3) as port:
        for _attempt in range(8):
            served, _seconds = at_once(port, clients=2, pause=0.2, requests=3)
            first, second = (set(pids) for pids in served)
            assert len(first) == len(second) == 1  # a kept-alive connection stays with its process
            assert first != second


def test_when_every_process_is_busy_a_new_client_is_still_served_at_once():
    # Three clients, two processes: the third waits only the short grace, not for a request to end.
    with server(workers=2) as port:
        served, seconds = at_once(port, clients=3, pause=1.0)
    assert len({pid for pids in served for pid in pids}) == 2
    assert seconds < 1.8


def test_a_single_process_serves_clients_side_by_side_on_its_threads():
    with server(workers=1) as port:
        _served, seconds = at_once(port, clients=3, pause=1.0)
    assert seconds < 1.8
