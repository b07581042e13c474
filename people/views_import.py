"""Import people from CSV: upload → preview (a dry run) → confirm, for HR.

The logic lives in people/importing.py (and people/presets.py for the exports of HR systems);
this module only handles the request. The uploaded text waits in the session between preview
and confirmation, with the format it was read as, a random token that the confirmation form
posts back, and the fingerprint of the plan that was shown: confirming applies that plan only,
checked again inside the transaction that writes it.

The same page keeps the column mappings saved for Workday and other systems: saved (or changed)
with `save_mapping`, removed with `delete_mapping`, opened for a change with `?mapping=ID`.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access.rules import shown
from access.viewer import viewer_of
from accounts import invitations
from cadence.ids import id_in
from cadence.refusals import form_saved
from organisation import scope
from people import importing, presets, services
from people.forms_import import ImportForm, ImportMappingForm
from people.models import ImportMapping, Person
from people.rules import VIEW_EMPLOYMENT, can_import_people

SESSION_KEY = "people_import"
SHOWN_ROWS = 500  # rows listed in the preview and errors listed; the counts cover them all
# The columns that are a person's employment details (`people.employment`): the preview shows
# their stored values beside the file's.
EMPLOYMENT_COLUMNS = {"role", "level", "start_date", "leave_date"}


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
    if request.method == "POST" and "save_mapping" in request.POST:
        return _save_mapping(request)
    if request.method == "POST" and "delete_mapping" in request.POST:
        return _delete_mapping(request)
    mappings = list(ImportMapping.objects.all())
    if request.method != "POST":
        return _upload_page(request, ImportForm(mappings=mappings), mappings=mappings)
    form = ImportForm(request.POST, request.FILES, mappings=mappings)
    if not form.is_valid():
        return _upload_page(request, form, mappings=mappings, status=400)
    chosen, mapping = form.cleaned_data["format"], form.cleaned_data["mapping"]
    plan = importing.import_people(
        form.cleaned_data["file"].read(),
        dry_run=True,
        editor=request.user,
        reader=presets.reader(chosen, mapping),
    )
    if not plan.is_valid:
        if chosen == presets.CADENCE and (looks_like := presets.guess(plan.text)):
            messages.info(
                request,
                _(
                    "This looks like a %(system)s export: choose %(system)s under “Exported "
                    "from” and upload it again."
                )
                % {"system": looks_like.label},
            )
        return _upload_page(request, form, plan=plan, mappings=mappings, status=400)
    return _preview(
        request,
        plan,
        file_name=form.cleaned_data["file"].name,
        chosen=chosen,
        mapping=mapping,
    )


def _upload_page(request, form, plan=None, status=200, mappings=None, mapping_form=None):
    errors = plan.errors if plan else []
    if mappings is None:
        mappings = list(ImportMapping.objects.all())
    if mapping_form is None:
        mapping_form = ImportMappingForm(initial=_mapping_initial(request, mappings))
    context = {
        "form": form,
        "columns": importing.COLUMNS,
        "presets": presets.PRESETS.values(),
        "errors": errors[:SHOWN_ROWS],
        "more_errors": max(len(errors) - SHOWN_ROWS, 0),
        "warnings": plan.warnings[:SHOWN_ROWS] if plan else [],
        "mappings": mappings,
        "mapping_form": mapping_form,
        "has_workday": any(m.system == ImportMapping.System.WORKDAY for m in mappings),
    }
    return render(request, "people/import.html", context, status=status)


def _mapping_initial(request, mappings):
    """The mapping form's values: the mapping `?mapping=ID` opens, or Workday's usual columns
    (`?system=workday`), or an empty form."""
    chosen = id_in(request.GET, "mapping")
    mapping = next((m for m in mappings if m.pk == chosen), None)
    system = request.GET.get("system", ImportMapping.System.OTHER)
    if system not in ImportMapping.System.values:
        system = ImportMapping.System.OTHER
    return ImportMappingForm.initial_of(mapping, system)


def _save_mapping(request):
    viewer = viewer_of(request)
    form = ImportMappingForm(request.POST)

    def write(data):
        return services.save_import_mapping(
            viewer,
            services.MappingData(
                name=data["name"],
                system=data["system"],
                columns=data["columns"],
                date_format=data["date_format"],
                manager_key=data["manager_key"],
                inactive_statuses=data["inactive_statuses"],
                leaver_statuses=data["leaver_statuses"],
            ),
        )

    if not form_saved(form, write):
        mappings = list(ImportMapping.objects.all())
        return _upload_page(
            request, ImportForm(mappings=mappings), mappings=mappings, mapping_form=form, status=400
        )
    messages.success(
        request,
        _("The column mapping “%(name)s” is saved: choose it when you upload its export.")
        % {"name": form.saved.name},
    )
    return redirect(reverse("people:import") + "#mappings-h")


def _delete_mapping(request):
    mapping_id = id_in(request.POST, "delete_mapping")
    if mapping_id is not None:
        services.delete_import_mapping(viewer_of(request), mapping_id)
    messages.success(request, _("The column mapping is removed."))
    return redirect(reverse("people:import") + "#mappings-h")


def _preview(
    request, plan, status=200, invite=True, file_name="", chosen=presets.CADENCE, mapping=None
):
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "text": plan.text,
        "token": token,
        "fingerprint": plan.fingerprint,
        "file_name": file_name,  # for the audit log
        "format": chosen,  # read the same way on confirmation
        "mapping": mapping.pk if mapping is not None else None,
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
        "warnings": plan.warnings[:SHOWN_ROWS],
        "format_label": presets.format_label(chosen) if mapping is None else mapping.name,
        "token": token,
        "invite": invite,
        "changed": changed[:SHOWN_ROWS],
        "more_changed": max(len(changed) - SHOWN_ROWS, 0),
        "unchanged": plan.unchanged[:SHOWN_ROWS],
        "counts": {
            "created": len(plan.created),
            "updated": len(plan.updated),
            "unchanged": len(plan.unchanged),
            "invitable": len(importing.invitable(plan.created)),
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
    chosen = stored.get("format", presets.CADENCE)
    mapping = None
    if stored.get("mapping") is not None:
        mapping = ImportMapping.objects.filter(pk=stored["mapping"]).first()
    try:
        reader = presets.reader(chosen, mapping)
    except presets.MappingMissing:  # the mapping was removed since the preview
        del request.session[SESSION_KEY]
        messages.error(request, _("This preview is no longer current: upload the file again."))
        return redirect("people:import")
    plan = services.apply_import(
        viewer_of(request),
        stored["text"],
        expected=stored["fingerprint"],
        file_name=stored.get("file_name", ""),
        reader=reader,
    )
    if not plan.is_valid:
        del request.session[SESSION_KEY]
        messages.error(
            request,
            _("The organisation changed since the preview and the file is no longer valid."),
        )
        mappings = list(ImportMapping.objects.all())
        return _upload_page(
            request, ImportForm(mappings=mappings), plan=plan, mappings=mappings, status=400
        )
    if plan.stale:
        messages.warning(
            request,
            _("The organisation changed since the preview. Check the changes again, then import."),
        )
        return _preview(
            request,
            plan,
            invite=invite,
            file_name=stored.get("file_name", ""),
            chosen=chosen,
            mapping=mapping,
        )
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
