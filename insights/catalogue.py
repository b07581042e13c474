"""What Insights counts of people, for My data: nothing of its own about anyone (its snapshots
hold figures of groups), but its per-group charts count each person working here among their
team's and their manager's reports (`insights.grouping`), an aggregate."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from access.catalogue import Aggregate, register_aggregate
from conversations.models import RHYTHM_KINDS, Conversation
from feedback.models import Feedback, ReviewParticipant
from goals.models import Objective
from growth.models import Assessment
from plans.models import PlanAction


def counted(person_id: int) -> list[QuerySet[Any]]:
    """The person's items the per-group charts count while they work here (rhythm
    conversations, feedback given and received, goals, development actions, assessments, 360
    reviews of them). My data, the one place that asks, is only ever shown to people who work
    here: someone who has left can no longer sign in."""
    return [
        Conversation.objects.filter(employee=person_id, kind__in=RHYTHM_KINDS),
        Feedback.objects.filter(Q(giver=person_id) | Q(receiver=person_id)),
        Objective.objects.filter(owner_person=person_id),
        PlanAction.objects.filter(plan__person=person_id),
        Assessment.objects.filter(subject=person_id),
        ReviewParticipant.objects.filter(person=person_id),
    ]


register_aggregate(
    Aggregate(
        "insights.group_figures",
        _("Insights of your team"),
        _(
            "While you work here, whether your check-ins and reviews were held in their "
            "window, how much feedback you gave and received (counts only), your goals' "
            "progress, whether your development plan is active and your levels assessed, and "
            "your 360 participation count in Insights' figures of your team and of your "
            "manager's direct reports: together with at least four other people's, never "
            "under your name. Your manager reads those of their direct reports; your team's "
            "leads up the line and HR for your part of the organisation read your team's."
        ),
        counted=counted,
        module="insights",
    ),
)
