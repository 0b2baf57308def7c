from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.events.models import Event
from cairn.events.services.chat_import import import_chat


class Command(BaseCommand):
    help = (
        "Import a meeting chat (Zoom, Teams copied, Meet) or a transcript (.vtt, .srt, Teams "
        ".docx, Zoom or Meet .txt) into an event's "
        "contributions. All or nothing: any unreadable line means nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check the file, import nothing")
        parser.add_argument(
            "--timezone",
            default="",
            help="time zone the chat was saved in, when not the event's (e.g. America/New_York)",
        )

    def handle(self, *args, event_id: int, file: str, dry_run: bool, timezone: str, **options):
        event = Event.objects.filter(pk=event_id).first()
        if event is None:
            raise CommandError(f"No event with id {event_id}.")
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        report = import_chat(
            event, data, path.name, actor=None, dry_run=dry_run, recorded_timezone=timezone
        )
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
        self.stdout.write(f"  reactions counted, not imported: {report.reactions}")
        self.stdout.write(f"  replies linked to the message they answer: {report.replies}")
        if report.already_imported:
            self.stdout.write(f"  already imported before, skipped: {report.already_imported}")
        if report.unknown_speaker:
            self.stdout.write(
                f"  with no speaker named (kept as unknown): {report.unknown_speaker}"
            )
        self.stdout.write(f"  speakers matched to registered people: {report.matched_speakers}")
        if report.unmatched_speakers:
            self.stdout.write(f"  kept by name only: {', '.join(report.unmatched_speakers)}")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
