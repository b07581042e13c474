from django.urls import path

from talent import views, views_skills

app_name = "talent"

urlpatterns = [
    path("", views.index, name="index"),
    path("skills/team/", views_skills.team, name="skills_team"),
    path("skills/organisation/", views_skills.organisation, name="skills_organisation"),
]
