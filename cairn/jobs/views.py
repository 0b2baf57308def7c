"""Pages for background work: one job's progress (polled), the list, and run-again."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cairn.core.roles import coordinator_required
from cairn.jobs import services
from cairn.jobs.models import Job
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
        services.rerun_job(job, request.user)
    except services.JobError as exc:
        messages.error(request, str(exc))
    return redirect(job)
