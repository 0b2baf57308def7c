from django.urls import path

from cairn.public import views

app_name = "public"
urlpatterns = [
    path("events/", views.events, name="events"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/registered/", views.registered, name="registered"),
    path("registration/<str:token>/", views.my_registration, name="my_registration"),
    path("start-here/", views.start_here, name="start_here"),
    path("directory/", views.directory, name="directory"),
]
