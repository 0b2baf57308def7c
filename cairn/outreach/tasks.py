"""Background work for outreach; tasks take ids, never objects."""

from collections.abc import Callable

from django.tasks import task
from django.utils.translation import gettext as _


@task
def retry_failed_emails_task() -> dict[str, int]:
    # Local: the services defer this task, so they import this module, not the reverse.
    from cairn.outreach.services import retry_failed_emails

    return retry_failed_emails()


def retry_failed_emails_job(progress: Callable[..., None]) -> dict:
    """The job behind "Retry failed emails now": a mail server that is down answers each
    attempt slowly, so the page starts this and shows its progress instead of waiting."""
    # Local: as above, the services import this module.
    from cairn.outreach.services import retry_failed_emails

    progress(0, None, _("Trying the failed emails again"))
    result = retry_failed_emails(force=True)
    text = _("Tried %(tried)d emails: %(sent)d sent, %(still_failing)d still failing.") % result
    if result["not_sent"]:
        text += (
            " "
            + _(
                "%(not_sent)d not sent: their person unsubscribed or asked not to be emailed "
                "meanwhile (see the not-reached list)."
            )
            % result
        )
    return {"message": text, **result}


def prepare_batch_files_job(progress: Callable[..., None], batch_id: int) -> dict:
    """The job behind a letter batch's Prepare button: its letters and labels as PDFs."""
    # Local: as above, the services import this module.
    from cairn.outreach.services.letters import render_batch_files

    return render_batch_files(batch_id, progress)
