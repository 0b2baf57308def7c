from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Migrate, collect static files and serve Cairn with waitress."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-migrate", action="store_true", help="Skip migrations.")

    def handle(self, *args, host: str, port: int, threads: int, no_migrate: bool, **options):
        from waitress import serve

        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Imported after collectstatic so WhiteNoise indexes the collected files.
        from cairn.wsgi import application

        self.stdout.write(self.style.SUCCESS(f"Cairn is serving on http://{host}:{port}/"))
        self.stdout.flush()
        try:
            serve(application, host=host, port=port, threads=threads, ident="cairn")
        except OSError as exc:
            raise CommandError(f"Cannot listen on {host}:{port}: {exc}") from exc
