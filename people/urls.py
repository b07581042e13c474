from django.urls import path

from people import views, views_import

app_name = "people"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("picker/", views.picker_suggestions, name="picker"),
    path("new/", views.person_create, name="person_create"),
    path("<id:person_id>/", views.person_detail, name="person"),
    path("<id:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<id:person_id>/leave/", views.person_leave, name="person_leave"),
    path("<id:person_id>/invite/", views.person_invite, name="person_invite"),
    path("teams/", views.team_tree, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<id:team_id>/", views.team_detail, name="team"),
    path("teams/<id:team_id>/edit/", views.team_edit, name="team_edit"),
    path("import/", views_import.import_people, name="import"),
    path("import/template.csv", views_import.import_template, name="import_template"),
]
