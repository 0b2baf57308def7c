from django.urls import path

from cairn.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.synthesis_list, name="list"),
    path("start/", views.synthesis_start, name="start"),
    path("<int:pk>/", views.synthesis_detail, name="detail"),
    path("<int:pk>/status/", views.synthesis_status, name="status"),
    path("<int:pk>/rerun/", views.synthesis_rerun, name="rerun"),
    path("<int:pk>/unassigned/", views.theme_detail, name="unassigned"),
    path("<int:pk>/unassigned/statements/", views.theme_statements, name="unassigned_statements"),
    path("<int:pk>/themes/<int:theme_pk>/", views.theme_detail, name="theme"),
    path("<int:pk>/themes/<int:theme_pk>/rename/", views.theme_rename, name="rename"),
    path("<int:pk>/themes/<int:theme_pk>/merge/", views.theme_merge, name="merge"),
    path("<int:pk>/themes/<int:theme_pk>/statements/", views.theme_statements, name="statements"),
]
