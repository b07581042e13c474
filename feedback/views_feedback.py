"""Feedback and praise: giving it, the inbox, the praise wall, one feedback's page (replies,
reactions, sharing with one's manager, correcting it before it is read), the export of one's
own feedback, and the organisation's feedback settings.

Every read goes through the feedback rules (`feedback/rules.py`, asked through `access.rules`:
`visible` for lists, `get_visible_or_404` for one item): whoever may not see a feedback gets a
404 for it, whatever their role. Lists do
a fixed number of queries, however many feedback items there are: rows come in one query,
reactions and goal titles in one grouped query each.

Changes made on a page (a reaction, a reply) answer htmx with the changed part only; without
JavaScript, the form posts and the view redirects back.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from access.rules import can, get_visible_or_404, shown, visible, who_can, who_sees
from access.viewer import viewer_of
from cadence import widgets as in_python
from cadence.context_processors import waiting_counts
from cadence.csv_safe import cell
from cadence.ids import MAX_ID, id_in
from cadence.keyset import BadCursor, after_cursor, cursor_of, sort_keys
from cadence.refusals import Refused, form_saved, show_refusal
from cadence.shortcuts import require
from feedback import services
from feedback.forms import (
    FeedbackForm,
    FeedbackSettingsForm,
    ReplyForm,
)
from feedback.hints import hints as hints_for
from feedback.models import (
    AskStatus,
    Feedback,
    FeedbackAsk,
    FeedbackSettings,
    Kind,
    Reaction,
    Reply,
    Visibility,
)
from feedback.queries import asks_inside_q, feedback_inside_q
from feedback.rules import edits_feedback_settings, feedback_recipients
from goals.models import Objective
from people.models import current_q

PAGE_SIZE = 25
WALL_PAGE_SIZE = 20
HINT_TEXT_MAX = 10_000
TEMPLATES = "feedback/feedback"
GIVE = f"{TEMPLATES}/give.html"
DETAIL = f"{TEMPLATES}/detail.html"
REACTIONS = "feedback/_reactions.html"
EMOJI = {"thanks": "🙏", "clap": "👏", "idea": "💡", "heart": "❤️"}


def is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def visible_feedback(request, feedback_id: int, action: str = "view"):
    """The feedback, for those the rules let see it; a 404 for everyone else, a 403 for those
    who see it but may not `action` it."""
    viewer = viewer_of(request)
    feedback = get_visible_or_404(
        viewer,
        Feedback,
        feedback_id,
        action,
        queryset=Feedback.objects.select_related(
            "giver",
            "receiver__manager",
            "receiver__team",
            "shared_with",
            "goal__owner_person",
            "goal__owner_team__lead",
            "request",
        ),
    )
    return viewer, feedback


# Where a page shows the errors of `feedback.services` (named as in the API).
FORM_FIELDS = {"receiver_id": "to", "goal_id": "goal"}


def written(form, write, *args, **kwargs):
    """A write of `feedback.services` for a page: its result, or None with the refusal shown
    on the form (as the API answers it with a 422)."""
    try:
        return write(*args, **kwargs)
    except Refused as problem:
        show_refusal(form, problem, FORM_FIELDS)
        return None


def feedback_content(form) -> dict:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "text": data["text"],
        "visibility": data["visibility"],
        "goal_id": data.get("goal"),
    }


def back_to(request, fallback: str) -> str:
    """Where a plain form post returns to: `next` when it is a path on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- Reactions ---------------------------------------------------------------------------------


@dataclass
class ReactionCount:
    emoji: str
    label: str
    symbol: str
    count: int
    mine: bool


def attach_reactions(viewer, items: list[Feedback]) -> None:
    """Give each feedback `reaction_list`: every emoji with its count and whether the viewer
    reacted with it. One query for any number of items."""
    me = viewer.person
    counts: dict[int, dict[str, tuple[int, bool]]] = defaultdict(dict)
    ids = [item.pk for item in items]
    if ids:
        rows = (
            Reaction.objects.filter(feedback_id__in=ids)
            .values("feedback_id", "emoji")
            .annotate(n=Count("pk"), mine=Count("pk", filter=Q(person=me)))
            .order_by()
        )
        for row in rows:
            counts[row["feedback_id"]][row["emoji"]] = (row["n"], row["mine"] > 0)
    for item in items:
        # Read by the templates; not fields of the model.
        item.reaction_list = [  # type: ignore[attr-defined]
            ReactionCount(
                emoji, str(label), EMOJI.get(emoji, ""), *counts[item.pk].get(emoji, (0, False))
            )
            for emoji, label in Reaction.Emoji.choices
        ]
        item.may_react = can(viewer, "react", item)  # type: ignore[attr-defined]


# --- Giving ----------------------------------------------------------------------------------


def initial_receiver(request, viewer):
    """Whom ?to= (a person id) or ?goal= (one of their goals) points at, if the viewer may
    give them feedback; and the goal, if it is theirs and the viewer may see it."""
    receiver = goal = None
    person_id = id_in(request.GET, "to")
    if person_id is not None:
        receiver = feedback_recipients(viewer).filter(pk=person_id).first()
    goal_id = id_in(request.GET, "goal")
    if goal_id is not None:
        goal = (
            visible(viewer, Objective)
            .filter(pk=goal_id, owner_person__isnull=False)
            .only("pk", "owner_person_id")
            .first()
        )
        if goal is not None and receiver is None:
            receiver = feedback_recipients(viewer).filter(pk=goal.owner_person_id).first()
        if goal is not None and (receiver is None or goal.owner_person_id != receiver.pk):
            goal = None
    return receiver, goal


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def give(request):
    """Give feedback to anyone, in under a minute. The person is chosen with the people picker
    (people.picker); with htmx, the same URL offers the chosen person's goals (#goal-field)."""
    viewer = viewer_of(request)
    target = request.headers.get("HX-Target") if is_htmx(request) else None
    if request.method != "POST" and target == "goal-field":
        receiver, _goal = initial_receiver(request, viewer)
        form = FeedbackForm(viewer=viewer, receiver=receiver)
        return render(request, f"{GIVE}#goal_field", {"form": form})
    if request.method == "POST":
        form = FeedbackForm(request.POST, viewer=viewer)
        feedback = form.is_valid() and written(
            form,
            services.give_feedback,
            viewer,
            receiver_id=form.receiver.pk,
            competency=form.cleaned_data.get("competency") or "",
            **feedback_content(form),
        )
        if feedback:
            messages.success(
                request,
                _("Your feedback is on its way to %(name)s.") % {"name": feedback.receiver.name},
            )
            return redirect(feedback)
        status = 200 if form.searching else 400  # looking someone up is not an error
    else:
        receiver, goal = initial_receiver(request, viewer)
        initial = {}
        if goal is not None:
            initial["goal"] = goal.pk
        if request.GET.get("kind") in Kind.values:
            initial["kind"] = request.GET["kind"]
        form = FeedbackForm(viewer=viewer, receiver=receiver, initial=initial)
        status = 200
    context = {"form": form, "hints": hints_for(form["text"].value() or "")}
    return render(request, GIVE, context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hints(request):
    """The hints for a draft, as a partial (htmx asks while the giver types). Advice only."""
    data = request.POST if request.method == "POST" else request.GET
    text = data.get("text", "")[:HINT_TEXT_MAX]
    return render(request, f"{TEMPLATES}/_hints.html", {"hints": hints_for(text), "text": text})


# --- One feedback ---------------------------------------------------------------------------


def detail_context(request, viewer, feedback: Feedback, reply_form=None) -> dict:
    me = viewer.person
    attach_reactions(viewer, [feedback])
    goal = feedback.goal if feedback.goal and can(viewer, "view", feedback.goal) else None
    may_reply = can(viewer, "reply", feedback)
    return {
        "feedback": feedback,
        "who": who_sees(feedback, me),
        # Beside who sees it, how it was shared (with a manager of then, not of now).
        "sharing": who_can(feedback).splitlines()[1:],
        "goal": goal,
        "replies": list(feedback.replies.select_related("author")),
        "reply_form": (reply_form or ReplyForm()) if may_reply else None,
        "may": {
            "reply": may_reply,
            "edit": can(viewer, "change", feedback),
            "share": can(viewer, "share_with_manager", feedback),
        },
        "is_giver": feedback.giver_id == me.pk,
        "is_receiver": feedback.receiver_id == me.pk,
        "request_topic": (
            feedback.request.topic
            if me.pk in (feedback.giver_id, feedback.receiver_id) and feedback.request is not None
            else None
        ),
    }


@login_required
@require_safe
def detail(request, feedback_id):
    viewer, feedback = visible_feedback(request, feedback_id)
    services.mark_read(viewer, feedback)
    return render(request, DETAIL, detail_context(request, viewer, feedback))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, feedback_id):
    """The giver corrects their feedback until the receiver has read it; after that, 403 (the
    feedback's page says to add a reply instead)."""
    viewer, feedback = visible_feedback(request, feedback_id, "change")
    if request.method == "POST":
        form = FeedbackForm(request.POST, viewer=viewer, instance=feedback)
        ok = form.is_valid() and written(
            form, services.edit_feedback, viewer, feedback, **feedback_content(form)
        )
        if ok:
            messages.success(request, _("Your feedback is updated."))
            return redirect(feedback)
        status = 400
    else:
        form = FeedbackForm(viewer=viewer, instance=feedback)
        status = 200
    context = {"feedback": feedback, "form": form, "hints": hints_for(form["text"].value())}
    return render(request, f"{TEMPLATES}/edit.html", context, status=status)


@login_required
@require_POST
def reply(request, feedback_id):
    """Giver and receiver add to the feedback (it is never edited once read)."""
    viewer, feedback = visible_feedback(request, feedback_id, "reply")
    form = ReplyForm(request.POST)
    ok = form.is_valid() and bool(
        written(form, services.reply, viewer, feedback, text=form.cleaned_data["text"])
    )
    if is_htmx(request):
        context = detail_context(request, viewer, feedback, reply_form=None if ok else form)
        return render(request, f"{DETAIL}#replies", context, status=200 if ok else 400)
    if ok:
        return redirect(f"{feedback.get_absolute_url()}#replies")
    context = detail_context(request, viewer, feedback, reply_form=form)
    return render(request, DETAIL, context, status=400)


@login_required
@require_POST
def react(request, feedback_id):
    """Toggle one reaction of the viewer's (emoji=thanks|clap|idea|heart)."""
    viewer, feedback = visible_feedback(request, feedback_id, "react")
    try:
        services.react(viewer, feedback, emoji=request.POST.get("emoji", ""))
    except Refused as problem:
        return HttpResponseBadRequest(problem.errors[0][1])
    if is_htmx(request):
        attach_reactions(viewer, [feedback])
        return render(request, REACTIONS, {"item": feedback, "next": back_to(request, "")})
    return redirect(back_to(request, f"{feedback.get_absolute_url()}#reactions"))


@login_required
@require_POST
def share(request, feedback_id):
    """The receiver shares the feedback with their manager (shared=1) or takes it back
    (shared=0)."""
    viewer, feedback = visible_feedback(request, feedback_id, "share_with_manager")
    choice = request.POST.get("shared")
    if choice not in ("0", "1"):
        return HttpResponseBadRequest(_("Choose whether to share it."))
    services.share_with_manager(viewer, feedback, shared=choice == "1")
    if choice == "1":
        messages.success(
            request,
            _("Shared with %(name)s: they can read it and react, not reply.")
            % {"name": feedback.shared_with.name},
        )
    else:
        messages.success(request, _("No longer shared."))
    return redirect(feedback)


# --- The inbox ---------------------------------------------------------------------------------


PERIODS = [
    ("", gettext_lazy("Any time")),
    ("month", gettext_lazy("This month")),
    ("quarter", gettext_lazy("This quarter")),
    ("year", gettext_lazy("This year")),
]


class InboxFilterForm(forms.Form):
    # Widgets that write their HTML in Python, as their templates would (`cadence.widgets`).
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("All kinds")), *Kind.choices],
        required=False,
        widget=in_python.Select,
    )
    person = forms.CharField(
        label=gettext_lazy("Person"), max_length=100, required=False, widget=in_python.TextInput
    )
    period = forms.ChoiceField(
        label=gettext_lazy("When"), choices=PERIODS, required=False, widget=in_python.Select
    )
    goal = forms.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, widget=forms.HiddenInput
    )


def period_start(period: str) -> datetime | None:
    """The start of this month, quarter or year in the viewer's time zone."""
    today = timezone.localdate()
    if period == "month":
        start = today.replace(day=1)
    elif period == "quarter":
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    elif period == "year":
        start = date(today.year, 1, 1)
    else:
        return None
    return timezone.make_aware(datetime.combine(start, time.min))


def visible_goal_titles(viewer, items) -> dict[int | None, str]:
    """Titles of the goals the items are about, for the goals the viewer may see (one query)."""
    ids = {item.goal_id for item in items if item.goal_id}
    if not ids:
        return {}
    return dict(visible(viewer, Objective).filter(pk__in=ids).values_list("pk", "title"))


@login_required
@require_safe
def inbox(request):
    viewer = viewer_of(request)
    me = viewer.person
    # The navigation's counts first (the page shows them anyway): they tell whether the viewer
    # manages anyone, which would otherwise be a query of its own.
    waiting_counts(request)
    is_manager = viewer.is_manager
    # During a pilot: feedback between people inside it (`feedback.queries`).
    seen = visible(viewer, Feedback).filter(feedback_inside_q())
    # Shared with a person: someone who no longer manages anyone keeps what was shared with them.
    shows_shared = is_manager or seen.filter(shared_with=me).exists()
    tabs = ["received", "given"] + (["shared"] if shows_shared else [])
    tab = request.GET.get("tab", "received")
    if tab not in tabs:
        tab = "received"
    if tab == "received":
        items = seen.filter(receiver=me)
    elif tab == "given":
        items = seen.filter(giver=me)
    else:
        items = seen.filter(shared_with=me)
    form = InboxFilterForm(request.GET)
    form.is_valid()  # a bad filter is shown with its error and left out; the others apply
    filters = form.cleaned_data
    goal_title = None
    if filters.get("kind"):
        items = items.filter(kind=filters["kind"])
    person = (filters.get("person") or "").strip()
    if person:
        if tab == "received":
            items = items.filter(giver__name__icontains=person)
        elif tab == "given":
            items = items.filter(receiver__name__icontains=person)
        else:
            items = items.filter(
                Q(giver__name__icontains=person) | Q(receiver__name__icontains=person)
            )
    if filters.get("goal"):
        items = items.filter(goal_id=filters["goal"])
        goal_title = (
            visible(viewer, Objective)
            .filter(pk=filters["goal"])
            .values_list("title", flat=True)
            .first()
        )
    start = period_start(filters.get("period") or "")
    if start is not None:
        items = items.filter(created_at__gte=start)
    replies = (
        Reply.objects.filter(feedback=OuterRef("pk"))
        .order_by()
        .values("feedback")
        .annotate(n=Count("pk"))
        .values("n")
    )
    items = (
        items.select_related("giver", "receiver")
        .annotate(reply_count=Coalesce(Subquery(replies, output_field=IntegerField()), 0))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    shown(viewer, rows)
    titles = visible_goal_titles(viewer, rows)
    for row in rows:
        row.goal_title = titles.get(row.goal_id)
        row.unread = row.receiver_id == me.pk and row.read_at is None
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "tab": tab,
        "tabs": tabs,
        "form": form,
        "page": page,
        "rows": rows,
        "goal_filter": filters.get("goal"),
        "goal_title": goal_title,
        "querystring": querystring.urlencode(),
        "unread": seen.filter(receiver=me, read_at__isnull=True).count(),
        "pending_asks": FeedbackAsk.objects.filter(
            asks_inside_q(), requestee=me, status=AskStatus.PENDING
        ).count(),
        "is_manager": is_manager,
        "can_settings": edits_feedback_settings(viewer),
    }
    return render(request, f"{TEMPLATES}/inbox.html", context)


# --- The praise wall ---------------------------------------------------------------------------


@login_required
@require_safe
def wall(request):
    """Praise for everyone to see, or for the viewer's team; newest first. People who have
    left are not on it, nor, during a pilot, praise from or to someone outside it."""
    viewer = viewer_of(request)
    me = viewer.person
    tab = "team" if request.GET.get("tab") == "team" else "everyone"
    praise = (
        visible(viewer, Feedback)
        .filter(kind=Kind.PRAISE)
        .filter(current_q("receiver__"), feedback_inside_q())  # during a pilot, inside it
    )
    if tab == "team":
        if me.team_id:
            praise = praise.filter(
                visibility__in=[Visibility.TEAM, Visibility.ORGANISATION],
                receiver__team_id=me.team_id,
            )
        else:
            praise = praise.none()
    else:
        praise = praise.filter(visibility=Visibility.ORGANISATION)
    praise = praise.select_related("giver", "receiver").order_by("-created_at", "-pk")
    # Older praise after a cursor (the last card shown), not a page number: OFFSET and the
    # COUNT for "page n of m" read every card before, and grew with the organisation.
    keys = sort_keys(praise)
    before = request.GET.get("before", "")
    if before:
        try:
            praise = praise.filter(after_cursor(Feedback, keys, before, f"wall:{tab}"))
        except BadCursor:
            before = ""  # as a page number that is not one: the newest
    rows = list(praise[: WALL_PAGE_SIZE + 1])
    older = (
        cursor_of(rows[WALL_PAGE_SIZE - 1], keys, f"wall:{tab}") if rows[WALL_PAGE_SIZE:] else ""
    )
    rows = rows[:WALL_PAGE_SIZE]
    shown(viewer, rows)  # praise for the team (praise for everyone is public)
    attach_reactions(viewer, rows)
    tab_query = {"tab": "team"} if tab == "team" else {}
    context = {
        "tab": tab,
        "rows": rows,
        "older": urlencode({**tab_query, "before": older}) if older else "",
        "newest": urlencode(tab_query) if before else None,
        "has_team": me.team_id is not None,
        "next": request.get_full_path(),
    }
    return render(request, f"{TEMPLATES}/wall.html", context)


# --- Export --------------------------------------------------------------------------------------

COLUMNS = [
    "id",
    "date",
    "direction",
    "from",
    "to",
    "kind",
    "visibility",
    "shared_with_manager",
    "goal",
    "text",
    "read",
    "replies",
]


def stamp(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def export_rows(viewer) -> list[dict]:
    """The viewer's own feedback, received and given, with the replies to it."""
    me = viewer.person
    items = list(
        visible(viewer, Feedback)
        .filter(Q(giver=me) | Q(receiver=me))
        .select_related("giver", "receiver", "goal")
        .prefetch_related(
            Prefetch("replies", queryset=Reply.objects.select_related("author").order_by())
        )
        .order_by("-created_at", "-pk")
    )
    goal_titles = visible_goal_titles(viewer, items)
    rows = []
    for item in items:
        replies = sorted(item.replies.all(), key=lambda r: (r.created_at, r.pk))
        rows.append(
            {
                "id": item.pk,
                "date": stamp(item.created_at),
                "direction": "received" if item.receiver_id == me.pk else "given",
                "from": item.giver.name,
                "to": item.receiver.name,
                "kind": item.kind,
                "visibility": item.visibility,
                "shared_with_manager": stamp(item.shared_with_id and item.shared_with_manager_at),
                "goal": goal_titles.get(item.goal_id, ""),
                "text": item.text,
                "read": stamp(item.read_at),
                "replies": [
                    {"date": stamp(r.created_at), "author": r.author.name, "text": r.text}
                    for r in replies
                ],
            }
        )
    return rows


@login_required
@require_safe
def export(request):
    """Download one's own feedback as CSV (default) or JSON."""
    viewer = viewer_of(request)
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "json"):
        return HttpResponseBadRequest(_("Choose the format csv or json."))
    rows = export_rows(viewer)
    filename = f"cadence-feedback-{timezone.localdate().isoformat()}.{kind}"
    disposition = f'attachment; filename="{filename}"'
    if kind == "json":
        payload = {
            "person": viewer.person.email,
            "exported_at": stamp(timezone.now()),
            "feedback": rows,
        }
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # so that spreadsheets read it as UTF-8
        writer = csv.writer(response)
        writer.writerow(COLUMNS)
        for row in rows:
            replies = "\n".join(f"{r['date']} {r['author']}: {r['text']}" for r in row["replies"])
            writer.writerow([cell(row[c]) for c in COLUMNS[:-1]] + [cell(replies)])
    response["Content-Disposition"] = disposition
    return response


# --- Settings ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_settings(request):
    """The organisation's feedback settings: organisation-wide HR who may manage people."""
    viewer = viewer_of(request)
    require(edits_feedback_settings(viewer))
    data = request.POST if request.method == "POST" else None
    form = FeedbackSettingsForm(data, instance=FeedbackSettings.load())
    status = 200
    if request.method == "POST":
        if form_saved(
            form,
            lambda data: services.save_feedback_settings(
                viewer, anonymity_threshold=data["anonymity_threshold"]
            ),
        ):
            messages.success(request, _("The feedback settings are saved."))
            return redirect("feedback:settings")
        status = 400
    context = {"form": form, "inbox_url": reverse("feedback:inbox")}
    return render(request, f"{TEMPLATES}/settings.html", context, status=status)
