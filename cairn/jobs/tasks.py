"""Background work for jobs: a job runs as a task, passing the job's id."""

from django.tasks import task


@task
def run_job_task(job_id: int) -> None:
    # Local: the services enqueue this task, so they import this module, not the reverse.
    from cairn.jobs.services import run_job

    run_job(job_id)
