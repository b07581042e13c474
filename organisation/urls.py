from django.urls import path

from organisation import views, views_roles

app_name = "organisation"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisation/", views.general, name="general"),
    path("modules/", views.modules, name="modules"),
    path("privacy/", views.privacy, name="privacy"),
    # HR roles (administrators)
    path("roles/", views_roles.roles_page, name="roles"),
    path("roles/<id:role_id>/", views_roles.role, name="role"),
    path("roles/<id:role_id>/revoke/", views_roles.role_revoke, name="role_revoke"),
]
