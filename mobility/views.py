"""Internal mobility's pages for everyone: the openings ranked by fit for me (with filters),
my wish to move ("Open to a move") and, for HR, supply and demand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import shown
from access.viewer import viewer_of
from cadence.context_processors import waiting_counts
from cadence.refusals import form_saved
from cadence.shortcuts import require
from cadence.waiting import kept_rows
from growth import queries as growth_queries
from mobility import queries, rules, services
from mobility.forms import AUDIENCE_HELP, FilterForm, PreferenceForm
from mobility.models import Audience

SHOWN_OPENINGS = 200
SHOWN_SHARED = 50
SHOWN_INTERESTS = 50


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The open openings, ranked by fit for me, filtered by team, role and level."""
    viewer = viewer_of(request)
    # The navigation's counts first (the page shows them): they tell whether the viewer
    # manages anyone, which the kept SQL below is keyed by.
    waiting_counts(request)
    day = viewer.person.local_today() if viewer.person is not None else timezone.localdate()

    def kept(name: str, build: Callable[[], QuerySet[Any]]) -> list[Any]:
        """The rows of one of the page's lists, their SQL built through the rules once per
        viewer state and day (`cadence.waiting.kept_rows`): building it cost more than
        running it."""
        return kept_rows(viewer, day, ("mobility:index", name), build)

    framework = growth_queries.current()
    # Every opening the viewer may see, with only what the list shows (one query): the
    # filters' choices come from them all, the list from those the filters keep.
    every = kept("openings", lambda: queries.listed_openings(viewer))
    form = FilterForm(
        request.GET or None,
        teams=sorted({(o.team_id, o.team.name) for o in every}, key=lambda pair: pair[1]),
        roles=sorted({(o.role_id, o.role.name) for o in every}, key=lambda pair: pair[1]),
        levels=[(level, str(level)) for level in sorted({o.level for o in every})],
    )
    found = every
    if form.is_valid():
        for name, field in (("team", "team_id"), ("role", "role_id"), ("level", "level")):
            value = form.cleaned_data.get(name)
            if value is not None:
                found = [opening for opening in found if getattr(opening, field) == value]
    mine = None
    if viewer.person is not None:
        mine = next(iter(kept("preference", lambda: queries.my_preferences(viewer)[:1])), None)
    fits = queries.fit_for_me(
        viewer, found[:SHOWN_OPENINGS], framework, timezone.localdate(), preference=mine
    )
    shared = kept("shared", lambda: queries.shared_with_me(viewer)[: SHOWN_SHARED + 1])
    shown(viewer, shared[:SHOWN_SHARED])
    interests = kept("interests", lambda: queries.my_interests(viewer)[:SHOWN_INTERESTS])
    return render(
        request,
        "mobility/index.html",
        {
            "fits": fits,
            "filters": form,
            "preference": mine,
            "shared": shared[:SHOWN_SHARED],
            "more_shared": len(shared) > SHOWN_SHARED,
            "interests": interests,
            "may_post": rules.may_post(viewer),
            "sees_supply": rules.sees_supply_and_demand(viewer),
            "target_boost": queries.TARGET_BOOST,
            "interest_boost": queries.INTEREST_BOOST,
        },
    )


@login_required
def preference(request: HttpRequest) -> HttpResponse:
    """Open to a move: my wish, whom I let see it and what interests me."""
    viewer = viewer_of(request)
    framework = growth_queries.current()
    mine = queries.my_preference(viewer)
    if request.method == "POST":
        form = PreferenceForm(request.POST, framework=framework, preference=mine)
        if form_saved(form, lambda data: services.save_preference(viewer, **data)):
            messages.success(request, _("Your wish to move is saved."))
            return redirect("mobility:preference")
    else:
        form = PreferenceForm(framework=framework, preference=mine)
    return render(
        request,
        "mobility/preference.html",
        {
            "form": form,
            "preference": mine,
            "audiences": [(label, AUDIENCE_HELP[value]) for value, label in Audience.choices],
        },
    )


@login_required
def supply(request: HttpRequest) -> HttpResponse:
    """HR: the steps people aim for in their development plans against the open openings."""
    viewer = viewer_of(request)
    require(rules.sees_supply_and_demand(viewer))
    threshold = queries.supply_threshold()
    return render(
        request,
        "mobility/supply.html",
        {
            "rows": queries.supply_and_demand(viewer, growth_queries.current(), threshold),
            "threshold": threshold,
        },
    )
