from django.contrib import admin

from cairn.jobs.models import Job, ScheduleSlot, WorkerHeartbeat


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "done", "total", "attempts", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["runner", "params", "result"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at"]


@admin.register(ScheduleSlot)
class ScheduleSlotAdmin(admin.ModelAdmin):
    list_display = ["name", "last_run_at", "last_worker"]
