from django.urls import path

from growth import views, views_assessments, views_career, views_framework, views_rounds

app_name = "growth"

urlpatterns = [
    path("", views.index, name="index"),
    path("framework/", views_framework.framework, name="framework"),
    path("framework/versions/<id:number>/download/", views_framework.export, name="export"),
    path("framework/import/", views_framework.import_framework, name="import"),
    path("framework/start/", views_framework.start, name="start"),
    path("career/", views_career.career, name="career"),
    path("assessments/start/", views_assessments.start, name="assessment_start"),
    path("assessments/<id:assessment_id>/", views_assessments.assessment, name="assessment"),
    path(
        "assessments/<id:assessment_id>/competencies/<id:competency_id>/rate/",
        views_assessments.rate,
        name="assessment_rate",
    ),
    path(
        "assessments/<id:assessment_id>/competencies/<id:competency_id>/agree/",
        views_assessments.agree,
        name="assessment_agree",
    ),
    path(
        "assessments/<id:assessment_id>/share/",
        views_assessments.share,
        name="assessment_share",
    ),
    path(
        "assessments/<id:assessment_id>/agreement/",
        views_assessments.record_agreement,
        name="assessment_agreement",
    ),
    path(
        "assessments/<id:assessment_id>/close/",
        views_assessments.close,
        name="assessment_close",
    ),
    path(
        "assessments/<id:assessment_id>/share-with-hr/",
        views_assessments.share_with_hr,
        name="assessment_share_hr",
    ),
    path(
        "people/<id:person_id>/competencies/<slug:key>/",
        views_assessments.competency_history,
        name="competency_history",
    ),
    path("rounds/", views_rounds.rounds, name="rounds"),
    path("rounds/<id:round_id>/", views_rounds.round_progress, name="round"),
]
