"""The Tokens tab (administrators): every working API token of the installation, oldest first,
or one person's; revoking one, or all of a person's, after a confirmation. Never a secret: only
digests are stored (`organisation.tokens`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access.rules import visible
from access.viewer import Viewer, viewer_of
from cadence.keyset import page_of_request
from cadence.shortcuts import require
from organisation import tokens
from organisation.forms_roles import TokenFilterForm
from organisation.rules import ADMIN, may
from organisation.views import settings_page
from people.models import Person

TAB = "organisation:tokens"
PAGE_SIZE = 50
COUNT_UP_TO = 1000


def _admin(request) -> Viewer:
    viewer = viewer_of(request)
    require(may(viewer, ADMIN))
    return viewer


@login_required
def tokens_page(request):
    viewer = _admin(request)
    form = TokenFilterForm(request.GET or None, viewer=viewer)
    person = form.cleaned_data.get("person") if form.is_valid() else None
    rows = tokens.listed(viewer)
    if person is not None:
        rows = rows.filter(person=person)
    # In the order they were made: by id (a boundary's time would lose its microseconds to
    # JSON, and tokens made in the same millisecond would come again).
    page, querystring = page_of_request(
        request, rows, ("pk",), size=PAGE_SIZE, count_up_to=COUNT_UP_TO
    )
    context = {
        "form": form,
        "person": person,
        "page": page,
        "querystring": querystring,
    }
    return settings_page(request, "organisation/tokens.html", TAB, context)


@login_required
def token_revoke(request, token_id):
    """Revoke one token, once confirmed."""
    viewer = _admin(request)
    token = get_object_or_404(tokens.listed(viewer), pk=token_id)
    if request.method == "POST":
        tokens.revoke(viewer, tokens.listed(viewer).filter(pk=token.pk))
        messages.success(
            request,
            _("The token “%(name)s” of %(person)s is revoked.")
            % {"name": token.name, "person": token.person.name},
        )
        return redirect(TAB)
    context = {"person": token.person, "tokens": [token], "one": True}
    return settings_page(request, "organisation/token_revoke.html", TAB, context)


@login_required
def person_tokens_revoke(request, person_id):
    """Revoke every working token of one person, once confirmed."""
    viewer = _admin(request)
    person = get_object_or_404(visible(viewer, Person).only("name", "email"), pk=person_id)
    theirs = tokens.listed(viewer).filter(person=person)
    if request.method == "POST":
        revoked = tokens.revoke(viewer, theirs)
        messages.success(
            request,
            ngettext(
                "%(count)s token of %(person)s is revoked.",
                "%(count)s tokens of %(person)s are revoked.",
                len(revoked),
            )
            % {"count": len(revoked), "person": person.name},
        )
        return redirect(TAB)
    context = {"person": person, "tokens": list(theirs.order_by("pk"))}
    return settings_page(request, "organisation/token_revoke.html", TAB, context)
