"""The conversation lists: mine (coming up, past, my actions), starting a one-on-one, My team
for managers, and rhythm adherence for managers and HR.

Every page reads through `access.rules` and does a fixed number of queries, whatever the
number of people and conversations: rows are loaded in a handful of grouped queries and put
together in Python. Overdue is decided in the employee's own calendar (`Person.local_today`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Func, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from access.rules import get_visible_or_404, shown, visible
from access.viewer import viewer_of
from cadence.context_processors import waiting_counts
from cadence.ids import id_in
from cadence.refusals import Refused, form_saved
from cadence.waiting import kept_rows, kept_values
from conversations import health, services
from conversations.adherence import (
    Adherence,
    adherence_by,
    adherence_of_rows,
    adherence_rows,
    window_start,
)
from conversations.forms_lists import StartForm
from conversations.models import (
    GRACE_DAYS,
    PREPARE_DAYS,
    RHYTHM_KIND_VALUES,
    RHYTHM_KINDS,
    ActionItem,
    Conversation,
    Kind,
    Reminder,
    Status,
    interval_label,
)
from conversations.rules import (
    edits_default_rhythm,
    manages_templates,
    partners_of,
    sees_adherence,
    sees_rhythm_of,
)
from conversations.scheduling import KEPT_RULES, Rules, schedule
from feedback.queries import (
    OpenAsks,
    ReviewStatus,
    asks_between,
    open_asks_of,
    review_status_from,
    reviewed_participants,
)
from goals.models import STALE_WEEKS
from goals.queries import Attention, attention_by_owner_of, owners_attention_goals
from growth import queries as growth_queries
from organisation import current, scope
from people.models import Person, Team, current_q, ids_in

COMING_UP_LIMIT = 50
# Coming up within this many days (or overdue) is shown; later ones are folded away.
SOON_DAYS = 31
PAST_PAGE_SIZE = 15
ACTIONS_LIMIT = 20
MANAGERS_PAGE_SIZE = 25
PEOPLE_LIMIT = 200

KIND_VALUES = RHYTHM_KIND_VALUES


# --- Mine ---------------------------------------------------------------------------------------


@dataclass
class ComingUp:
    conversation: Conversation
    other: Person
    mine: bool  # the viewer is the employee: theirs to prepare
    overdue_days: int
    due_in: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def coming_up(conversation: Conversation, me: Person, now) -> ComingUp:
    mine = conversation.employee_id == me.pk
    today = conversation.employee.local_today(now)
    days = (conversation.due_date - today).days
    return ComingUp(
        conversation=conversation,
        other=conversation.partner_of(me.pk),
        mine=mine,
        overdue_days=max(0, -days),
        due_in=days,
    )


class KeptPages:
    """A queryset for a `Paginator` whose count and pages are read with SQL kept per viewer
    state and day (`kept_values`, `kept_rows`), as `build()` makes it through the rules: the
    count under `key`, each page under `key` and its bounds."""

    ordered = True  # `build()` orders its rows

    def __init__(self, viewer, today: date, key: str, build) -> None:
        self.viewer, self.today, self.key, self.build = viewer, today, key, build

    def count(self) -> int:
        def counted():
            return self.build().order_by().values(n=Func(F("pk"), function="COUNT"))

        found = kept_values(self.viewer, self.today, (self.key, "count"), counted)
        return int(found[0]["n"] or 0) if found else 0

    def __getitem__(self, bounds: slice) -> list:
        start, stop = bounds.start, bounds.stop
        return kept_rows(
            self.viewer, self.today, (self.key, start, stop), lambda: self.build()[start:stop]
        )


@login_required
@require_safe
def index(request):
    viewer = viewer_of(request)
    me = viewer.person
    now = timezone.now()
    today = me.local_today(now)
    # The navigation's counts, read now rather than while rendering (once per request): they
    # tell whether the viewer manages anyone, which the kept SQL's key holds (`kept_rows`).
    waiting_counts(request)
    # During a pilot, the conversations (and action items) of pairs inside it
    # (`organisation.scope`). Every query's SQL kept per viewer state and day (`kept_rows`):
    # building them through the rules cost more than running them.
    pair = scope.everyone_in_scope_q("employee__", "manager__")
    upcoming = kept_rows(
        viewer,
        today,
        ("conversations:upcoming", COMING_UP_LIMIT),
        lambda: (
            visible(viewer, Conversation.objects.open().in_scope())
            .select_related("employee", "manager")
            .order_by("due_date", "pk")[: COMING_UP_LIMIT + 1]
        ),
    )
    rows = [coming_up(c, me, now) for c in upcoming[:COMING_UP_LIMIT]]
    rows.sort(key=lambda row: (not row.overdue, row.conversation.due_date, row.conversation.pk))
    soon = [row for row in rows if row.due_in <= SOON_DAYS]
    later = [row for row in rows if row.due_in > SOON_DAYS]

    def past():
        return (
            visible(viewer, Conversation.objects.filter(status__in=[Status.HELD, Status.SKIPPED]))
            .in_scope()
            .select_related("employee", "manager")
            .annotate(on=Coalesce("held_on", "due_date"))
            .order_by("-on", "-pk")
        )

    pages = Paginator(KeptPages(viewer, today, "conversations:past", past), PAST_PAGE_SIZE)
    page = pages.get_page(request.GET.get("page"))
    for conversation in page.object_list:
        conversation.other = conversation.partner_of(me.pk)

    actions = kept_rows(
        viewer,
        today,
        ("conversations:actions", ACTIONS_LIMIT),
        lambda: (
            ActionItem.objects.open()
            .filter(owner=me)
            .filter(Q(employee=me) | Q(manager=me))
            .filter(pair)
            .select_related("conversation", "employee", "manager")
            .order_by(F("due_date").asc(nulls_last=True), "created_at", "pk")[: ACTIONS_LIMIT + 1]
        ),
    )
    for action in actions:
        action.other = action.manager if action.employee_id == me.pk else action.employee
        action.overdue = action.due_date is not None and action.due_date < today
    shown(viewer, [*upcoming[:COMING_UP_LIMIT], *page.object_list, *actions[:ACTIONS_LIMIT]])

    rhythm = None
    if me.manager_id:
        rules = KEPT_RULES.get()
        team_path = me.team.path if me.team_id else "/"
        rhythm = [
            {"kind": kind, "months": rules.interval(me, kind, team_path)} for kind in RHYTHM_KINDS
        ]
        for item in rhythm:
            item["label"] = interval_label(item["months"])

    context = {
        "rows": rows,
        "soon": soon,
        "later": later,
        "soon_days": SOON_DAYS,
        "more_coming": len(upcoming) > COMING_UP_LIMIT,
        "limit": COMING_UP_LIMIT,
        "page": page,
        "querystring": "",
        "actions": actions[:ACTIONS_LIMIT],
        "more_actions": len(actions) > ACTIONS_LIMIT,
        "rhythm": rhythm,
        "is_manager": viewer.is_manager,
        "can_adherence": sees_adherence(viewer),
        "can_templates": manages_templates(viewer),
        "can_rhythms": viewer.is_manager or edits_default_rhythm(viewer) or viewer.is_hr,
    }
    return render(request, "conversations/lists/index.html", context)


# --- Starting a one-on-one ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request):
    viewer = viewer_of(request)
    me = viewer.person
    partners = list(partners_of(viewer).only("pk", "name", "manager_id"))
    today = timezone.localdate()  # the viewer's own time zone is active for the request
    if request.method == "POST":
        form = StartForm(request.POST, partners=partners, me=me, today=today)

        def start(data):
            return services.start_one_on_one(
                viewer,
                partner_id=data["partner"],
                day=data["day"],
                starts_at=form.starts_at(),
                title=data["topic"],
            )

        fields = {"partner_id": "partner", "due_date": "day", "starts_at": "day", "title": "topic"}
        if form_saved(form, start, fields):
            conversation = form.saved
            other = conversation.partner_of(me.pk)
            messages.success(
                request,
                _("Your one-on-one with %(name)s is planned. Add what you want to talk about.")
                % {"name": other.name},
            )
            return redirect(conversation)
        status = 400
    else:
        wanted = id_in(request.GET, "with")
        initial = {"partner": wanted} if wanted in {p.pk for p in partners} else {}
        if not initial and len(partners) == 1:
            initial = {"partner": partners[0].pk}
        form = StartForm(initial=initial, partners=partners, me=me, today=today)
        status = 200
    context = {"form": form, "partners": partners}
    return render(request, "conversations/lists/create.html", context, status=status)


# --- My team ------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One report's rhythm of one kind: the last one held and the next one open."""

    kind: str
    months: int
    last_held: date | None = None
    next: Conversation | None = None
    overdue_days: int = 0
    due_in: int | None = None
    unprepared: bool = False
    schedule_url: str = ""

    @property
    def off(self) -> bool:
        return self.months == 0 and self.next is None

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass
class Nudge:
    """A reminder My team suggests sending ("Remind Alice to prepare"), or that was sent today."""

    kind: str  # a key of services.NUDGE_KINDS
    label: str
    url: str
    sent_today: bool = False

    @property
    def sent_label(self) -> str:
        return str(SENT_LABELS[self.kind])


SENT_LABELS = {
    "prepare": gettext_lazy("Reminded to prepare today"),
    "goals": gettext_lazy("Reminded to update goals today"),
    "nominate": gettext_lazy("Reminded to propose reviewers today"),
}


@dataclass
class ReportRow:
    person: Person
    cells: list = field(default_factory=list)
    next_one_on_one: Conversation | None = None
    open_actions: int = 0
    adherence: Adherence = field(default_factory=Adherence)
    # Beside the conversations: goals, feedback requests between the two, the 360 review.
    attention: Attention = field(default_factory=Attention)
    asks: OpenAsks = field(default_factory=OpenAsks)
    review: ReviewStatus | None = None
    nudges: list = field(default_factory=list)

    @property
    def most_overdue(self) -> int:
        return max((cell.overdue_days for cell in self.cells), default=0)

    @property
    def overdue_count(self) -> int:
        return sum(1 for cell in self.cells if cell.overdue)

    @property
    def unprepared_count(self) -> int:
        return sum(1 for cell in self.cells if cell.unprepared)

    @property
    def actions_url(self) -> str:
        """Where the open actions are worked on: the next check-in (they carry over), else
        the next open conversation of the pair."""
        for cell in self.cells:
            if cell.next is not None:
                return cell.next.get_absolute_url()
        if self.next_one_on_one is not None:
            return self.next_one_on_one.get_absolute_url()
        return ""


def team_rows(viewer, reports: list[Person], now) -> list[ReportRow]:
    """A row per report, from five grouped queries whatever the team's size and history, read
    through the rules with SQL kept per viewer state, day and team (`kept_rows`: building
    these queries cost more than running them)."""
    me = viewer.person
    ids = [person.pk for person in reports]
    my_today = me.local_today(now)
    team = tuple(ids)  # what the SQL says besides the viewer: who the reports are

    def pairs():
        return Conversation.objects.filter(manager=me, employee_id__in=ids)

    open_by_pair = {}
    one_on_ones: dict[int, Conversation] = {}
    for conversation in kept_rows(
        viewer,
        my_today,
        ("my_team:open", team),
        lambda: visible(viewer, pairs().open()).order_by("due_date", "pk"),
    ):
        if conversation.kind == Kind.ONE_ON_ONE:
            one_on_ones.setdefault(conversation.employee_id, conversation)
        else:
            open_by_pair[(conversation.employee_id, conversation.kind)] = conversation
    last_held = {
        (row["employee_id"], row["kind"]): row["last"]
        for row in kept_values(
            viewer,
            my_today,
            ("my_team:last_held", team),
            lambda: (
                visible(viewer, pairs().rhythm().filter(status=Status.HELD), "rhythm")
                .order_by()
                .values("employee_id", "kind")
                .annotate(last=Max("held_on"))
            ),
        )
    }
    actions = {
        row["employee_id"]: row["n"]
        for row in kept_values(
            viewer,
            my_today,
            ("my_team:actions", team),
            lambda: (
                ActionItem.objects.open()
                .filter(manager=me, employee_id__in=ids)
                .order_by()
                .values("employee_id")
                .annotate(n=Count("pk"))
            ),
        )
    }
    kept = adherence_of_rows(
        kept_values(
            viewer,
            my_today,
            ("my_team:adherence", team),
            lambda: adherence_rows(visible(viewer, pairs(), "rhythm"), "employee_id", my_today),
        ),
        "employee_id",
    )
    rules = KEPT_RULES.get()
    rows = []
    for person in reports:
        today = person.local_today(now)
        row = ReportRow(
            person=person,
            next_one_on_one=one_on_ones.get(person.pk),
            open_actions=actions.get(person.pk, 0),
            adherence=kept.get(person.pk, Adherence()),
        )
        team_path = person.team.path if person.team is not None else "/"
        for kind in KIND_VALUES:
            cell = Cell(kind=kind, months=rules.interval(person, kind, team_path))
            cell.last_held = last_held.get((person.pk, kind))
            cell.next = open_by_pair.get((person.pk, kind))
            if cell.next is not None:
                cell.due_in = (cell.next.due_date - today).days
                cell.overdue_days = max(0, -cell.due_in)
                cell.unprepared = cell.due_in <= PREPARE_DAYS and cell.next.prepared_at is None
            elif cell.months:
                cell.schedule_url = reverse("conversations:open_next", args=[person.pk, kind])
            row.cells.append(cell)
        rows.append(row)
    add_beside(viewer, rows, now, my_today)
    # What the rows show of each report's conversations and 360 review (the rest are counts).
    shown(viewer, [cell.next for row in rows for cell in row.cells if cell.next is not None])
    shown(viewer, [row.next_one_on_one for row in rows if row.next_one_on_one is not None])
    shown(viewer, [row.review.participant for row in rows if row.review is not None])
    rows.sort(key=lambda row: (-row.most_overdue, row.person.name.casefold(), row.person.pk))
    return rows


def add_beside(viewer, rows: list[ReportRow], now, today: date) -> None:
    """What My team shows beside the conversations, read through the goals and feedback rules
    (what the manager may see of them), and the reminders it suggests; three more queries
    whatever the team's size (goals, feedback asks, 360 participants; the goal settings are
    kept, `cadence.kept`), their SQL kept as the rows' is (`kept_rows`)."""
    ids = [row.person.pk for row in rows]
    team = tuple(ids)
    stale_weeks = STALE_WEEKS.get()
    attention = attention_by_owner_of(
        kept_rows(
            viewer,
            today,
            ("my_team:attention", team, stale_weeks),
            lambda: owners_attention_goals(viewer, ids, stale_weeks),
        ),
        stale_weeks,
    )
    asks = open_asks_of(
        viewer.person.pk,
        kept_rows(viewer, today, ("my_team:asks", team), lambda: asks_between(viewer, ids)),
    )
    reviews = review_status_from(
        kept_rows(
            viewer, today, ("my_team:reviews", team), lambda: reviewed_participants(viewer, ids)
        )
    )
    wanted: list[tuple[ReportRow, str, str]] = []
    for row in rows:
        person, name = row.person, row.person.get_short_name()
        row.attention = attention.get(person.pk, Attention())
        row.asks = asks.get(person.pk, OpenAsks())
        row.review = reviews.get(person.pk)
        if row.unprepared_count:
            wanted.append((row, "prepare", _("Remind %(name)s to prepare") % {"name": name}))
        if row.attention.count:
            wanted.append((row, "goals", _("Remind %(name)s to update goals") % {"name": name}))
        if row.review is not None and row.review.not_nominated:
            wanted.append(
                (row, "nominate", _("Remind %(name)s to propose reviewers") % {"name": name})
            )
    keys = {
        services.nudge_key(kind, row.person, now): (row, kind, label) for row, kind, label in wanted
    }
    for key, (row, kind, label) in keys.items():
        url = reverse("conversations:nudge", args=[row.person.pk, kind])
        # The latest reminder of the kind came with the person (`last_nudges`): today's?
        sent = getattr(row.person, f"last_nudge_{kind}", None) == key
        row.nudges.append(Nudge(kind=kind, label=label, url=url, sent_today=sent))


def last_nudges() -> dict:
    """Annotations for the reports' query: the key of each one's latest reminder of each kind
    from My team (the key holds its day), so that "sent today" costs no query of its own."""
    return {
        f"last_nudge_{kind}": Subquery(
            Reminder.objects.filter(recipient=OuterRef("pk"), kind=value)
            .order_by("-created_at", "-pk")
            .values("key")[:1]
        )
        for kind, value in services.NUDGE_KINDS.items()
    }


@login_required
@require_safe
def my_team(request):
    """Every direct report's rhythm at a glance, most overdue first: one click to open the next
    conversation or to schedule it."""
    viewer = viewer_of(request)
    me = viewer.person
    org = current.settings()
    now = timezone.now()
    # The navigation's counts, read now rather than while rendering (once per request): they
    # tell whether the viewer manages anyone, which the kept SQL's key holds (`kept_rows`).
    waiting_counts(request)
    growth_on = org.is_on("growth")

    def people():
        found = (
            Person.objects.current()
            .filter(scope.in_scope_q(), manager=me)  # nobody outside the pilot scope
            .select_related("team")
            .only(
                "pk",
                "name",
                "email",
                "job_title",
                "time_zone",
                "manager_id",
                "leave_date",
                "team__path",
                "team__name",
            )
            .annotate(**last_nudges())
        )
        if growth_on:  # each one's open assessment, for its link (in the same query)
            found = growth_queries.with_open_assessment(viewer, found)
        return found

    reports = kept_rows(viewer, me.local_today(now), ("my_team:reports", growth_on), people)
    if not reports:
        raise PermissionDenied
    viewer.tell_is_manager(True)  # as it reads it: people working here today report to them
    rows = team_rows(viewer, reports, now)
    team = sum((row.adherence for row in rows), Adherence())
    context = {
        "rows": rows,
        "kinds": [Kind(kind) for kind in KIND_VALUES],
        "team_adherence": team,
        "overdue": sum(row.overdue_count for row in rows),
        "unprepared": sum(row.unprepared_count for row in rows),
        "open_actions": sum(row.open_actions for row in rows),
        "goals_attention": sum(row.attention.count for row in rows),
        "to_release": sum(1 for row in rows if row.review and row.review.to_release),
        "grace": grace_days(),
        "prepare_days": PREPARE_DAYS,
        "can_adherence": sees_adherence(viewer),
        "modules_on": {key: org.is_on(key) for key in ("goals", "feedback", "reviews")},
    }
    return render(request, "conversations/lists/my_team.html", context)


@login_required
@require_POST
def nudge(request, person_id, kind):
    """A reminder e-mail to a report, from My team ("Remind Alice to prepare"): their manager
    only, once a day per kind (`conversations.services.nudge`); back to My team with a word."""
    if kind not in services.NUDGE_KINDS:
        raise Http404
    viewer = viewer_of(request)
    person = get_visible_or_404(
        viewer, Person, person_id, queryset=Person.objects.current().select_related("team")
    )
    try:
        sent = services.nudge(viewer, person, kind)
    except Refused as refusal:
        messages.info(request, " ".join(message for _field, message in refusal.errors))
        return redirect("my_team")
    name = person.get_short_name()
    if sent:
        messages.success(
            request,
            _("%(name)s will get your reminder by e-mail in a moment.") % {"name": name},
        )
    else:
        messages.info(
            request,
            _("You already reminded %(name)s of this today: once a day is enough.")
            % {"name": name},
        )
    return redirect("my_team")


def grace_days() -> list[dict]:
    return [{"kind": Kind(kind), "days": GRACE_DAYS[kind]} for kind in KIND_VALUES]


@login_required
@require_safe
def open_next(request, person_id, kind):
    """Open the pair's next conversation of a rhythm kind, scheduling it first when there is
    none yet (a new report before `run_jobs` has run). For the manager and the employee."""
    if kind not in KIND_VALUES:
        raise Http404
    viewer = viewer_of(request)
    me = viewer.person
    employee = get_visible_or_404(
        viewer, Person, person_id, queryset=Person.objects.current().select_related("team")
    )
    if employee.manager_id is None or me.pk not in (employee.pk, employee.manager_id):
        raise Http404
    back = "my_team" if employee.manager_id == me.pk else "conversations:index"
    label = Kind(kind).label
    if Rules.load().interval(employee, kind) == 0:
        messages.info(
            request,
            _("%(kind)s conversations are turned off for %(name)s. Change that in their rhythm.")
            % {"kind": label, "name": employee.name},
        )
        return redirect(back)
    schedule([employee.pk])
    conversation = (
        Conversation.objects.open()
        .filter(employee=employee, manager_id=employee.manager_id, kind=kind)
        .first()
    )
    if conversation is None:
        messages.warning(
            request,
            _("No %(kind)s could be planned for %(name)s: their account is not active.")
            % {"kind": label, "name": employee.name},
        )
        return redirect(back)
    return redirect(conversation)


# --- Adherence ----------------------------------------------------------------------------------


@login_required
@require_safe
def adherence(request):
    """Rhythm health over the last 12 months (and this month so far), by team, by manager and by
    person. Dates and counts only: never what was said."""
    viewer = viewer_of(request)
    if not sees_adherence(viewer):
        raise PermissionDenied
    me = viewer.person
    today = me.local_today()
    # The conversations of everyone below the viewer or in their HR scope; not their own; of
    # pairs inside the pilot scope.
    base = visible(viewer, Conversation.objects.rhythm().in_scope(), "adherence")

    # Teams: the chosen team's sub-teams (or the top-level teams), each with its whole subtree.
    team = None
    team_id = id_in(request.GET, "team")
    if team_id:
        team = visible(viewer, Team).filter(pk=team_id).first()
    else:
        # One company at the top (the usual case): start with its departments.
        roots = list(Team.objects.filter(parent__isnull=True)[:2])
        team = roots[0] if len(roots) == 1 else None
    whole = not team_id  # the overall figure covers everyone in view, with a team or not
    # The overall figure, the teams and the managers: worked out from the monthly tallies
    # once per viewer, team and day, kept for a few minutes (the page says when it counted).
    figures = health.summary(viewer, today, team, whole)
    if team is not None:
        trail = {t.pk: t for t in Team.objects.filter(pk__in=ids_in(team.path)).only("name")}
        ancestors = [trail[pk] for pk in ids_in(team.path)[:-1] if pk in trail]
    else:
        ancestors = []
    managers_page = Paginator(figures.managers, MANAGERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    managers_page.object_list = [
        {"id": pk, "name": name, "adherence": Adherence(on_time, counted)}
        for pk, name, on_time, counted in managers_page.object_list
    ]

    # People: one manager's reports, the viewer's own by default.
    chosen = None
    manager_id = id_in(request.GET, "manager")
    if manager_id and manager_id != me.pk:
        candidate = (
            visible(viewer, Person.objects.select_related("team")).filter(pk=manager_id).first()
        )
        if candidate is not None and sees_rhythm_of(viewer, candidate):
            chosen = candidate
    if chosen is None and viewer.is_manager:
        chosen = me
    people_rows = []
    if chosen is not None:
        by_person = adherence_by(base.filter(manager=chosen), "employee_id", today)
        people = (
            Person.objects.filter(Q(pk__in=list(by_person)) | (Q(manager=chosen) & current_q()))
            .filter(scope.in_scope_q())
            .select_related("team")
            .only("pk", "name", "email", "job_title", "team__name")
            .order_by("name", "pk")[:PEOPLE_LIMIT]
        )
        people_rows = [{"person": p, "adherence": by_person.get(p.pk, Adherence())} for p in people]
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "counted_at": figures.counted_at,
        "since": window_start(today),
        "overall": figures.overall,
        "team": team,
        "ancestors": ancestors,
        "team_rows": figures.team_rows,
        "managers_page": managers_page,
        "page": managers_page,
        "querystring": querystring.urlencode(),
        "chosen": chosen,
        "chosen_is_me": chosen is not None and chosen.pk == me.pk,
        "people_rows": people_rows,
        "people_capped": len(people_rows) >= PEOPLE_LIMIT,
        "grace": grace_days(),
    }
    return render(request, "conversations/lists/adherence.html", context)
