from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("team/", views.team, name="team"),
    path("team/<slug:kind>/csv/", views.team_csv, name="team_csv"),
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/<slug:kind>/csv/", views.organisation_csv, name="organisation_csv"),
    path("hr/", views.hr, name="hr"),
    path("hr/<slug:kind>/csv/", views.hr_csv, name="hr_csv"),
    path("hr/compute/", views.compute, name="compute"),
]
