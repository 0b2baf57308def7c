from django.urls import path

from cairn.outreach import views

app_name = "outreach"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("inbox/", views.inbox, name="inbox"),
]
