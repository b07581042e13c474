"""HR roles in the admin. Every grant, change and revocation goes through `access.grants`:
nobody changes a role of their own, and every change is announced by e-mail."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _

from access import grants
from access.models import HRRole


class HRRoleForm(forms.ModelForm):
    class Meta:
        model = HRRole
        fields = ["person", "scope", "can_manage_people"]

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person") or (self.instance.person if self.instance.pk else None)
        grants.check_grant(person, self.acting)
        return cleaned


@admin.register(HRRole)
class HRRoleAdmin(admin.ModelAdmin):
    form = HRRoleForm
    list_display = ["person", "scope", "can_manage_people"]
    autocomplete_fields = ["person"]
    raw_id_fields = ["scope"]
    search_fields = ["person__name", "person__email"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.acting = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        # A role stays with its person: moving it would be a grant without an announcement.
        return ["person"] if obj is not None else []

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.person_id == request.user.pk:
            return False  # one's own role is shown, not changed (it may be revoked)
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        role = grants.grant_hr(
            obj.person, scope=obj.scope, can_manage_people=obj.can_manage_people, by=request.user
        )
        obj.pk = role.pk
        self.message_user(
            request, _("The person and organisation-wide HR are told by e-mail."), messages.INFO
        )

    def delete_model(self, request, obj):
        grants.revoke_hr(obj.person, by=request.user)

    def delete_queryset(self, request, queryset):
        for role in queryset.select_related("person"):
            grants.revoke_hr(role.person, by=request.user)
