from django.urls import path

from cairn.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.index, name="index"),
    path("compose/", views.compose, name="compose"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("letters/", views.letters, name="letters"),
    path("letters/<int:pk>/", views.batch, name="batch"),
    path("letters/<int:pk>/letters.pdf", views.batch_pdf, name="batch_pdf"),
    path("letters/<int:pk>/labels.pdf", views.batch_labels, name="batch_labels"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:pk>/", views.call, name="call"),
    path("not-reached/", views.not_reached, name="not_reached"),
    path("deliveries/<int:pk>/", views.delivery, name="delivery"),
    path("deliveries/<int:pk>/act/", views.delivery_action, name="delivery_action"),
    path("retry-failed/", views.retry_failed, name="retry_failed"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("inbox/", views.inbox, name="inbox"),
]
