"""Assessment pages: one assessment competency by competency (the behaviours of each level to
guide the rating, each side's rating with its evidence side by side once shared, never
combined, and the agreed level), its per-competency saves (htmx swaps the competency), its
steps (share, record the agreement, close, share with HR), starting one, and a person's
history of one competency."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from access.rules import can, get_visible_or_404, shown, visible, who_sees
from access.viewer import Viewer, viewer_of
from cadence.refusals import Conflict, Refused, form_saved
from feedback.models import Feedback
from goals.models import Objective
from growth import queries, services
from growth.forms_assessments import AgreeForm, RatingForm
from growth.models import (
    Assessment,
    Competency,
    ProficiencyLevel,
    Rating,
    Side,
)
from growth.rules import (
    AGREE,
    CLOSE,
    RATE_MANAGER,
    RATE_SELF,
    SHARE_WITH_HR,
    sees_assessments_of,
    side_of,
)
from people.models import Person

SNIPPET = 60  # characters of a feedback's text in its choice


@dataclass
class Line:
    """One competency of the assessment, as the viewer sees it."""

    competency: Competency
    self_rating: Rating | None = None
    manager_rating: Rating | None = None
    agreed: Rating | None = None
    form: RatingForm | None = None
    agree_form: AgreeForm | None = None
    attachable: list[Feedback] = field(default_factory=list)
    behaviours: list[tuple[int, str, str]] = field(default_factory=list)  # level, name, text

    @property
    def sides(self) -> list[tuple[str, Rating | None, str]]:
        """The two sides, side by side: each its own, never combined."""
        return [
            (Side.SELF, self.self_rating, _("Self-assessment")),
            (Side.MANAGER, self.manager_rating, _("Manager's assessment")),
        ]


@dataclass
class Page:
    assessment: Assessment
    levels: list[ProficiencyLevel]
    lines: list[Line]
    my_side: str | None  # Side.SELF, Side.MANAGER, or None (HR)
    may: dict[str, bool]

    def line(self, competency_id: int) -> Line | None:
        return next((line for line in self.lines if line.competency.pk == competency_id), None)


def _load(viewer: Viewer, assessment_id: int, action: str = "view") -> Assessment:
    return get_visible_or_404(
        viewer,
        Assessment,
        assessment_id,
        action,
        queryset=Assessment.objects.select_related(
            "subject__manager", "subject__team", "version", "round", "started_by"
        ),
    )


def _page(
    viewer: Viewer,
    assessment: Assessment,
    data: Any = None,
    bound: int | None = None,
    agree_bound: int | None = None,
) -> Page:
    """Everything the page shows, in a fixed number of queries; `data` binds the form of
    competency `bound` (or the agreement form of `agree_bound`) to what was posted."""
    my_side = side_of(viewer, assessment)
    may = {
        action: can(viewer, action, assessment)
        for action in (RATE_SELF, RATE_MANAGER, AGREE, CLOSE, SHARE_WITH_HR)
    }
    rating = may[RATE_SELF] or may[RATE_MANAGER]
    # The version's levels and competencies, as this process keeps a published version's rows.
    levels, competencies = queries.version_rows(assessment.version)
    ratings = list(
        visible(viewer, Rating)
        .filter(assessment=assessment)
        .prefetch_related(
            Prefetch("goals", visible(viewer, Objective).order_by("pk")),
            Prefetch("feedback", visible(viewer, Feedback).select_related("giver")),
        )
    )
    goals: list[tuple[int, str]] = []
    if rating:
        goals = queries.evidence_goals(viewer, assessment, ratings)
    offered: list[Feedback] = []
    if may[RATE_SELF]:  # the person attaches feedback they received about the competency
        offered = list(
            visible(viewer, Feedback)
            .filter(
                receiver=assessment.subject_id,
                competency__in=[competency.key for competency in competencies],
            )
            .select_related("giver")
            .order_by("-created_at")[:200]
        )
    names = {level.number: level.name for level in levels}
    for r in ratings:
        r.assessment = assessment  # loaded already: not once more per rating (the access log)
        r.level_name = names.get(r.level or 0, "")  # type: ignore[attr-defined]
    by_key = {(r.competency_id, r.side): r for r in ratings}
    lines = []
    for competency in competencies:
        line = Line(
            competency,
            by_key.get((competency.pk, Side.SELF)),
            by_key.get((competency.pk, Side.MANAGER)),
            by_key.get((competency.pk, Side.AGREED)),
            behaviours=[
                (b.level, names.get(b.level, ""), b.description)
                for b in competency.behaviours.all()
            ],
        )
        mine = line.self_rating if my_side == Side.SELF else line.manager_rating
        if rating:
            attached = list(mine.feedback.all()) if mine else []
            line.attachable = [f for f in offered if f.competency == competency.key] + [
                f for f in attached if f.competency != competency.key
            ]
            initial = {
                "level": mine.level if mine else None,
                "evidence": mine.text if mine else "",
                "goals": [goal.pk for goal in mine.goals.all()] if mine else [],
                "feedback": [f.pk for f in attached],
            }
            line.form = RatingForm(
                data if bound == competency.pk else None,
                prefix=f"c{competency.pk}",
                initial=initial,
                levels=levels,
                goals=goals,
                feedback=[(f.pk, _choice(f)) for f in line.attachable]
                if my_side == Side.SELF
                else None,
            )
        if may[AGREE]:
            line.agree_form = AgreeForm(
                data if agree_bound == competency.pk else None,
                prefix=f"a{competency.pk}",
                initial={
                    "level": line.agreed.level if line.agreed else None,
                    "note": line.agreed.text if line.agreed else "",
                },
                levels=levels,
            )
        lines.append(line)
    shown(
        viewer,
        [
            *ratings,
            *(goal for r in ratings for goal in r.goals.all()),
            *(f for r in ratings for f in r.feedback.all()),
            *offered,
        ],
    )
    return Page(assessment, levels, lines, my_side, may)


def _choice(feedback: Feedback) -> str:
    text = " ".join(feedback.text.split())
    if len(text) > SNIPPET:
        text = text[: SNIPPET - 1] + "…"
    return f"{feedback.giver.name}, {feedback.created_at:%Y-%m-%d}: {text}"


def _render(request: HttpRequest, viewer: Viewer, page: Page, status: int = 200) -> HttpResponse:
    assessment = page.assessment
    context = {
        "page": page,
        "assessment": assessment,
        "subject": assessment.subject,
        "level_names": {level.number: level.name for level in page.levels},
        "who": who_sees(assessment, viewer.person),
    }
    return render(request, "growth/assessment.html", context, status=status)


def _fragment(request: HttpRequest, page: Page, line: Line, status: int = 200) -> HttpResponse:
    context = {
        "page": page,
        "assessment": page.assessment,
        "line": line,
        "level_names": {level.number: level.name for level in page.levels},
    }
    return render(request, "growth/_competency.html", context, status=status)


def _back(assessment: Assessment, anchor: str = "") -> HttpResponseRedirect:
    return redirect(reverse("growth:assessment", args=[assessment.pk]) + anchor)


@login_required
def assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    return _render(request, viewer, _page(viewer, _load(viewer, assessment_id)))


@login_required
@require_POST
def rate(request: HttpRequest, assessment_id: int, competency_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = _load(viewer, assessment_id)
    page = _page(viewer, found, request.POST, bound=competency_id)
    line = page.line(competency_id)
    if line is None:
        raise Http404
    if line.form is None:
        raise PermissionDenied
    form = line.form
    try:
        saved = form_saved(
            form,
            lambda data: services.rate(
                viewer,
                found,
                competency_id=competency_id,
                level=data["level"],
                evidence=data["evidence"],
                goal_ids=data.get("goals", []),
                feedback_ids=data.get("feedback", []),
            ),
        )
    except Conflict as conflict:
        messages.error(request, str(conflict))
        return _back(found)
    return _after_save(request, viewer, found, page, line, saved=saved)


@login_required
@require_POST
def agree(request: HttpRequest, assessment_id: int, competency_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = _load(viewer, assessment_id, AGREE)
    page = _page(viewer, found, request.POST, agree_bound=competency_id)
    line = page.line(competency_id)
    if line is None or line.agree_form is None:
        raise Http404
    try:
        saved = form_saved(
            line.agree_form,
            lambda data: services.agree(
                viewer, found, competency_id=competency_id, level=data["level"], note=data["note"]
            ),
        )
    except Conflict as conflict:
        messages.error(request, str(conflict))
        return _back(found)
    return _after_save(request, viewer, found, page, line, saved=saved)


def _after_save(
    request: HttpRequest, viewer: Viewer, found: Assessment, page: Any, line: Any, *, saved: bool
) -> HttpResponse:
    """After a competency's rating or agreed level: with htmx, its section again (read anew
    when saved, with the form's errors and 400 when not); without, back to it or the page."""
    htmx = bool(request.headers.get("HX-Request"))
    if saved:
        if htmx:
            page = _page(viewer, found)
            fresh = page.line(line.competency.pk)
            assert fresh is not None
            return _fragment(request, page, fresh)
        return _back(found, f"#c-{line.competency.key}")
    if htmx:
        return _fragment(request, page, line, status=400)
    return _render(request, viewer, page, status=400)


def _step(service: Any, done: StrOrPromise) -> Any:
    """A step of the assessment (share, record the agreement, close, share with HR): the
    service decides; its refusal or conflict is said on the page."""

    @login_required
    @require_POST
    def view(request: HttpRequest, assessment_id: int) -> HttpResponse:
        viewer = viewer_of(request)
        found = _load(viewer, assessment_id)
        try:
            service(viewer, found)
        except Refused as refused:  # said above the page, shown again as it was
            for _field, message in refused.errors:
                messages.error(request, message)
            return _render(request, viewer, _page(viewer, found), status=400)
        except Conflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(request, done)
        return _back(found)

    return view


share = _step(services.share, gettext_lazy("Shared."))
record_agreement = _step(services.record_agreement, gettext_lazy("The agreed levels are recorded."))
close = _step(services.close, gettext_lazy("Closed."))
share_with_hr = _step(services.share_with_hr, gettext_lazy("Shared with HR."))


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Start an assessment of oneself, or (`person`) of a report."""
    viewer = viewer_of(request)
    me = viewer.person
    assert me is not None
    raw = request.POST.get("person", "")
    person_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else me.pk
    try:
        started = services.start_assessment(viewer, person_id)
    except Refused as refused:
        for _field, message in refused.errors:
            messages.error(request, message)
        return redirect("growth:index")
    return redirect(started.get_absolute_url())


@login_required
def competency_history(request: HttpRequest, person_id: int, key: str) -> HttpResponse:
    """A person's levels of one competency over time: what the viewer may see of them."""
    viewer = viewer_of(request)
    person = Person.objects.select_related("team", "manager").filter(pk=person_id).first()
    if person is None or not sees_assessments_of(viewer, person):
        raise Http404
    framework = queries.current()
    competency = None
    if framework is not None:
        competency = next((c for c in framework.competencies if c.key == key), None)
    if competency is None:
        raise Http404
    rows = queries.history(viewer, person, key)
    context = {
        "person": person,
        "competency": competency,
        "framework": framework,
        "rows": rows,
        "mine": viewer.person is not None and viewer.person.pk == person.pk,
    }
    return render(request, "growth/history.html", context)
