from django.urls import path

from succession import views

app_name = "succession"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_position, name="new_position"),
    path("<id:position_id>/", views.position, name="position"),
    path("<id:position_id>/edit/", views.edit_position, name="edit_position"),
    path("<id:position_id>/archive/", views.archive_position, name="archive_position"),
    path("<id:position_id>/candidates/", views.add_candidate, name="add_candidate"),
    path("candidates/<id:candidacy_id>/", views.candidacy, name="candidacy"),
    path("candidates/<id:candidacy_id>/remove/", views.remove_candidate, name="remove_candidate"),
]
