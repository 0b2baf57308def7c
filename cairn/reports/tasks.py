"""Background work for reports: a PDF or DOCX is rendered by a worker, passing its id."""

from django.tasks import task


@task()
def render_file_task(rendered_id: int) -> None:
    # Local: reports.files enqueues this task, so it imports this module, not the reverse.
    from cairn.reports.files import render_file

    render_file(rendered_id)
