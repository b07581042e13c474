"""What Insights counts of people, for My data: nothing of its own about anyone (its snapshots
hold figures of groups), but its per-group charts count each person working here among their
team's and their manager's reports (`insights.grouping`), an aggregate."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from access.catalogue import Aggregate, register_aggregate

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
        counts=lambda person: 0 if person.has_left else 1,
        module="insights",
    ),
)
