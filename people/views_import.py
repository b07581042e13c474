"""Import people from CSV: upload → preview (a dry run) → confirm, for HR.

The logic lives in people/importing.py; this module only handles the request. The uploaded
text waits in the session between preview and confirmation, with a random token that the
confirmation form posts back, and the fingerprint of the plan that was shown: confirming
applies that plan only, checked again inside the transaction that writes it.
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from access.rules import shown
from access.viewer import viewer_of
from accounts import invitations
from organisation import scope
from people import importing, services
from people.models import Person
from people.rules import VIEW_EMPLOYMENT, can_import_people

SESSION_KEY = "people_import"
SHOWN_ROWS = 500  # rows listed in the preview and errors listed; the counts cover them all
# The columns that are a person's employment details (`people.employment`): the preview shows
# their stored values beside the file's.
EMPLOYMENT_COLUMNS = {"role", "level", "start_date", "leave_date"}


class ImportForm(forms.Form):
    file = forms.FileField(
        allow_empty_file=True,  # the importer explains what is wrong with an empty file
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("UTF-8, comma or semicolon separated, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB: split it into several files.")
            )
        return upload


def _require_importer(request):
    if not can_import_people(viewer_of(request)):
        raise PermissionDenied


@login_required
def import_template(request):
    _require_importer(request)
    response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people-import-template.csv"'
    return response


@login_required
def import_people(request):
    _require_importer(request)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    if request.method != "POST":
        return _upload_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    plan = importing.import_people(
        form.cleaned_data["file"].read(), dry_run=True, editor=request.user
    )
    if not plan.is_valid:
        return _upload_page(request, form, plan=plan, status=400)
    return _preview(request, plan, file_name=form.cleaned_data["file"].name)


def _upload_page(request, form, plan=None, status=200):
    errors = plan.errors if plan else []
    context = {
        "form": form,
        "columns": importing.COLUMNS,
        "errors": errors[:SHOWN_ROWS],
        "more_errors": max(len(errors) - SHOWN_ROWS, 0),
    }
    return render(request, "people/import.html", context, status=status)


def _preview(request, plan, status=200, invite=True, file_name=""):
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "text": plan.text,
        "token": token,
        "fingerprint": plan.fingerprint,
        "file_name": file_name,  # for the audit log
    }
    changed = plan.changed
    # The stored employment details the preview shows, for the access log (by id: the people
    # need not be loaded).
    shown(
        viewer_of(request),
        [
            Person(pk=row.person_id)
            for row in changed[:SHOWN_ROWS]
            if row.person_id and any(change.column in EMPLOYMENT_COLUMNS for change in row.changes)
        ],
        VIEW_EMPLOYMENT,
    )
    context = {
        "plan": plan,
        "token": token,
        "invite": invite,
        "changed": changed[:SHOWN_ROWS],
        "more_changed": max(len(changed) - SHOWN_ROWS, 0),
        "unchanged": plan.unchanged[:SHOWN_ROWS],
        "counts": {
            "created": len(plan.created),
            "updated": len(plan.updated),
            "unchanged": len(plan.unchanged),
        },
    }
    return render(request, "people/import_preview.html", context, status=status)


def _confirm(request):
    stored = request.session.get(SESSION_KEY)
    if not stored or not constant_time_compare(request.POST["confirm"], stored["token"]):
        messages.error(request, _("This preview is no longer current: upload the file again."))
        return redirect("people:import")
    # The invitation checkbox: sent only when ticked (it is ticked when the preview opens).
    invite = bool(request.POST.get("invite"))
    plan = services.apply_import(
        viewer_of(request),
        stored["text"],
        expected=stored["fingerprint"],
        file_name=stored.get("file_name", ""),
    )
    if not plan.is_valid:
        del request.session[SESSION_KEY]
        messages.error(
            request,
            _("The organisation changed since the preview and the file is no longer valid."),
        )
        return _upload_page(request, ImportForm(), plan=plan, status=400)
    if plan.stale:
        messages.warning(
            request,
            _("The organisation changed since the preview. Check the changes again, then import."),
        )
        return _preview(request, plan, invite=invite, file_name=stored.get("file_name", ""))
    del request.session[SESSION_KEY]
    invited = []
    outside: list = []
    if invite and plan.created:
        # Nobody outside the pilot teams is invited (`organisation.scope`): say how many.
        inside, outside = scope.inside(importing.created_people(plan))
        invited = invitations.invite(inside, by=request.user)
    messages.success(
        request,
        _("The import is done: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "created": len(plan.created),
            "updated": len(plan.updated),
            "unchanged": len(plan.unchanged),
        },
    )
    if invited:
        messages.info(
            request,
            ngettext(
                "An invitation to choose a password is on its way to the person added.",
                "Invitations to choose a password are on their way to the %(count)s people added.",
                len(invited),
            )
            % {"count": len(invited)},
        )
    if outside:
        messages.warning(
            request,
            ngettext(
                "%(count)s person added is outside the pilot teams and was not invited: invite "
                "them once their team joins the pilot.",
                "%(count)s people added are outside the pilot teams and were not invited: invite "
                "them once their teams join the pilot.",
                len(outside),
            )
            % {"count": len(outside)},
        )
    return redirect("people:directory")
