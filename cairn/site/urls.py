from django.urls import path

from cairn.site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("settings/network/", views.network_settings, name="network_settings"),
]
