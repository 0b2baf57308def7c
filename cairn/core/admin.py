from django.contrib import admin

from cairn.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["summary", "actor__username", "object_id"]
    date_hierarchy = "created_at"

    # The audit log is append-only: nobody edits or deletes history.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
