"""`port2port prune_events`: delete sensor events older than the retention period.

Run daily or monthly by a timer. Events linked to an alert that is still open are kept (someone
is working on it); the deletion is one audited action.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from port2port.sensors.actions import prune_events


class Command(BaseCommand):
    help = "Delete sensor events older than P2P_SENSOR_EVENT_RETENTION_DAYS (events of open alerts are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.SENSOR_EVENT_RETENTION_DAYS,
                            help="Keep events of the last DAYS days (default: %(default)s).")

    def handle(self, *, days: int, **options):
        deleted = prune_events(older_than_days=days)
        self.stdout.write(f"Deleted {deleted} sensor event(s) older than {days} days.")
