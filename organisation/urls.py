from django.urls import path

from organisation import views, views_invitations, views_roles, views_sso, views_tokens

app_name = "organisation"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisation/", views.general, name="general"),
    path("modules/", views.modules, name="modules"),
    path("privacy/", views.privacy, name="privacy"),
    # HR roles and API tokens (administrators)
    path("roles/", views_roles.roles_page, name="roles"),
    path("roles/<id:role_id>/", views_roles.role, name="role"),
    path("roles/<id:role_id>/revoke/", views_roles.role_revoke, name="role_revoke"),
    path("tokens/", views_tokens.tokens_page, name="tokens"),
    path("tokens/<id:token_id>/revoke/", views_tokens.token_revoke, name="token_revoke"),
    path(
        "tokens/people/<id:person_id>/revoke/",
        views_tokens.person_tokens_revoke,
        name="person_tokens_revoke",
    ),
    path("pilot/", views.pilot, name="pilot"),
    path("invitations/", views_invitations.invitations_page, name="invitations"),
    path("invitations/send/", views_invitations.invitations_send, name="invitations_send"),
    path("sso/", views_sso.sso_page, name="sso"),
]
