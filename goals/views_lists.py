"""The goal lists (mine, my team's, the company's) and the inline progress update.

Every list reads through `access.rules.visible`, loads owners and key results in a fixed number of
queries whatever its length, and works out progress and "needs attention" in Python from what
is loaded.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access.rules import get_visible_or_404, shown, visible
from access.viewer import viewer_of
from cadence.context_processors import waiting_counts
from cadence.keyset import counted_first_page, first_page, page_of_request
from cadence.waiting import kept_rows
from goals import services
from goals.models import STALE_WEEKS, Objective, ObjectiveQuerySet
from goals.progress_forms import GoalFilterForm, ProgressUpdateForm
from goals.queries import (
    ATTENTION_SHOWN,
    ORDER,
    ROW_RELATED,
    GoalRow,
    attention_goals,
    attention_rows,
    in_scope_q,
)
from people.models import Person, Team

PAGE_SIZE = 25
COUNT_UP_TO = 200  # beyond, the list says "more than 200 goals"

LISTS = {
    "mine": gettext_lazy("My goals"),
    "team": gettext_lazy("My team's goals"),
    "company": gettext_lazy("Company goals"),
}


def list_scope(viewer, which: str) -> Q:
    """Whose goals a list holds, before the visibility policy has its say."""
    me = viewer.person
    if which == "mine":
        return Q(owner_person=me)
    if which == "company":
        return Q(owner_person__isnull=True)  # the company's and every team's
    # Owners as short lists of ids, so that the goal indexes on owner_person / owner_team are
    # used: an OR across joined tables, or over subqueries, scans every goal in the organisation.
    led = Q(owner_team_id__in=list(Team.objects.filter(lead=me).values_list("pk", flat=True)))
    if viewer.is_manager:
        reports = list(Person.objects.filter(manager=me).values_list("pk", flat=True))
        return Q(owner_person_id__in=reports) | led
    if me.team_id is None:
        return led
    mates = list(
        Person.objects.filter(team_id=me.team_id).exclude(pk=me.pk).values_list("pk", flat=True)
    )
    return Q(owner_person_id__in=mates) | Q(owner_team_id=me.team_id) | led


def _goal_list(request, which: str):
    viewer = viewer_of(request)
    results_only = bool(request.headers.get("HX-Request")) and (
        request.headers.get("HX-Target") == "results"
    )
    if not results_only:
        # The navigation's counts first (the page shows them): they tell whether the viewer
        # manages anyone, which `list_scope` asks (one query less).
        waiting_counts(request)
    assert viewer.person is not None  # login_required
    today = viewer.person.local_today()
    stale_weeks = STALE_WEEKS.get()
    owners = list_scope(viewer, which)
    scope = Objective.objects.filter(owners, in_scope_q())
    form = GoalFilterForm(request.GET or None)
    with_team = which != "mine"

    def goals() -> ObjectiveQuerySet:
        rows = form.filter(visible(viewer, scope), with_team=with_team)
        return rows.select_related(*ROW_RELATED).with_key_results()

    # Paged by position in ORDER and counted up to COUNT_UP_TO: the company's list costs the
    # same in an organisation of any size (cadence.keyset). The list as it opens (no filter,
    # the first page) is read in one query, its SQL kept per viewer state and day
    # (`cadence.waiting.kept_rows`): building it through the rules cost more than running it.
    if not request.GET:
        found = kept_rows(
            viewer,
            today,
            ("goals:list", which, owners, PAGE_SIZE, COUNT_UP_TO),
            lambda: counted_first_page(goals(), ORDER, size=PAGE_SIZE, count_up_to=COUNT_UP_TO),
        )
        page = first_page(found, ORDER, size=PAGE_SIZE, count_up_to=COUNT_UP_TO)
        querystring = ""
    else:
        page, querystring = page_of_request(
            request, goals(), ORDER, size=PAGE_SIZE, count_up_to=COUNT_UP_TO
        )
    shown(viewer, page.object_list)
    list_url = reverse(f"goals:{which}")
    context: dict[str, Any] = {
        "which": which,
        "title": LISTS[which],
        "tabs": [
            {"label": label, "url": reverse(f"goals:{key}"), "active": key == which}
            for key, label in LISTS.items()
        ],
        "form": form,
        "team": form.values()["team"] if with_team else None,
        "page": page,
        "rows": [GoalRow.of(goal, viewer, stale_weeks) for goal in page.object_list],
        "querystring": querystring,
        "list_url": list_url,
        "team_url": list_url if with_team else reverse("goals:company"),
    }
    template = "goals/list.html"
    if results_only:
        return render(request, template + "#results", context)
    if which != "company":
        attention = kept_rows(
            viewer,
            today,
            ("goals:list_attention", which, owners, stale_weeks, ATTENTION_SHOWN),
            lambda: attention_goals(viewer, scope, stale_weeks, ATTENTION_SHOWN).with_key_results(),
        )
        context["attention"] = attention_rows(viewer, attention, stale_weeks)
        shown(viewer, [row.goal for row in context["attention"]["rows"]])
    return render(request, template, context)


@login_required
def my_goals(request):
    return _goal_list(request, "mine")


@login_required
def team_goals(request):
    """A manager's direct reports and the teams they lead; for anyone else, their team-mates'
    goals and their team's."""
    return _goal_list(request, "team")


@login_required
def company_goals(request):
    return _goal_list(request, "company")


@login_required
def update_progress(request, goal_id):
    """The check-in form: inline in a list with htmx (the row becomes the form, and the form
    becomes the updated row), or a page of its own without JavaScript."""
    viewer = viewer_of(request)
    goal = get_visible_or_404(
        viewer,
        Objective,
        goal_id,
        "change",
        queryset=Objective.objects.select_related(*ROW_RELATED).with_key_results(),
    )
    htmx = bool(request.headers.get("HX-Request"))
    row_context = {"team_url": reverse("goals:company")}
    if htmx and request.method == "GET" and "cancel" in request.GET:
        stale_weeks = STALE_WEEKS.get()
        row = GoalRow.of(goal, viewer, stale_weeks)
        return render(request, "goals/_goal_row.html", {**row_context, "row": row})
    form = ProgressUpdateForm(request.POST if request.method == "POST" else None, goal=goal)
    status = 200
    if request.method == "POST":
        try:
            services.check_in(viewer, goal, form)
        except services.GoalError:
            status = 400 if htmx else 200
        else:
            messages.success(request, _("Progress on “%(title)s” is saved.") % {"title": goal})
            if not htmx:
                return redirect(goal)
            # The form updated `goal` and its key results in place: no need to load it again.
            row = GoalRow.of(goal, viewer, STALE_WEEKS.get())
            context = {**row_context, "row": row, "saved": True}
            return render(request, "goals/_goal_row.html", context)
    context = {"form": form, "goal": goal, "inline": htmx}
    template = "goals/_update_form.html" if htmx else "goals/update.html"
    return render(request, template, context, status=status)
