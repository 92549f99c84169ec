"""What the sharing rule costs on the report list and on search.

    python benchmarks/visibility.py --reports 50000 [--runs 200]

Builds a throwaway SQLite database (or uses DATABASE_URL) with N reports spread over a network
of organisations, labels and audiences, then times, for an analyst of a partner port:
  - the first page of the report list (50 rows + total count) through `visible_to`, beside the
    same page with no visibility filter (the bare baseline);
  - a full-text search through `visible_to`, beside the same search with no filter.
It prints a table (p50 and p99 in milliseconds, and the ratio) and ends with one JSON line.
The reports are inserted with bulk_create (the read path is what is measured here; the write
path goes through the actions and is measured by the test suite's timings).
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup_django(data_dir: str) -> None:
    os.environ.setdefault("P2P_DATA_DIR", data_dir)
    os.environ.setdefault("P2P_DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "port2port.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


WORDS = ("reefer container cocaine quay terminal drone badge gate seal vessel night fence "
         "extraction team pin code phishing insider tailgating camera crane lashing").split()


def build_network(n_reports: int, seed: int = 7):
    from port2port.core.sharing import Audience, Status, Tlp
    from port2port.organisations import actions as org_actions
    from port2port.organisations.models import Organisation
    from port2port.reports import search
    from port2port.reports.models import Report

    rng = random.Random(seed)
    admin = org_actions.create_account(acting_user=None, email="bench@p2p.test", is_platform_admin=True)
    orgs = [org_actions.create_organisation(acting_user=admin, name=f"Port {i}", kind="port_authority")
            for i in range(12)]
    analyst = org_actions.create_account(acting_user=admin, email="analyst@p2p.test")
    org_actions.add_member(acting_user=admin, organisation=orgs[1], user=analyst, role="analyst")
    coordinator = org_actions.create_account(acting_user=admin, email="coordinator@p2p.test")
    org_actions.add_member(acting_user=admin, organisation=orgs[0], user=coordinator, role="org_admin")
    group = org_actions.create_sharing_group(acting_user=coordinator, owner=orgs[0], name="Drugs", members=orgs[1:4])
    markings = [(Tlp.GREEN, Audience.NETWORK), (Tlp.AMBER, Audience.NETWORK), (Tlp.AMBER, Audience.OWNER),
                (Tlp.AMBER_STRICT, Audience.GROUP), (Tlp.AMBER, Audience.ORGANISATIONS), (Tlp.CLEAR, Audience.PUBLIC)]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    batch = []
    for i in range(n_reports):
        tlp, audience = rng.choice(markings)
        owner = rng.choice(orgs)
        batch.append(Report(
            owner_org=owner, author=admin, tlp=tlp, audience=audience, status=Status.SHARED,
            sharing_group=group if audience == Audience.GROUP else None,
            title=" ".join(rng.choices(WORDS, k=5)), category="drug_smuggling",
            occurred_at=start + timedelta(minutes=rng.randrange(525_600)),
            narrative=" ".join(rng.choices(WORDS, k=40)),
        ))
    reports = Report.objects.bulk_create(batch, batch_size=2000)
    through = Report.recipient_orgs.through
    through.objects.bulk_create(
        [through(report_id=r.pk, organisation_id=rng.choice(orgs).pk) for r in reports if r.audience == Audience.ORGANISATIONS],
        batch_size=2000,
    )
    for report in reports:
        search.index_report(report)
    assert Organisation.objects.count() == 12
    return analyst


def timed(fn, runs: int) -> list[float]:
    fn()  # warm the caches once
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def p(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1] if len(samples) > 1 else samples[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="p2p-bench-"))
    from port2port.reports import search
    from port2port.reports.models import Report

    analyst = build_network(args.reports)

    def page(queryset):
        return lambda: (list(queryset.for_list().order_by("-occurred_at", "-id")[:50]), queryset.count())

    def found(queryset):
        return lambda: list(search.search(queryset, "reefer cocaine").order_by("-occurred_at")[:50])

    rows = [
        ("list page + count", timed(page(Report.objects.visible_to(analyst)), args.runs),
         timed(page(Report.objects.all()), args.runs)),
        ("full-text search", timed(found(Report.objects.visible_to(analyst)), args.runs),
         timed(found(Report.objects.all()), args.runs)),
    ]
    print(f"{args.reports} reports, {args.runs} runs each, database {Report.objects.db}")
    print(f"{'query':<20} {'ours p50':>9} {'ours p99':>9} {'bare p50':>9} {'bare p99':>9} {'ratio p50':>9}")
    for name, ours, bare in rows:
        print(f"{name:<20} {p(ours, 50):9.2f} {p(ours, 99):9.2f} {p(bare, 50):9.2f} {p(bare, 99):9.2f} "
              f"{p(ours, 50) / p(bare, 50):9.2f}")
    print(json.dumps({
        "reports": args.reports,
        "list_p50_ms": round(p(rows[0][1], 50), 2), "list_p99_ms": round(p(rows[0][1], 99), 2),
        "list_bare_p99_ms": round(p(rows[0][2], 99), 2),
        "search_p50_ms": round(p(rows[1][1], 50), 2), "search_p99_ms": round(p(rows[1][1], 99), 2),
        "search_bare_p99_ms": round(p(rows[1][2], 99), 2),
    }))


if __name__ == "__main__":
    main()
