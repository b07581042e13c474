"""What Insights counts of people, for My data: nothing of its own about anyone (its snapshots
hold figures of groups), but its per-group charts count each person working here among their
team's and their manager's reports (`insights.grouping`), an aggregate."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from access.catalogue import Aggregate, register_aggregate
from conversations.models import RHYTHM_KINDS, Conversation
from feedback.models import Feedback, ReviewParticipant
from goals.models import Objective
from growth.models import Assessment
from plans.models import PlanAction


def counted(person: Any) -> int:
    """The person's items the per-group charts count (rhythm conversations, feedback given and
    received, goals, development actions, assessments, 360 reviews of them): one query."""
    if person.has_left:
        return 0
    parts = [
        Conversation.objects.filter(employee=person, kind__in=RHYTHM_KINDS),
        Feedback.objects.filter(Q(giver=person) | Q(receiver=person)),
        Objective.objects.filter(owner_person=person),
        PlanAction.objects.filter(plan__person=person),
        Assessment.objects.filter(subject=person),
        ReviewParticipant.objects.filter(person=person),
    ]
    first, *rest = [part.order_by().values_list("pk") for part in parts]
    return first.union(*rest, all=True).count()


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
        counts=counted,
        module="insights",
    ),
)
