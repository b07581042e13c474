from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisation/", views.general, name="general"),
    path("modules/", views.modules, name="modules"),
    path("privacy/", views.privacy, name="privacy"),
]
