from django.urls import path

from cairn.conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.thread_list, name="list"),
    path("new/", views.thread_create, name="create"),
    path("<int:pk>/", views.thread_detail, name="detail"),
    path("<int:pk>/follow/", views.thread_follow, name="follow"),
    path("held/", views.held_list, name="held"),
    path("held/<int:pk>/", views.held_decide, name="held_decide"),
]
