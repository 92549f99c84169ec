"""What sensor ingestion costs, and how long an alert takes to reach the inbox.

    python benchmarks/ingest.py [--events 100000] [--samples 60] [--profile]

Builds a throwaway SQLite database (or uses DATABASE_URL, which must name an empty database)
with one port organisation, its security officer, a zone, a rule on that zone and an RF sensor
with its ingest credential (all through the actions), and measures:

  (a) API: events per second through POST /api/v1/ingest of the production server, started as
      an operator starts it (`port2port serve`: gunicorn, gthread workers, the default 3 x 4
      threads, production settings: debug off, a secret key, migrations applied, static files
      collected), fed batches of 1,000 events in Port 2 Port's JSON from 2 client threads on
      kept-alive connections. The bodies are encoded before the clock starts.
  (b) action: events per second through `sensors.actions.ingest_events` in this process, in
      batches of 1,000 records (as the adapter hands them over: parsed, not yet checked). The
      prepared batches are frozen out of the garbage collector first (`gc.freeze`), as the
      server freezes what it loads at start: otherwise every full collection during (b) would
      walk this process's 100,000 waiting records, which no server holds.
  (c) raw: the same rows, as plain tuples, inserted by one `executemany` and one commit per
      batch into the same table (sensors_event): the bare form of what the action must do, since
      it answers only once the batch is committed (SQLite here runs synchronous=FULL, so each
      commit waits for the disk). The action's goal is set against this figure. Printed below
      it, the `executemany` alone, rolled back (no commit, no fsync): the database's share of
      the work, for comparison; the disk's share is the difference between the two.
  (d) alert latency: with `port2port worker` running as a subprocess at its default polling
      interval, one event that meets the rule is posted through the API, and the inbox is
      polled (GET /api/v1/alerts with an organisation API key, every 10 ms) until its alert
      appears; the previous alert is closed first, so each sample raises a fresh one. The time
      runs from just before the POST to the poll that sees the alert. p50 and p99.
Before (d) the worker first works through the rule runs the ingestion of (a) and (b) queued; the
time that takes is printed too (rule evaluation, events per second).

The events are drone detections from one RF detector, as a live detector sends them: the
batches of (a) and then (b) follow each other through the last hour, and within a batch the
times are up to five seconds out of order (detections leave the receiver's buffer late).

On PostgreSQL the raw baseline is weak: psycopg sends an `executemany` row by row.

The poller calls faster than the API throttle allows a person (600/min), so the server gets
P2P_API_THROTTLE=100000/m, and P2P_SSL_REDIRECT=false (plain HTTP on the loopback, as behind a
TLS-terminating proxy); nothing else differs from production. `--profile` adds cProfile
listings of the action and of API requests (run in this process through Django's test client:
the same middleware and view, without gunicorn). Prints a table with the goals beside the figures, and
ends with one JSON line.
"""

import argparse
import contextlib
import cProfile
import gc
import http.client
import io
import json
import os
import pstats
import queue
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH = 1_000
CLIENT_THREADS = 2
POLL_SECONDS = 0.01
PROFILED_BATCHES = 10
SAMPLE_TIMEOUT = 30
GOALS = {"api_events_per_s": 20_000, "action_vs_raw": 0.3, "alert_latency_p99_ms": 2_000}
# Outside the zone: the throughput events meet no rule; inside it: the latency events do.
ZONE = [[4.25, 51.27], [4.27, 51.27], [4.27, 51.29], [4.25, 51.29]]
INSIDE, OUTSIDE = (51.28, 4.26), (51.30, 4.30)


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- The two sides: this process, and the server and worker as an operator runs them ----------

def setup_django(data_dir: str) -> None:
    os.environ.setdefault("P2P_DATA_DIR", data_dir)
    os.environ.setdefault("P2P_DEBUG", "true")  # no secret key needed in this process
    os.environ["DJANGO_SETTINGS_MODULE"] = "port2port.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # DEBUG makes Django log and re-quote every query's parameters; production does not.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def production_environment(data_dir: str) -> dict:
    """The server's and the worker's environment: production settings, nothing of ours leaking in."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("P2P_") and name != "DJANGO_SETTINGS_MODULE"}
    env.update(P2P_SECRET_KEY=secrets.token_urlsafe(64), P2P_DATA_DIR=data_dir, P2P_ALLOWED_HOSTS="127.0.0.1",
               # Plain HTTP on the loopback, as behind a TLS-terminating proxy.
               P2P_SSL_REDIRECT="false", P2P_API_THROTTLE="100000/m", P2P_LOG_LEVEL="WARNING")
    return env


def port2port(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("port2port")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "port2port.cli", *args]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(argv: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as output:
        return subprocess.Popen(argv, env=env, stdout=output, stderr=subprocess.STDOUT, process_group=0)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the child's process group (gunicorn and its workers), then SIGKILL if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_serving(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The server stopped while starting:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.2)
    sys.exit(f"The server did not answer within a minute:\n{log.read_text()[-3000:]}")


# --- The network ---------------------------------------------------------------------------

class Network:
    """One port organisation with an officer, a zone with a rule, a sensor and its credential;
    a second sensor for the raw baseline's rows; an API key for the inbox poller."""

    def __init__(self):
        from port2port.alerts import actions as alert_actions
        from port2port.organisations import actions as org_actions
        from port2port.organisations.models import ApiKeyScope
        from port2port.sensors import actions as sensor_actions

        admin = org_actions.create_account(acting_user=None, email="bench@p2p.test", is_platform_admin=True)
        self.organisation = org_actions.create_organisation(acting_user=admin, name="Port of Bench",
                                                            kind="port_authority")
        port = org_actions.add_port(acting_user=admin, organisation=self.organisation, locode="BEANR", name="Antwerp",
                                    latitude=51.28, longitude=4.35)
        self.officer = org_actions.create_account(acting_user=admin, email="officer@p2p.test")
        org_actions.add_member(acting_user=admin, organisation=self.organisation, user=self.officer,
                               role="org_admin")
        zone = sensor_actions.define_zone(acting_user=self.officer, organisation=self.organisation, name="Quay 1700",
                                          outline=ZONE, port=port)
        self.rule = alert_actions.write_rule(acting_user=self.officer, organisation=self.organisation,
                                             name="Drone over Quay 1700", event_kind="drone_detected", zone=zone)
        register = sensor_actions.register_sensor
        self.sensor = register(acting_user=self.officer, organisation=self.organisation, name="RF detector",
                               kind="drone_rf", port=port, latitude=51.28, longitude=4.26, zones=[zone])
        self.shadow = register(acting_user=self.officer, organisation=self.organisation, name="Shadow",
                               kind="drone_rf", port=port)
        _credential, self.token = sensor_actions.issue_credential(self.sensor, acting_user=self.officer)
        _key, self.api_key = org_actions.create_api_key(acting_user=self.officer, organisation=self.organisation,
                                                        name="inbox poller", scope=ApiKeyScope.READ)


def native_events(prefix: str, count: int, rng: random.Random, *, where=OUTSIDE, start: datetime | None = None,
                  spacing: float = 0.0) -> list[dict]:
    """Drone detections in Port 2 Port's JSON, as an RF detector sends them: one every `spacing`
    seconds from `start` (now), each up to five seconds early."""
    start = start or datetime.now(UTC)
    return [{
        "id": f"{prefix}-{number:07d}", "kind": "drone_detected",
        "time": (start + timedelta(seconds=number * spacing - rng.uniform(0, 5))).isoformat(timespec="milliseconds"),
        "lat": round(where[0] + rng.uniform(-0.005, 0.005), 6), "lon": round(where[1] + rng.uniform(-0.005, 0.005), 6),
        "alt": round(rng.uniform(20, 120), 1), "confidence": round(rng.uniform(0.5, 1), 2),
        "drone": {"serial": f"1581F6BHK22910{number % 997:03d}RZ3M", "model": "DJI Mavic 3 Classic",
                  "rf_band": "5.8 GHz", "track_id": f"T-{number % 211}"},
    } for number in range(count)]


# --- (a) the API ---------------------------------------------------------------------------

# Matched in the answer's first bytes, whatever its spacing.
ACCEPTED_WHOLE = re.compile(rb'"accepted":\s*%d,' % BATCH)


def measure_api(port: int, token: str, bodies: list[bytes]) -> float:
    """Seconds to post every body from CLIENT_THREADS threads; every batch must be taken whole."""
    work = queue.Queue()
    for body in bodies:
        work.put(body)
    failures = []

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        while True:
            try:
                body = work.get_nowait()
            except queue.Empty:
                return
            connection.request("POST", "/api/v1/ingest", body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            # A substring, not a parse: the client shares the machine's CPUs with the server.
            if response.status != 200 or not ACCEPTED_WHOLE.search(answer[:100]):
                failures.append((response.status, answer[:300]))

    threads = [threading.Thread(target=client) for _ in range(CLIENT_THREADS)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t0
    if failures:
        sys.exit(f"{len(failures)} batches were not taken whole, e.g. {failures[0]}")
    return elapsed


# --- (b) the action and (c) the raw insert ---------------------------------------------------

def measure_action(sensor, batches: list[list[dict]]) -> float:
    from port2port.sensors.actions import ingest_events

    elapsed = 0.0
    for records in batches:
        t0 = time.perf_counter()
        fates = ingest_events(sensor, records=records)
        elapsed += time.perf_counter() - t0
        if sum(fate.status == "accepted" for fate in fates) != len(records):
            sys.exit("The action did not accept a whole batch.")
    return elapsed


RAW_COLUMNS = ("sensor_id", "organisation_id", "external_id", "kind", "occurred_at", "received_at", "latitude",
               "longitude", "altitude_m", "zone_id", "zone_name", "confidence", "drone_serial", "drone_model",
               "rf_band", "track_id", "badge_hash", "operator_id", "raw")


def raw_rows(shadow, records: list[dict]) -> list[tuple]:
    """The rows the action stores for these records, as plain values the driver takes as they are."""
    now = datetime.now(UTC).isoformat()
    return [(shadow.pk, shadow.organisation_id, r["id"], r["kind"], r["time"], now, r["lat"], r["lon"], r["alt"],
             None, "", r["confidence"], r["drone"]["serial"], r["drone"]["model"], r["drone"]["rf_band"],
             r["drone"]["track_id"], "", "", json.dumps(r)) for r in records]


def measure_raw(shadow, batches: list[list[dict]], *, commit: bool = True) -> float:
    """The executemany and the commit of each batch, the rows then kept; without `commit`, the
    executemany alone, rolled back."""
    from django.db import connection, transaction

    sql = (f"INSERT INTO sensors_event ({', '.join(RAW_COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * len(RAW_COLUMNS))})")
    elapsed = 0.0
    for records in batches:
        rows = raw_rows(shadow, records)
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            t1 = time.perf_counter()
            cursor.executemany(sql, rows)
            inserting = time.perf_counter() - t1
            transaction.set_rollback(not commit)
        elapsed += time.perf_counter() - t0 if commit else inserting
    return elapsed


# --- (d) alert latency -----------------------------------------------------------------------

def wait_for_backlog(limit: float = 600) -> tuple[float, int]:
    """Once the worker has taken its first rule run: seconds until it has run the rules over
    every batch still queued, and how many batches that was."""
    from django_tasks_db.models import DBTaskResult

    rule_runs = DBTaskResult.objects.filter(task_path="port2port.alerts.tasks.evaluate_events")
    deadline = time.perf_counter() + limit
    while not rule_runs.exclude(status="READY").exists():
        if time.perf_counter() > deadline:
            sys.exit("The worker took no task within ten minutes; see worker.log.")
        time.sleep(0.05)
    queued = rule_runs.filter(status__in=("READY", "RUNNING")).count()
    t0 = time.perf_counter()
    while rule_runs.filter(status__in=("READY", "RUNNING")).exists():
        if time.perf_counter() > deadline:
            sys.exit("The worker did not work through the queued rule runs within ten minutes.")
        time.sleep(0.05)
    failed = rule_runs.filter(status="FAILED").count()
    if failed:
        sys.exit(f"{failed} rule runs failed in the worker; see the worker's log.")
    return time.perf_counter() - t0, queued


class Inbox:
    """The officer's alert inbox, read as a client reads it: GET /api/v1/alerts (newest first)."""

    def __init__(self, port: int, api_key: str):
        # One connection per sample: gunicorn closes a kept-alive connection idle for 2 s.
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Bearer {api_key}"}

    def newest_new_alert(self) -> int | None:
        self.connection.request("GET", "/api/v1/alerts?status=new&limit=1", headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            sys.exit(f"GET /api/v1/alerts answered {response.status}: {body[:300]}")
        items = json.loads(body)["items"]
        return items[0]["id"] if items else None


def measure_latency(network, port: int, samples: int, rng: random.Random) -> list[float]:
    from port2port.alerts.actions import close_alert
    from port2port.alerts.models import Alert

    headers = {"Authorization": f"Bearer {network.token}", "Content-Type": "application/json"}
    latencies = []
    for sample in range(samples):
        for alert in Alert.objects.filter(rule=network.rule).open():
            close_alert(alert, acting_user=network.officer)
        time.sleep(rng.uniform(0, 1))  # meet the worker's polling at any point of its cycle
        body = json.dumps(native_events(f"lat-{sample}", 1, rng, where=INSIDE)).encode()
        inbox, sender = Inbox(port, network.api_key), http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        t0 = time.perf_counter()
        sender.request("POST", "/api/v1/ingest", body=body, headers=headers)
        if json.loads(sender.getresponse().read())["accepted"] != 1:
            sys.exit("A latency event was not accepted.")
        while inbox.newest_new_alert() is None:
            if time.perf_counter() - t0 > SAMPLE_TIMEOUT:
                sys.exit(f"No alert within {SAMPLE_TIMEOUT} s; is the worker running? See worker.log.")
            time.sleep(POLL_SECONDS)
        latencies.append((time.perf_counter() - t0) * 1000)
        inbox.connection.close()
        sender.close()
    return latencies


# --- Profiles --------------------------------------------------------------------------------

def profile(title: str, run, top: int = 25) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        print(f"\n--- {title}, by {order} ---")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


def profile_paths(network, rng: random.Random) -> None:
    """The action alone, then requests through Django (middleware, auth, throttle, adapter,
    action, answer), ten batches each."""
    from django.test import Client

    from port2port.sensors.actions import ingest_events

    batches = [native_events(f"prof-a{n}", BATCH, rng) for n in range(PROFILED_BATCHES)]
    profile(f"ingest_events, {PROFILED_BATCHES} batches of 1,000",
            lambda: [ingest_events(network.sensor, records=b) for b in batches])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {network.token}", HTTP_HOST="localhost")
    bodies = [json.dumps(native_events(f"prof-h{n}", BATCH, rng)).encode() for n in range(PROFILED_BATCHES + 1)]

    def post(body):
        response = client.post("/api/v1/ingest", data=body, content_type="application/json")
        assert response.status_code == 200, response.content[:300]

    post(bodies.pop())  # the first request imports the URLconf and the API: not what is measured
    profile(f"POST /api/v1/ingest in-process, {PROFILED_BATCHES} batches of 1,000",
            lambda: [post(body) for body in bodies])


# --- Run ---------------------------------------------------------------------------------------

def percentile(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def run(n_events: int, samples: int, seed: int, data_dir: str, do_profile: bool) -> dict:
    from django.db import connection

    from port2port.sensors.models import Event

    if Event.objects.exists():
        sys.exit("The database already holds sensor events; point DATABASE_URL at an empty one.")
    rng, logs, load_before = random.Random(seed), Path(data_dir), os.getloadavg()[0]
    network = Network()
    env = production_environment(data_dir)
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    collected = subprocess.run(port2port("collectstatic", "--noinput", "-v0"), env=env, capture_output=True, text=True)
    if collected.returncode:
        sys.exit(collected.stderr)
    n_batches = max(1, n_events // BATCH)
    port = free_port()
    server = start(port2port("serve", "--bind", f"127.0.0.1:{port}"), env, logs / "server.log")
    worker = None
    try:
        wait_until_serving(port, server, logs / "server.log")
        progress(f"server up on port {port}; encoding {n_batches} batches")
        # (a) and then (b) through the last hour, one detection every `spacing` seconds.
        spacing, hour_ago = 3600 / (2 * n_batches * BATCH), datetime.now(UTC) - timedelta(hours=1)

        def stream(prefix: str, n: int) -> list[dict]:
            return native_events(f"{prefix}-{n}", BATCH, rng, start=hour_ago + timedelta(seconds=n * BATCH * spacing),
                                 spacing=spacing)

        bodies = [json.dumps(stream("api", n)).encode() for n in range(n_batches)]
        api_s = measure_api(port, network.token, bodies)
        progress(f"(a) API: {n_batches * BATCH / api_s:.0f} events/s")
        batches = [stream("act", n_batches + n) for n in range(n_batches)]
        # Keep this process's own inputs out of the garbage collector's full passes, as the
        # server keeps its startup objects out (wsgi.py): a server never holds 100,000 records.
        gc.freeze()
        action_s = measure_action(network.sensor, batches)
        progress(f"(b) action: {n_batches * BATCH / action_s:.0f} events/s")
        # Rolled back first: the committed run keeps its rows, and the same rows cannot go in twice.
        raw_rolled_back_s = measure_raw(network.shadow, batches, commit=False)
        raw_s = measure_raw(network.shadow, batches)
        progress(f"(c) raw: {n_batches * BATCH / raw_s:.0f} events/s")
        worker = start(port2port("worker"), env, logs / "worker.log")
        backlog_s, backlog_runs = wait_for_backlog()
        progress(f"the worker ran the rules over {backlog_runs} queued batches in {backlog_s:.1f} s")
        latencies = measure_latency(network, port, samples, rng)
        progress(f"(d) alert latency p99 {percentile(latencies, 99):.0f} ms")
    finally:
        for process in (worker, server):
            if process is not None:
                stop(process)
    events = n_batches * BATCH
    figures = {
        "api": events / api_s, "action": events / action_s, "raw": events / raw_s,
        "raw_rolled_back": events / raw_rolled_back_s,
        "p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
        "rules": backlog_runs * BATCH / backlog_s if backlog_s else 0.0,
    }
    print_table(events, samples, connection.vendor, figures)
    # The figures are ratios to a baseline run on the same machine at the same time, but a busy
    # machine still shifts them: say how busy it was.
    print(f"load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    if do_profile:
        profile_paths(network, rng)
    return {
        "events": events, "database": connection.vendor,
        "api_events_per_s": round(figures["api"]), "action_events_per_s": round(figures["action"]),
        "raw_insert_per_s": round(figures["raw"]), "raw_insert_rolled_back_per_s": round(figures["raw_rolled_back"]),
        "alert_latency_p50_ms": round(figures["p50"], 1), "alert_latency_p99_ms": round(figures["p99"], 1),
        "rule_evaluation_events_per_s": round(figures["rules"]),
    }


def print_table(events: int, samples: int, vendor: str, f: dict) -> None:
    def verdict(met: bool) -> str:
        return "met" if met else "MISSED"

    print(f"{events} events in batches of {BATCH}, database {vendor}, {os.cpu_count()} CPUs, "
          f"server: port2port serve (3 workers x 4 threads), {CLIENT_THREADS} client threads")
    print(f"{'ingestion':<34} {'ours /s':>10} {'raw /s':>10} {'ratio':>7}   goal")
    print(f"{'(a) HTTP API, production server':<34} {f['api']:10.0f} {f['raw']:10.0f} {f['api'] / f['raw']:7.2f}   "
          f">= {GOALS['api_events_per_s']:,} /s: {verdict(f['api'] >= GOALS['api_events_per_s'])}")
    print(f"{'(b) ingest_events in-process':<34} {f['action']:10.0f} {f['raw']:10.0f} {f['action'] / f['raw']:7.2f}   "
          f">= {GOALS['action_vs_raw']} x raw: {verdict(f['action'] / f['raw'] >= GOALS['action_vs_raw'])}")
    print(f"{'(c) raw executemany + commit':<34} {f['raw']:10.0f} {'':>10} {'':>7}")
    print(f"{'    executemany alone, rolled back':<34} {f['raw_rolled_back']:10.0f} {'':>10} {'':>7}   "
          f"(action / this: {f['action'] / f['raw_rolled_back']:.2f})")
    print(f"{'rule evaluation in the worker':<34} {f['rules']:10.0f} {'':>10} {'':>7}   (after (a) and (b))")
    print(f"{'alert latency (ms), ' + str(samples) + ' samples':<34} {'p50':>10} {'p99':>10}")
    print(f"{'post -> visible in GET /api/v1/alerts':<34} {f['p50']:10.0f} {f['p99']:10.0f} {'':>7}   "
          f"p99 <= {GOALS['alert_latency_p99_ms']} ms: {verdict(f['p99'] <= GOALS['alert_latency_p99_ms'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=60, help="alert latency samples (at least 50 for a p99)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print cProfile listings of the action and the API")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="p2p-bench-ingest-") as data_dir:
        setup_django(data_dir)
        print(json.dumps(run(args.events, args.samples, args.seed, data_dir, args.profile)))


if __name__ == "__main__":
    main()
