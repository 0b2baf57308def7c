from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Cairn administration")
admin.site.site_title = _("Cairn admin")
admin.site.index_title = _("Network data")

urlpatterns = [
    path("", include("cairn.core.urls")),
    path("admin/", admin.site.urls),
    path("", include("cairn.members.urls")),
    path("events/", include("cairn.events.urls")),
    path("contributions/", include("cairn.contributions.urls")),
    path("outreach/", include("cairn.outreach.urls")),
    path("consultations/", include("cairn.consultations.urls")),
    path("exchange/", include("cairn.exchange.urls")),
    path("conversations/", include("cairn.conversations.urls")),
    path("reports/", include("cairn.reports.urls")),
    path("insights/", include("cairn.insights.urls")),
    path("jobs/", include("cairn.jobs.urls")),
]
