"""`port2port load_demo`: load the Belgian demo network once (a second run changes nothing).

Only in demo mode: the network holds a platform admin with a published password."""

import time

from django.core.management.base import BaseCommand, CommandError

from port2port.core.sharing import Status
from port2port.demo import generate


class Command(BaseCommand):
    help = "Load the demo network (organisations, people, groups, a year of reports) unless it is loaded already."

    def add_arguments(self, parser):
        parser.add_argument("--reports", type=int, default=generate.REPORT_COUNT,
                            help="How many reports to generate (default: %(default)s).")

    def handle(self, *, reports: int, verbosity: int, **options):
        if generate.is_loaded():
            if verbosity:
                self.stdout.write("The demo network is loaded already; nothing to do.")
            return
        started = time.monotonic()
        try:
            summary = generate.load(report_count=reports)
        except generate.NotDemoMode as refusal:
            raise CommandError(str(refusal)) from None
        if verbosity:
            statuses = ", ".join(f"{summary.reports[status]} {status.label.lower()}" for status in Status)
            self.stdout.write(self.style.SUCCESS(
                f"Loaded the demo network in {time.monotonic() - started:.1f} s: {summary.organisations} "
                f"organisations, {summary.people} people, {summary.report_total} reports ({statuses}), "
                f"{summary.comments} comments, {summary.indicators} indicators."
            ))
