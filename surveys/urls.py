from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("answer/<id:invitation_id>/", views.answer, name="answer"),
    path("<id:survey_id>/", views.survey, name="survey"),
    path("<id:survey_id>/results.csv", views.export, name="export"),
    path("<id:survey_id>/end/", views.end, name="end"),
]
