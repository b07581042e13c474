"""Growth's main page: where I stand against the role profile of my role and level, my
assessments (start one, the open ones, the levels that count now against what my role
expects), and, for a manager, their team's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from access.rules import shown, visible
from access.viewer import viewer_of
from cadence.context_processors import waiting_counts
from cadence.waiting import kept_rows
from growth import queries
from growth.models import Assessment, Side
from growth.rules import assessable_reports, on_a_side, publishes_framework, starts_rounds
from people.models import Role


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    me = viewer.person
    assert me is not None
    # The navigation's counts first (the page shows them anyway): they tell whether the viewer
    # manages anyone, which the SQL kept per viewer state and day is keyed by (`kept_rows`).
    waiting_counts(request)
    today = timezone.localdate()
    framework = queries.current()
    step = framework.step_of(me.role_id, me.level) if framework else None
    role = None
    if step is not None:
        role = next(r for r in step.track.roles.all() if r.pk == me.role_id)
    elif me.role_id is not None:
        role = Role.objects.filter(pk=me.role_id).first()
    # The levels that count now (agreed, else the manager's shared): all visible to me.
    assessed = queries.assessed_levels(viewer, [me.pk], today).get(me.pk, {}) if framework else {}
    expectations = []
    if framework is not None and step is not None:
        expectations = [
            (
                c,
                step.expected[c.key],
                framework.level_name(step.expected[c.key]),
                assessed.get(c.key),
                framework.level_name(assessed[c.key].level) if c.key in assessed else "",
            )
            for c in framework.competencies
            if c.key in step.expected
        ]
    # Each list's SQL kept per viewer state and day (`cadence.waiting.kept_rows`): building it
    # through the rules cost several times more than running it.
    assessments = kept_rows(
        viewer,
        today,
        ("growth.index.mine",),
        lambda: (
            on_a_side(viewer, visible(viewer, Assessment), Side.SELF)
            .select_related("version")
            .order_by("-created_at", "-pk")[:10]
        ),
    )
    team: list[Assessment] = []
    reports = []
    if viewer.is_manager:  # the team's open assessments, and whom one may start one of
        team = kept_rows(
            viewer,
            today,
            ("growth.index.team",),
            lambda: (
                on_a_side(viewer, visible(viewer, Assessment), Side.MANAGER)
                .filter(closed_at__isnull=True)
                .select_related("subject")
                .order_by("due_date", "-created_at")[:50]
            ),
        )
        busy = {assessment.subject_id for assessment in team}
        assessable = kept_rows(
            viewer,
            today,
            ("growth.index.reports",),
            lambda: assessable_reports(viewer).order_by("name")[:200],
        )
        reports = [p for p in assessable if p.pk not in busy]
    shown(viewer, [*assessments, *team])
    context = {
        "framework": framework,
        "step": step,
        "role": role,
        "level": me.level,
        "expectations": expectations,
        "my_levels": assessed if framework else None,  # for the plan's card (plans' tag)
        "may_publish": publishes_framework(viewer),
        "assessments": assessments,
        "may_start": framework is not None and not any(a.is_open for a in assessments),
        "team": team,
        "reports": reports,
        "runs_rounds": starts_rounds(viewer),
    }
    return render(request, "growth/index.html", context)
