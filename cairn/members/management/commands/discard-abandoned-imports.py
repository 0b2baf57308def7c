"""`cairn discard-abandoned-imports`: delete uploaded member lists never imported."""

from django.core.management.base import BaseCommand

from cairn.members.import_jobs import discard_abandoned_imports


class Command(BaseCommand):
    help = (
        "Delete uploaded member lists left at their preview for longer than "
        "CAIRN_IMPORT_KEEP_DAYS (14), with their files (the worker does it every day; "
        "run it from cron otherwise)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"deleted {discard_abandoned_imports()} uploads never imported")
