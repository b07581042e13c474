"""The alignment tree: company → team → person, with progress rolled up from what supports it.

Without a root the tree starts at the company's goals for a period and shows the goals that
support them; with `?root=<id>` it starts at that goal, shows where it leads (its ancestors)
and two levels of supporting goals. Every node carries its own progress and its progress
together with the supporting goals the viewer may see: each supporting goal counted once,
and goals the viewer may not see never enter a figure shown to them.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from access import rules
from access.rules import visible as visible_to
from access.viewer import viewer_of
from cadence.ids import id_in
from goals.models import Objective, quarter_of
from goals.queries import in_scope_q
from people.models import ids_in

CHILDREN_SHOWN = 25  # per goal; the rest are counted and one click away


def periods(today: date) -> dict[str, tuple[StrOrPromise, date, date]]:
    this_start, this_end = quarter_of(today)
    last = quarter_of(this_start - timedelta(days=1))
    following = quarter_of(this_end + timedelta(days=1))
    return {
        "this": (_("This quarter"), this_start, this_end),
        "last": (_("Last quarter"), *last),
        "next": (_("Next quarter"), *following),
        "year": (_("This year"), date(today.year, 1, 1), date(today.year, 12, 31)),
    }


def rolled_up(own: float | None, children_sum: float, children_count: int) -> float | None:
    """The goal's own progress and that of its visible supporting goals, each counted once."""
    total, count = children_sum, children_count
    if own is not None:
        total, count = total + own, count + 1
    return total / count if count else None


@login_required
def tree(request):
    viewer = viewer_of(request)
    # Goals outside the pilot scope are left out of the tree, and of its figures.
    visible = visible_to(viewer, Objective).filter(in_scope_q())
    visible = visible.select_related("owner_person", "owner_team")
    choices = periods(timezone.localdate())
    period_key = request.GET.get("period", "this")
    if period_key not in choices:
        period_key = "this"
    _label, start, end = choices[period_key]

    root, ancestors = None, []
    if request.GET.get("root"):
        root_id = id_in(request.GET, "root")
        root = None if root_id is None else visible.filter(pk=root_id).first()
        if root is None:
            raise Http404
        ancestors = sorted(
            visible.filter(pk__in=root.ancestor_ids), key=lambda goal: len(goal.path)
        )
        top = [root]
        levels = 2
    else:
        # The company's goals of the period through their own index first, then through the
        # rules: asked in one query, PostgreSQL joined every person and team to the few dozen
        # company goals (it could not tell how few they were).
        company = Objective.objects.in_period(start, end).filter(
            owner_person__isnull=True, owner_team__isnull=True
        )
        top = list(
            visible.filter(pk__in=list(company.values_list("pk", flat=True))).order_by("title")
        )
        levels = 1

    # Load the shown levels: a query per level, whatever the number of goals.
    children_of = defaultdict(list)
    frontier = [goal.pk for goal in top]
    shown = {goal.pk: goal for goal in top}
    for _level in range(levels):
        if not frontier:
            break
        below = list(visible.filter(parent_id__in=frontier).order_by("title"))
        for goal in below:
            children_of[goal.parent_id].append(goal)
            shown[goal.pk] = goal
        frontier = [goal.pk for goal in below]

    # One aggregate over the visible supporting goals of every shown goal.
    support = {
        row["parent_id"]: row
        for row in visible.filter(parent_id__in=list(shown))
        .values("parent_id")
        .annotate(
            n=Count("pk"),
            counted=Count("pk", filter=Q(progress_cache__isnull=False)),
            total=Sum("progress_cache"),
        )
    }

    def node(goal, depth):
        row = support.get(goal.pk, {"n": 0, "counted": 0, "total": None})
        children = children_of.get(goal.pk, [])
        return {
            "goal": goal,
            "depth": depth,
            "own": goal.progress_cache,
            "rolled": rolled_up(goal.progress_cache, row["total"] or 0.0, row["counted"]),
            "supporting": row["n"],
            "hidden_children": max(row["n"] - min(len(children), CHILDREN_SHOWN), 0),
            "children": [node(child, depth + 1) for child in children[:CHILDREN_SHOWN]],
        }

    nodes = [node(goal, 0) for goal in top]
    flat = list(flatten(nodes))
    rules.shown(viewer, [*ancestors, *(item["goal"] for item in flat)])
    context = {
        "nodes": flat,
        "root": root,
        "ancestors": ancestors,
        "hidden_ancestor": root is not None and len(ancestors) < len(ids_in(root.path)) - 1,
        "periods": [(key, label) for key, (label, _s, _e) in choices.items()],
        "period": period_key,
    }
    return render(request, "goals/tree.html", context)


def flatten(nodes):
    for item in nodes:
        yield item
        yield from flatten(item["children"])
