"""Who may see and do what in the feedback module: its rules, registered with `access`.

Feedback is between giver and receiver. Praise the giver made visible to the receiver's team or
to everyone is seen there too (on the praise walls; everyone's only while the receiver works
here). Constructive feedback is private to the receiver, who may share any feedback they
received with their manager: with that person (`Feedback.shared_with`), not with whoever
manages them later, until the receiver takes it back. Nobody else reads feedback: not the chain
above, not HR, not administrators. Who sees one feedback is one table, `AUDIENCE`: the SQL
filter, the check on one feedback and the "who can see this" words are all read from it.

A feedback request is seen by its requester and by each person asked; only the person asked
answers or declines their ask.

A 360 cycle belongs to a scope (a team and the teams within it, or the whole organisation):
HR whose scope covers it runs it and follows its progress (counts, never answers), for the
participants within their own scope. Once announced (past the draft), the people in it know
of it. A participant nominates their own peers; their manager (as of the cycle's start) or HR
who runs the cycle approves them. The aggregated report is seen by the manager and HR covering
the participant, who release it, and by the participant once released; its anonymity
threshold is the cycle's k (`min_group_size`). A reviewer's invitation is theirs alone.
"""

from __future__ import annotations

from dataclasses import replace
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from access import relations, who
from access.rules import Audience, QuerySetT, Rules, register
from access.who import Group, scope_words
from feedback.models import (
    MIN_ANONYMITY_THRESHOLD,
    CycleStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackSettings,
    Kind,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
    Visibility,
)
from organisation import scope
from people.models import Person, Team, current_q

if TYPE_CHECKING:
    from access.viewer import Viewer

VIEW = "view"
CHANGE, REPLY, REACT, SHARE = "change", "reply", "react", "share_with_manager"
ANSWER = "answer"
MANAGE, VIEW_PROGRESS = "manage", "view_progress"
NOMINATE, APPROVE = "nominate", "approve_nominations"
RELEASE_REPORT, VIEW_REPORT = "release_report", "view_report"
EVERY_ROW = Q(pk__isnull=False)


# --- Organisation-wide permissions ---------------------------------------------------------------


def covers_the_organisation(viewer: Viewer) -> bool:
    return viewer.hr_scope_path == ""


def edits_feedback_settings(viewer: Viewer) -> bool:
    """The organisation's feedback settings (the 360 anonymity threshold): organisation-wide
    HR who may manage people."""
    return relations.hr_manages_people(viewer) and covers_the_organisation(viewer)


def manages_review_cycles(viewer: Viewer) -> bool:
    """Set up 360 cycles (for their own scope or part of it) and see the list: HR."""
    return viewer.is_authenticated and viewer.is_hr


def feedback_recipients(viewer: Viewer) -> QuerySet[Person]:
    """Whom the viewer may give feedback to or ask: anyone working here today but themselves,
    inside the pilot scope (`organisation.scope`)."""
    if viewer.person is None:
        return Person.objects.none()
    people = Person.objects.current().filter(scope.in_scope_q(), is_active=True)
    return people.exclude(relations.self_q(viewer))


def cycle_scopes(viewer: Viewer) -> tuple[QuerySet[Team], bool]:
    """The teams a new cycle may be for (within the viewer's HR scope), and whether it may be
    for the whole organisation."""
    scope = viewer.hr_scope_path
    if scope is None:
        return Team.objects.none(), False
    teams = Team.objects.filter(path__startswith=scope) if scope else Team.objects.all()
    return teams, scope == ""


def scope_path(cycle: ReviewCycle) -> str:
    """The team path a cycle belongs to: "" for the whole organisation."""
    return cycle.scope.path if cycle.scope is not None else ""


def teams_in_cycle(cycle: ReviewCycle) -> QuerySet[Team]:
    """The teams within a cycle's scope (whose people it may take in)."""
    return Team.objects.filter(path__startswith=scope_path(cycle))


def people_within(team: Team | None) -> QuerySet[Person]:
    """People working here today in the team and the teams within it (None: everyone), inside
    the pilot scope (`organisation.scope`)."""
    people = Person.objects.current().filter(scope.in_scope_q(), is_active=True)
    if team is not None:
        people = people.filter(team__path__startswith=team.path)
    return people


def may_take_part(viewer: Viewer, cycle: ReviewCycle, team: Team | None = None) -> QuerySet[Person]:
    """Whom the viewer (HR running the cycle) may add to it: people working here today within
    the cycle's scope (or `team`, within it) and the viewer's HR scope."""
    if not CYCLES.can(viewer, MANAGE, cycle):
        return Person.objects.none()
    people = people_within(cycle.scope).filter(relations.hr_covers_q(viewer))
    if team is not None:
        people = people.filter(team__path__startswith=team.path)
    return people


# --- Feedback ------------------------------------------------------------------------------------


def _receiver_works_here() -> Q:
    return current_q("receiver__")


GIVER = Audience[Feedback](
    "giver",
    lambda viewer: relations.self_q(viewer, "giver"),
    lambda viewer, feedback: relations.is_self(viewer, feedback.giver_id),
    lambda feedback: relations.participants(feedback, {"giver": who.GIVER}),
)
RECEIVER = Audience[Feedback](
    "receiver",
    lambda viewer: relations.self_q(viewer, "receiver"),
    lambda viewer, feedback: relations.is_self(viewer, feedback.receiver_id),
    lambda feedback: relations.participants(feedback, {"receiver": who.RECEIVER}),
)
SHARED_WITH = Audience[Feedback](
    "the manager the receiver shared it with",
    lambda viewer: relations.self_q(viewer, "shared_with"),
    lambda viewer, feedback: relations.is_self(viewer, feedback.shared_with_id),
    lambda feedback: relations.participants(
        feedback,
        {"shared_with": who.SHARED_WITH},
        about=feedback.receiver if feedback.receiver_id else None,
    ),
)
RECEIVERS_TEAM = Audience[Feedback](
    "the receiver's team-mates",
    lambda viewer: relations.team_mates_q(viewer, "receiver"),
    lambda viewer, feedback: relations.is_team_mate(viewer, feedback.receiver),
    lambda feedback: relations.team_mates_of(feedback.receiver),
)
EVERYONE_WHILE_HERE = Audience[Feedback](
    "everyone, while the receiver works here",
    lambda viewer: _receiver_works_here(),
    lambda viewer, feedback: not feedback.receiver.has_left,
    lambda feedback: [] if feedback.receiver.has_left else relations.everyone(),
)

# (kind, visibility) -> who sees it. Constructive feedback is private whatever is stored (the
# database refuses anything else). Shared with the manager adds that person to any of them.
PRIVATELY = (GIVER, RECEIVER, SHARED_WITH)
AUDIENCE: dict[tuple[str, str], tuple[Audience[Feedback], ...]] = {
    (Kind.PRAISE, Visibility.PRIVATE): PRIVATELY,
    (Kind.PRAISE, Visibility.TEAM): (*PRIVATELY, RECEIVERS_TEAM),
    (Kind.PRAISE, Visibility.ORGANISATION): (*PRIVATELY, EVERYONE_WHILE_HERE),
    (Kind.CONSTRUCTIVE, Visibility.PRIVATE): PRIVATELY,
    (Kind.CONSTRUCTIVE, Visibility.TEAM): PRIVATELY,
    (Kind.CONSTRUCTIVE, Visibility.ORGANISATION): PRIVATELY,
}


def audience_of(feedback: Feedback) -> tuple[Audience[Feedback], ...]:
    return AUDIENCE.get((feedback.kind, feedback.visibility), PRIVATELY)


def seen_by_everyone_q() -> Q:
    """The feedback everyone in the organisation reads, whoever they are (`AUDIENCE`): the only
    feedback that may be told outside Cadence (a webhook, a team's chat channel), where
    whoever reads it is nobody the rules know."""
    kinds = [key for key, audience in AUDIENCE.items() if EVERYONE_WHILE_HERE in audience]
    where = reduce(or_, (Q(kind=kind, visibility=visibility) for kind, visibility in kinds))
    return where & _receiver_works_here()


def describe(feedback: Feedback) -> list[str]:
    """Who can see the feedback, in plain words, one sentence a line (its page shows them)."""
    receiver = feedback.receiver
    audience = audience_of(feedback)
    lines = []
    if EVERYONE_WHILE_HERE in audience:
        lines.append(_("Everyone sees this."))
    elif RECEIVERS_TEAM in audience:
        if receiver.team is not None:
            lines.append(
                _("%(name)s’s team (%(team)s) sees this.")
                % {"name": receiver.name, "team": receiver.team.name}
            )
        else:
            lines.append(_("%(name)s’s team sees this.") % {"name": receiver.name})
    else:
        lines.append(
            _("Only %(name)s sees this, besides %(giver)s who gave it.")
            % {"name": receiver.name, "giver": feedback.giver.name}
        )
    shared_with = feedback.shared_with
    if shared_with is not None:
        if shared_with.pk == receiver.manager_id:
            lines.append(
                _("%(name)s shared it with their manager, %(manager)s.")
                % {"name": receiver.name, "manager": shared_with.name}
            )
        else:
            # Shared with a person, not a position: a later manager does not get it.
            lines.append(
                _("%(name)s shared it with %(manager)s, their manager at the time.")
                % {"name": receiver.name, "manager": shared_with.name}
            )
    return lines


@register
class FeedbackRules(Rules[Feedback]):
    """Seeing and reacting: `AUDIENCE`. Correcting it: the giver, until the receiver has read
    it. Replying: giver and receiver (others who see it may react, not reply). Sharing with the
    manager: the receiver, with their manager of now, or taking back what they shared (also
    once that person manages them no longer, or nobody does)."""

    model = Feedback
    actions = (VIEW, CHANGE, REPLY, REACT, SHARE)
    reads = (
        "kind",
        "visibility",
        "giver__name",
        "receiver__name",
        "receiver__leave_date",
        "receiver__team__name",
        "shared_with__name",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action in (VIEW, REACT):
            # Each group once, with the kinds and visibilities it sees (none for those who see
            # every feedback of theirs), so that the SQL stays a few indexed conditions.
            condition = relations.NOTHING
            for group in dict.fromkeys(g for groups in AUDIENCE.values() for g in groups):
                where = [key for key, groups in AUDIENCE.items() if group in groups]
                if len(where) == len(AUDIENCE):
                    condition |= group.q(viewer)
                else:
                    condition |= group.q(viewer) & reduce(
                        or_, (Q(kind=kind, visibility=visibility) for kind, visibility in where)
                    )
            return queryset.filter(condition)
        if action == CHANGE:
            return queryset.filter(relations.self_q(viewer, "giver"), read_at__isnull=True)
        if action == REPLY:
            return queryset.filter(relations.participant_q(viewer, "giver", "receiver"))
        # SHARE
        mine = relations.self_q(viewer, "receiver")
        if self._has_manager(viewer):
            return queryset.filter(mine)
        return queryset.filter(mine, shared_with__isnull=False)

    def can(self, viewer: Viewer, action: str, obj: Feedback) -> bool:
        if action in (VIEW, REACT):
            return any(group.holds(viewer, obj) for group in audience_of(obj))
        if action == CHANGE:
            return relations.is_self(viewer, obj.giver_id) and obj.read_at is None
        if action == REPLY:
            return relations.is_participant(viewer, obj, "giver", "receiver")
        return relations.is_self(viewer, obj.receiver_id) and (
            self._has_manager(viewer) or obj.shared_with_id is not None
        )

    def who(self, obj: Feedback, action: str = VIEW) -> list[Group]:
        if action in (VIEW, REACT):
            return [group for audience in audience_of(obj) for group in audience.who(obj)]
        if action == CHANGE:
            return relations.the_person(obj.giver, who.GIVER) if obj.read_at is None else []
        if action == REPLY:
            return relations.participants(obj, {"giver": who.GIVER, "receiver": who.RECEIVER})
        # SHARE
        if obj.receiver.manager_id is not None or obj.shared_with_id is not None:
            return relations.the_person(obj.receiver, who.RECEIVER)
        return []

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("giver", "receiver__team", "shared_with")

    def who_can(self, obj: Feedback, action: str = VIEW) -> str:
        if action not in (VIEW, REACT):
            raise NotImplementedError("Only who may see feedback is put in words.")
        return "\n".join(describe(obj))

    @staticmethod
    def _has_manager(viewer: Viewer) -> bool:
        return viewer.person is not None and viewer.person.manager_id is not None


# --- Feedback requests ---------------------------------------------------------------------------


def _asked_q(viewer: Viewer, field: str = "pk") -> Q:
    """The request at `field` asks the viewer."""
    asks = FeedbackAsk.objects.filter(relations.self_q(viewer, "requestee"))
    return Q(**{f"{field}__in": asks.values("request_id")})


def _request_people(request: FeedbackRequest) -> list[Group]:
    """The requester and everyone asked (the asks as prefetched, when they were; for a request
    not made yet, an example for My data, the people asked are a role, nobody named)."""
    groups = relations.the_person(request.requester, who.REQUESTER)
    if request.pk is None:
        return [*groups, Group(who.ASKED, about=request.requester, example=True)]
    asked = tuple(ask.requestee_id for ask in request.asks.all())
    if asked:
        groups.append(Group(who.ASKED, about=request.requester, ids=asked))
    return groups


def _requesters_words(request: FeedbackRequest) -> str:
    names = sorted(ask.requestee.name for ask in request.asks.select_related("requestee"))
    return _("%(requester)s, who asked, and the people asked: %(names)s") % {
        "requester": request.requester.name,
        "names": ", ".join(names) or "—",
    }


@register
class FeedbackRequestRules(Rules[FeedbackRequest]):
    """The requester sees the whole request; each person asked sees it (and their own ask)."""

    model = FeedbackRequest
    reads = (
        "pk",
        "requester__name",
        "asks",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(relations.self_q(viewer, "requester") | _asked_q(viewer))

    def can(self, viewer: Viewer, action: str, obj: FeedbackRequest) -> bool:
        if relations.is_self(viewer, obj.requester_id):
            return True
        if obj.pk is None:
            return False  # not made yet (an example, for My data): nobody is asked
        # At most ten asks; read from what was prefetched with the request when it was.
        return any(relations.is_self(viewer, ask.requestee_id) for ask in obj.asks.all())

    def who(self, obj: FeedbackRequest, action: str = VIEW) -> list[Group]:
        return _request_people(obj)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("requester").prefetch_related("asks")

    def who_can(self, obj: FeedbackRequest, action: str = VIEW) -> str:
        return _requesters_words(obj)


REQUESTS = FeedbackRequestRules()


@register
class FeedbackAskRules(Rules[FeedbackAsk]):
    """An ask is seen with its request; only the person asked answers or declines it."""

    model = FeedbackAsk
    actions = (VIEW, ANSWER)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action == ANSWER:
            return queryset.filter(relations.self_q(viewer, "requestee"))
        return queryset.filter(
            relations.self_q(viewer, "request__requester") | _asked_q(viewer, "request")
        )

    def can(self, viewer: Viewer, action: str, obj: FeedbackAsk) -> bool:
        if action == ANSWER:
            return relations.is_self(viewer, obj.requestee_id)
        return relations.is_self(viewer, obj.requestee_id) or REQUESTS.can(
            viewer, VIEW, obj.request
        )

    def who(self, obj: FeedbackAsk, action: str = VIEW) -> list[Group]:
        if action == ANSWER:
            return relations.participants(obj, {"requestee": who.SELF})
        return _request_people(obj.request)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("requestee", "request__requester").prefetch_related(
            "request__asks"
        )

    def who_can(self, obj: FeedbackAsk, action: str = VIEW) -> str:
        if action == ANSWER:
            return _("Only %(name)s, who was asked") % {"name": obj.requestee.name}
        return _requesters_words(obj.request)


# --- 360 cycles ----------------------------------------------------------------------------------


def _runs_q(viewer: Viewer, field: str = "") -> Q:
    """HR whose scope covers the whole scope of the cycle at `field`."""
    prefix = f"{field}__" if field else ""
    condition = relations.hr_covers_team_q(viewer, f"{prefix}scope")
    if covers_the_organisation(viewer):
        condition |= Q(**{f"{prefix}scope__isnull": True})
    return condition


def _runs(viewer: Viewer, cycle: ReviewCycle) -> bool:
    if cycle.scope is None:
        return covers_the_organisation(viewer)
    return relations.hr_covers_team(viewer, cycle.scope)


def _cycle_path(cycle: ReviewCycle) -> str:
    """The team path HR must cover to run the cycle ("" for the whole organisation: only HR
    for the whole organisation runs it)."""
    return cycle.scope.path if cycle.scope is not None else ""


def _running(cycle: ReviewCycle) -> list[Group]:
    """`_runs`'s people: HR whose scope covers the cycle's scope."""
    return relations.hr_with_scope((_cycle_path(cycle),))


ANNOUNCED = ~Q(status=CycleStatus.DRAFT)


def _uncovered_cycles(viewer: Viewer) -> QuerySet[ReviewParticipant, Any]:
    """The cycles (as `cycle_id`s) with a participant outside the viewer's HR scope: someone
    moved out of the cycle's team after it began. Only HR covering every participant changes a
    cycle; the others still follow it for their own people."""
    if viewer.hr_scope_path == "":
        return ReviewParticipant.objects.none().values("cycle_id")
    return ReviewParticipant.objects.exclude(relations.hr_covers_q(viewer, "person")).values(
        "cycle_id"
    )


def _in_cycle_q(viewer: Viewer) -> Q:
    """The viewer takes part in the cycle: reviewed, as a participant's manager, or reviewing."""
    participants = ReviewParticipant.objects.filter(
        relations.participant_q(viewer, "person", "manager")
    ).values("cycle_id")
    reviewing = ReviewInvitation.objects.filter(relations.self_q(viewer, "reviewer")).values(
        "participant__cycle_id"
    )
    return Q(pk__in=participants) | Q(pk__in=reviewing)


@register
class ReviewCycleRules(Rules[ReviewCycle]):
    """Running a cycle (changing, filling, advancing it) and following its progress: HR whose
    scope covers the cycle's whole scope. HR scoped to one team does not run an organisation-wide
    cycle, nor another team's. Knowing of it: those who run it, and, once it is announced,
    the people reviewed in it, their managers and their reviewers."""

    model = ReviewCycle
    actions = (VIEW, MANAGE, VIEW_PROGRESS)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action == VIEW:
            return queryset.filter(_runs_q(viewer) | (ANNOUNCED & _in_cycle_q(viewer)))
        if action == MANAGE:
            return queryset.filter(_runs_q(viewer)).exclude(pk__in=_uncovered_cycles(viewer))
        return queryset.filter(_runs_q(viewer))

    def can(self, viewer: Viewer, action: str, obj: ReviewCycle) -> bool:
        if action == MANAGE:
            return _runs(viewer, obj) and not _uncovered_cycles(viewer).filter(cycle=obj).exists()
        if _runs(viewer, obj):
            return True
        if action != VIEW or obj.status == CycleStatus.DRAFT:
            return False
        return ReviewCycle.objects.filter(pk=obj.pk).filter(_in_cycle_q(viewer)).exists()

    def who(self, obj: ReviewCycle, action: str = VIEW) -> list[Group]:
        runs = _running(obj)
        if action == VIEW_PROGRESS:
            return runs
        participants = list(obj.participants.all())
        if action == MANAGE:
            # HR covering the cycle's scope and every participant in it.
            paths = dict.fromkeys(relations.path_of(p.person) for p in participants)
            return relations.hr_with_scope((_cycle_path(obj), *paths))
        if obj.status == CycleStatus.DRAFT:
            return runs
        reviewers = {i.reviewer_id for p in participants for i in p.invitations.all()}
        known = [
            Group(who.REVIEWED, ids=tuple(p.person_id for p in participants)),
            Group(
                who.REVIEWED_MANAGERS, ids=tuple(p.manager_id for p in participants if p.manager_id)
            ),
            Group(who.REVIEWERS, ids=tuple(sorted(reviewers))),
        ]
        return runs + [group for group in known if group.ids]

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        people = ReviewParticipant.objects.select_related("person__team")
        return queryset.select_related("scope").prefetch_related(
            Prefetch("participants", queryset=people), "participants__invitations"
        )

    def who_can(self, obj: ReviewCycle, action: str = VIEW) -> str:
        scope = scope_words(obj.scope.name if obj.scope is not None else None)
        runs = _("HR covering %(scope)s runs it and follows its progress.") % {"scope": scope}
        if action != VIEW:
            return runs
        return " ".join(
            [runs, _("Once announced, the people reviewed, their managers and reviewers know it.")]
        )


CYCLES = ReviewCycleRules()


def _covering_q(viewer: Viewer) -> Q:
    """The participant's manager (as of the cycle's start) or HR covering the participant."""
    return relations.self_q(viewer, "manager") | relations.hr_covers_q(viewer, "person")


def _covering(viewer: Viewer, participant: ReviewParticipant) -> bool:
    return relations.is_self(viewer, participant.manager_id) or relations.hr_covers(
        viewer, participant.person
    )


def _but(groups: list[Group], person_id: int) -> list[Group]:
    """The groups without one person in them (those who release a report: not its subject)."""
    return [replace(group, excluding=(*group.excluding, person_id)) for group in groups]


@register
class ReviewParticipantRules(Rules[ReviewParticipant]):
    """Someone reviewed in a cycle.

    - view: the participant once the cycle is announced, their manager, HR covering them;
    - view_progress: HR who runs the cycle, for the participants in their own scope;
    - nominate: the participant, once the cycle is announced;
    - approve_nominations: the manager, or HR covering the participant who runs the cycle
      (changing whom a participant is reviewed by changes the cycle);
    - release_report: the manager or HR covering the participant, not the participant;
    - view_report: those who release it, and the participant once it is released.
    The report's anonymity threshold is the cycle's k (`min_group_size`).
    """

    model = ReviewParticipant
    actions = (VIEW, VIEW_PROGRESS, NOMINATE, APPROVE, RELEASE_REPORT, VIEW_REPORT)
    reads = (
        "cycle__status",
        "released_at",
        "manager__name",
        "person__name",
        "person__chain",
        "person__team__path",
        "person__team__name",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        me = relations.self_q(viewer, "person")
        announced = ~Q(cycle__status=CycleStatus.DRAFT)
        if action == VIEW:
            condition = (me & announced) | _covering_q(viewer)
        elif action == VIEW_PROGRESS:
            condition = _runs_q(viewer, "cycle") & relations.hr_covers_q(viewer, "person")
        elif action == NOMINATE:
            condition = me & announced
        elif action == APPROVE:
            condition = relations.self_q(viewer, "manager") | (
                relations.hr_covers_q(viewer, "person") & _runs_q(viewer, "cycle")
            )
        elif action == RELEASE_REPORT:
            condition = _covering_q(viewer) & ~me
        else:  # VIEW_REPORT
            condition = (me & Q(released_at__isnull=False)) | (_covering_q(viewer) & ~me)
        return queryset.filter(condition)

    def can(self, viewer: Viewer, action: str, obj: ReviewParticipant) -> bool:
        me = relations.is_self(viewer, obj.person_id)
        announced = obj.cycle.status != CycleStatus.DRAFT
        if action == VIEW:
            return (me and announced) or _covering(viewer, obj)
        if action == VIEW_PROGRESS:
            return _runs(viewer, obj.cycle) and relations.hr_covers(viewer, obj.person)
        if action == NOMINATE:
            return me and announced
        if action == APPROVE:
            return relations.is_self(viewer, obj.manager_id) or (
                relations.hr_covers(viewer, obj.person) and _runs(viewer, obj.cycle)
            )
        if action == RELEASE_REPORT:
            return _covering(viewer, obj) and not me
        return (me and obj.released_at is not None) or (_covering(viewer, obj) and not me)

    def who(self, obj: ReviewParticipant, action: str = VIEW) -> list[Group]:
        me = relations.the_person(obj.person)
        announced = obj.cycle.status != CycleStatus.DRAFT
        manager = relations.participants(obj, {"manager": who.REVIEW_MANAGER}, about=obj.person)
        covering = manager + relations.hr_covering(obj.person)
        if action == VIEW:
            return (me if announced else []) + covering
        if action == VIEW_PROGRESS:
            return relations.hr_covering(obj.person, also=(_cycle_path(obj.cycle),))
        if action == NOMINATE:
            return me if announced else []
        if action == APPROVE:
            return manager + relations.hr_covering(obj.person, also=(_cycle_path(obj.cycle),))
        others = _but(covering, obj.person_id)
        if action == RELEASE_REPORT:
            return others
        return (me if obj.released_at is not None else []) + others

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("person__team", "manager", "cycle__scope")

    def who_can(self, obj: ReviewParticipant, action: str = VIEW) -> str:
        names = {"name": obj.person.name}
        if obj.manager is not None:
            names["manager"] = obj.manager.name
            release = _("%(manager)s (the manager) and HR covering %(name)s") % names
        else:
            release = _("HR covering %(name)s") % names
        if action == VIEW_REPORT:
            return _("%(release)s; %(name)s once it is released") % {**names, "release": release}
        if action == RELEASE_REPORT:
            return release
        if action == VIEW:
            return _("%(name)s, %(release)s") % {**names, "release": release}
        raise NotImplementedError("Only who may see a participant and their report is in words.")

    def min_group_size(self, obj: ReviewParticipant | None = None) -> int:
        """The fewest people behind any anonymous figure of a report: the cycle's k (frozen
        when its reviews open), or, for no participant in particular, the organisation's."""
        if obj is not None:
            return obj.cycle.anonymity_threshold
        return max(FeedbackSettings.load().anonymity_threshold, MIN_ANONYMITY_THRESHOLD)


@register
class ReviewInvitationRules(Rules[ReviewInvitation]):
    """An invitation to review is its reviewer's alone: everyone else, the participant
    included, may not know it exists. Whether it can still be answered is the cycle's rule
    (`feedback.reviewing`)."""

    model = ReviewInvitation
    actions = (VIEW, ANSWER)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(relations.self_q(viewer, "reviewer"))

    def can(self, viewer: Viewer, action: str, obj: ReviewInvitation) -> bool:
        return relations.is_self(viewer, obj.reviewer_id)

    def who(self, obj: ReviewInvitation, action: str = VIEW) -> list[Group]:
        return relations.the_person(obj.reviewer, who.REVIEWER)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("reviewer")

    def who_can(self, obj: ReviewInvitation, action: str = VIEW) -> str:
        return _("Only %(name)s, who is asked to review") % {"name": obj.reviewer.name}
