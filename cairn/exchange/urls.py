from django.urls import path

from cairn.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.listing_list, name="list"),
    path("new/", views.listing_create, name="create"),
    path("start-here/", views.guide, name="guide"),
    path("<int:pk>/", views.listing_detail, name="detail"),
    path("<int:pk>/close/", views.listing_close, name="close"),
]
