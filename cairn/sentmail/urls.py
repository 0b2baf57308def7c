from django.urls import path

from cairn.sentmail import views

app_name = "sentmail"
urlpatterns = [
    path("", views.sent_mail, name="list"),
    path("<int:pk>/", views.sent_mail_detail, name="detail"),
]
