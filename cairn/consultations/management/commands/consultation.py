"""`cairn consultation paper-forms ID --out forms.pdf` and `cairn consultation import ID FILE.csv`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.consultations.models import Consultation
from cairn.consultations.services import importing, paper


class Command(BaseCommand):
    help = "Print paper forms for a consultation, or import responses from another survey tool."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        forms = sub.add_parser("paper-forms", help="PDF forms for everyone due one (by post)")
        forms.add_argument("consultation_id", type=int)
        forms.add_argument("--out", required=True, help="where to write the PDF")
        forms.add_argument("--blank", type=int, default=0, help="print N blank coded forms instead")
        imp = sub.add_parser(
            "import",
            help="import responses from a CSV or XLSX export (Google Forms, Microsoft Forms, "
            "SurveyMonkey, Typeform...)",
        )
        imp.add_argument("consultation_id", type=int)
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="check the file, import nothing")

    def handle(self, *args, action: str, consultation_id: int, **options):
        consultation = Consultation.objects.filter(pk=consultation_id).first()
        if consultation is None:
            raise CommandError(f"No consultation has the id {consultation_id}.")
        if action == "paper-forms":
            self._paper_forms(consultation, options["out"], options["blank"])
        else:
            self._import(consultation, Path(options["file"]), options["dry_run"])

    def _paper_forms(self, consultation: Consultation, out: str, blank: int) -> None:
        if blank:
            forms = paper.issue_blank_forms(consultation, actor=None, count=blank)
        else:
            forms = paper.issue_paper_forms(consultation, actor=None)
        if not forms:
            self.stdout.write("Nobody is due a paper form; no file written.")
            return
        Path(out).write_bytes(paper.render_paper_forms(consultation, forms))
        if not paper.return_address(consultation):
            self.stderr.write(
                "Warning: these forms have no return address. Set the consultation's return "
                "address, or the network's postal address (network settings page, or "
                "CAIRN_POSTAL_ADDRESS with lines separated by |)."
            )
        self.stdout.write(f"Wrote {len(forms)} paper forms to {out}:")
        for form in forms:
            self.stdout.write(f"  {form.code}  {form.person or '(blank)'}")

    def _import(self, consultation: Consultation, path: Path, dry_run: bool) -> None:
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file.")
        try:
            report = importing.import_responses(
                consultation, path.read_bytes(), filename=path.name, actor=None, dry_run=dry_run
            )
        except importing.ImportFailed as exc:
            lines = "\n".join(f"  {e}" for e in exc.report.errors)
            raise CommandError(f"Nothing was imported from {path.name}:\n{lines}") from exc
        for note in report.notes:
            self.stdout.write(note)
        if report.ignored_columns:
            self.stdout.write("Columns ignored: " + ", ".join(report.ignored_columns))
        if report.tool:
            self.stdout.write(f"Recognised as a {report.tool} export.")
        if dry_run:
            self.stdout.write(
                f"{report.would_import} responses would be imported from {path.name} "
                "(dry run: nothing was written)."
            )
            return
        self.stdout.write(f"Imported {report.imported} responses from {path.name}.")
