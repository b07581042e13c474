from django.urls import path

from plans import views, views_actions

app_name = "plans"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<id:plan_id>/", views.plan, name="plan"),
    path("others/", views.others, name="others"),
    path("coverage/", views.coverage, name="coverage"),
    path("actions/new/", views.add_action, name="add_action"),
    path("actions/<id:action_id>/", views_actions.edit, name="edit_action"),
    path("actions/<id:action_id>/status/", views_actions.status, name="action_status"),
    path("actions/<id:action_id>/coach/", views_actions.coach, name="coach_action"),
    path("goals/new/", views.add_goal, name="add_goal"),
    path("shares/new/", views.share, name="share"),
    path("shares/<id:share_id>/revoke/", views.revoke, name="revoke_share"),
]
