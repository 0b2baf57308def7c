"""`cairn register-attendees EVENT_ID FILE [--dry-run]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.events.models import Event
from cairn.events.services.attendee_import import import_attendees
from cairn.members.tabular import UnreadableFile


class Command(BaseCommand):
    help = (
        "Bring an attendee list from another booking tool (such as Eventbrite's attendee "
        "report, CSV or XLSX) in as people and register them for the event. Cancelled and "
        "refunded attendees are left out. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check the file, change nothing")

    def handle(self, *args, event_id: int, file: str, dry_run: bool, **options):
        event = Event.objects.filter(pk=event_id).first()
        if event is None:
            raise CommandError(f"No event with id {event_id}.")
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            report = import_attendees(event, data, path.name, actor=None, dry_run=dry_run)
        except UnreadableFile as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        if report.members.problems or report.errors:
            for problem in report.members.problems + report.errors:
                self.stderr.write(problem)
            raise CommandError(f"{path.name}: nothing was imported.")
        for line in report.members.summary_lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nobody was added or registered.")
            return
        self.stdout.write(
            f"registered for {event.title}: {report.registered}, on the waiting list: "
            f"{report.waitlisted}, already registered: {report.already}"
        )
