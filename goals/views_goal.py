"""A goal's page, and writing, adjusting and copying a goal forward.

Templates and the goal settings are in `views_templates.py`; lists and progress updates in
`views_lists.py`. Who may see and change a goal is decided by `goals/rules.py`, asked through
`access.rules`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access.rules import can, shown, visible, who_sees
from access.viewer import viewer_of
from cadence.context_processors import waiting_counts
from cadence.ids import id_in
from cadence.waiting import kept_rows
from feedback.models import Feedback
from goals import services, smart
from goals.chart import MAX_POINTS, progress_series
from goals.forms import (
    ADD_ROW,
    MAX_KEY_RESULTS,
    AdjustKeyResultFormSet,
    CopyForwardForm,
    GoalForm,
    KeyResultFormSet,
    draft_of,
    initial_from_template,
    rows_shown,
    show_number,
    typed_values,
)
from goals.models import (
    Adjustment,
    GoalTemplate,
    KeyResult,
    Objective,
    ProgressUpdate,
    Status,
    period_label,
)
from goals.periods import next_period
from goals.queries import load_goal
from goals.services import GoalError

HISTORY_SHOWN = 50
CHILDREN_SHOWN = 50
FEEDBACK_SHOWN = 20


def hint_response(request, form, formset):
    """Only the SMART hint, for htmx while the person types."""
    hints = smart.hints(**draft_of(form, formset))
    return render(request, "goals/goal_form.html#smart-hint", {"hints": hints})


# --- Writing a goal -----------------------------------------------------------------------


@login_required
def goal_create(request):
    viewer = viewer_of(request)
    initial, results_initial = {}, []
    template_id = id_in(request.GET, "template") if request.method == "GET" else None
    if template_id is not None:
        template = visible(viewer, GoalTemplate).filter(pk=template_id).first()
        if template is not None:
            initial, results_initial = initial_from_template(template)
    data = request.POST if request.method == "POST" else None
    form = GoalForm(data, viewer=viewer, initial=initial)
    # Posted rows are compared with empty rows, not with the template: a template's key result
    # left as it is still counts as filled in.
    formset = KeyResultFormSet(data, instance=Objective(), prefix="kr", initial=results_initial)
    rows_shown(formset, len(results_initial))  # one empty row, or the template's
    if data is not None and data.get("hint"):
        return hint_response(request, form, formset)
    if data is not None and ADD_ROW in data:
        # "Add key result" without JavaScript: the same form, one row more, nothing judged yet.
        hints = smart.hints(**draft_of(form, formset))
        rows = [typed_values(row) for row in formset.forms]
        form = GoalForm(initial=typed_values(form), viewer=viewer)
        formset = KeyResultFormSet(instance=Objective(), prefix="kr", initial=rows)
        rows_shown(formset, len(rows) + 1)
        context = {"form": form, "formset": formset, "hints": hints, "max_rows": MAX_KEY_RESULTS}
        return render(request, "goals/goal_form.html", context)
    if data is not None:
        try:
            goal = services.create_goal(viewer, form, formset)
        except GoalError:
            pass  # the errors are on the form
        else:
            messages.success(request, _("Your goal “%(title)s” is saved.") % {"title": goal.title})
            return redirect(goal)
    context = {
        "form": form,
        "formset": formset,
        "hints": smart.hints(**draft_of(form, formset)),
        "max_rows": MAX_KEY_RESULTS,
    }
    return render(request, "goals/goal_form.html", context)


# --- A goal's page --------------------------------------------------------------------------


def describe_update(update: ProgressUpdate, results: dict) -> dict:
    result = results.get(update.key_result_id)
    if result is None:
        value = None if update.value is None else f"{show_number(update.value)} %"
    elif result.type == KeyResult.Type.MILESTONE:
        value = _("done") if update.done else _("not done")
    else:
        value = " ".join(filter(None, [show_number(update.value), result.unit]))
    return {
        "kind": "update",
        "at": update.created_at,
        "author": update.author,
        "result": result,
        "value": value,
        "confidence": update.confidence,
        "comment": update.comment,
    }


def history_of(goal: Objective, results: dict, viewer, today) -> tuple[list[dict], int]:
    """The newest progress updates and adjustments together, newest first, and their total
    (their SQL kept per viewer state and day, `cadence.waiting.kept_rows`)."""

    def newest(model, name: str) -> list:
        return kept_rows(
            viewer,
            today,
            (f"goals:{name}", goal.pk, HISTORY_SHOWN),
            lambda: model.objects.filter(objective=goal.pk).select_related("author")[
                :HISTORY_SHOWN
            ],
        )

    updates, adjustments = newest(ProgressUpdate, "updates"), newest(Adjustment, "adjustments")
    total = len(updates) if len(updates) < HISTORY_SHOWN else goal.updates.count()
    total += len(adjustments) if len(adjustments) < HISTORY_SHOWN else goal.adjustments.count()
    entries = [describe_update(update, results) for update in updates]
    entries += [
        {"kind": "adjustment", "at": a.created_at, "author": a.author, "adjustment": a}
        for a in adjustments
    ]
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries[:HISTORY_SHOWN], total


def _around(viewer, goal: Objective) -> QuerySet[Objective]:
    """The goals around `goal` that the viewer may see, in one query: where it leads (its
    ancestors), the first `CHILDREN_SHOWN` that support it (by end date and title) and a copy
    carried forward (at most one); in the children's order."""
    visible_goals = visible(viewer, Objective)
    children = visible_goals.filter(parent=goal.pk).order_by("end_date", "title", "pk")
    copy = visible_goals.filter(copied_from=goal.pk).order_by()[:1]
    return (
        visible_goals.filter(
            Q(pk__in=goal.ancestor_ids)
            | Q(pk__in=children.values("pk")[:CHILDREN_SHOWN])
            | Q(pk__in=copy.values("pk"))
        )
        .select_related("owner_person", "owner_team")
        .order_by("end_date", "title", "pk")
    )


@login_required
def goal_detail(request, goal_id):
    viewer = viewer_of(request)
    # The navigation's counts first (the page shows them): they tell whether the viewer
    # manages anyone, which the kept SQL below is keyed by (`cadence.waiting.kept_rows`).
    waiting_counts(request)
    assert viewer.person is not None  # login_required
    today = viewer.person.local_today()
    goal = load_goal(viewer, goal_id, today=today, key_results=False)
    around = kept_rows(
        viewer,
        today,
        ("goals:around", goal.pk, tuple(goal.ancestor_ids)),
        lambda: _around(viewer, goal),
    )
    # Where it leads, top first; a goal the viewer may not see is a gap, never its title.
    ancestors = set(goal.ancestor_ids)
    seen = {g.pk: g for g in around if g.pk in ancestors}
    trail = [seen.get(pk) for pk in goal.ancestor_ids]
    children = [g for g in around if g.parent_id == goal.pk]
    # Its key results and its children's, in one query.
    prefetch_related_objects(
        [goal, *children],
        Prefetch("key_results", queryset=KeyResult.objects.order_by("position", "pk")),
    )
    copy = next((g for g in around if g.copied_from_id == goal.pk), None)
    results = list(goal.key_results.all())
    history, history_total = history_of(
        goal, {result.pk: result for result in results}, viewer, today
    )
    recent = ProgressUpdate.objects.filter(objective=goal).order_by("-created_at", "-pk")
    points = list(recent.values_list("key_result_id", "value", "done", "created_at")[:MAX_POINTS])
    points.reverse()  # oldest first, for the chart
    suggested = goal.suggested_status
    feedback = kept_rows(
        viewer,
        today,
        ("goals:feedback", goal.pk, FEEDBACK_SHOWN),
        lambda: (
            visible(viewer, Feedback)
            .filter(goal=goal.pk)
            .select_related("giver", "receiver")
            .order_by("-created_at", "-pk")[:FEEDBACK_SHOWN]
        ),
    )
    if len(children) < CHILDREN_SHOWN:
        children_total = len(children)
    else:
        children_total = visible(viewer, Objective).filter(parent=goal).count()
    # Where it leads, what supports it, its copy and the feedback about it: shown as lists.
    shown(viewer, [*seen.values(), *children, *([copy] if copy else []), *feedback])
    context = {
        "goal": goal,
        "results": results,
        "who": who_sees(goal, viewer.person),
        "trail": trail,
        "children": children,
        "children_total": children_total,
        "history": history,
        "history_total": history_total,
        "chart": progress_series(goal, results, points),
        "suggested": Status(suggested).label if suggested and suggested != goal.status else None,
        "can_edit": can(viewer, "change", goal),
        "copy": copy,
        # Feedback about this goal that the viewer may read (one query, however much).
        "feedback": feedback,
        # Feedback requests are about one's own goals (feedback.services.request_feedback).
        "may_ask_feedback": goal.owner_person_id == viewer.person.pk,
        "may_give_feedback": (
            goal.owner_person_id is not None
            and goal.owner_person_id != viewer.person.pk
            and not goal.owner_person.has_left
        ),
    }
    return render(request, "goals/goal_detail.html", context)


# --- Adjusting --------------------------------------------------------------------------------


@login_required
def goal_adjust(request, goal_id):
    viewer = viewer_of(request)
    goal = load_goal(viewer, goal_id, "change")
    title = goal.title  # the form changes the instance as it validates
    data = request.POST if request.method == "POST" else None
    form = services.adjust_form(viewer, goal, data)
    parent_visible = "parent" in form.fields
    formset = AdjustKeyResultFormSet(data, instance=goal, prefix="kr")
    if data is not None and data.get("hint"):
        return hint_response(request, form, formset)
    if data is not None:
        if not services.asks_changes(form, formset):
            messages.info(request, _("Nothing changed."))
            return redirect(goal)
        try:
            changes = services.adjust_goal(viewer, goal, form, formset)
        except GoalError:
            pass  # the errors are on the forms
        else:
            if not changes:
                messages.info(request, _("Nothing changed."))
            else:
                messages.success(
                    request, _("Your changes are saved; they are in the goal's history.")
                )
            return redirect(goal)
    context = {
        "goal": goal,
        "title": title,
        "form": form,
        "formset": formset,
        "parent_visible": parent_visible,
        "only_owner_shares": services.only_owner_shares(goal),
        "hints": smart.hints(**draft_of(form, formset)),
    }
    status = 400 if data is not None and formset.is_stale() else 200
    return render(request, "goals/goal_adjust.html", context, status=status)


# --- Copying forward ----------------------------------------------------------------------------


@login_required
def copy_forward(request, goal_id):
    """Close a goal with its final score and start the same goal for the next period."""
    viewer = viewer_of(request)
    goal = load_goal(viewer, goal_id, "change")
    start, end = next_period(goal.start_date, goal.end_date)
    existing = Objective.objects.filter(copied_from=goal).first()
    progress = goal.progress
    score = round(progress * 100) if progress is not None else 0
    form = CopyForwardForm(
        request.POST or None, goal=goal, start=start, end=end, initial={"final_score": score}
    )
    if request.method == "POST":
        try:
            copy, made = services.copy_forward(viewer, goal, form)
        except GoalError:
            pass  # the errors are on the form
        else:
            if not made:
                messages.info(request, _("This goal was already copied forward."))
                return redirect(copy)
            messages.success(
                request,
                _("“%(title)s” is closed and copied to %(period)s.")
                % {"title": goal.title, "period": copy.period_label},
            )
            return redirect(copy)
    context = {
        "goal": goal,
        "form": form,
        "period": period_label(start, end),
        "start": start,
        "end": end,
        "results": goal.key_results.all(),
        "existing": existing,
    }
    return render(request, "goals/copy_forward.html", context)
