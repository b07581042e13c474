"""HR's pages for erasure: placing or lifting a legal hold on a person (a card on the person's
edit page posts here), and anonymising one person who left, now, after confirming."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access.rules import get_visible_or_404
from access.viewer import viewer_of
from cadence.refusals import Refused, show_refusal
from cadence.shortcuts import require
from people.models import Person
from trust import erasure, services
from trust.forms_erasure import EraseForm, LegalHoldForm
from trust.rules import can_erase, can_hold


def _person(request, person_id: int) -> Person:
    """404 for whoever may not see the person, 403 for whoever may see but not change them."""
    viewer = viewer_of(request)
    queryset = Person.objects.select_related("team")
    return get_visible_or_404(viewer, Person, person_id, "change", queryset=queryset)


@login_required
def legal_hold(request, person_id):
    viewer = viewer_of(request)
    person = _person(request, person_id)
    require(can_hold(viewer, person))
    form = LegalHoldForm(request.POST or None, placing=not person.legal_hold)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.set_legal_hold(
                viewer, person, hold=form.cleaned_data["hold"], reason=form.cleaned_data["reason"]
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            if person.legal_hold:
                said = _(
                    "%(name)s is on legal hold: nothing about them is anonymised until the hold "
                    "is lifted."
                )
            else:
                said = _("The legal hold on %(name)s is lifted.")
            messages.success(request, said % {"name": person.name})
            return redirect("people:person_edit", person.pk)
    status = 400 if form.errors else 200  # a refused form, as every page of Cadence answers it
    return render(request, "trust/legal_hold.html", {"form": form, "person": person}, status=status)


@login_required
def erase_person(request, person_id):
    viewer = viewer_of(request)
    person = _person(request, person_id)
    require(can_erase(viewer, person))
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.erase_on_request(
                viewer, person, confirmation=form.cleaned_data["confirmation"]
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(
                request,
                ngettext(
                    "Anonymised: %(count)s record changed or removed.",
                    "Anonymised: %(count)s records changed or removed.",
                    result.total,
                )
                % {"count": result.total},
            )
            return redirect(person)
    blocked = None
    try:
        erasure.check_erasable(person)
    except erasure.NotErasable as refusal:
        blocked = refusal.message
    context = {"form": form, "person": person, "blocked": blocked}
    return render(request, "trust/erase_person.html", context, status=400 if form.errors else 200)
