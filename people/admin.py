"""Admin for installation administrators: accounts only, never people's employment data.

HR manages people on the organisation pages; the admin is for who may sign in and who
administers, in line with the visibility policy (administrators gain no HR read rights).

People are never deleted here: they leave (HR marks a leave date), and erasure comes with the
Trust module. Deleting would also list everything that cascades with the person — goal
titles, notes, feedback — on the confirmation page, turning a write power into a read right.

Accounts added and changed here are recorded in the audit log (`trust.audit`), in the admin's
transaction; a new address is recorded where it is asked for (`accounts.email_change`).
"""

import json

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.utils.translation import gettext

from accounts.email_change import email_change_pending_message, request_email_change
from people.models import Person
from trust import audit

AUDITED = ("name", "is_active", "is_staff", "is_superuser")


@admin.register(Person)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["email", "name"]
    fields = ["email", "name", "is_active", "is_staff", "is_superuser", "last_login"]
    readonly_fields = ["last_login"]
    ordering = ["email"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """A new address of an existing person is only asked for (accounts.email_change)."""
        new_email = None
        if change and "email" in form.changed_data:
            new_email, obj.email = obj.email, form.initial["email"]
        super().save_model(request, obj, form, change)
        now = {field: getattr(obj, field) for field in AUDITED}
        if change:
            was = {field: form.initial.get(field) for field in AUDITED}
            action, changes = "account.changed", audit.changes(was, now)
        else:
            action, changes = "account.added", audit.added({"email": obj.email, **now})
        if changes:
            audit.record(action, actor=request.user, subject=obj, target=obj, changes=changes)
        if new_email and (pending := request_email_change(obj, new_email, by=request.user)):
            self.message_user(request, email_change_pending_message(pending), messages.INFO)

    def construct_change_message(self, request, form, formsets, add=False):
        """The history says the address was asked for, not changed (it changes when confirmed)."""
        message = super().construct_change_message(request, form, formsets, add)
        if add or "email" not in form.changed_data:
            return message
        label = str(form.fields["email"].label)
        for entry in message:
            fields = entry.get("changed", {}).get("fields", [])
            if label in fields:
                fields.remove(label)
        others = [entry for entry in message if entry.get("changed", {}).get("fields")]
        asked = gettext("Asked to change the e-mail address to %(email)s.") % {
            "email": form.cleaned_data["email"]
        }
        return f"{_as_text(others)} {asked}" if others else asked


def _as_text(message: list) -> str:
    """The admin's structured change message, as the history page would show it."""
    return LogEntry(change_message=json.dumps(message)).get_change_message()
