"""`cairn report EVENT_ID --format html|pdf|docx|md [--large-print] --out FILE`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.events.models import Event
from cairn.reports import render
from cairn.reports.document import build_document
from cairn.reports.models import Report, ReportKind
from cairn.reports.services import generate_event_report


class Command(BaseCommand):
    help = (
        "Render an event's current report (the published version if there is one, else the "
        "latest draft; a draft is generated when the event has none)."
    )

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int)
        parser.add_argument("--format", choices=sorted(render.FORMATS), default="pdf")
        parser.add_argument("--large-print", action="store_true")
        parser.add_argument(
            "--with-sources",
            action="store_true",
            help="coordinators' copy: links to sources, every quote",
        )
        parser.add_argument("--out", required=True, help="file to write; - for standard output")

    def handle(self, *args, event_id, format, large_print, with_sources, out, **options):
        event = Event.objects.filter(pk=event_id).first()
        if event is None:
            raise CommandError(f"No event with id {event_id}.")
        report = (
            Report.objects.filter(kind=ReportKind.EVENT, event=event)
            .order_by("-published_at", "-created_at")
            .first()
        )
        if report is None:
            report = generate_event_report(event, None)
            self.stderr.write(f"Generated a draft report for “{event.title}”.")
        if with_sources:
            doc = build_document(report, public=False)
        else:
            doc = report.published_doc or build_document(report, public=True)
        write(self, render.render(doc, format, large_print=large_print), out)


def write(command: BaseCommand, data: bytes, out: str) -> None:
    if out == "-":
        command.stdout.buffer.write(data) if hasattr(
            command.stdout, "buffer"
        ) else command.stdout.write(data.decode(errors="replace"))
        return
    path = Path(out)
    if not path.parent.exists():
        raise CommandError(f"The folder {path.parent} does not exist.")
    path.write_bytes(data)
    command.stderr.write(f"Wrote {path} ({len(data):,} bytes).")
