"""`cairn clear-sign-in-codes`: take expired one-time sign-in codes out of the sessions."""

from django.core.management.base import BaseCommand

from cairn.accounts.services import clear_expired_sign_in_codes


class Command(BaseCommand):
    help = (
        "Delete expired sessions and take the emailed sign-in codes that no longer work out "
        "of the others (the worker does it every hour; run it from cron otherwise)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"cleaned {clear_expired_sign_in_codes()} sessions")
