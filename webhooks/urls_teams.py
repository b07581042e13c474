"""A team's chat channel (mounted at /people/teams/, beside the team's page)."""

from django.urls import path

from webhooks import views_teams

app_name = "team_chat"

urlpatterns = [
    path("<id:team_id>/chat/", views_teams.channel, name="channel"),
    path("<id:team_id>/chat/test/", views_teams.channel_test, name="channel_test"),
    path("<id:team_id>/chat/remove/", views_teams.channel_delete, name="channel_delete"),
]
