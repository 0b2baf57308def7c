"""`cairn briefing --events ID,ID --format html|pdf|docx|md [--large-print] --out FILE`."""

from django.core.management.base import BaseCommand, CommandError

from cairn.events.models import Event
from cairn.reports import render
from cairn.reports.document import build_document
from cairn.reports.management.commands.report import write
from cairn.reports.services import ReportError, generate_briefing


class Command(BaseCommand):
    help = "Generate a lessons briefing across events and render it."

    def add_arguments(self, parser):
        parser.add_argument("--events", default="", help="comma-separated event ids")
        parser.add_argument("--consultations", default="", help="comma-separated consultation ids")
        parser.add_argument("--format", choices=sorted(render.FORMATS), default="pdf")
        parser.add_argument("--large-print", action="store_true")
        parser.add_argument("--title", default="")
        parser.add_argument("--out", required=True)

    def handle(self, *args, events, consultations, format, large_print, title, out, **options):
        try:
            ids = [int(v) for v in events.split(",") if v.strip()]
            consultation_ids = [int(v) for v in consultations.split(",") if v.strip()]
        except ValueError as exc:
            raise CommandError(
                "--events and --consultations take ids separated by commas, e.g. 3,7"
            ) from exc
        if not ids and not consultation_ids:
            raise CommandError(
                "Name at least one event (--events) or consultation (--consultations)."
            )
        found = list(Event.objects.filter(pk__in=ids))
        missing = sorted(set(ids) - {e.pk for e in found})
        if missing:
            raise CommandError(f"No event with id {', '.join(map(str, missing))}.")
        try:
            report = generate_briefing(found, None, title, consultation_ids)
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        write(
            self,
            render.render(build_document(report, public=True), format, large_print=large_print),
            out,
        )
