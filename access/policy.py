"""The visibility policy: the one place that decides who may see and change what.

Goals, conversations and people have moved to the uniform interface (`access.rules`,
`goals/rules.py`, `conversations/rules.py`, `people/rules.py`); feedback still asks here, and
follows on the same pattern. Each rule exists twice, with the same meaning: a per-object check
(`can_…`) for one item, and a queryset filter (`…_visible_to`, `…_q`) that runs in SQL, so
lists never load rows the viewer may not see.

The rules so far:
- everyone signed in sees the organisation's directory (names, job titles, teams, managers)
  of the people who work here today;
- a person sees their own data; their manager and every manager above them (the management
  chain) see what the person shares with the chain, here their employment details;
- HR sees organisation data for the people in its scope, including leavers, but never what a
  person keeps private; HR with "may manage people" adds, edits, imports and marks leavers;
- administrators administer the installation: being one grants no read rights on people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

# The Viewer lives in `access.viewer`; modules not yet moved to rule modules import it here.
from access.viewer import Viewer as Viewer
from access.viewer import viewer_of as viewer_of
from people.models import Person, current_q

# The people rules are in `people/rules.py`; the feedback section below still uses this one.
from people.rules import can_manage_people

if TYPE_CHECKING:
    from feedback.models import (
        Feedback,
        FeedbackRequest,
        ReviewCycle,
        ReviewInvitation,
        ReviewParticipant,
    )
    from goals.models import Objective, ObjectiveQuerySet


# --- Goals ------------------------------------------------------------------------------------
#
# The goals rules are in `goals/rules.py`. These two remain for the modules that still ask
# here (feedback); remove them when those ask `access.rules` instead.


def goals_visible_to(
    viewer: Viewer, queryset: ObjectiveQuerySet | None = None
) -> ObjectiveQuerySet:
    """Deprecated: `access.rules.visible(viewer, Objective or queryset)`."""
    from access import rules
    from goals.models import Objective

    return rules.visible(viewer, Objective.objects.all() if queryset is None else queryset)


def can_view_goal(viewer: Viewer, goal: Objective) -> bool:
    """Deprecated: `access.rules.can(viewer, "view", goal)`."""
    from access import rules

    return rules.can(viewer, "view", goal)


# --- Feedback ------------------------------------------------------------------------------------
#
# Feedback is between giver and receiver. Praise the giver made visible to the receiver's team
# or to everyone is seen there too (on the praise walls). Constructive feedback is private to
# the receiver, who may share any feedback they received with their manager: with that person
# (`Feedback.shared_with`), not with whoever manages them later, until the receiver takes it
# back. Nobody else reads feedback: not the chain above, not HR, not administrators. Feedback
# requests are seen by the requester and by each person asked (their own ask). A 360 cycle
# belongs to a scope (a team or the whole organisation): HR whose scope covers it runs it and
# sees its progress (counts), never answers; the participant's report is seen by their
# manager and HR in scope, and by the participant once released.


def feedback_visible_to(
    viewer: Viewer, queryset: QuerySet[Feedback] | None = None
) -> QuerySet[Feedback]:
    from feedback.models import Feedback, Kind, Visibility

    queryset = Feedback.objects.all() if queryset is None else queryset
    if viewer.person is None:
        return queryset.none()
    me = viewer.person
    praise = Q(kind=Kind.PRAISE)
    condition = (
        Q(giver=me)
        | Q(receiver=me)
        | Q(shared_with=me)
        | (praise & Q(visibility=Visibility.ORGANISATION) & current_q("receiver__"))
    )
    if me.team_id:
        condition |= praise & Q(visibility=Visibility.TEAM, receiver__team_id=me.team_id)
    return queryset.filter(condition)


def can_view_feedback(viewer: Viewer, feedback: Feedback) -> bool:
    from feedback.models import Kind, Visibility

    if viewer.person is None:
        return False
    me = viewer.person
    if me.pk in (feedback.giver_id, feedback.receiver_id):
        return True
    if feedback.shared_with_id == me.pk:
        return True
    receiver = feedback.receiver
    if feedback.kind != Kind.PRAISE:
        return False
    if feedback.visibility == Visibility.ORGANISATION:
        return not receiver.has_left
    return (
        feedback.visibility == Visibility.TEAM
        and me.team_id is not None
        and receiver.team_id == me.team_id
    )


def can_edit_feedback(viewer: Viewer, feedback: Feedback) -> bool:
    """The giver may correct their feedback until the receiver has read it."""
    return (
        viewer.person is not None
        and feedback.giver_id == viewer.person.pk
        and feedback.read_at is None
    )


def can_reply(viewer: Viewer, feedback: Feedback) -> bool:
    """Giver and receiver talk about it; others (a manager it was shared with, the team on a
    wall) may react but not reply."""
    return viewer.person is not None and viewer.person.pk in (
        feedback.giver_id,
        feedback.receiver_id,
    )


def can_share_with_manager(viewer: Viewer, feedback: Feedback) -> bool:
    """The receiver shares it with their manager of now, or takes back what they shared (also
    once that person manages them no longer, or nobody does)."""
    return (
        viewer.person is not None
        and feedback.receiver_id == viewer.person.pk
        and (viewer.person.manager_id is not None or feedback.shared_with_id is not None)
    )


def can_react(viewer: Viewer, feedback: Feedback) -> bool:
    return can_view_feedback(viewer, feedback)


def can_edit_feedback_settings(viewer: Viewer) -> bool:
    """The organisation's feedback settings (the 360 anonymity threshold): organisation-wide
    HR who may manage people."""
    return can_manage_people(viewer) and viewer.hr_scope_path == ""


def feedback_recipients_for(viewer: Viewer) -> QuerySet[Person]:
    """Whom the viewer may give feedback to or ask: anyone working here today but themselves."""
    if viewer.person is None:
        return Person.objects.none()
    return Person.objects.current().filter(is_active=True).exclude(pk=viewer.person.pk)


def feedback_requests_visible_to(
    viewer: Viewer, queryset: QuerySet[FeedbackRequest] | None = None
) -> QuerySet[FeedbackRequest]:
    from feedback.models import FeedbackAsk, FeedbackRequest

    queryset = FeedbackRequest.objects.all() if queryset is None else queryset
    if viewer.person is None:
        return queryset.none()
    me = viewer.person
    asked = FeedbackAsk.objects.filter(requestee=me).values("request_id")
    return queryset.filter(Q(requester=me) | Q(pk__in=asked))


def can_view_feedback_request(viewer: Viewer, request: FeedbackRequest) -> bool:
    """The requester sees the whole request; a person asked sees it (and their own ask)."""
    if viewer.person is None:
        return False
    me = viewer.person
    return request.requester_id == me.pk or request.asks.filter(requestee=me).exists()


def can_manage_review_cycles(viewer: Viewer) -> bool:
    """Set up 360 cycles (for their own scope or part of it) and see the list: HR."""
    return viewer.is_hr


def cycle_scope_path(cycle: ReviewCycle) -> str:
    """The team path a cycle belongs to: "" for the whole organisation."""
    return cycle.scope.path if cycle.scope is not None else ""


def can_manage_cycle(viewer: Viewer, cycle: ReviewCycle) -> bool:
    """Change, fill, advance and follow one cycle: HR whose scope covers the cycle's whole
    scope (and so every participant in it). HR scoped to one team does not run an
    organisation-wide cycle, nor another team's."""
    scope = viewer.hr_scope_path
    if scope is None:
        return False
    return scope == "" or (cycle.scope is not None and cycle.scope.path.startswith(scope))


def cycles_managed_by(
    viewer: Viewer, queryset: QuerySet[ReviewCycle] | None = None
) -> QuerySet[ReviewCycle]:
    """The cycles `can_manage_cycle` allows, in SQL."""
    from feedback.models import ReviewCycle

    queryset = ReviewCycle.objects.all() if queryset is None else queryset
    scope = viewer.hr_scope_path
    if scope is None:
        return queryset.none()
    if scope == "":
        return queryset
    return queryset.filter(scope__path__startswith=scope)


def can_nominate(viewer: Viewer, participant: ReviewParticipant) -> bool:
    return viewer.person is not None and participant.person_id == viewer.person.pk


def _manager_or_hr_covering(viewer: Viewer, participant: ReviewParticipant) -> bool:
    if viewer.person is None:
        return False
    return participant.manager_id == viewer.person.pk or viewer.hr_covers(participant.person)


def can_approve_nominations(viewer: Viewer, participant: ReviewParticipant) -> bool:
    """The participant's manager (as of the cycle's start), or HR who may manage the cycle
    (changing whom a participant is reviewed by changes the cycle)."""
    if not _manager_or_hr_covering(viewer, participant):
        return False
    me = viewer.person
    return (me is not None and participant.manager_id == me.pk) or can_manage_cycle(
        viewer, participant.cycle
    )


def can_release_report(viewer: Viewer, participant: ReviewParticipant) -> bool:
    return _manager_or_hr_covering(viewer, participant)


def can_view_review_report(viewer: Viewer, participant: ReviewParticipant) -> bool:
    """The aggregated report (never single anonymous answers): the manager and HR in scope
    (to prepare and release it), the participant once it is released."""
    if viewer.person is None:
        return False
    if participant.person_id == viewer.person.pk:
        return participant.released_at is not None
    return can_release_report(viewer, participant)


def review_invitations_of(
    viewer: Viewer, queryset: QuerySet[ReviewInvitation] | None = None
) -> QuerySet[ReviewInvitation]:
    """The reviews the viewer is asked to give."""
    from feedback.models import ReviewInvitation

    queryset = ReviewInvitation.objects.all() if queryset is None else queryset
    if viewer.person is None:
        return queryset.none()
    return queryset.filter(reviewer=viewer.person)
