"""Pages for background work: one job's progress (polled), the list, and run-again."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cairn.core.roles import coordinator_required
from cairn.jobs import services
from cairn.jobs.models import Job, JobStatus
from cairn.lib.paging import paginate


def job_state(job: Job) -> dict:
    return {
        "status": job.status,
        "label": str(job.get_status_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "stage": job.stage,
        "message": job.message,
        "error": job.error,
        "active": job.is_active,
    }


def follow(request: HttpRequest, job: Job) -> HttpResponse:
    """Where a page that started a job sends the browser: the job's progress page, or,
    when the work already finished (tasks run in the request), straight to its result."""
    if job.status == JobStatus.DONE and job.next_url:
        if job.message:
            messages.success(request, job.message)
        return redirect(job.next_url)
    return redirect(job)


@coordinator_required
def job_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, Job.objects.select_related("created_by"))
    return render(
        request,
        "jobs/list.html",
        {
            "page_obj": page,
            "queue_depth": services.queue_depth(),
            "last_heartbeat": services.last_heartbeat(),
        },
    )


@coordinator_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    return render(request, "jobs/detail.html", {"job": job})


@coordinator_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(job_state(get_object_or_404(Job, pk=pk)))


@coordinator_required
@require_POST
def job_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    try:
        job = services.rerun_job(job, request.user)
    except services.JobError as exc:
        messages.error(request, str(exc))
    return follow(request, job)
