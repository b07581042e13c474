"""Feedback reads that other modules' pages share, outside any view: what a manager's My team
shows of each report's feedback requests and 360 reviews, and what of the feedback module is
inside the pilot scope (`organisation.scope`), for every list, count and reminder.

Every read goes through the feedback rules (`access.rules.visible`), in a fixed number of
queries whatever the number of people: a manager sees only what the rules let them see (the
requests between them and a report, never the report's other requests; a 360 participant's
nominations, never who answered).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from access.rules import visible
from feedback.models import (
    AskStatus,
    CycleStatus,
    FeedbackAsk,
    Nomination,
    ReviewInvitation,
    ReviewParticipant,
)
from organisation import current, scope

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person


# --- Inside the pilot scope ----------------------------------------------------------------------
# What involves someone outside the pilot is in nobody's list, count or reminder: feedback from or
# to them, asks from or of them, 360 reviews of them or by them. Each stays on its own page for
# whoever may see it. No condition without a pilot.


def feedback_inside_q(prefix: str = "") -> Q:
    """SQL condition: a feedback (at `prefix`) whose giver and receiver are inside."""
    return scope.everyone_in_scope_q(f"{prefix}giver__", f"{prefix}receiver__")


def asks_inside_q(prefix: str = "") -> Q:
    """SQL condition: a feedback ask (at `prefix`) whose requester and person asked are
    inside."""
    return scope.everyone_in_scope_q(f"{prefix}requestee__", f"{prefix}request__requester__")


def requests_inside_q(me: Person | None) -> Q:
    """SQL condition: a feedback request of `me`'s with an ask inside, or asking `me` with
    `me`'s ask inside: what `me` sees of it in a list is inside."""
    if not current.settings().pilot:
        return Q()
    asks = FeedbackAsk.objects.filter(asks_inside_q(), request=OuterRef("pk")).filter(
        Q(requestee=me) | Q(request__requester=me)
    )
    return Q(Exists(asks))


def invitations_inside_q(prefix: str = "") -> Q:
    """SQL condition: a 360 invitation (at `prefix`) whose reviewer and person reviewed are
    inside."""
    return scope.everyone_in_scope_q(f"{prefix}reviewer__", f"{prefix}participant__person__")


def participants_inside_q(prefix: str = "") -> Q:
    """SQL condition: a 360 participant (at `prefix`) inside, with the manager who follows
    their review."""
    return scope.everyone_in_scope_q(f"{prefix}person__", f"{prefix}manager__")


# --- Between a manager and their reports ---------------------------------------------------------


@dataclass
class OpenAsks:
    """Open feedback requests between the viewer and one person."""

    to_me: list = field(default_factory=list)  # their asks to the viewer, still to answer
    from_me: int = 0  # the viewer's asks to them, not answered yet

    @property
    def count(self) -> int:
        return len(self.to_me) + self.from_me


def open_asks_between(viewer: Viewer, person_ids: list[int]) -> dict[int, OpenAsks]:
    """{person id: OpenAsks}: what the viewer may see of the open requests between them and
    each of these people (one query)."""
    me = viewer.person
    if me is None or not person_ids:
        return {}
    return open_asks_of(me.pk, asks_between(viewer, person_ids))


def asks_between(viewer: Viewer, person_ids: list[int]) -> QuerySet[FeedbackAsk]:
    """`open_asks_between`'s query (for whoever runs it: My team, with its SQL kept)."""
    me = viewer.person
    return (
        visible(viewer, FeedbackAsk)
        .filter(status=AskStatus.PENDING)
        .filter(
            Q(requestee=me, request__requester_id__in=person_ids)
            | Q(request__requester=me, requestee_id__in=person_ids)
        )
        .select_related("request")
        .only("pk", "requestee_id", "request__requester_id", "request__due_date")
        .order_by("request__due_date", "pk")
    )


def open_asks_of(me_id: int, asks: Iterable[FeedbackAsk]) -> dict[int, OpenAsks]:
    """`open_asks_between` from the asks its query (`asks_between`) loaded."""
    found: dict[int, OpenAsks] = {}
    for ask in asks:
        if ask.requestee_id == me_id:
            found.setdefault(ask.request.requester_id, OpenAsks()).to_me.append(ask)
        else:
            found.setdefault(ask.requestee_id, OpenAsks()).from_me += 1
    return found


@dataclass
class ReviewStatus:
    """A person's current 360 review as their manager sees it: the cycle, their nominations,
    the manager's own review of them, and whether the report waits to be released."""

    participant: ReviewParticipant
    peers: int = 0  # proposed or approved
    my_review_id: int | None = None  # the viewer's own review of them (an invitation), if open

    @property
    def cycle(self):
        return self.participant.cycle

    @property
    def nominating(self) -> bool:
        return self.cycle.status == CycleStatus.NOMINATING

    @property
    def not_nominated(self) -> bool:
        return self.nominating and self.participant.nominations_submitted_at is None

    @property
    def to_approve(self) -> bool:
        p = self.participant
        return (
            self.nominating
            and p.nominations_submitted_at is not None
            and not (p.nominations_approved_at)
        )

    @property
    def too_few_peers(self) -> bool:
        return self.nominating and self.peers < self.cycle.min_peers

    @property
    def reviewing(self) -> bool:
        return self.cycle.status == CycleStatus.REVIEWING

    @property
    def to_release(self) -> bool:
        return self.cycle.status == CycleStatus.CLOSED and self.participant.released_at is None


def review_status_of(viewer: Viewer, person_ids: list[int]) -> dict[int, ReviewStatus]:
    """{person id: ReviewStatus} for the people the viewer manages in a 360 cycle that is
    announced and not finished for them (open, or closed with the report not released yet);
    the latest cycle per person. One query whatever the count."""
    me = viewer.person
    if me is None or not person_ids:
        return {}
    return review_status_from(reviewed_participants(viewer, person_ids))


def reviewed_participants(viewer: Viewer, person_ids: list[int]) -> QuerySet[ReviewParticipant]:
    """`review_status_of`'s query (for whoever runs it: My team, with its SQL kept)."""
    me = viewer.person
    # The viewer's own review of the participant, when open: in the same query.
    my_review = visible(viewer, ReviewInvitation).filter(
        participant=OuterRef("pk"),
        participant__cycle__status=CycleStatus.REVIEWING,
        answered=False,
        declined=False,
    )
    return (
        visible(viewer, ReviewParticipant, "release_report")
        .filter(manager=me, person_id__in=person_ids)
        .exclude(cycle__status=CycleStatus.DRAFT)
        .filter(~Q(cycle__status=CycleStatus.CLOSED) | Q(released_at__isnull=True))
        .select_related("cycle")
        .annotate(
            peer_count=Count(
                "nominations",
                filter=Q(
                    nominations__status__in=[Nomination.Status.PROPOSED, Nomination.Status.APPROVED]
                ),
            ),
            my_review_id=Subquery(my_review.values("pk")[:1]),
        )
        .order_by("person_id", "-cycle__period_end", "-pk")
    )


def review_status_from(participants: Iterable[Any]) -> dict[int, ReviewStatus]:
    """`review_status_of` from the participants its query (`reviewed_participants`) loaded."""
    found: dict[int, ReviewStatus] = {}
    for participant in participants:
        if participant.person_id not in found:
            found[participant.person_id] = ReviewStatus(
                participant, peers=participant.peer_count, my_review_id=participant.my_review_id
            )
    return found
