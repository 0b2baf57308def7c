from django.urls import path

from cairn.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.generate_event_report, name="generate"),
    path("briefing/", views.generate_briefing, name="briefing"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/next-steps/", views.next_steps, name="next_steps"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("<int:pk>/files/<str:fmt>/", views.report_file, name="file"),
    path("<int:pk>/sections/<int:section_pk>/edit/", views.section_edit, name="section_edit"),
    path("<int:pk>/sections/<int:section_pk>/move/", views.section_move, name="section_move"),
    path("<int:pk>/sections/<int:section_pk>/hide/", views.section_hide, name="section_hide"),
    path(
        "<int:pk>/sections/<int:section_pk>/regenerate/",
        views.section_regenerate,
        name="section_regenerate",
    ),
    path("<int:pk>/sections/<int:section_pk>/rename/", views.section_rename, name="section_rename"),
    path("<int:pk>/quotes/<int:quote_pk>/hide/", views.quote_hide, name="quote_hide"),
    path("published/", views.published_list, name="published"),
    path("p/<slug:slug>/", views.public_report, name="public"),
    path("p/<slug:slug>/report.<str:fmt>", views.public_download, name="public_download"),
]
