"""`port2port retention`: the daily review of personal indicators (person, phone).

Run once a day by a timer. It asks each owner about the personal indicators past their review
date (they appear on the owner's review list), and purges those asked about more than
RETENTION_GRACE_DAYS ago that nobody kept. Idempotent: a second run the same day does nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from port2port.indicators.actions import run_retention


class Command(BaseCommand):
    help = ("Ask owners to review person and phone indicators past their review date, and purge those "
            "not kept within the grace period. Run daily.")

    def handle(self, **options):
        run = run_retention()
        self.stdout.write(
            f"Asked for review: {run.asked} indicator(s) in {run.reports_asked} report(s). "
            f"Purged: {run.purged} indicator(s) not kept within {settings.RETENTION_GRACE_DAYS} days."
        )
