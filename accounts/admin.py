from django.contrib import admin

from accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators can see that tokens exist and revoke them; the secret is never stored."""

    list_display = ["name", "person", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["person", "name", "hint", "created_at", "last_used_at"]
    fields = ["person", "name", "hint", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False
