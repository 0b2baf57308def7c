from django.urls import path

from cairn.members import views

app_name = "members"
urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_add, name="organisation_add"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path(
        "organisations/<int:pk>/archive/",
        views.organisation_archive,
        name="organisation_archive",
    ),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_add, name="person_add"),
    path("people/import/", views.import_start, name="import"),
    path("people/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("people/audit/", views.audit_log, name="audit"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/consent/", views.person_consent, name="person_consent"),
    path("people/<int:pk>/archive/", views.person_archive, name="person_archive"),
    path("people/<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("people/<int:pk>/erase/", views.person_erase, name="person_erase"),
    path(
        "people/<int:pk>/export.<str:fmt>",
        views.person_export,
        name="person_export",
    ),
    path("directory/people/", views.directory_people, name="directory_people"),
    path("me/", views.my_details, name="me"),
]
