"""`cairn prune-finished-imports`: delete imports finished longer ago than the retention."""

from django.core.management.base import BaseCommand

from cairn.site.housekeeping import prune_finished_imports


class Command(BaseCommand):
    help = (
        "Delete member, response and chat imports finished more than CAIRN_IMPORT_KEEP_DAYS "
        "(14) ago, with their files and reports (the worker does it every day; run it from "
        "cron otherwise)."
    )

    def handle(self, *args, **options):
        counts = prune_finished_imports()
        self.stdout.write(", ".join(f"deleted {n} {what}" for what, n in counts.items()))
