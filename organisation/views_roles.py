"""The Roles tab (administrators): who has an HR role; granting one, changing its scope or its
right to manage people, and revoking it after a confirmation. The rules are `access.grants`',
through `organisation.roles`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from access.models import HRRole
from access.viewer import Viewer, viewer_of
from cadence.refusals import Refused, show_refusal
from cadence.shortcuts import require
from organisation import roles
from organisation.forms_roles import GrantForm, RoleForm
from organisation.rules import ADMIN, may
from organisation.views import settings_page

TAB = "organisation:roles"


def _admin(request) -> Viewer:
    viewer = viewer_of(request)
    require(may(viewer, ADMIN))
    return viewer


def _role(viewer: Viewer, role_id: int) -> HRRole:
    return get_object_or_404(roles.listed(viewer), pk=role_id)


@login_required
def roles_page(request):
    viewer = _admin(request)
    form = GrantForm(request.POST or None, viewer=viewer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            role = roles.grant(
                viewer,
                data["person"],
                scope=data["scope"],
                can_manage_people=data["can_manage_people"],
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(
                request,
                _("%(name)s has an HR role now. They and organisation-wide HR are told by e-mail.")
                % {"name": role.person.name},
            )
            return redirect(TAB)
    context = {
        "form": form,
        "roles": list(roles.listed(viewer)),
        "me": viewer.person.pk if viewer.person else None,
        "nobody_else_told": roles.nobody_else_told(viewer),
    }
    return settings_page(request, "organisation/roles.html", TAB, context)


@login_required
def role(request, role_id):
    """Change a role's scope or its right to manage people: not one's own (`access.grants`)."""
    viewer = _admin(request)
    role = _role(viewer, role_id)
    initial = {"scope": role.scope, "can_manage_people": role.can_manage_people}
    form = RoleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _role_now, changed = roles.change(
                viewer, role, scope=data["scope"], can_manage_people=data["can_manage_people"]
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            if changed:
                said = _(
                    "The HR role of %(name)s is changed. They and organisation-wide HR are told "
                    "by e-mail."
                )
            else:
                said = _("The HR role of %(name)s is as it was: nothing changed.")
            messages.success(request, said % {"name": role.person.name})
            return redirect(TAB)
    context = {"form": form, "role": role, "refusal": roles.refusal(viewer, role.person)}
    return settings_page(request, "organisation/role.html", TAB, context)


@login_required
def role_revoke(request, role_id):
    """Revoke a role (one's own too), once confirmed: the page says what follows."""
    viewer = _admin(request)
    role = _role(viewer, role_id)
    if request.method == "POST":
        roles.revoke(viewer, role)
        messages.success(
            request,
            _(
                "%(name)s no longer has an HR role. They and organisation-wide HR are told by "
                "e-mail."
            )
            % {"name": role.person.name},
        )
        return redirect(TAB)
    context = {
        "role": role,
        "own": role.person_id == viewer.person.pk if viewer.person else False,
        "last_organisation_wide": roles.is_last_organisation_wide(role),
    }
    return settings_page(request, "organisation/role_revoke.html", TAB, context)
