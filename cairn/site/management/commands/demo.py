from django.core.management import call_command
from django.core.management.base import BaseCommand

from cairn.lib.mailers import catching
from cairn.site.demo import DEMO_LOGINS, demo_password, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo network (if the database has no events yet) and serve it. "
        "With --no-serve, only load."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Load the demo, don't serve.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="web processes (gunicorn > 1)")
        parser.add_argument(
            "--no-worker", action="store_true", help="Don't start a task worker beside the site."
        )

    def handle(
        self,
        *args,
        no_serve: bool,
        host: str,
        port: int,
        workers: int = 1,
        no_worker: bool = False,
        **options,
    ):
        call_command("migrate", interactive=False, verbosity=0)
        created = load_demo()
        if created:
            self.stdout.write(self.style.SUCCESS("Loaded the demo network."))
        else:
            self.stdout.write("The database already has data; the demo was not loaded again.")
        password = demo_password()
        self.stdout.write("")
        self.stdout.write(f"Log in at http://{host}:{port}/accounts/login/ as:")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {role:<12} username: {username:<12} password: {password}")
        self.stdout.write("")
        if catching():
            self.stdout.write(
                f"No email leaves this machine: read what the demo sent at "
                f"http://{host}:{port}/sent-mail/ (as the coordinator)."
            )
            self.stdout.write("")
        if not no_serve:
            call_command("serve", host=host, port=port, workers=workers, no_worker=no_worker)
