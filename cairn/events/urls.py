from django.urls import path

from cairn.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/registrations/", views.registrations, name="registrations"),
]
