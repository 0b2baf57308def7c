"""Background work for conversations: the digest run the worker's schedule fires."""

from django.tasks import task

from cairn.conversations.services.digests import send_digests


@task
def send_digests_task() -> int:
    return send_digests()
