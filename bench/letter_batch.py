"""A letter batch of 300 letters: what the coordinator's requests cost, and the worker's job.

    python bench/letter_batch.py [--letters 300]

Runs on a temporary SQLite database with the database task queue, so the POST only
queues the job; the job is then run here, as `cairn worker` would. Prints the POST that
asks for the files, the batch page's GET while the job waits, the job itself (letters
and labels rendered and stored), and the GET that serves the stored PDF.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--letters", type=int, default=300)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/db.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings_test")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client, override_settings

    override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}, ALLOWED_HOSTS=["*"]
    ).enable()
    call_command("migrate", verbosity=0)
    from cairn.jobs.services import run_job
    from cairn.members.models import Channel, Person
    from cairn.outreach.models import Delivery, LetterBatch

    batch = LetterBatch.objects.create()
    for i in range(args.letters):
        person = Person.objects.create(
            first_name=f"P{i}",
            last_name="Millar",
            address=f"{i} High Street\nEastdale",
            postcode="NS1 1AB",
            preferred_channel=Channel.POST,
        )
        Delivery.objects.create(
            person=person,
            channel="post",
            purpose="newsletters",
            subject="Invitation",
            body="Dear friend,\n\nPlease come to our event.\n\nWith thanks",
            status="queued",
            batch=batch,
            large_print=i % 3 == 0,
        )
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    client = Client()
    client.force_login(user)
    client.get(f"/outreach/letters/{batch.pk}/")  # warm up: templates, URLs
    url = f"/outreach/letters/{batch.pk}/"
    start = time.perf_counter()
    posted = client.post(url, {"action": "prepare"})
    post_s = time.perf_counter() - start
    start = time.perf_counter()
    page = client.get(url)
    get_s = time.perf_counter() - start
    print(f"{args.letters} letters")
    print(f"POST prepare: {posted.status_code} in {post_s * 1000:.0f} ms")
    print(f"GET batch page while the job waits: {page.status_code} in {get_s * 1000:.0f} ms")
    batch.refresh_from_db()
    start = time.perf_counter()
    run_job(batch.prepare_job_id)
    print(f"worker job (letters and labels rendered, stored): {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    served = client.get(f"/outreach/letters/{batch.pk}/letters.pdf")
    size = len(b"".join(served.streaming_content))
    print(
        f"GET letters.pdf from the storage: {served.status_code}, {size // 1024} KiB "
        f"in {(time.perf_counter() - start) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
