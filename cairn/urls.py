from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from cairn.accounts import views as account_views
from cairn.accounts.urls import login_urlpatterns
from cairn.jobs.health import FullHealth, WebHealth

admin.site.site_header = _("Cairn administration")
admin.site.site_title = _("Cairn admin")
admin.site.index_title = _("Network data")

urlpatterns = [
    # For load balancers and monitors; no login, and nothing personal in the answer.
    path("health/", FullHealth.as_view(), name="health"),
    path("health/web/", WebHealth.as_view(), name="health_web"),
    path("", include("cairn.site.urls")),
    path("accounts/", include(login_urlpatterns)),
    path("accounts/", include("cairn.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("join/", account_views.join, name="join"),
    path("join/thanks/", account_views.join_thanks, name="join_thanks"),
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
    path("sent-mail/", include("cairn.sentmail.urls")),
    path("visit/", include("cairn.public.urls")),
]
