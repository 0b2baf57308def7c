"""`{% no_worker_notice %}`: on a page where queued work waits, say so when no worker runs."""

from django import template

from cairn.jobs.services import no_worker_running

register = template.Library()


@register.inclusion_tag("jobs/_no_worker.html")
def no_worker_notice() -> dict[str, bool]:
    return {"missing": no_worker_running()}
