"""Surveys' pages: my rounds to answer (with the privacy preview), the surveys whose results I
may read, a survey's results (participation, scores, eNPS, the trend, each question's answers,
the heatmap of teams, comments), their CSV export, and a new survey for HR."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from access import rules as access_rules
from access.rules import get_visible_or_404
from access.viewer import viewer_of
from cadence.csv_safe import row as safe_row
from cadence.refusals import Conflict, Refused, form_saved, show_refusal
from cadence.shortcuts import require
from people.models import Team
from surveys import groups, results, services
from surveys.forms import AnswerForm, SurveyForm
from surveys.models import (
    Invitation,
    QuestionKind,
    RoundStatus,
    Survey,
    SurveyActionPlan,
    deferred_round,
)
from surveys.rules import ANSWER, creates_surveys, manages_survey, part_of, surveys_seen


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    mine = list(
        access_rules.visible(viewer, Invitation)
        .filter(round__status=RoundStatus.OPEN)
        .select_related("round__survey")
        .defer(*deferred_round("round__"))
        .order_by("answered", "round__closes_on", "pk")[:20]
    )
    seen = list(surveys_seen(viewer).select_related("team").order_by("-starts_on", "-pk")[:100])
    plans = list(
        access_rules.visible(viewer, SurveyActionPlan)
        .select_related("survey", "round", "team")
        .defer(*deferred_round("round__"))
        .order_by("-created_at", "-pk")[:20]
    )
    replies = results.replies_for_me(viewer.person.pk) if viewer.person else []
    return render(
        request,
        "surveys/index.html",
        {
            "to_answer": [i for i in mine if not i.answered],
            "answered": [i for i in mine if i.answered],
            "surveys": seen,
            "may_create": creates_surveys(viewer),
            "plans": plans,
            "replies": replies,
        },
    )


def _preview(invitation: Invitation) -> list[dict[str, object]]:
    """The groups the person's answer counts in, each with how many were asked and whether
    that is enough to be reported at all."""
    found = invitation.round
    ids = {team for key in invitation.groups if (team := groups.team_of(key)) is not None}
    names = dict(Team.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = []
    for key in invitation.groups:
        asked = int(found.sizes.get(key, 0))
        rows.append(
            {
                "label": groups.label(key, names),
                "asked": asked,
                "may_report": asked >= found.k,
                "may_comment": asked >= found.k_comments,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, invitation_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    invitation = get_visible_or_404(
        viewer,
        Invitation,
        invitation_id,
        queryset=Invitation.objects.select_related("round__survey"),
    )
    found = invitation.round
    questions = [ask.question for ask in found.asks.select_related("question").order_by("position")]
    form = AnswerForm(request.POST or None, questions=questions)
    may_answer = access_rules.can(viewer, ANSWER, invitation)
    if request.method == "POST":
        require(may_answer)
        if form.is_valid():
            try:
                services.answer(viewer, invitation, form.answers())
            except Refused as refused:
                show_refusal(form, refused, {f"answers.{q.pk}": f"q{q.pk}" for q in questions})
            except Conflict as conflict:
                messages.error(request, str(conflict))
                return redirect("surveys:index")
            else:
                messages.success(
                    request, _("Thank you. Your answers are sealed until the round closes.")
                )
                return redirect("surveys:index")
    return render(
        request,
        "surveys/answer.html",
        {
            "invitation": invitation,
            "round": found,
            "form": form,
            "may_answer": may_answer,
            "preview": _preview(invitation),
            "has_choice": any(q.kind == QuestionKind.CHOICE for q in questions),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    require(creates_surveys(viewer))
    scope = viewer.hr_scope_path
    teams = Team.objects.filter(path__startswith=scope or "/").order_by("path")
    form = SurveyForm(
        request.POST or None,
        teams=teams,
        everyone=scope == "",
        initial={"starts_on": timezone.localdate(), "open_days": 7, "rhythm": "28"},
    )
    if request.method == "POST" and form_saved(
        form,
        lambda _data: services.create_survey(viewer, **form.values()),
        {"questions": "questions", **form.own_fields()},
    ):
        survey = form.saved  # type: ignore[attr-defined]
        messages.success(request, _("The survey is ready."))
        return redirect("surveys:survey", survey.pk)
    return render(request, "surveys/new.html", {"form": form})


def _readable_survey(request: HttpRequest, survey_id: int) -> Survey:
    viewer = viewer_of(request)
    return get_object_or_404(surveys_seen(viewer).select_related("team"), pk=survey_id)


def _round_id(request: HttpRequest) -> int | None:
    value = request.GET.get("round", "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise Http404
    return int(value)


def _comments_shown(request: HttpRequest) -> int:
    """How many comments to show (`?comments=`, by pages of `COMMENTS_SHOWN`)."""
    value = request.GET.get("comments", "")
    if not value.isdigit() or len(value) > 6:
        return results.COMMENTS_SHOWN
    return max(results.COMMENTS_SHOWN, min(int(value), results.COMMENTS_MOST))


@login_required
def survey(request: HttpRequest, survey_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found_survey = _readable_survey(request, survey_id)
    asked_key = request.GET.get("group", "")[:80]
    round_id = _round_id(request)
    found = results.load(viewer, found_survey, key=asked_key or None, round_id=round_id)
    key = asked_key or (found.keys[0] if found.keys else "")
    if asked_key and asked_key not in found.keys:
        raise Http404
    chosen = found.latest
    if round_id is not None:
        chosen = next((r for r in found.rounds if r.pk == round_id), None)
        if chosen is None:
            raise Http404
    current = found.of(chosen, key) if chosen else None
    open_round = found_survey.rounds.filter(status=RoundStatus.OPEN).first()
    shown = _comments_shown(request)
    comments, more_comments = (
        results.comments(found, chosen, key, shown) if chosen and key else ([], False)
    )
    if comments:
        results.with_replies(comments, viewer.person.pk if viewer.person else None)
    may_plan = bool(current and groups.team_of(key) is not None and not groups.band_in(key))
    plans = (
        list(
            access_rules.visible(viewer, SurveyActionPlan)
            .filter(round=chosen, group=key)
            .order_by("-created_at", "-pk")
        )
        if may_plan
        else []
    )
    return render(
        request,
        "surveys/survey.html",
        {
            "survey": found_survey,
            "results": found,
            "key": key,
            "label": found.labels.get(key, ""),
            "group_links": [(k, found.labels[k]) for k in found.way_to(key)],
            "band_links": [(k, found.labels[k]) for k in found.bands_of(key)],
            "in_band": groups.band_in(key) is not None,
            "round": chosen,
            "current": current,
            "trend": found.trend(key) if key else [],
            "heatmap": found.teams_in(chosen) if chosen else [],
            "comments": comments,
            "more_comments": shown + results.COMMENTS_SHOWN if more_comments else None,
            "may_plan": may_plan,
            "plans": plans,
            "comments_shown": bool(chosen and key in found.comment_keys.get(chosen.pk, set())),
            "open_round": open_round,
            "manages": manages_survey(viewer, found_survey),
            "part_is_nothing": part_of(viewer, found_survey).nothing,
        },
    )


@login_required
def export(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The figures the viewer may read, one row per round, group and question (CSV)."""
    found_survey = _readable_survey(request, survey_id)
    found = results.load(viewer_of(request), found_survey, everything=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{found_survey.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Round"),
            _("Opened"),
            _("Closed"),
            _("Group"),
            _("Question"),
            _("Answered"),
            _("Asked"),
            _("Mean"),
        ]
    )
    for chosen in found.rounds:
        for result in found.by_round.get(chosen.pk, {}).values():
            writer.writerow(
                safe_row(
                    [
                        chosen.number,
                        chosen.opens_on.isoformat(),
                        chosen.closes_on.isoformat(),
                        result.label,
                        _("Participation"),
                        result.respondents,
                        result.invited,
                        "",
                    ]
                )
            )
            for row in result.questions:
                writer.writerow(
                    safe_row(
                        [
                            chosen.number,
                            chosen.opens_on.isoformat(),
                            chosen.closes_on.isoformat(),
                            result.label,
                            row.question.wording,
                            row.n,
                            "",
                            "" if row.mean is None else f"{row.mean:.2f}",
                        ]
                    )
                )
    return response


@login_required
@require_http_methods(["POST"])
def end(request: HttpRequest, survey_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = get_object_or_404(surveys_seen(viewer).select_related("team"), pk=survey_id)
    require(manages_survey(viewer, found))
    services.end_survey(viewer, found)
    messages.success(request, _("No more rounds will open."))
    return redirect("surveys:survey", found.pk)
