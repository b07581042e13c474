from django.urls import path

from goals import views_goal, views_lists, views_templates, views_tree

app_name = "goals"

urlpatterns = [
    path("", views_lists.my_goals, name="mine"),
    path("team/", views_lists.team_goals, name="team"),
    path("company/", views_lists.company_goals, name="company"),
    path("tree/", views_tree.tree, name="tree"),
    path("new/", views_goal.goal_create, name="create"),
    path("<id:goal_id>/", views_goal.goal_detail, name="goal"),
    path("<id:goal_id>/adjust/", views_goal.goal_adjust, name="adjust"),
    path("<id:goal_id>/update/", views_lists.update_progress, name="update"),
    path("<id:goal_id>/copy-forward/", views_goal.copy_forward, name="copy_forward"),
    path("templates/", views_templates.template_list, name="templates"),
    path("templates/new/", views_templates.template_create, name="template_create"),
    path("templates/<id:template_id>/", views_templates.template_edit, name="template_edit"),
    path("settings/", views_templates.goal_settings, name="settings"),
]
