"""Background work for outreach; tasks take ids, never objects."""

from django.tasks import task


@task
def retry_failed_emails_task() -> dict[str, int]:
    from cairn.outreach.services import retry_failed_emails

    return retry_failed_emails()


@task
def send_message_task(message_id: int, user_id: int | None = None) -> int:
    from cairn.outreach.audience import send_message

    return send_message(message_id, user_id)
