"""HR roles in the admin. Every grant, change and revocation goes through `access.grants`:
nobody changes a role of their own, and every change is announced by e-mail."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from access import grants
from access.models import HRRole
from people.models import Person


def _acting(request: HttpRequest) -> Person:
    """The administrator acting: the admin site lets only signed-in staff in."""
    user = request.user
    assert isinstance(user, Person)
    return user


class HRRoleForm(forms.ModelForm[HRRole]):
    acting: Person | None = None  # set on the class by HRRoleAdmin.get_form

    class Meta:
        model = HRRole
        fields = ["person", "scope", "can_manage_people"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        person = cleaned.get("person") or (self.instance.person if self.instance.pk else None)
        grants.check_grant(person, self.acting)
        return cleaned


@admin.register(HRRole)
class HRRoleAdmin(admin.ModelAdmin[HRRole]):
    form = HRRoleForm
    list_display = ["person", "scope", "can_manage_people"]
    autocomplete_fields = ["person"]
    raw_id_fields = ["scope"]
    search_fields = ["person__name", "person__email"]

    def get_form(
        self, request: HttpRequest, obj: HRRole | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[HRRole]]:
        form = super().get_form(request, obj, change, **kwargs)
        assert issubclass(form, HRRoleForm)
        form.acting = _acting(request)
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: HRRole | None = None) -> list[str]:
        # A role stays with its person: moving it would be a grant without an announcement.
        return ["person"] if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: HRRole | None = None) -> bool:
        if obj is not None and obj.person_id == request.user.pk:
            return False  # one's own role is shown, not changed (it may be revoked)
        return super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: HRRole, form: forms.ModelForm[HRRole], change: bool
    ) -> None:
        role = grants.grant_hr(
            obj.person,
            scope=obj.scope,
            can_manage_people=obj.can_manage_people,
            by=_acting(request),
        )
        obj.pk = role.pk
        self.message_user(
            request, _("The person and organisation-wide HR are told by e-mail."), messages.INFO
        )

    def delete_model(self, request: HttpRequest, obj: HRRole) -> None:
        grants.revoke_hr(obj.person, by=_acting(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[HRRole]) -> None:
        for role in queryset.select_related("person"):
            grants.revoke_hr(role.person, by=_acting(request))
