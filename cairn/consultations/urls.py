from django.urls import path

from cairn.consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create, name="create"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="edit"),
    path("<int:pk>/status/", views.consultation_status, name="status"),
    path("<int:pk>/questions/<int:question_id>/move/", views.question_move, name="question_move"),
    path(
        "<int:pk>/questions/<int:question_id>/remove/",
        views.question_remove,
        name="question_remove",
    ),
    path("<int:pk>/answer/", views.answer_start, name="answer_start"),
    path("r/<str:token>/", views.answer, name="answer"),
    path("<int:pk>/script/", views.call_script, name="script"),
    path("<int:pk>/enter/", views.enter, name="enter"),
    path("<int:pk>/paper-forms.pdf", views.paper_forms_pdf, name="paper_forms"),
    path("<int:pk>/paper-forms/send/", views.paper_forms_send, name="paper_forms_send"),
    path("<int:pk>/results/", views.results_page, name="results"),
    path(
        "<int:pk>/questions/<int:question_id>/synthesise/",
        views.synthesise,
        name="synthesise",
    ),
    path("<int:pk>/synthesise/", views.synthesise_all, name="synthesise_all"),
    path("<int:pk>/results.pdf", views.results_pdf, name="results_pdf"),
    path("<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/import/", views.import_csv, name="import"),
    path("<int:pk>/import/<int:import_id>/", views.import_result, name="import_result"),
]
