"""Background work for outreach; tasks take ids, never objects."""

from django.tasks import task


@task
def retry_failed_emails_task() -> dict[str, int]:
    # Local: the services defer this task, so they import this module, not the reverse.
    from cairn.outreach.services import retry_failed_emails

    return retry_failed_emails()
