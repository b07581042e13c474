"""What of the feedback module waits for someone (Home's list and the navigation's count; see
`cadence.waiting`): 360 reviews to answer, feedback requests to answer, peers to nominate,
nominations to approve, 360 reports to release, and, for HR, a cycle's next step. Every read
goes through the feedback rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from access.rules import shown, visible
from cadence.waiting import HORIZON_DAYS, Item, WaitingSource, waiting_source
from feedback.models import (
    AskStatus,
    CycleStatus,
    FeedbackAsk,
    RaterGroup,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
)
from feedback.queries import asks_inside_q, invitations_inside_q, participants_inside_q
from organisation import scope
from people.models import current_q

if TYPE_CHECKING:
    from access.viewer import Viewer


def _me(viewer: Viewer) -> int | None:
    return viewer.person.pk if viewer.person is not None else None


@waiting_source("reviews_owed", module="feedback", more_url="feedback:reviews", switch="reviews")
class ReviewsOwed(WaitingSource):
    """360 reviews the viewer is invited to give, in cycles whose reviews are open. During a
    pilot, only reviews by someone inside it of someone inside it wait, as only those are
    reminded (`feedback.reminders`)."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[ReviewInvitation]:
        return visible(viewer, ReviewInvitation, "answer").filter(
            invitations_inside_q(),
            participant__cycle__status=CycleStatus.REVIEWING,
            answered=False,
            declined=False,
        )

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = self.first(
            viewer,
            today,
            limit,
            "participant__cycle__answers_due",
            "pk",
            related=("participant__person", "participant__cycle"),
        )
        return [
            Item(
                source=self.key,
                action=_("Answer"),
                what=(
                    _("Your own 360 review")
                    if invitation.group == RaterGroup.SELF
                    else _("360 review")
                ),
                whom=(
                    ""
                    if invitation.group == RaterGroup.SELF
                    else invitation.participant.person.name
                ),
                note=invitation.participant.cycle.name,
                due=invitation.participant.cycle.answers_due,
                url=reverse("feedback:answer", args=[invitation.pk]),
            )
            for invitation in rows
        ]


@waiting_source("asks_to_answer", module="feedback", more_url="feedback:requests")
class AsksToAnswer(WaitingSource):
    """Feedback requests to the viewer not answered nor declined (from people still here).
    During a pilot, only asks of someone inside it from someone inside it wait, as only those
    are reminded (`feedback.reminders`): an ask of HR outside the scope, or from someone who
    left it, waits for nobody."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[FeedbackAsk]:
        return visible(viewer, FeedbackAsk, "answer").filter(
            current_q("request__requester__"), asks_inside_q(), status=AskStatus.PENDING
        )

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = self.first(
            viewer, today, limit, "request__due_date", "pk", related=("request__requester",)
        )
        shown(viewer, [ask.request for ask in rows])  # the requests they answer
        return [
            Item(
                source=self.key,
                action=_("Answer"),
                what=_("Feedback request"),
                whom=ask.request.requester.name,
                note=ask.request.topic,
                due=ask.request.due_date,
                url=reverse("feedback:ask_answer", args=[ask.pk]),
            )
            for ask in rows
        ]


@waiting_source(
    "peers_to_nominate", module="feedback", more_url="feedback:reviews", switch="reviews"
)
class PeersToNominate(WaitingSource):
    """The viewer's own 360: peers to propose while the cycle takes nominations."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[ReviewParticipant]:
        return visible(viewer, ReviewParticipant, "nominate").filter(
            scope.in_scope_q("person__"),
            cycle__status=CycleStatus.NOMINATING,
            nominations_submitted_at__isnull=True,
            nominations_approved_at__isnull=True,
        )

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = self.first(viewer, today, limit, "cycle__nominations_due", "pk", related=("cycle",))
        return [
            Item(
                source=self.key,
                action=_("Nominate"),
                what=_("Your 360 reviewers"),
                note=participant.cycle.name,
                due=participant.cycle.nominations_due,
                url=reverse("feedback:nominate", args=[participant.pk]),
            )
            for participant in rows
        ]


@waiting_source(
    "nominations_to_approve", module="feedback", more_url="feedback:reviews", switch="reviews"
)
class NominationsToApprove(WaitingSource):
    """Reports' proposed reviewers, submitted and waiting for their manager's approval."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[ReviewParticipant]:
        return visible(viewer, ReviewParticipant, "approve_nominations").filter(
            participants_inside_q(),
            manager_id=_me(viewer),
            cycle__status=CycleStatus.NOMINATING,
            nominations_submitted_at__isnull=False,
            nominations_approved_at__isnull=True,
        )

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = self.first(
            viewer, today, limit, "cycle__nominations_due", "pk", related=("cycle", "person")
        )
        shown(viewer, rows)  # whose 360 waits for them
        return [
            Item(
                source=self.key,
                action=_("Approve"),
                what=_("Proposed 360 reviewers"),
                whom=participant.person.name,
                note=participant.cycle.name,
                due=participant.cycle.nominations_due,
                url=reverse("feedback:approve", args=[participant.pk]),
            )
            for participant in rows
        ]


@waiting_source(
    "reports_to_release", module="feedback", more_url="feedback:reviews", switch="reviews"
)
class ReportsToRelease(WaitingSource):
    """Reports' 360 reports, final since the cycle closed, not yet released to them."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[ReviewParticipant]:
        return visible(viewer, ReviewParticipant, "release_report").filter(
            participants_inside_q(),
            manager_id=_me(viewer),
            cycle__status=CycleStatus.CLOSED,
            released_at__isnull=True,
        )

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = self.first(
            viewer, today, limit, "cycle__answers_due", "pk", related=("cycle", "person")
        )
        shown(viewer, rows)  # whose 360 waits for them
        return [
            Item(
                source=self.key,
                action=_("Release"),
                what=_("360 report"),
                whom=participant.person.name,
                note=participant.cycle.name,
                due=participant.cycle.answers_due,
                url=reverse("feedback:report", args=[participant.pk]),
            )
            for participant in rows
        ]


def _next_step_q(today: date) -> Q:
    """Cycles whose next step is HR's now: a draft to start, nominations closing soon or
    past, reviews closing soon or past."""
    soon = today + timedelta(days=HORIZON_DAYS)
    return (
        Q(status=CycleStatus.DRAFT)
        | Q(status=CycleStatus.NOMINATING, nominations_due__lte=soon)
        | Q(status=CycleStatus.REVIEWING, answers_due__lte=soon)
    )


@waiting_source("cycle_steps", module="feedback", more_url="feedback:reviews", switch="reviews")
class CycleSteps(WaitingSource):
    """HR: the cycles they run whose next step is due."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[ReviewCycle]:
        if not viewer.is_hr:
            return ReviewCycle.objects.none()
        return visible(viewer, ReviewCycle, "manage").filter(_next_step_q(today))

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        if not viewer.is_hr:
            return []
        rows = self.first(viewer, today, limit, "nominations_due", "pk")
        found = []
        for cycle in rows:
            if cycle.status == CycleStatus.DRAFT:
                action, note = _("Set up"), _("360 cycle: add participants, open nominations")
                due = cycle.nominations_due
            elif cycle.status == CycleStatus.NOMINATING:
                action, note = _("Open reviews"), _("360 cycle: nominations close")
                due = cycle.nominations_due
            else:
                action, note = _("Close reviews"), _("360 cycle: answers are due")
                due = cycle.answers_due
            found.append(
                Item(
                    source=self.key,
                    action=action,
                    what=cycle.name,
                    note=note,
                    due=due,
                    url=cycle.get_absolute_url(),
                )
            )
        return found
