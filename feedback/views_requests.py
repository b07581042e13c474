"""Feedback requests: asking colleagues for feedback, the list of what is asked of me and what
I asked, one request's page, and answering or declining an ask.

Who sees what (`feedback/rules.py`, through `access.rules`): a request is seen by its requester
and by each person asked; anyone else gets 404. The requester sees every ask's status
and the answers; a person asked sees who else was asked, but only their own answer. Only the
person asked answers or declines (the requester gets 403: they know the ask exists).

The list page does a fixed number of queries, however many requests and asks there are.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from access.rules import get_visible_or_404, read, shown, visible
from access.viewer import viewer_of
from cadence.ids import id_in
from cadence.refusals import Conflict, Refused, show_refusal
from feedback import services
from feedback.forms_requests import AnswerForm, DeclineForm, RequestForm
from feedback.models import AskStatus, FeedbackAsk, FeedbackRequest
from feedback.queries import asks_inside_q, requests_inside_q
from goals.models import Objective
from organisation import scope

PENDING_LIMIT = 100
DONE_LIMIT = 20
REQUESTS_PAGE_SIZE = 20
GOAL_CHOICES_LIMIT = 100
# Goals that ended longer ago than this are not offered (the one in ?goal= always is).
GOAL_ENDED_DAYS = 180


def visible_goal_ids(viewer, goal_ids) -> set[int]:
    ids = {pk for pk in goal_ids if pk is not None}
    if not ids:
        return set()
    return set(visible(viewer, Objective).filter(pk__in=ids).values_list("pk", flat=True))


# Where a page shows the errors of `feedback.services` (named as in the API).
FORM_FIELDS = {"requestee_ids": "people", "goal_id": "goal"}


# --- The list -----------------------------------------------------------------------------------


@login_required
@require_safe
def requests(request):
    viewer = viewer_of(request)
    me = viewer.person
    today = timezone.localdate()  # the viewer's own time zone is active for the request
    # The asks are the viewer's own (a person asked sees their ask): no one else's; during a
    # pilot, those from someone inside it to someone inside it (`feedback.queries`).
    mine = (
        FeedbackAsk.objects.filter(requestee=me)
        .filter(asks_inside_q())
        .select_related("request__requester", "request__goal")
    )
    pending = list(
        mine.filter(status=AskStatus.PENDING).order_by("request__due_date", "pk")[
            : PENDING_LIMIT + 1
        ]
    )
    done = list(
        mine.exclude(status=AskStatus.PENDING)
        .select_related("answer")
        .order_by("-request__created_at", "-pk")[:DONE_LIMIT]
    )
    shown_goals = visible_goal_ids(viewer, [a.request.goal_id for a in pending + done])
    for ask in pending + done:
        ask.overdue = ask.status == AskStatus.PENDING and ask.request.due_date < today
        ask.shown_goal = ask.request.goal if ask.request.goal_id in shown_goals else None

    shown(viewer, [ask.request for ask in pending[:PENDING_LIMIT] + done])

    # Counted: the asks of people inside the pilot, when there is one.
    inside = scope.in_scope_q("asks__requestee__")
    asked = (
        visible(viewer, FeedbackRequest)
        .filter(requests_inside_q(me), requester=me)
        .select_related("goal")
        .annotate(
            total=Count("asks", filter=inside),
            answered=Count("asks", filter=inside & Q(asks__status=AskStatus.ANSWERED)),
            declined=Count("asks", filter=inside & Q(asks__status=AskStatus.DECLINED)),
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(asked, REQUESTS_PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.waiting = item.total - item.answered - item.declined
        item.overdue = item.waiting > 0 and item.due_date < today

    context = {
        "pending": pending[:PENDING_LIMIT],
        "more_pending": len(pending) > PENDING_LIMIT,
        "done": done,
        "page": page,
        "querystring": "",
    }
    return render(request, "feedback/requests/index.html", context)


# --- Asking -------------------------------------------------------------------------------------


def goal_choices(me, wanted: int | None, today) -> list[Objective]:
    """The viewer's own goals they may ask about: recent ones, and the one asked for."""
    since = today - timedelta(days=GOAL_ENDED_DAYS)
    condition = Q(end_date__gte=since)
    if wanted is not None:
        condition |= Q(pk=wanted)
    return list(
        Objective.objects.filter(owner_person=me)
        .filter(condition)
        .only("pk", "title", "end_date")
        .order_by("-end_date", "title", "pk")[:GOAL_CHOICES_LIMIT]
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_create(request):
    viewer = viewer_of(request)
    me = viewer.person
    today = timezone.localdate()
    wanted = id_in(request.GET, "goal")
    goals = goal_choices(me, wanted, today)
    if request.method == "POST":
        form = RequestForm(request.POST, viewer=viewer, goals=goals, today=today)
        feedback_request = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                feedback_request = services.request_feedback(
                    viewer,
                    requestee_ids=[person.pk for person in form.requestees],
                    topic=data["topic"],
                    goal_id=data["goal"].pk if data["goal"] is not None else None,
                    due_date=data["due_date"],
                    competency=data.get("competency") or "",
                )
            except Refused as problem:
                show_refusal(form, problem, FORM_FIELDS)
        if feedback_request is not None:
            messages.success(
                request,
                _("Your request went out to %(names)s. You will see their answers here.")
                % {"names": ", ".join(person.name for person in form.requestees)},
            )
            return redirect(feedback_request)
        status = 200 if form.searching else 400  # looking someone up is not an error
    else:
        initial = {}
        asked_about = next((goal for goal in goals if goal.pk == wanted), None)
        if asked_about is not None:  # from "Ask for feedback on this goal"
            initial.update(goal=wanted, topic=asked_about.title)
        form = RequestForm(initial=initial, viewer=viewer, goals=goals, today=today)
        status = 200
    context = {"form": form, "goal_id": wanted}
    return render(request, "feedback/requests/create.html", context, status=status)


# --- One request --------------------------------------------------------------------------------


@login_required
@require_safe
def request_detail(request, request_id: int):
    viewer = viewer_of(request)
    me = viewer.person
    assert me is not None  # signed in (login_required)
    feedback_request = get_visible_or_404(
        viewer,
        FeedbackRequest,
        request_id,
        queryset=FeedbackRequest.objects.select_related("requester", "goal"),
    )
    is_requester = feedback_request.requester_id == me.pk
    asks = list(
        feedback_request.asks.select_related("requestee", "answer").order_by(
            "requestee__name", "pk"
        )
    )
    own = next((ask for ask in asks if ask.requestee_id == me.pk), None)
    today = timezone.localdate()
    goal = feedback_request.goal
    if goal is not None and not visible_goal_ids(viewer, [goal.pk]):
        goal = None
    counts = dict.fromkeys(AskStatus.values, 0)
    for ask in asks:
        counts[ask.status] += 1
    context = {
        "feedback_request": feedback_request,
        "is_requester": is_requester,
        "asks": asks,
        "others": [ask.requestee for ask in asks if ask is not own],
        "own": own,
        "goal": goal,
        "overdue": feedback_request.due_date < today and counts[AskStatus.PENDING] > 0,
        "answered": counts[AskStatus.ANSWERED],
        "declined": counts[AskStatus.DECLINED],
        "waiting": counts[AskStatus.PENDING],
    }
    return render(request, "feedback/requests/detail.html", context)


# --- Answering and declining --------------------------------------------------------------------


def own_ask(viewer, ask_id: int) -> FeedbackAsk:
    """The viewer's ask: 404 for whoever may not know it exists, 403 for the requester and
    the others asked (they see the request, but this ask is not theirs to answer)."""
    ask = get_visible_or_404(
        viewer,
        FeedbackAsk,
        ask_id,
        "answer",
        queryset=FeedbackAsk.objects.select_related(
            "request__requester", "request__goal", "requestee"
        ),
    )
    read(viewer, ask.request)  # the page shows the request it answers
    return ask


def closed(request, ask: FeedbackAsk):
    if ask.status == AskStatus.ANSWERED:
        messages.info(request, _("You have answered this request already."))
    else:
        messages.info(request, _("You declined this request."))
    return redirect(ask.request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ask_answer(request, ask_id: int):
    viewer = viewer_of(request)
    ask = own_ask(viewer, ask_id)
    if ask.status != AskStatus.PENDING:
        return closed(request, ask)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.answer_ask(
                    viewer, ask, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"]
                )
            except Conflict:
                ask.refresh_from_db(fields=["status"])
                return closed(request, ask)
            except Refused as problem:
                show_refusal(form, problem, FORM_FIELDS)
        if form.is_bound and not form.errors:
            messages.success(
                request,
                _("Thank you: %(name)s can read your feedback now.")
                % {"name": ask.request.requester.name},
            )
            return redirect(ask.request)
        status = 400
    else:
        form = AnswerForm()
        status = 200
    goal = ask.request.goal
    if goal is not None and not visible_goal_ids(viewer, [goal.pk]):
        goal = None
    context = {
        "form": form,
        "ask": ask,
        "feedback_request": ask.request,
        "goal": goal,
    }
    return render(request, "feedback/requests/answer.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ask_decline(request, ask_id: int):
    viewer = viewer_of(request)
    ask = own_ask(viewer, ask_id)
    if ask.status != AskStatus.PENDING:
        return closed(request, ask)
    if request.method == "POST":
        form = DeclineForm(request.POST)
        if form.is_valid():
            try:
                services.decline_ask(viewer, ask, reason=form.cleaned_data["reason"])
            except Conflict:
                ask.refresh_from_db(fields=["status"])
                return closed(request, ask)
            except Refused as problem:
                show_refusal(form, problem, FORM_FIELDS)
        if form.is_bound and not form.errors:
            messages.success(
                request,
                _("Declined. %(name)s will know not to wait for your feedback.")
                % {"name": ask.request.requester.name},
            )
            return redirect("feedback:requests")
        status = 400
    else:
        form = DeclineForm()
        status = 200
    context = {"form": form, "ask": ask, "feedback_request": ask.request}
    return render(request, "feedback/requests/decline.html", context, status=status)
