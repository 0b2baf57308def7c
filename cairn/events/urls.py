from django.urls import path

from cairn.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_edit, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/calendar.ics", views.event_calendar, name="calendar"),
    path("<int:pk>/my-registration/cancel/", views.cancel_mine, name="cancel_mine"),
    path("<int:pk>/registrations/", views.registrations, name="registrations"),
    path("<int:pk>/registrations/add/", views.register_on_behalf, name="register_on_behalf"),
    path(
        "<int:pk>/registrations/<int:rid>/cancel/",
        views.cancel_registration,
        name="cancel_registration",
    ),
    path("<int:pk>/registrations/<int:rid>/role/", views.set_role, name="set_role"),
    path("<int:pk>/attendance/", views.attendance_page, name="attendance"),
    path("<int:pk>/attendance/<int:rid>/", views.check_in, name="check_in"),
    path("<int:pk>/breakouts/", views.breakouts_page, name="breakouts"),
    path("<int:pk>/breakouts/rooms.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/breakouts/print/", views.print_groups, name="print_groups"),
    path("<int:pk>/groups/<int:gid>/", views.group_board, name="group"),
    path("<int:pk>/groups/<int:gid>/notes/", views.group_notes, name="group_notes"),
    path("<int:pk>/import-chat/", views.import_chat_page, name="import_chat"),
    path(
        "<int:pk>/import-chat/<int:import_id>/",
        views.import_chat_result,
        name="import_chat_result",
    ),
    path(
        "<int:pk>/import-chat/<int:import_id>/import/",
        views.import_checked,
        name="import_checked",
    ),
    path("<int:pk>/feedback/", views.feedback_page, name="feedback"),
    path("<int:pk>/feedback/enter/", views.feedback_enter, name="feedback_enter"),
]
