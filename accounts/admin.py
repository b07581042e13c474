from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from access.viewer import Viewer
from accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """For emergencies: administrators see that tokens exist and revoke them. The tokens are
    administered in the app (Administration › API tokens); here a token is only shown, never
    edited (an edit could bring a revoked token back) nor deleted, and the one action revokes
    as the app does: recorded in the audit log, the owner told (`organisation.tokens`). The
    secret is never stored."""

    list_display = ["name", "person", "hint", "created_at", "last_used_at", "revoked_at"]
    fields = ["person", "name", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["person", "name", "hint", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens (their owners are told)"))
    def revoke(self, request, queryset):
        from organisation import tokens

        revoked = tokens.revoke(Viewer.of(request.user), queryset)
        self.message_user(
            request,
            ngettext("%(count)s token revoked.", "%(count)s tokens revoked.", len(revoked))
            % {"count": len(revoked)},
            messages.SUCCESS,
        )
