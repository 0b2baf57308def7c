"""`cairn retry-emails [--all]`: resend emails that failed because the mail server was down."""

from django.core.management.base import BaseCommand

from cairn.outreach.services import retry_failed_emails


class Command(BaseCommand):
    help = (
        "Try again every failed email whose next attempt is due (run it from cron every few "
        "minutes). Emails that still fail after 8 attempts move to the not-reached list."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="retry every failed email now")

    def handle(self, *args, **options):
        result = retry_failed_emails(force=options["all"])
        self.stdout.write(
            f"tried {result['tried']}, sent {result['sent']}, still failing "
            f"{result['still_failing']}, not sent (unsubscribed or refused email meanwhile) "
            f"{result['not_sent']}"
        )
