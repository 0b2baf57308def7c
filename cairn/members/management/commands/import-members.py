"""`cairn import-members FILE [--dry-run] [--map COLUMN=field ...]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.members.import_fields import FIELDS
from cairn.members.importer import run_import
from cairn.members.tabular import UnreadableFile


class Command(BaseCommand):
    help = (
        "Import members from a CSV (any delimiter; UTF-8, with or without BOM, or "
        "Windows-1252) or XLSX file. Columns are matched from their header names "
        "unless --map says otherwise. Valid rows are applied all-or-nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would happen; change nothing"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=field",
            help=f"map a column to a field (or to nothing: COLUMN=). Fields: {', '.join(FIELDS)}",
        )
        parser.add_argument(
            "--keep-duplicates",
            action="store_true",
            help="add likely duplicates as separate people instead of merging them",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        mapping = {}
        for item in options["map"]:
            column, sep, field = item.partition("=")
            if not sep:
                raise CommandError(f"--map {item!r}: write it as COLUMN=field.")
            mapping[column.strip()] = field.strip()
        try:
            report = run_import(
                data,
                path.name,
                mapping=mapping,
                keep_duplicates=options["keep_duplicates"],
                apply=not options["dry_run"],
            )
        except UnreadableFile as error:
            raise CommandError(f"{path.name}: {error}") from error
        if report.problems:
            self.stderr.write("Columns found: " + ", ".join(report.headers))
            raise CommandError("\n".join(report.problems))
        mapped = ", ".join(f"{h} → {f}" for h, f in report.mapping.items() if f)
        self.stdout.write(f"Columns: {mapped}")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was changed.")
        for line in report.summary_lines():
            self.stdout.write(line)
        for dup in report.duplicates[:50]:
            self.stdout.write(
                f"  line {dup.line}: likely duplicate of {dup.person_name} (same {dup.matched_by})"
                f", {dup.decision}: {'; '.join(dup.changes)}"
            )
        if len(report.duplicates) > 50:
            self.stdout.write(f"  … and {len(report.duplicates) - 50} more likely duplicates")
        if report.rejected:
            self.stdout.write("Rejected rows:")
        for error in report.rejected:
            self.stdout.write(f"  line {error.line}: {error.reason}")
        if report.notes:
            self.stdout.write("Imported, but check these rows:")
        for note in report.notes:
            self.stdout.write(f"  line {note.line}: {note.reason}")
