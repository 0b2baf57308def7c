from django.urls import path

from cairn.members import views

app_name = "members"
urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
]
