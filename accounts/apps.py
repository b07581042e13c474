from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth import get_user_model, user_logged_in, user_logged_out
        from django.db.models.signals import post_save, pre_save

        from accounts import email_change, sessions

        person = get_user_model()
        pre_save.connect(email_change.refuse_unconfirmed_change, sender=person)
        post_save.connect(email_change.revoke_tokens_on_new_password, sender=person)
        post_save.connect(sessions.end_on_new_credentials, sender=person)
        user_logged_in.connect(sessions.signed_in)
        user_logged_out.connect(sessions.signed_out)
