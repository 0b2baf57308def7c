"""Background work: a synthesis runs as a task, passing the run's id."""

from django.tasks import task

from cairn.insights.services import execute_run


@task
def synthesis_task(run_id: int) -> None:
    execute_run(run_id)
