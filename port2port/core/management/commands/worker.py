"""`port2port worker`: the background worker that runs queued tasks (django-tasks-db)."""

from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = (
        "Run the background worker: it takes tasks from the database queue and runs them. "
        "Same options as django-tasks-db's db_worker."
    )

    def handle(self, *args, **options):
        # Apps above core put their periodic work on the queue (settings.WORKER_STARTUP);
        # named in settings so that core imports nothing above it.
        for name in settings.WORKER_STARTUP:
            import_string(name)()
        return super().handle(*args, **options)
