from django.urls import path

from cairn.contributions import views

app_name = "contributions"
urlpatterns = [
    path("", views.contribution_list, name="list"),
    path("<int:pk>/", views.contribution_detail, name="detail"),
]
