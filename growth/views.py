"""Growth's main page: where I stand against the role profile of my role and level."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.viewer import viewer_of
from growth import queries
from growth.rules import publishes_framework
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
    expectations = []
    if framework is not None and step is not None:
        expectations = [
            (c, step.expected[c.key], framework.level_name(step.expected[c.key]))
            for c in framework.competencies
            if c.key in step.expected
        ]
    context = {
        "framework": framework,
        "step": step,
        "role": role,
        "level": me.level,
        "expectations": expectations,
        "may_publish": publishes_framework(viewer),
    }
    return render(request, "growth/index.html", context)
