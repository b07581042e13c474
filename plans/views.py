"""The development plan's pages: my plan (read and write), someone else's plan as their
manager or someone they shared it with (read; the manager coaches), the plans I may read,
and HR's coverage (whether plans are active and how complete: no content)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.rules import can, get_visible_or_404, read, shown, who_sees
from access.viewer import Viewer, viewer_of
from cadence.context_processors import waiting_counts
from cadence.refusals import form_saved
from cadence.shortcuts import require
from growth import queries as growth_queries
from organisation import current
from plans import queries, services
from plans.forms import ActionForm, LearningGoalForm, PlanForm, ShareForm, StatusForm
from plans.models import Plan
from plans.rules import CHANGE, COACH, sees_coverage


def _page(request: HttpRequest, viewer: Viewer, plan: Plan | None, **forms: Any) -> HttpResponse:
    me = viewer.person
    assert me is not None
    owner = plan.person if plan is not None else me
    mine = owner.pk == me.pk
    today = timezone.localdate()
    # The navigation's counts first (the page shows them anyway): they tell whether the viewer
    # manages anyone, which the SQL kept per viewer state is keyed by (`kept_rows`).
    waiting_counts(request)
    framework = growth_queries.current()
    standing = queries.standing(viewer, owner, plan, today, framework, kept=True)
    actions = queries.actions_of(plan) if plan is not None and plan.pk else []
    if plan is not None and plan.pk:
        shown(viewer, actions)
    coaching = plan is not None and plan.pk is not None and can(viewer, COACH, plan)
    currency = current.settings().currency
    context: dict[str, Any] = {
        "plan": plan,
        "owner": owner,
        "mine": mine,
        "coaching": coaching,
        "standing": standing,
        "focus": standing.focus(plan.focus if plan else []),
        "actions": actions,
        "today": today,
        "currency": currency,
        "goals": queries.goals_of(viewer, plan, today) if plan is not None and plan.pk else [],
        "shares": queries.shares_of(plan) if mine and plan is not None and plan.pk else [],
        "who_sees": who_sees(plan, me) if plan is not None and plan.pk else None,
    }
    if mine:
        context.update(
            plan_form=forms.get("plan_form") or PlanForm(framework=framework, plan=plan),
            action_form=forms.get("action_form") or ActionForm(currency=currency),
            goal_form=forms.get("goal_form")
            or LearningGoalForm(framework=framework, plan=plan or Plan(person=me)),
            share_form=forms.get("share_form") or ShareForm(viewer=viewer),
        )
    if coaching:
        context["status_form"] = StatusForm()
    return render(request, "plans/plan.html", context)


def _my_plan(viewer: Viewer, request: HttpRequest | None = None) -> Plan | None:
    """The viewer's plan; on a page (`request`), its SQL kept per viewer state and day."""
    today = None
    if request is not None:
        waiting_counts(request)  # whether the viewer manages anyone (`_page`)
        today = timezone.localdate()
    plan = queries.own_plan(viewer, queries.plans_with_owner(), ("plans_with_owner",), today)
    if plan is not None:
        read(viewer, plan)
    return plan


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My plan; saving the ambition, target and focus."""
    viewer = viewer_of(request)
    plan = _my_plan(viewer, request if request.method == "GET" else None)
    if request.method == "POST":
        form = PlanForm(request.POST, framework=growth_queries.current(), plan=plan)
        if form_saved(form, lambda data: services.save_plan(viewer, **data)):
            messages.success(request, _("Your plan is saved."))
            return redirect("plans:mine")
        return _page(request, viewer, plan, plan_form=form)
    return _page(request, viewer, plan)


@login_required
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Someone's plan, for whoever may read it (404 for anyone else)."""
    viewer = viewer_of(request)
    found = get_visible_or_404(viewer, Plan, plan_id, queryset=queries.plans_with_owner())
    if viewer.person is not None and found.person_id == viewer.person.pk:
        return redirect("plans:mine")
    return _page(request, viewer, found)


@login_required
@require_POST
def add_action(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form = ActionForm(request.POST, currency=current.settings().currency)
    if form_saved(form, lambda data: services.add_action(viewer, **data)):
        messages.success(request, _("Action added."))
        return redirect("plans:mine")
    return _page(request, viewer, _my_plan(viewer), action_form=form)


@login_required
@require_POST
def add_goal(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    plan = _my_plan(viewer)
    form = LearningGoalForm(
        request.POST, framework=growth_queries.current(), plan=plan or Plan(person=viewer.person)
    )
    if form_saved(form, lambda data: services.add_learning_goal(viewer, **data)):
        messages.success(request, _("Learning goal added to your goals and your plan."))
        return redirect("plans:mine")
    return _page(request, viewer, plan, goal_form=form)


@login_required
@require_POST
def share(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form = ShareForm(request.POST, viewer=viewer)
    if form_saved(form, lambda data: services.share_plan(viewer, data["person"])):
        messages.success(request, _("Your plan is shared."))
        return redirect("plans:mine")
    return _page(request, viewer, _my_plan(viewer), share_form=form)


@login_required
@require_POST
def revoke(request: HttpRequest, share_id: int) -> HttpResponse:
    from plans.models import PlanShare

    viewer = viewer_of(request)
    found = get_visible_or_404(
        viewer,
        PlanShare,
        share_id,
        CHANGE,
        queryset=PlanShare.objects.select_related("plan__person"),
    )
    services.revoke_share(viewer, found)
    messages.success(request, _("They no longer see your plan."))
    return redirect("plans:mine")


@login_required
def others(request: HttpRequest) -> HttpResponse:
    """The plans I may read of others: my reports' and those shared with me."""
    viewer = viewer_of(request)
    plans = list(queries.others_plans(viewer)[:500])
    shown(viewer, plans)
    return render(request, "plans/others.html", {"plans": plans})


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """HR: for the people in their scope, whether their plan is active and how complete."""
    viewer = viewer_of(request)
    require(sees_coverage(viewer))
    rows = queries.coverage(viewer)
    shown(viewer, [row.period for row in rows if row.period is not None])
    return render(request, "plans/coverage.html", {"rows": rows})
