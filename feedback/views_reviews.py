"""360-degree reviews: the reviews page for everyone, HR's cycle set-up and progress,
nominating and approving peers, and the answering page.

Who may do what comes from the feedback rules (`feedback/rules.py`, through `access.rules`);
every write is one of `feedback.services_cycles` (which checks the permission again, locks the
cycle and applies the cycle's own rules, `feedback.cycles`) or `feedback.services`; answers are
stored by `feedback.reviewing.submit_answers`, sealed until the cycle closes, which keeps no
link from an answer to its reviewer. HR's
progress page shows counts per rater group, never answers and never which peer or direct
report has answered (and no report shows anything before the close, so the counts going up
tell nothing about what anyone said).

Every page does a fixed number of queries: rows are loaded in grouped queries and put together
in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe
from django_stubs_ext import StrOrPromise

from access.rules import can, get_visible_or_404, shown, visible
from access.viewer import viewer_of
from cadence.ids import id_in
from cadence.refusals import Conflict, Refused, form_saved, show_refusal
from feedback import cycles, services, services_cycles
from feedback.competencies import bank_competency, with_competency_names
from feedback.forms_reviews import (
    QUESTION_FIELDS,
    AddByEmailForm,
    AddByTeamForm,
    AnswerForm,
    CycleForm,
    PeerEmailForm,
    QuestionForm,
    SearchForm,
    peers_help,
)
from feedback.models import (
    ANONYMOUS_GROUPS,
    CycleStatus,
    FeedbackSettings,
    Nomination,
    RaterGroup,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
    ReviewQuestion,
)
from feedback.queries import invitations_inside_q, participants_inside_q
from feedback.question_bank import BANK, FREQUENCY
from feedback.rules import cycle_scopes, manages_review_cycles, teams_in_cycle
from growth.queries import competency_choices
from organisation import scope
from people.models import Person

LIST_LIMIT = 100
PARTICIPANTS_PAGE_SIZE = 50
SEARCH_LIMIT = 10
GROUPS = [RaterGroup.SELF, RaterGroup.MANAGER, RaterGroup.PEER, RaterGroup.REPORT]


# --- The reviews page ---------------------------------------------------------------------------


@login_required
@require_safe
def reviews(request):
    viewer = viewer_of(request)
    me = viewer.person
    # During a pilot: the reviews of and by people inside it (`feedback.queries`).
    to_give = list(
        visible(viewer, ReviewInvitation)
        .filter(invitations_inside_q(), participant__cycle__status=CycleStatus.REVIEWING)
        .select_related("participant__person", "participant__cycle")
        .order_by("answered", "declined", "participant__cycle__answers_due", "pk")[:LIST_LIMIT]
    )
    mine = list(
        ReviewParticipant.objects.filter(scope.in_scope_q("person__"), person=me)
        .exclude(cycle__status=CycleStatus.DRAFT)
        .select_related("cycle")
        .order_by("-cycle__period_end", "-pk")[:LIST_LIMIT]
    )
    for participant in mine:
        participant.may_nominate = (
            participant.cycle.status == CycleStatus.NOMINATING
            and participant.nominations_approved_at is None
        )
    reports = list(
        ReviewParticipant.objects.filter(participants_inside_q(), manager=me)
        .exclude(person=me)
        .exclude(cycle__status=CycleStatus.DRAFT)
        .select_related("person", "cycle")
        .annotate(
            peer_count=Count(
                "nominations",
                filter=Q(
                    nominations__status__in=[Nomination.Status.PROPOSED, Nomination.Status.APPROVED]
                ),
            ),
        )
        .order_by("-cycle__period_end", "person__name", "pk")[:LIST_LIMIT]
    )
    shown(viewer, reports)  # their 360s, as their manager follows them
    for participant in reports:
        participant.may_approve = participant.cycle.status == CycleStatus.NOMINATING
        participant.may_see_report = participant.cycle.status in (
            CycleStatus.REVIEWING,
            CycleStatus.CLOSED,
        )
    cycle_list = None
    if manages_review_cycles(viewer):
        cycle_list = list(
            visible(viewer, ReviewCycle, "manage")
            .select_related("scope")
            .annotate(
                participant_count=Count(
                    "participants", filter=scope.in_scope_q("participants__person__")
                )
            )
            .order_by("-period_end", "-pk")[:LIST_LIMIT]
        )
    context = {
        "to_give": to_give,
        "open_count": sum(1 for i in to_give if not i.answered and not i.declined),
        "mine": mine,
        "reports": reports,
        "cycles": cycle_list,
        "limit": LIST_LIMIT,
    }
    return render(request, "feedback/reviews/index.html", context)


# --- Cycles (HR) --------------------------------------------------------------------------------


def _manageable_cycle(request, cycle_id, action: str = "manage") -> tuple:
    """The cycle, for HR whose scope covers it: 403 for anyone not HR, 404 for HR who may not
    know of it (their scope does not cover it), 403 for those who know of it but may not
    `action` it."""
    viewer = viewer_of(request)
    if not manages_review_cycles(viewer):
        raise PermissionDenied
    queryset = ReviewCycle.objects.select_related("scope")
    return viewer, get_visible_or_404(viewer, ReviewCycle, cycle_id, action, queryset=queryset)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_create(request):
    viewer = viewer_of(request)
    if not manages_review_cycles(viewer):
        raise PermissionDenied
    threshold = FeedbackSettings.load().anonymity_threshold
    scopes, whole_organisation = cycle_scopes(viewer)
    scopes = scopes.only("name", "path")
    initial = _new_cycle_dates()
    if viewer.hr_role.scope_id:
        initial["scope"] = viewer.hr_role.scope_id
    form = CycleForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        scopes=scopes,
        whole_organisation=whole_organisation,
    )
    if request.method == "POST" and form_saved(
        form,
        lambda data: services_cycles.create_cycle(
            viewer,
            form.cycle_data(),
            scope_id=data["scope"].pk if data.get("scope") else None,
            questions=services_cycles.bank_questions_data(BANK)
            if data.get("start_from_bank")
            else (),
        ),
        CYCLE_FIELDS,
    ):
        messages.success(request, _("The cycle is ready as a draft: now add the people to review."))
        return redirect("feedback:cycle_participants", form.saved.pk)
    context = {"form": form, "cycle": None, "threshold": threshold}
    status = 400 if form.is_bound else 200
    return render(request, "feedback/reviews/cycle_form.html", context, status=status)


# Where the cycle form shows the errors of `feedback.services_cycles`.
CYCLE_FIELDS = {"scope_id": "scope"}


def _said(refused: Refused) -> str:
    """A refusal of the write as a whole, for a message at the top of the page."""
    return " ".join(message for _field, message in refused.errors)


def _new_cycle_dates() -> dict:
    from datetime import timedelta

    today = timezone.localdate()
    return {
        "period_start": today - timedelta(days=182),
        "period_end": today,
        "nominations_due": today + timedelta(days=7),
        "answers_due": today + timedelta(days=21),
        "min_peers": 3,
        "max_peers": 8,
        "include_reports": True,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_edit(request, cycle_id):
    viewer, cycle = _manageable_cycle(request, cycle_id)
    form = CycleForm(request.POST if request.method == "POST" else None, instance=cycle)
    try:
        saved = request.method == "POST" and form_saved(
            form,
            lambda data: services_cycles.edit_cycle(viewer, cycle, form.cycle_data()),
            CYCLE_FIELDS,
        )
    except Conflict as conflict:  # the reviews opened meanwhile
        messages.error(request, str(conflict))
        return redirect(cycle)
    if saved:
        messages.success(request, _("Cycle saved."))
        return redirect(cycle)
    context = {"form": form, "cycle": cycle, "threshold": cycle.anonymity_threshold}
    status = 400 if form.is_bound else 200
    return render(request, "feedback/reviews/cycle_form.html", context, status=status)


@dataclass
class GroupCount:
    group: str
    label: StrOrPromise
    invited: int = 0
    answered: int = 0
    declined: int = 0


@dataclass
class ProgressRow:
    participant: ReviewParticipant
    groups: list
    invited: int = 0
    answered: int = 0
    proposed: int = 0
    approved: int = 0
    removed: int = 0
    may_approve: bool = False
    may_see_report: bool = False

    @property
    def percent(self) -> int | None:
        return round(100 * self.answered / self.invited) if self.invited else None


def _group_counts(rows) -> list[GroupCount]:
    """rows: dicts with group, invited, answered, declined (from a grouped query)."""
    by_group = {row["group"]: row for row in rows}
    result = []
    for group in GROUPS:
        row = by_group.get(group, {})
        result.append(
            GroupCount(
                group=group,
                label=RaterGroup(group).label,
                invited=row.get("invited", 0),
                answered=row.get("answered", 0),
                declined=row.get("declined", 0),
            )
        )
    return result


COUNTS = {
    "invited": Count("pk"),
    "answered": Count("pk", filter=Q(answered=True)),
    "declined": Count("pk", filter=Q(declined=True)),
}


def _participants(viewer, cycle):
    """The cycle's participants whose progress the viewer follows: within their HR scope and,
    during a pilot, inside it (`organisation.scope`): the lists leave out those outside."""
    participants = ReviewParticipant.objects.filter(scope.in_scope_q("person__"), cycle=cycle)
    return visible(viewer, participants, "view_progress")


@login_required
@require_safe
def cycle(request, cycle_id):
    viewer, cycle = _manageable_cycle(request, cycle_id, "view_progress")
    # The participants whose progress the viewer follows: those within their own HR scope
    # and, during a pilot, inside it, with the reviews by people inside it.
    followed = _participants(viewer, cycle)
    participants = followed.select_related("person__team", "manager").order_by("person__name", "pk")
    page = Paginator(participants, PARTICIPANTS_PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [p.pk for p in page.object_list]
    invitations = ReviewInvitation.objects.filter(
        invitations_inside_q(), participant__in=followed.values("pk")
    )
    overall_groups = _group_counts(invitations.values("group").annotate(**COUNTS).order_by("group"))
    per_participant = defaultdict(list)
    for row in (
        ReviewInvitation.objects.filter(invitations_inside_q(), participant_id__in=ids)
        .values("participant_id", "group")
        .annotate(**COUNTS)
        .order_by("participant_id", "group")
    ):
        per_participant[row["participant_id"]].append(row)
    nominations = defaultdict(dict)
    for row in (
        Nomination.objects.filter(participant_id__in=ids)
        .values("participant_id", "status")
        .annotate(n=Count("pk"))
        .order_by("participant_id", "status")
    ):
        nominations[row["participant_id"]][row["status"]] = row["n"]
    shown(viewer, page.object_list, "view_progress")
    reviewing = cycle.status in (CycleStatus.REVIEWING, CycleStatus.CLOSED)
    rows = []
    for participant in page.object_list:
        participant.cycle = cycle  # loaded once, for the checks below
        groups = _group_counts(per_participant[participant.pk])
        counts = nominations[participant.pk]
        rows.append(
            ProgressRow(
                participant=participant,
                groups=groups,
                invited=sum(g.invited for g in groups),
                answered=sum(g.answered for g in groups),
                proposed=counts.get(Nomination.Status.PROPOSED, 0),
                approved=counts.get(Nomination.Status.APPROVED, 0),
                removed=counts.get(Nomination.Status.REMOVED, 0),
                may_approve=cycle.status == CycleStatus.NOMINATING
                and can(viewer, "approve_nominations", participant),
                may_see_report=reviewing and can(viewer, "view_report", participant),
            )
        )
    invited = sum(g.invited for g in overall_groups)
    answered = sum(g.answered for g in overall_groups)
    next_status = cycles.next_status(cycle)
    context = {
        "cycle": cycle,
        "rows": rows,
        "page": page,
        "querystring": "",
        "overall_groups": overall_groups,
        "invited": invited,
        "answered": answered,
        "percent": round(100 * answered / invited) if invited else None,
        "next_status": next_status,
        "next_label": CycleStatus(next_status).label if next_status else None,
        "anonymous_groups": [str(g) for g in ANONYMOUS_GROUPS],
    }
    return render(request, "feedback/reviews/cycle.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_participants(request, cycle_id):
    viewer, cycle = _manageable_cycle(request, cycle_id)
    # Within the cycle's scope (which the viewer's covers): whom a cycle may take in.
    teams = teams_in_cycle(cycle)
    team_form = AddByTeamForm(teams=teams)
    email_form = AddByEmailForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "remove":
            participant = get_visible_or_404(
                viewer,
                ReviewParticipant,
                id_in(request.POST, "participant") or 0,
                "view_progress",
                queryset=ReviewParticipant.objects.filter(cycle=cycle).select_related(
                    "person__team", "cycle__scope"
                ),
            )
            try:
                services_cycles.remove_participant(viewer, participant)
            except Refused as refused:
                messages.error(request, _said(refused))
            else:
                messages.success(
                    request,
                    _("%(name)s is no longer in the cycle.") % {"name": participant.person.name},
                )
            return redirect("feedback:cycle_participants", cycle.pk)
        if action not in ("add_team", "add_emails"):
            return HttpResponseBadRequest(_("Choose how to add people."))
        if not cycles.can_add_participants(cycle):
            messages.error(request, _("Participants can only be added before the reviews open."))
            return redirect("feedback:cycle_participants", cycle.pk)
        chosen = None
        if action == "add_team":
            team_form = form = AddByTeamForm(request.POST, teams=teams)
            if team_form.is_valid():
                chosen = {"team_id": team_form.cleaned_data["team"].pk}
        else:
            email_form = form = AddByEmailForm(request.POST)
            if email_form.is_valid():
                chosen = {"emails": email_form.cleaned_data["emails"]}
        if chosen is not None:
            try:
                added = services_cycles.add_participants(viewer, cycle, **chosen)
            except Refused as refused:
                if refused.errors[0][0]:  # one of the form's fields: shown on the form
                    show_refusal(form, refused, {"team_id": "team"})
                    chosen = None
                else:
                    messages.error(request, _said(refused))
                    return redirect("feedback:cycle_participants", cycle.pk)
            except Conflict as conflict:
                messages.error(request, str(conflict))
                return redirect("feedback:cycle_participants", cycle.pk)
        if chosen is not None:
            messages.success(
                request,
                ngettext("%(count)s person added.", "%(count)s people added.", added)
                % {"count": added},
            )
            return redirect("feedback:cycle_participants", cycle.pk)
        status = 400
    participants = (
        _participants(viewer, cycle)
        .select_related("person__team", "manager")
        .order_by("person__name", "pk")
    )
    page = Paginator(participants, PARTICIPANTS_PAGE_SIZE).get_page(request.GET.get("page"))
    shown(viewer, page.object_list, "view_progress")
    context = {
        "cycle": cycle,
        "page": page,
        "querystring": "",
        "team_form": team_form,
        "email_form": email_form,
        "may_add": cycles.can_add_participants(cycle),
        "may_remove": cycles.can_remove_participants(cycle),
    }
    return render(request, "feedback/reviews/participants.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_advance(request, cycle_id):
    """Moving the cycle on to its next step, which cannot be undone: the page says what the
    step will do and to whom (`feedback.cycles.step_preview`), warns, and acts only on a POST
    with `confirm`; a GET, or a POST without it, shows the confirmation and changes nothing."""
    viewer, cycle = _manageable_cycle(request, cycle_id)
    data = request.POST if request.method == "POST" else request.GET
    next_status = cycles.next_status(cycle)
    to = data.get("to") or (next_status if request.method != "POST" else "")
    if not to and next_status is None and request.method != "POST":
        messages.info(request, _("The cycle is closed: it has no further step."))
        return redirect(cycle)
    if to not in CycleStatus.values:
        return HttpResponseBadRequest(_("Choose the step to move the cycle to."))
    label = CycleStatus(to).label
    if to == cycle.status:
        messages.info(request, _("The cycle is already: %(status)s.") % {"status": label})
        return redirect(cycle)
    error = None
    status = 200
    if request.method == "POST" and data.get("confirm") == "yes":
        try:
            moved = services_cycles.advance_cycle(viewer, cycle, to=to)
        except Refused as refused:
            error = _said(refused)
            status = 400
            cycle.refresh_from_db()
        else:
            if moved:
                messages.success(request, _("The cycle is now: %(status)s.") % {"status": label})
            else:
                messages.info(request, _("The cycle is already: %(status)s.") % {"status": label})
            return redirect(cycle)
    if to != next_status:
        messages.error(
            request,
            error or _("The cycle cannot move on to “%(status)s” now.") % {"status": label},
        )
        return redirect(cycle)
    today = viewer.person.local_today()
    preview = cycles.step_preview(cycle, to, today)
    context = {
        "cycle": cycle,
        "to": to,
        "to_label": label,
        "preview": preview,
        "groups": [
            (RaterGroup(group).label, preview.invitations.get(group, 0))
            for group in GROUPS
            if preview.invitations.get(group)
        ],
        "error": error,
    }
    return render(request, "feedback/reviews/advance.html", context, status=status)


# --- Questions (HR) ----------------------------------------------------------------------------


def _competencies(cycle) -> list[str]:
    return [str(q.competency) for q in BANK if q.competency] + [
        c for c in cycle.questions.values_list("competency", flat=True) if c
    ]


def _questions(cycle):
    """The cycle's questions in order, each with its competency's name."""
    return list(with_competency_names(cycle.questions.order_by("position", "pk")))


def _question_of(cycle, question_id) -> ReviewQuestion:
    """A question of this cycle (whose access the caller has checked), or 404."""
    questions = with_competency_names(ReviewQuestion.objects.filter(cycle=cycle, pk=question_id))
    question = questions.first()
    if question is None:
        raise Http404
    question.cycle = cycle
    return question


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_questions(request, cycle_id):
    """The question editor: the cycle's questions in order, each to change, move or remove
    while the cycle is a draft, and the question bank to add from. Every button is a small
    form, so it all works without JavaScript."""
    viewer, cycle = _manageable_cycle(request, cycle_id)
    here = reverse("feedback:cycle_questions", args=[cycle.pk])
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_bank":
                added = services_cycles.add_bank_questions(
                    viewer, cycle, request.POST.getlist("key")
                )
                messages.success(
                    request,
                    ngettext(
                        "%(count)s question added from the bank.",
                        "%(count)s questions added from the bank.",
                        added,
                    )
                    % {"count": added},
                )
                return redirect(here)
            if action not in ("up", "down", "remove"):
                return HttpResponseBadRequest(_("Choose what to do."))
            question = _question_of(cycle, id_in(request.POST, "question") or 0)
            if action == "remove":
                services_cycles.remove_question(viewer, question)
                messages.success(
                    request, _("Question removed: “%(text)s”.") % {"text": question.text}
                )
                return redirect(here)
            services_cycles.move_question(viewer, question, by=-1 if action == "up" else 1)
            return redirect(f"{here}#question-{question.pk}")
        except Conflict as conflict:  # the cycle moved on meanwhile
            messages.error(request, str(conflict))
            return redirect(here)
        except Refused as refused:
            messages.error(request, _said(refused))
            return redirect(here)
    questions = _questions(cycle)
    taken = {q.text for q in questions}
    editable = cycles.can_change_questions(cycle)
    # The bank's questions not taken yet, each with the competency a cycle takes it with (with
    # a framework, the framework's name).
    framework = competency_choices() if editable else []
    names = dict(framework)
    bank = []
    for q in BANK:
        if str(q.text) not in taken:
            competency = bank_competency(q, framework)
            bank.append((q, names.get(competency, competency)))
    context = {
        "cycle": cycle,
        "questions": questions,
        "editable": editable,
        "bank": bank,
        "bank_size": len(BANK),
    }
    return render(request, "feedback/reviews/questions.html", context)


def _question_page(request, viewer, cycle, question: ReviewQuestion | None):
    here = reverse("feedback:cycle_questions", args=[cycle.pk])
    if not cycles.can_change_questions(cycle):
        messages.error(request, _("Questions can only be changed while the cycle is a draft."))
        return redirect(here)
    # A new question starts with the bank's words for the scale, so that a cycle's rating
    # questions read alike; HR may change or clear them.
    initial = (
        QuestionForm.initial_of(question)
        if question
        else {f"scale_{n}": str(label) for n, label in enumerate(FREQUENCY, start=1)}
    )
    # With a framework, its competencies to choose from; without one, text with suggestions.
    framework = competency_choices()
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        framework=framework,
        kept=(question.competency, question.competency_name) if question else None,
        competencies=() if framework else _competencies(cycle),
    )
    if request.method == "POST":
        try:
            saved = form_saved(
                form,
                lambda data: (
                    services_cycles.change_question(viewer, question, form.question_data())
                    if question
                    else services_cycles.add_question(viewer, cycle, form.question_data())
                ),
                QUESTION_FIELDS,
            )
        except Conflict as conflict:
            messages.error(request, str(conflict))
            return redirect(here)
        if saved:
            messages.success(request, _("Question saved."))
            target = question or form.saved
            return redirect(f"{here}#question-{target.pk}" if target else here)
    context = {"cycle": cycle, "question": question, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "feedback/reviews/question_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_question_new(request, cycle_id):
    viewer, cycle = _manageable_cycle(request, cycle_id)
    return _question_page(request, viewer, cycle, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_question_edit(request, cycle_id, question_id):
    viewer, cycle = _manageable_cycle(request, cycle_id)
    return _question_page(request, viewer, cycle, _question_of(cycle, question_id))


PREVIEW_AS = [RaterGroup.PEER, RaterGroup.MANAGER, RaterGroup.REPORT, RaterGroup.SELF]


@login_required
@require_safe
def cycle_preview(request, cycle_id):
    """What a reviewer sees when they answer, in each rater group: the answering page itself
    (`answer.html`), about an example participant, with nothing to send."""
    _viewer, cycle = _manageable_cycle(request, cycle_id, "view_progress")
    group = request.GET.get("as", RaterGroup.PEER)
    if group not in RaterGroup.values:
        group = RaterGroup.PEER
    questions = _questions(cycle)
    form = AnswerForm(questions=questions)
    k = cycle.anonymity_threshold
    if not cycle.threshold_is_frozen:
        k = max(k, FeedbackSettings.load().anonymity_threshold)
    context = {
        "preview": True,
        "preview_groups": [(g, RaterGroup(g).label) for g in PREVIEW_AS],
        "invitation": ReviewInvitation(group=group),
        "participant": ReviewParticipant(
            cycle=cycle, person=Person(name=_("Alex Example"), email="alex@example.invalid")
        ),
        "cycle": cycle,
        "is_open": True,
        "is_self": group == RaterGroup.SELF,
        "anonymous": group in ANONYMOUS_GROUPS,
        "threshold": k,
        "others": k - 1,
        "form": form,
        "rows": form.rows(),
        "rating_without_words": any(
            q.kind == "rating" and not any(q.scale_labels) for q in questions
        ),
    }
    return render(request, "feedback/reviews/answer.html", context)


# --- Nominating and approving peers -------------------------------------------------------------


def _participant(viewer, participant_id, action: str, other: str) -> ReviewParticipant:
    """The participant, for the viewer to `action` (nominate, or approve the nominations): 403
    for whoever may do the `other` (they know the page exists), 404 for everyone else (the
    participant too, before the cycle is announced)."""
    queryset = ReviewParticipant.objects.select_related("cycle__scope", "person__team", "manager")
    participant = get_visible_or_404(viewer, ReviewParticipant, participant_id, queryset=queryset)
    if not can(viewer, action, participant):
        if can(viewer, other, participant):
            raise PermissionDenied
        raise Http404
    return participant


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def nominate(request, participant_id):
    viewer = viewer_of(request)
    participant = _participant(viewer, participant_id, "nominate", "approve_nominations")
    is_open = services_cycles.nominations_open(participant, as_manager=False)
    return _peers_page(request, viewer, participant, as_manager=False, is_open=is_open)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def approve(request, participant_id):
    viewer = viewer_of(request)
    participant = _participant(viewer, participant_id, "approve_nominations", "nominate")
    is_open = services_cycles.nominations_open(participant, as_manager=True)
    return _peers_page(request, viewer, participant, as_manager=True, is_open=is_open)


def _peers_page(request, viewer, participant, *, as_manager: bool, is_open: bool):
    here = reverse("feedback:approve" if as_manager else "feedback:nominate", args=[participant.pk])
    email_form = PeerEmailForm()
    error = None
    status = 200
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("The list of reviewers cannot be changed any more."))
            return redirect(here)
        action = request.POST.get("action")
        try:
            if action == "add":
                reviewer_id = id_in(request.POST, "reviewer")
                if reviewer_id is not None:
                    chosen: dict = {"reviewer_id": reviewer_id}
                else:
                    email_form = PeerEmailForm(request.POST)
                    if not email_form.is_valid():
                        raise Refused([])
                    chosen = {"emails": email_form.cleaned_data["emails"]}
                added = services_cycles.nominate(
                    viewer, participant, as_manager=as_manager, **chosen
                )
                if added:
                    messages.success(
                        request,
                        ngettext("%(count)s peer added.", "%(count)s peers added.", added)
                        % {"count": added},
                    )
                return redirect(here)
            if action == "remove":
                reviewer_id = id_in(request.POST, "reviewer")
                if reviewer_id is None:
                    return HttpResponseBadRequest(_("Choose whom to remove."))
                services_cycles.withdraw_nomination(
                    viewer, participant, reviewer_id=reviewer_id, as_manager=as_manager
                )
                return redirect(here)
            if action == "submit" and not as_manager:
                services_cycles.submit_nominations(viewer, participant)
                messages.success(request, _("Thank you: your manager will now look at your list."))
                return redirect("feedback:reviews")
            if action == "approve" and as_manager:
                services_cycles.approve_nominations(viewer, participant)
                messages.success(
                    request,
                    _("Reviewers for %(name)s approved.") % {"name": participant.person.name},
                )
                return redirect("feedback:reviews")
            return HttpResponseBadRequest(_("Choose what to do."))
        except Conflict as conflict:  # the cycle moved on, or the list was approved, meanwhile
            messages.error(request, str(conflict))
            return redirect(here)
        except Refused as refused:
            if refused.errors and refused.errors[0][0] == "emails":
                show_refusal(email_form, refused)
            elif refused.errors:
                error = _said(refused)
            # A search for peers without JavaScript is not a mistake: the matches to tick.
            status = 200 if email_form.is_bound and email_form.searching else 400
    nominations = list(
        participant.nominations.select_related("reviewer").order_by("reviewer__name", "pk")
    )
    active = [n for n in nominations if n.status != Nomination.Status.REMOVED]
    for nomination in active:
        nomination.removable = is_open and (
            as_manager or nomination.nominated_by_id in (None, participant.person_id)
        )
    removed = [n for n in nominations if n.status == Nomination.Status.REMOVED]
    search_form = SearchForm(request.GET or None)
    results = None
    if is_open and search_form.is_bound and search_form.is_valid():
        q = search_form.cleaned_data["q"].strip()
        results = list(
            cycles.nominee_candidates(participant)
            .filter(Q(name__icontains=q) | Q(email__icontains=q))
            .exclude(pk__in=[n.reviewer_id for n in active])
            .select_related("team")
            .order_by("name", "pk")[:SEARCH_LIMIT]
        )
    context = {
        "participant": participant,
        "cycle": participant.cycle,
        "as_manager": as_manager,
        "is_open": is_open,
        "active": active,
        "removed": removed,
        "full": len(active) >= participant.cycle.max_peers,
        "email_form": email_form,
        "search_form": search_form,
        "results": results,
        "error": error,
        "help": peers_help(participant.cycle),
        "here": here,
    }
    return render(request, "feedback/reviews/peers.html", context, status=status)


# --- Answering ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request, invitation_id):
    viewer = viewer_of(request)
    invitation = get_visible_or_404(
        viewer,
        ReviewInvitation,
        invitation_id,
        "answer",
        queryset=ReviewInvitation.objects.select_related(
            "participant__person", "participant__cycle"
        ),
    )
    participant = invitation.participant
    cycle = participant.cycle
    is_open = (
        cycle.status == CycleStatus.REVIEWING
        and not invitation.answered
        and not invitation.declined
    )
    here = reverse("feedback:answer", args=[invitation.pk])
    questions = list(with_competency_names(cycle.questions.all())) if is_open else []
    form = AnswerForm(questions=questions)
    status = 200
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("This review cannot be changed any more."))
            return redirect(here)
        action = request.POST.get("action", "answer")
        if action == "decline":
            services.decline_review(viewer, invitation)
            messages.info(request, _("You declined this review. Thank you for letting us know."))
            return redirect("feedback:reviews")
        if action != "answer":
            return HttpResponseBadRequest(_("Choose what to do."))
        form = AnswerForm(request.POST, questions=questions)
        if form.is_valid():
            answers = [
                (question.pk, rating, comment) for question, rating, comment in form.answers()
            ]
            try:
                services.answer_review(viewer, invitation, answers)
            except (Conflict, services.NotOpen) as problem:
                messages.error(request, str(problem))
                return redirect(here)
            except Refused as problem:
                messages.error(request, problem.errors[0][1])
                return redirect(here)
            messages.success(request, _("Thank you: your answers are in."))
            return redirect(here)
        status = 400
    anonymous = invitation.group in ANONYMOUS_GROUPS
    k = cycle.anonymity_threshold
    context = {
        "invitation": invitation,
        "participant": participant,
        "cycle": cycle,
        "is_open": is_open,
        "is_self": invitation.group == RaterGroup.SELF,
        "anonymous": anonymous,
        "threshold": k,
        "others": k - 1,
        "form": form,
        "rows": form.rows() if is_open else [],
        "rating_without_words": any(
            q.kind == "rating" and not any(q.scale_labels) for q in questions
        ),
    }
    return render(request, "feedback/reviews/answer.html", context, status=status)
