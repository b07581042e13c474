from django.urls import path

from surveys import views, views_plans

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("answer/<id:invitation_id>/", views.answer, name="answer"),
    path("<id:survey_id>/", views.survey, name="survey"),
    path("<id:survey_id>/results.csv", views.export, name="export"),
    path("<id:survey_id>/end/", views.end, name="end"),
    path("<id:survey_id>/plans/new/", views_plans.new_plan, name="plan_new"),
    path("plans/<id:plan_id>/", views_plans.plan, name="plan"),
    path("plans/<id:plan_id>/actions/", views_plans.add_action, name="plan_action"),
    path("plans/<id:plan_id>/share/", views_plans.share_plan, name="plan_share"),
    path("actions/<id:action_id>/done/", views_plans.complete_action, name="action_done"),
    path("comments/<uuid:comment>/reply/", views_plans.reply, name="reply"),
]
