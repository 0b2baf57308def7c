from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.events.models import Event
from cairn.events.services.chat_import import import_chat


class Command(BaseCommand):
    help = (
        "Import a meeting chat (Zoom local or cloud) or a WebVTT transcript into an event's "
        "contributions. All or nothing: any unreadable line means nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check the file, import nothing")

    def handle(self, *args, event_id: int, file: str, dry_run: bool, **options):
        event = Event.objects.filter(pk=event_id).first()
        if event is None:
            raise CommandError(f"No event with id {event_id}.")
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        report = import_chat(event, data, path.name, actor=None, dry_run=dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{path.name}: {len(report.errors)} problem(s); nothing was imported."
            )
        count = report.would_import if dry_run else report.imported
        self.stdout.write(
            f"{path.name} ({report.format}): {count} messages "
            f"{'would be imported' if dry_run else 'imported'}"
        )
        self.stdout.write(f"  private messages skipped: {report.private_skipped}")
        self.stdout.write(f"  speakers matched to registered people: {report.matched_speakers}")
        if report.unmatched_speakers:
            self.stdout.write(f"  kept by name only: {', '.join(report.unmatched_speakers)}")
