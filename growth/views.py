"""Growth's main page: where I stand against the role profile of my role and level, my
assessments (start one, the open ones, the levels that count now against what my role
expects), and, for a manager, their team's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.rules import shown, visible
from access.viewer import viewer_of
from growth import queries
from growth.models import Assessment, Side
from growth.rules import assessable_reports, on_a_side, publishes_framework, starts_rounds
from people.models import Role


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    me = viewer.person
    assert me is not None
    framework = queries.current()
    step = framework.step_of(me.role_id, me.level) if framework else None
    role = None
    if step is not None:
        role = next(r for r in step.track.roles.all() if r.pk == me.role_id)
    elif me.role_id is not None:
        role = Role.objects.filter(pk=me.role_id).first()
    # The levels that count now (agreed, else the manager's shared): all visible to me.
    assessed = queries.assessed_levels(viewer, [me.pk]).get(me.pk, {}) if framework else {}
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
    assessments = list(
        on_a_side(viewer, visible(viewer, Assessment), Side.SELF)
        .select_related("version")
        .order_by("-created_at", "-pk")[:10]
    )
    team: list[Assessment] = []
    reports = []
    if viewer.is_manager:  # the team's open assessments, and whom one may start one of
        team = list(
            on_a_side(viewer, visible(viewer, Assessment), Side.MANAGER)
            .filter(closed_at__isnull=True)
            .select_related("subject")
            .order_by("due_date", "-created_at")[:50]
        )
        busy = {assessment.subject_id for assessment in team}
        reports = [p for p in assessable_reports(viewer).order_by("name")[:200] if p.pk not in busy]
    shown(viewer, [*assessments, *team])
    context = {
        "framework": framework,
        "step": step,
        "role": role,
        "level": me.level,
        "expectations": expectations,
        "may_publish": publishes_framework(viewer),
        "assessments": assessments,
        "may_start": framework is not None and not any(a.is_open for a in assessments),
        "team": team,
        "reports": reports,
        "runs_rounds": starts_rounds(viewer),
    }
    return render(request, "growth/index.html", context)
