"""The Invitations tab (administrators and organisation-wide HR): who
can sign in but has not accepted yet (never signed in), found by name and state, fifty at a
time, with when each was last invited; inviting one person again, the people ticked, or
everyone not invited yet. Everything it sends goes through `accounts.invitations` (one path,
audited), which skips people outside the pilot and those the viewer may not invite
(`people.rules.can_invite`), and says how many."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from access.viewer import Viewer, viewer_of
from accounts import invitations
from cadence.keyset import page_of_request
from cadence.shortcuts import require
from organisation import current, scope
from organisation.forms_invitations import InvitationFilterForm, InviteForm
from organisation.rules import INVITE, may
from organisation.views import settings_page
from people import search
from people.models import Person
from people.rules import can_invite_people

TAB = "organisation:invitations"
PAGE_SIZE = 50
COUNT_UP_TO = 1000
# The list's own parameters, kept when a send comes back to it.
LIST_PARAMETERS = ("q", "state", "after", "before")


def _hr(request: HttpRequest) -> Viewer:
    viewer = viewer_of(request)
    require(may(viewer, INVITE))
    return viewer


@dataclass(frozen=True)
class Row:
    person: Person
    state: str
    state_label: StrOrPromise
    last_invited_at: datetime | None
    inside: bool  # inside the pilot scope: may be invited


def _row(person: Person) -> Row:
    state = invitations.state_of(person)
    return Row(
        person=person,
        state=state,
        state_label=invitations.STATE_LABELS[state],
        last_invited_at=getattr(person, "last_invited_at", None),
        inside=scope.in_scope(person),  # the team is loaded: no query
    )


@login_required
def invitations_page(request: HttpRequest) -> HttpResponse:
    viewer = _hr(request)
    form = InvitationFilterForm(request.GET or None)
    people = invitations.not_accepted(viewer)
    counts = invitations.counts(people)
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            people = search.matching(people, query)
        if form.cleaned_data["state"]:
            people = invitations.in_state(people, form.cleaned_data["state"])
    page, querystring = page_of_request(
        request, people, ("name", "pk"), size=PAGE_SIZE, count_up_to=COUNT_UP_TO
    )
    context = {
        "form": form,
        "page": page,
        "rows": [_row(person) for person in page.object_list],
        "counts": counts,
        "may_invite": can_invite_people(viewer),
        "pilot": current.settings().pilot,
        "days": settings.INVITATION_DAYS,
        "querystring": querystring,
        "back": _list_parameters(request.GET),
    }
    template = "organisation/invitations.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        template += "#results"
    return settings_page(request, template, TAB, context)


def _list_parameters(data: QueryDict) -> str:
    """The list's own parameters of `data`, as a query string: where a send comes back to."""
    kept = QueryDict(mutable=True)
    for key in LIST_PARAMETERS:
        value = data.get(key)
        if isinstance(value, str) and value:
            kept[key] = value[:1000]
    return kept.urlencode()


def _back(request: HttpRequest) -> HttpResponse:
    """To the list as it was (its search, state and page), never elsewhere."""
    back = _list_parameters(QueryDict(request.POST.get("back", "")))
    return redirect(reverse(TAB) + (f"?{back}" if back else ""))


def _say(request: HttpRequest, sent: invitations.Sent) -> None:
    """What a send did, in messages."""
    if sent.sent == 1 and not (sent.outside or sent.skipped):
        messages.success(
            request,
            _("An invitation is on its way to %(email)s: its link to choose a password works once.")
            % {"email": sent.invitations[0].person.email},
        )
    elif sent.sent:
        messages.success(
            request,
            ngettext(
                "%(count)s invitation is on its way.",
                "%(count)s invitations are on their way.",
                sent.sent,
            )
            % {"count": sent.sent},
        )
    if sent.outside:
        messages.warning(
            request,
            ngettext(
                "%(count)s person is outside the pilot teams and was not invited: invite them "
                "once their team joins the pilot.",
                "%(count)s people are outside the pilot teams and were not invited: invite them "
                "once their teams join the pilot.",
                sent.outside,
            )
            % {"count": sent.outside},
        )
    if sent.skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s person was not invited: they signed in meanwhile, or are not yours "
                "to invite.",
                "%(count)s people were not invited: they signed in meanwhile, or are not yours "
                "to invite.",
                sent.skipped,
            )
            % {"count": sent.skipped},
        )
    if not (sent.sent or sent.outside or sent.skipped):
        messages.info(request, _("Nobody was invited: nobody is waiting for one here."))


@login_required
@require_POST
def invitations_send(request: HttpRequest) -> HttpResponse:
    """Invite one person (their row's button), everyone in a state, or the people ticked."""
    viewer = _hr(request)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose people from the list."))
        return _back(request)
    data = form.cleaned_data
    if data["one"] is not None:
        sent = invitations.send_invitations(viewer, ids=[data["one"]])
    elif data["everyone"]:
        sent = invitations.send_invitations(viewer, state=data["everyone"])
    elif data["person"]:
        sent = invitations.send_invitations(viewer, ids=data["person"])
    else:
        messages.error(request, _("Tick the people to invite first."))
        return _back(request)
    _say(request, sent)
    return _back(request)
