"""The career map: the tracks side by side, where I am, and what any other step expects of me
that my own does not (or less). `?to=<step>` chooses the step; with htmx only the comparison is
swapped in."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from access.viewer import viewer_of
from growth import queries
from growth.models import Competency
from growth.queries import Framework, Step


@dataclass(frozen=True)
class Difference:
    competency: Competency
    now: int | None  # expected of me now (None: not expected)
    then: int | None  # expected at the step chosen
    now_name: str
    then_name: str

    @property
    def change(self) -> int:
        return (self.then or 0) - (self.now or 0)


def compare(framework: Framework, mine: Step | None, target: Step) -> list[Difference]:
    """Every competency whose expected level differs between my step and `target`, in the
    framework's order."""
    now = mine.expected if mine else {}
    return [
        Difference(
            c,
            now.get(c.key),
            target.expected.get(c.key),
            framework.level_name(now.get(c.key)),
            framework.level_name(target.expected.get(c.key)),
        )
        for c in framework.competencies
        if now.get(c.key) != target.expected.get(c.key)
    ]


@login_required
def career(request: HttpRequest) -> HttpResponse:
    me = viewer_of(request).person
    assert me is not None
    framework = queries.current()
    mine = framework.step_of(me.role_id, me.level) if framework else None
    target = framework.step(request.GET.get("to", "")) if framework else None
    if target is None and framework is not None and mine is not None:
        target = _next_step(framework, mine)
    differences = compare(framework, mine, target) if framework and target else []
    context = {
        "framework": framework,
        "mine": mine,
        "target": target,
        "differences": differences,
        "same": len(framework.competencies) - len(differences) if framework and target else 0,
        "columns": _columns(framework) if framework else [],
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "comparison":
        return render(request, "growth/career.html#comparison", context)
    return render(request, "growth/career.html", context)


def _next_step(framework: Framework, mine: Step) -> Step | None:
    """The step above mine on my track (or None at its top)."""
    higher = [
        step
        for step in framework.steps
        if step.track.pk == mine.track.pk and step.profile.level > mine.profile.level
    ]
    return min(higher, key=lambda step: step.profile.level, default=None)


def _columns(framework: Framework) -> list[tuple[object, list[Step]]]:
    """Each track with its steps, the highest first (a ladder reads upwards)."""
    return [
        (
            track,
            sorted(
                (step for step in framework.steps if step.track.pk == track.pk),
                key=lambda step: -step.profile.level,
            ),
        )
        for track in framework.tracks
    ]
