"""What indicators cost to import, correlate and search, at 100k and at 1M indicators.

    python benchmarks/correlation.py --indicators 100000 [--runs 200]
    python benchmarks/correlation.py --compare 100000,1000000

Builds a throwaway SQLite database (or uses DATABASE_URL, which must name an empty database)
with a network of 12 port organisations, one port each, and fills it with indicators whose
values repeat across ports the way field data does: most values occur once, some at two to five
ports, a few very often (a Zipf mix drawn from a shared pool, written in the different ways
people write them). Kinds: containers (ISO 6346 check digit right, a few typos), licence plates,
IMO numbers, MMSI, phones, domains, e-mail addresses, IPv4 addresses, vessel names, SHA-256
hashes.

It measures, for an analyst of a partner port:
  1. bulk import: indicators per second through `actions.add_indicators` (the real write path:
     normalisation, the edit check, one transaction, audit) in batches of 5,000 to a report,
     beside a raw `executemany` of the same rows into the same table (indicators_indicator),
     run on a connection of its own in a transaction that is rolled back, so the table is
     unchanged and the action's connection keeps its page cache. Case reports of 100
     indicators also go through the action, 100 per call; their rate is printed too. The
     network and the pool of shared values are frozen out of the garbage collector first
     (`gc.freeze`), as the server freezes what it loads at start: otherwise every full
     collection inside the action would walk the pool (83,000 values at 1M), which no server
     holds (measured at 300k: collections took 1.46 s of the action's 17.7 s, 0.40 s after).
  2. correlate: `correlation.correlate(report, viewer)` on a different visible report of 100
     indicators at each run (p50, p99);
  3. search by value: `correlation.search` for values taken from random stored rows (p50, p99).
The bare baseline of 2 and 3 is the same call with the visibility rule switched off.
Organisations, people and reports are set up with bulk_create for speed; the indicators are
only ever written through the action. `ANALYZE` runs after the load, as an operator should run
it after a large import (`--no-analyze` skips it). Reads start on a fresh connection, as a
request's do. Set P2P_DATA_DIR to keep the SQLite database for EXPLAIN QUERY PLAN afterwards.

It prints a table and ends with one JSON line. `--compare` runs each size in its own process
and database, prints both JSON lines and then one with the growth ratios (1M cost / 100k cost).
"""

import argparse
import contextlib
import gc
import hashlib
import json
import os
import random
import statistics
import string
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BULK_BATCH = 5_000
CASE_SIZE = 100
N_ORGS = 12


def setup_django(data_dir: str) -> None:
    os.environ.setdefault("P2P_DATA_DIR", data_dir)
    os.environ.setdefault("P2P_DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "port2port.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # DEBUG makes Django log and re-quote every query's parameters; production does not.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


# --- Values as people write them -----------------------------------------------------------

WORDS = ("nordic star ocean queen pearl atlantic spirit maas schelde baltic trader express "
         "horizon aurora polar venture fortune meridian zeeland harbour").split()
TLDS = ("be", "nl", "fr", "de", "com", "eu", "net", "co.uk", "org", "io")


def container(rng):
    from stdnum import iso6346

    body = "".join(rng.choices(string.ascii_uppercase, k=3)) + "U" + f"{rng.randrange(10**6):06d}"
    digit = iso6346.calc_check_digit(body)
    if rng.random() < 0.03:  # a typo in the field: kept and flagged
        digit = str((int(digit) + 1) % 10)
    return rng.choice((f"{body[:4]} {body[4:]} {digit}", f"{body}{digit}", f"{body[:4]}-{body[4:]}-{digit}".lower()))


def plate(rng):
    letters = "".join(rng.choices("ABCDEFGHJKLMNPRSTVXYZ", k=4))
    return rng.choice((
        f"{rng.randrange(1, 10)}-{letters[:3]}-{rng.randrange(1000):03d}",  # Belgian
        f"{letters[:2]}-{rng.randrange(100):02d}-{letters[2:]}",  # Dutch
        f"{letters[:2]}-{rng.randrange(1000):03d}-{letters[2:]}",  # French
    ))


def imo(rng):
    from stdnum import imo as stdimo

    body = f"{rng.randrange(10**5, 10**6)}"
    return f"IMO {body}{stdimo.calc_check_digit(body)}"


def mmsi(rng):
    return f"{rng.choice((205, 244, 227, 211, 219, 636, 538))}{rng.randrange(10**6):06d}"


def phone(rng):
    return rng.choice((
        f"+32 4{rng.randrange(70, 100)} {rng.randrange(100):02d} {rng.randrange(100):02d} {rng.randrange(100):02d}",
        f"+31 6 {rng.randrange(10**8):08d}",
        f"+33 6 {rng.randrange(10**8):08d}",
    ))


def domain(rng):
    return "-".join(rng.choices(WORDS, k=2)) + f"{rng.randrange(1000)}.{rng.choice(TLDS)}"


def email(rng):
    return f"{rng.choice(WORDS)}.{rng.randrange(10**5)}@{domain(rng)}"


def ipv4(rng):
    return f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def vessel_name(rng):
    return f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {rng.randrange(1, 1000)}"


def file_hash(rng):
    return hashlib.sha256(rng.randbytes(16)).hexdigest()


KINDS = {  # kind: (writer, share of indicators)
    "container": (container, 30), "plate": (plate, 14), "phone": (phone, 12), "domain": (domain, 8),
    "email": (email, 6), "imo": (imo, 6), "mmsi": (mmsi, 5), "ip": (ipv4, 7),
    "vessel_name": (vessel_name, 6), "file_hash": (file_hash, 6),
}


class ValueMix:
    """Draws (kind, raw) pairs: 75% fresh values, 25% from a shared pool with Zipf weights, so
    most values are unique, a long tail repeats at a few ports and the head is very common."""

    SHARED = 0.25

    def __init__(self, n_indicators: int, rng: random.Random):
        self.rng = rng
        self.kinds = list(KINDS)
        self.kind_weights = [KINDS[k][1] for k in self.kinds]
        pool_size = max(1000, int(n_indicators * self.SHARED / 3))
        self.pool = [self.fresh() for _ in range(pool_size)]
        weights = [1 / rank for rank in range(1, pool_size + 1)]
        total, running, self.cumulative = sum(weights), 0.0, []
        for weight in weights:
            running += weight / total
            self.cumulative.append(running)

    def fresh(self):
        kind = self.rng.choices(self.kinds, self.kind_weights)[0]
        return kind, KINDS[kind][0](self.rng)

    def draw(self):
        if self.rng.random() < self.SHARED:
            return self.rng.choices(self.pool, cum_weights=self.cumulative)[0]
        return self.fresh()

    def report_items(self, size: int):
        from port2port.indicators.actions import NewIndicator

        items, seen = [], set()
        while len(items) < size:
            kind, raw = self.draw()
            if (kind, raw) not in seen:  # pool values repeat across reports, not within one
                seen.add((kind, raw))
                items.append(NewIndicator(kind, raw))
        return items


# --- The network ---------------------------------------------------------------------------

def build_network(n_reports: int, rng: random.Random):
    """Organisations, ports, one author per organisation and an analyst of a partner port (all
    through the actions), then `n_reports` empty shared reports (bulk_create) plus a shadow
    report that only the raw inserts use."""
    from port2port.core.sharing import Audience, Status, Tlp
    from port2port.organisations import actions as org_actions
    from port2port.organisations.models import Port
    from port2port.reports.models import Report

    admin = org_actions.create_account(acting_user=None, email="bench@p2p.test", is_platform_admin=True)
    orgs = [org_actions.create_organisation(acting_user=admin, name=f"Port {i}", kind="port_authority")
            for i in range(N_ORGS)]
    ports = Port.objects.bulk_create([
        Port(organisation=org, locode=f"BE{chr(65 + i)}{chr(65 + i)}A", name=f"Port {i}", latitude=51, longitude=4)
        for i, org in enumerate(orgs)])
    authors = []
    for i, org in enumerate(orgs):
        author = org_actions.create_account(acting_user=admin, email=f"author{i}@p2p.test")
        org_actions.add_member(acting_user=admin, organisation=org, user=author, role="analyst")
        authors.append(author)
    analyst = org_actions.create_account(acting_user=admin, email="analyst@p2p.test")
    org_actions.add_member(acting_user=admin, organisation=orgs[1], user=analyst, role="analyst")
    coordinator = org_actions.create_account(acting_user=admin, email="coordinator@p2p.test")
    org_actions.add_member(acting_user=admin, organisation=orgs[0], user=coordinator, role="org_admin")
    group = org_actions.create_sharing_group(acting_user=coordinator, owner=orgs[0], name="Drugs", members=orgs[1:4])
    markings = [(Tlp.GREEN, Audience.NETWORK), (Tlp.AMBER, Audience.NETWORK), (Tlp.AMBER, Audience.OWNER),
                (Tlp.AMBER_STRICT, Audience.GROUP), (Tlp.AMBER, Audience.ORGANISATIONS), (Tlp.CLEAR, Audience.PUBLIC)]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    batch = []
    for _ in range(n_reports + 1):
        tlp, audience = rng.choice(markings)
        at = rng.randrange(N_ORGS)
        batch.append(Report(
            owner_org=orgs[at], author=authors[at], port=ports[at], tlp=tlp, audience=audience,
            status=Status.SHARED, sharing_group=group if audience == Audience.GROUP else None,
            title=f"Case {len(batch)}", category="drug_smuggling", narrative="Benchmark report.",
            occurred_at=start + timedelta(minutes=rng.randrange(525_600)),
        ))
    reports = Report.objects.bulk_create(batch, batch_size=2000)
    through = Report.recipient_orgs.through
    through.objects.bulk_create(
        [through(report_id=r.pk, organisation_id=rng.choice(orgs).pk) for r in reports if r.audience == Audience.ORGANISATIONS],
        batch_size=2000)
    return analyst, reports[:-1], reports[-1]


# --- Import ---------------------------------------------------------------------------------

RAW_COLUMNS = ("report_id", "kind", "value", "display", "fuzzy_key", "flags", "suggestion", "extra",
               "owner_note", "comment", "created_by_id", "created_at", "review_at", "review_asked_at",
               "kept_reason")


RAW = "raw"  # the database alias the raw inserts use: the same database, a connection of its own


def open_raw_connection() -> None:
    """A second connection to the same database for the raw inserts. Not the action's own: a
    rollback drops every page it changed from its connection's page cache, and those are the
    very index pages the action's next import needs, so on one connection the baseline would
    empty the cache of what it is measured beside (the difference at 1M was within the
    machine's noise; the point is a baseline that leaves the action alone)."""
    from django.db import connections

    connections.settings[RAW] = dict(connections.settings["default"])


def raw_insert_seconds(created, shadow_report_id: int) -> float:
    """The same rows, inserted with one executemany into the same table, then rolled back."""
    from django.db import connections, transaction

    connection = connections[RAW]
    now = datetime.now(UTC)
    rows = [(shadow_report_id, i.kind, i.value, i.display, i.fuzzy_key, json.dumps(i.flags), i.suggestion,
             json.dumps(i.extra), i.owner_note, i.comment, i.created_by_id, now, i.review_at, None, "")
            for i in created]
    sql = (f"INSERT INTO indicators_indicator ({', '.join(RAW_COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * len(RAW_COLUMNS))})")
    with transaction.atomic(using=RAW):
        with connection.cursor() as cursor:
            t0 = time.perf_counter()
            cursor.executemany(sql, rows)
            elapsed = time.perf_counter() - t0
        transaction.set_rollback(True, using=RAW)
    return elapsed


def load(n_indicators: int, runs: int, rng: random.Random, progress):
    """Fill the database; return the analyst, the case reports and the import timings."""
    from port2port.indicators.actions import add_indicators

    n_case = max(3 * runs, n_indicators // 5 // CASE_SIZE)
    n_bulk = max(0, (n_indicators - n_case * CASE_SIZE)) // BULK_BATCH
    n_case = (n_indicators - n_bulk * BULK_BATCH) // CASE_SIZE
    mix = ValueMix(n_indicators, rng)
    analyst, reports, shadow = build_network(n_bulk + n_case, rng)
    open_raw_connection()
    gc.collect()
    gc.freeze()  # the harness's own objects, out of the action's collections (see the docstring)
    sizes = [BULK_BATCH] * n_bulk + [CASE_SIZE] * n_case
    rng.shuffle(sizes)
    timing = {"bulk_s": 0.0, "bulk_n": 0, "raw_s": 0.0, "raw_n": 0, "case_s": 0.0, "case_n": 0}
    case_reports = []
    for done, (report, size) in enumerate(zip(reports, sizes, strict=True)):
        items = mix.report_items(size)
        t0 = time.perf_counter()
        created = add_indicators(report, acting_user=report.author, items=items)
        elapsed = time.perf_counter() - t0
        if size == BULK_BATCH:
            timing["bulk_s"] += elapsed
            timing["bulk_n"] += len(created)
            timing["raw_s"] += raw_insert_seconds(created, shadow.pk)
            timing["raw_n"] += len(created)
        else:
            timing["case_s"] += elapsed
            timing["case_n"] += len(created)
            case_reports.append(report)
        if done % 200 == 0:
            progress(f"loaded {sum(sizes[:done + 1])} / {n_indicators}")
    return analyst, case_reports, timing


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Reads ----------------------------------------------------------------------------------

@contextlib.contextmanager
def without_visibility():
    """The bare baseline: the same lookups with the sharing rule switched off."""
    from port2port.indicators.models import IndicatorQuerySet

    original = IndicatorQuerySet.visible_to
    IndicatorQuerySet.visible_to = lambda self, viewer: self.all()
    try:
        yield
    finally:
        IndicatorQuerySet.visible_to = original


def timed_each(fn, arguments) -> list[float]:
    fn(arguments[0])  # warm the caches once
    samples = []
    for argument in arguments:
        t0 = time.perf_counter()
        fn(argument)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def p(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1] if len(samples) > 1 else samples[0]


def search_keys(runs: int, rng: random.Random):
    """Values an analyst would search: those of random stored rows (common values come up as
    often as they are stored)."""
    from port2port.indicators.models import Indicator

    top = Indicator.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = rng.sample(range(1, top + 1), min(top, runs * 2))
    keys = list(Indicator.objects.filter(pk__in=ids).values_list("kind", "value"))
    rng.shuffle(keys)
    return keys[:runs]


def measure_reads(analyst, case_reports, runs: int, rng: random.Random):
    from port2port.indicators import correlation
    from port2port.organisations.models import viewer_for
    from port2port.reports.models import Report

    viewer = viewer_for(analyst)
    visible_ids = set(Report.objects.visible_to(viewer).filter(pk__in=[r.pk for r in case_reports])
                      .values_list("pk", flat=True))
    targets = [r for r in case_reports if r.pk in visible_ids]
    rng.shuffle(targets)
    targets = (targets * (runs // max(1, len(targets)) + 1))[:runs]

    def correlate(report):
        for result in correlation.correlate(report, viewer):
            len(result.matches)

    keys = search_keys(runs, rng)

    def search(key):
        list(correlation.search(viewer, kind=key[0], value=key[1]))

    ours = {"correlate": timed_each(correlate, targets), "search": timed_each(search, keys)}
    with without_visibility():
        bare = {"correlate": timed_each(correlate, targets), "search": timed_each(search, keys)}
    return ours, bare, len(set(r.pk for r in targets))


# --- Run ------------------------------------------------------------------------------------

def run(n_indicators: int, runs: int, seed: int, do_analyze: bool) -> dict:
    rng = random.Random(seed)

    def progress(message):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    from django.db import connection

    from port2port.indicators.models import Indicator

    if Indicator.objects.exists():
        sys.exit("The database already holds indicators; point DATABASE_URL at an empty one.")
    started = time.perf_counter()
    analyst, case_reports, timing = load(n_indicators, runs, rng, progress)
    progress(f"loaded in {time.perf_counter() - started:.0f} s")
    if do_analyze:
        t0 = time.perf_counter()
        analyze()
        progress(f"ANALYZE in {time.perf_counter() - t0:.1f} s")
    # Reads start as after a restart: on a fresh connection, with the load's garbage gone, and
    # with what is loaded by now kept out of the garbage collector's full passes, as the server
    # keeps what it loads at start (wsgi.py): without this, a pass over this process's objects
    # put 45-65 ms into one read in fifty.
    connection.close()
    gc.collect()
    gc.freeze()
    ours, bare, distinct_reports = measure_reads(analyst, case_reports, runs, rng)
    stored = Indicator.objects.count()
    import_rate = timing["bulk_n"] / timing["bulk_s"] if timing["bulk_s"] else 0.0
    raw_rate = timing["raw_n"] / timing["raw_s"] if timing["raw_s"] else 0.0
    case_rate = timing["case_n"] / timing["case_s"] if timing["case_s"] else 0.0

    print(f"{stored} indicators, database {connection.vendor}, correlate on {distinct_reports} reports "
          f"of {CASE_SIZE} indicators, {runs} searches, ANALYZE {'on' if do_analyze else 'off'}")
    print(f"{'import':<28} {'ours /s':>10} {'raw /s':>10} {'ratio':>7}")
    print(f"{'add_indicators, 5000/call':<28} {import_rate:10.0f} {raw_rate:10.0f} {raw_rate / import_rate:7.2f}")
    print(f"{'add_indicators, 100/call':<28} {case_rate:10.0f} {'':>10} {'':>7}")
    print(f"{'query (ms)':<28} {'ours p50':>10} {'ours p99':>10} {'bare p50':>9} {'bare p99':>9} {'ratio p99':>9}")
    for name in ("correlate", "search"):
        print(f"{name:<28} {p(ours[name], 50):10.2f} {p(ours[name], 99):10.2f} {p(bare[name], 50):9.2f} "
              f"{p(bare[name], 99):9.2f} {p(ours[name], 99) / p(bare[name], 99):9.2f}")
    return {
        "indicators": stored,
        "database": connection.vendor,
        "import_per_s": round(import_rate),
        "raw_insert_per_s": round(raw_rate),
        "import_100_per_call_per_s": round(case_rate),
        "correlate_p50_ms": round(p(ours["correlate"], 50), 2),
        "correlate_p99_ms": round(p(ours["correlate"], 99), 2),
        "correlate_bare_p99_ms": round(p(bare["correlate"], 99), 2),
        "search_p50_ms": round(p(ours["search"], 50), 2),
        "search_p99_ms": round(p(ours["search"], 99), 2),
        "search_bare_p99_ms": round(p(bare["search"], 99), 2),
        "seconds": round(time.perf_counter() - started),
    }


def compare(sizes: list[int], runs: int, seed: int, do_analyze: bool) -> None:
    """Each size in its own process and database; then the growth from the first to the last."""
    results = []
    for size in sizes:
        command = [sys.executable, __file__, "--indicators", str(size), "--runs", str(runs), "--seed", str(seed)]
        if not do_analyze:
            command.append("--no-analyze")
        out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        print(out, end="")
        results.append(json.loads(out.strip().splitlines()[-1]))
    small, large = results[0], results[-1]
    print(json.dumps({
        **large,
        "compared_with": small["indicators"],
        "growth_import_cost": round(small["import_per_s"] / large["import_per_s"], 2),
        "growth_correlate_p99": round(large["correlate_p99_ms"] / small["correlate_p99_ms"], 2),
        "growth_search_p99": round(large["search_p99_ms"] / small["search_p99_ms"], 2),
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indicators", type=int, default=100_000)
    parser.add_argument("--compare", help="comma-separated sizes, e.g. 100000,1000000")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-analyze", dest="analyze", action="store_false", help="skip ANALYZE after the load")
    args = parser.parse_args()
    if args.compare:
        compare([int(size) for size in args.compare.split(",")], args.runs, args.seed, args.analyze)
        return
    with tempfile.TemporaryDirectory(prefix="p2p-bench-") as data_dir:
        setup_django(data_dir)
        print(json.dumps(run(args.indicators, args.runs, args.seed, args.analyze)))


if __name__ == "__main__":
    main()
