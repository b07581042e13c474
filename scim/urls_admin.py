from django.urls import path

from scim import views_admin

app_name = "scim_admin"

urlpatterns = [path("", views_admin.settings_scim, name="settings")]
