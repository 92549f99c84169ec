"""The gunicorn worker of `port2port serve` and `port2port demo`: gthread, spreading connections.

Every gthread worker process waits on the same listening socket, and whichever wakes first takes
a new connection, even one already busy with a request. Python runs one thread of a process at a
time, so two sensors whose kept-alive connections land in the same process share one core for
as long as they stay connected, while a sibling process idles: on the two-core machine of
`benchmarks/ingest.py`, 11,000 events/s instead of 30,000.

This worker stops taking new connections while it is busy, so an idle sibling takes them. When
every worker stays busy (slow requests, more clients than processes), a busy worker takes
connections again after a short grace, as plain gthread does: threads are still there for
requests that wait. Connections it already holds are served as before.
"""

import time

from gunicorn.workers.gthread import ThreadWorker

# Long enough for an idle sibling to wake and accept, short beside any request worth waiting for.
GRACE_SECONDS = 0.05


class SpreadingThreadWorker(ThreadWorker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.in_flight = 0
        self.busy_since = 0.0

    def enqueue_req(self, conn):
        if not self.in_flight:
            self.busy_since = time.monotonic()
        self.in_flight += 1
        # Let go of the listening socket now, before the next wake-up could take a second client.
        self.set_accept_enabled(False)
        super().enqueue_req(conn)

    def finish_request(self, conn, fs):
        self.in_flight -= 1
        super().finish_request(conn, fs)

    def set_accept_enabled(self, enabled):
        # gunicorn's loop asks to accept whenever it has room; this worker also needs to be idle.
        super().set_accept_enabled(enabled and self.may_take_a_connection())

    def may_take_a_connection(self) -> bool:
        if not self.in_flight or self.cfg.workers < 2:
            return True
        busy_long = time.monotonic() - self.busy_since >= GRACE_SECONDS
        return busy_long and self.in_flight < self.cfg.threads

    def wait_for_and_dispatch_events(self, timeout):
        # gunicorn's loop sleeps up to a second; a busy worker looks again when its grace ends.
        grace_left = GRACE_SECONDS - (time.monotonic() - self.busy_since)
        if self.in_flight and not self._accepting and grace_left > 0:
            timeout = min(timeout, grace_left)
        super().wait_for_and_dispatch_events(timeout)
