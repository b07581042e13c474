"""Surveys' pages after a round: an action plan for a team (focus areas from the results, with
how they moved since; actions with owner and due date; sharing with the team), and replies to
anonymous comments."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from access import rules as access_rules
from access.rules import get_visible_or_404
from access.viewer import Viewer, viewer_of
from cadence.refusals import Refused, form_saved, show_refusal
from people.models import Team
from surveys import groups, results, services
from surveys.forms import ActionForm, PlanForm, ReplyForm
from surveys.models import Comment, RoundStatus, SurveyAction, SurveyActionPlan
from surveys.rules import CHANGE, VIEW, makes_plan, reads_comment, surveys_seen


@login_required
@require_http_methods(["GET", "POST"])
def new_plan(request: HttpRequest, survey_id: int) -> HttpResponse:
    """?round=<id>&group=t:<id>: a plan for that team group after that round."""
    viewer = viewer_of(request)
    survey = get_object_or_404(surveys_seen(viewer), pk=survey_id)
    round_id, key = request.GET.get("round", ""), request.GET.get("group", "")[:80]
    if not round_id.isdigit() or len(round_id) > 12:
        raise Http404
    found_round = get_object_or_404(
        survey.rounds.filter(status=RoundStatus.CLOSED), pk=int(round_id)
    )
    if not makes_plan(viewer, survey, found_round, key):
        raise Http404
    questions = [
        ask.question
        for ask in found_round.asks.select_related("question").order_by("position")
        if services.has_mean(ask.question)
    ]
    form = PlanForm(request.POST or None, questions=[(q.pk, q.wording) for q in questions])
    if request.method == "POST" and form_saved(
        form,
        lambda data: services.create_plan(
            viewer,
            survey=survey,
            found_round=found_round,
            group=key,
            focus=data["focus"],
            note=data["note"],
        ),
    ):
        messages.success(request, _("The plan is made: add its actions."))
        return redirect("surveys:plan", form.saved.pk)  # type: ignore[attr-defined]
    team = Team.objects.filter(pk=groups.team_of(key) or 0).only("name").first()
    return render(
        request,
        "surveys/plan_new.html",
        {"survey": survey, "round": found_round, "team": team, "form": form},
    )


def _plan_page(
    request: HttpRequest, plan: SurveyActionPlan, action_form: ActionForm | None = None
) -> HttpResponse:
    viewer = viewer_of(request)
    may_change = access_rules.can(viewer, CHANGE, plan)
    if may_change and action_form is None:
        action_form = ActionForm(owners=services.plan_owners(viewer, plan))
    actions = list(plan.actions.select_related("owner"))
    access_rules.shown(viewer, actions)
    # Who changes the plan completes any action; an action's owner their own (the rule decides
    # on each: only an owner's own need asking).
    me = viewer.person.pk if viewer.person else None
    may_complete = {
        action.pk
        for action in actions
        if may_change or (action.owner_id == me and access_rules.can(viewer, CHANGE, action))
    }
    return render(
        request,
        "surveys/plan.html",
        {
            "plan": plan,
            "moves": results.focus_moves(plan),
            "actions": actions,
            "may_change": may_change,
            "may_complete": may_complete,
            "action_form": action_form if may_change else None,
        },
    )


def _plan(viewer: Viewer, pk: int, action: str = VIEW) -> SurveyActionPlan:
    """The plan `pk`, with what its page shows loaded (`results.PLANS`), if the viewer may
    `action` it: 404 for whoever may not read it, 403 for a reader who may not change it."""
    return get_visible_or_404(viewer, SurveyActionPlan, pk, action, queryset=results.PLANS)


@login_required
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _plan_page(request, _plan(viewer_of(request), plan_id))


@login_required
@require_http_methods(["POST"])
def add_action(request: HttpRequest, plan_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = _plan(viewer, plan_id, CHANGE)
    form = ActionForm(request.POST, owners=services.plan_owners(viewer, found))
    if form_saved(
        form,
        lambda data: services.add_action(
            viewer, found, text=data["text"], owner=data["owner"], due_date=data["due_date"]
        ),
    ):
        messages.success(request, _("The action is added."))
        return redirect("surveys:plan", found.pk)
    return _plan_page(request, found, form)


@login_required
@require_http_methods(["POST"])
def complete_action(request: HttpRequest, action_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = get_visible_or_404(
        viewer,
        SurveyAction,
        action_id,
        CHANGE,
        queryset=SurveyAction.objects.select_related("plan__team"),
    )
    services.complete_action(viewer, found, done=request.POST.get("done") != "0")
    return redirect("surveys:plan", found.plan_id)


@login_required
@require_http_methods(["POST"])
def share_plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = _plan(viewer, plan_id, CHANGE)
    services.share_plan(viewer, found)
    messages.success(request, _("The team can read the plan now."))
    return redirect("surveys:plan", found.pk)


@login_required
@require_http_methods(["POST"])
def reply(request: HttpRequest, comment: uuid.UUID) -> HttpResponse:
    """A reply to a comment, from the results page (its form posts `next`: the page to return
    to, on this site). A comment's id is random (a UUID), not a counted id."""
    viewer = viewer_of(request)
    found = get_object_or_404(Comment.objects.select_related("round__survey"), pk=comment)
    if not reads_comment(viewer, found):
        raise Http404
    form = ReplyForm(request.POST)
    back = request.POST.get("next", "")
    survey_url = f"/surveys/{found.round.survey_id}/"
    target = back if back.startswith(survey_url) and "//" not in back else survey_url
    if form.is_valid():
        try:
            services.reply(viewer, found, text=form.cleaned_data["text"])
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("Your reply is shown under the comment."))
            return redirect(target)
    for error in [*form.errors.get("text", []), *form.non_field_errors()]:
        messages.error(request, error)
    return redirect(target)
