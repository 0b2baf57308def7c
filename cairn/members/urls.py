from django.urls import path

from cairn.members import views

app_name = "members"
urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("people/", views.people, name="people"),
    path("people/import/", views.import_start, name="import"),
    path("people/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("people/audit/", views.audit_log, name="audit"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/consent/", views.person_consent, name="person_consent"),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
    path(
        "people/<int:pk>/export.<str:fmt>",
        views.person_export,
        name="person_export",
    ),
    path("directory/people/", views.directory_people, name="directory_people"),
    path("me/", views.my_details, name="me"),
]
