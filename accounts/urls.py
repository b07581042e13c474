from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views, views_email, views_invitation, views_sso
from accounts.forms import ResetForm

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("demo-login/", views.demo_login, name="demo_login"),
    path("sso/start/", views_sso.SsoStartView.as_view(), name="sso_start"),
    path("sso/callback/", views_sso.SsoCallbackView.as_view(), name="sso_callback"),
    path("sso/confirm/", views_sso.sso_confirm, name="sso_confirm"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.create_token, name="create_token"),
    path("tokens/<id:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("email/confirm/<str:token>/", views_email.confirm_email, name="confirm_email"),
    path("email/cancel/<str:token>/", views_email.cancel_email, name="cancel_email"),
    path("invitation/<str:token>/", views_invitation.accept_invitation, name="invitation"),
    path("email/cancel/", views_email.cancel_my_email_change, name="cancel_my_email_change"),
    path(
        "password-reset/",
        views.ResetView.as_view(
            form_class=ResetForm,
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("password/", views.ChangePasswordView.as_view(), name="password_change"),
]
