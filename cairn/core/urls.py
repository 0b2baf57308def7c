from django.urls import path

from cairn.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
