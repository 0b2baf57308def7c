"""`cairn worker`: run queued tasks, keep a heartbeat, recover lost tasks and fire schedules.

django-tasks-db's `db_worker` runs the tasks; a thread beside it writes this
process's heartbeat and fires due schedules every few seconds, even while a long
task runs. Run as many as you like, on as many machines as share the database.
"""

import logging
import threading

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from cairn.jobs import services
from cairn.jobs.models import WorkerHeartbeat

log = logging.getLogger("cairn.jobs")


class Ticker(threading.Thread):
    def __init__(self, worker_id: str, *, schedules: bool) -> None:
        super().__init__(name="cairn-ticker", daemon=True)
        self.worker_id = worker_id
        self.schedules = schedules
        self.started_at = timezone.now()
        self.stop = threading.Event()

    def tick(self) -> None:
        services.beat(self.worker_id, started_at=self.started_at)
        if self.schedules:
            fired = services.run_due_schedules(self.worker_id)
            if fired:
                log.info("schedules fired: %s", ", ".join(fired))

    def run(self) -> None:
        try:
            while True:
                try:
                    self.tick()
                except Exception:  # noqa: BLE001 - the database may be away for a moment
                    log.warning("worker tick failed", exc_info=True)
                    connection.close()
                if self.stop.wait(settings.CAIRN_HEARTBEAT_SECONDS):
                    return
        finally:
            connection.close()


class Command(DBWorkerCommand):
    help = (
        "Run background tasks from the database queue (several workers may share it), "
        "recover tasks whose worker was killed, and fire the schedules: reminders, "
        "digests, email retries and clean-ups."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedules",
            action="store_true",
            help="Only run tasks; leave the schedules to other workers or to cron.",
        )
        parser.set_defaults(worker_id=services.new_worker_id(), reload=False)

    def handle(self, *args, no_schedules: bool = False, **options) -> None:
        worker_id = options["worker_id"]
        ticker = Ticker(worker_id, schedules=not no_schedules)
        ticker.tick()  # the first heartbeat before any task is claimed
        ticker.start()
        if options["verbosity"]:
            self.stdout.write(f"Cairn worker {worker_id} is running tasks.")
            self.stdout.flush()
        try:
            super().handle(*args, **options)
        finally:
            ticker.stop.set()
            ticker.join(timeout=5)
            # A clean stop finished its task; forget the heartbeat so nothing waits for it.
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
