"""`cairn send-digests`: new posts to each follower by their channel (run daily or weekly)."""

from django.core.management.base import BaseCommand

from cairn.conversations.services.digests import send_digests


class Command(BaseCommand):
    help = "Send each follower a digest of new posts in the conversations they follow."

    def handle(self, *args, **options):
        self.stdout.write(f"Sent {send_digests()} digests.")
