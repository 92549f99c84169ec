"""`port2port worker`: the background worker that runs queued tasks (django-tasks-db)."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = (
        "Run the background worker: it takes tasks from the database queue and runs them. "
        "Same options as django-tasks-db's db_worker."
    )
