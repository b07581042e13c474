from django.contrib import admin

from access.models import HRRole


@admin.register(HRRole)
class HRRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "scope", "can_manage_people"]
    autocomplete_fields = ["person"]
    raw_id_fields = ["scope"]
    search_fields = ["person__name", "person__email"]
