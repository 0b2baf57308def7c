from django.core.management.base import BaseCommand

from cairn.events.tasks import due_reminders, send_due_reminders


class Command(BaseCommand):
    help = (
        "Enqueue a reminder task for every registration whose event starts within 24 hours "
        "and has not had one. Run it every few minutes from a timer (cron, systemd); it never "
        "sends a reminder twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")

    def handle(self, *args, dry_run: bool, **options):
        if dry_run:
            self.stdout.write(f"{len(due_reminders())} reminders due")
            return
        result = send_due_reminders.enqueue()
        count = result.return_value if result.is_finished else "queued"
        self.stdout.write(f"reminders: {count}")
