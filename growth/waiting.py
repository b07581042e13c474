"""What of Growth waits for someone (Home's list and the navigation's count; see
`cadence.waiting`): an assessment to complete, their own (rate yourself and share) or, for a
manager, a report's. Every read goes through the rules (`growth.rules`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from access.rules import shown, visible
from cadence.waiting import Item, WaitingSource, waiting_source
from growth.models import Assessment
from growth.rules import RATE_MANAGER, RATE_SELF, on_a_side
from organisation import scope
from people.models import current_q

if TYPE_CHECKING:
    from access.viewer import Viewer


@waiting_source("assessments_to_complete", module="growth", more_url="growth:index")
class AssessmentsToComplete(WaitingSource):
    """Assessments whose side of the viewer is not shared yet: their own, or, as the current
    manager, a report's (who works here, inside the pilot)."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[Assessment]:
        mine = visible(viewer, Assessment, RATE_SELF)
        theirs = visible(viewer, Assessment, RATE_MANAGER)
        # Both are about the viewer or their reports: said once more, outside the rules' OR
        # (`on_a_side`), it lets the database start from those few people (at 100,000 people
        # PostgreSQL otherwise read every assessment: 126 ms on every page the navigation
        # shows).
        return on_a_side(viewer, mine | theirs).filter(
            current_q("subject__"), scope.in_scope_q("subject__")
        )

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = self.first(
            viewer, today, limit, F("due_date").asc(nulls_last=True), "pk", related=("subject",)
        )
        me = viewer.person.pk if viewer.person is not None else None
        shown(viewer, rows)
        return [
            Item(
                source=self.key,
                action=_("Complete"),
                what=_("Your self-assessment")
                if assessment.subject_id == me
                else _("Assessment to complete"),
                whom="" if assessment.subject_id == me else assessment.subject.name,
                due=assessment.due_date,
                overdue=assessment.due_date is not None and assessment.due_date < today,
                url=reverse("growth:assessment", args=[assessment.pk]),
            )
            for assessment in rows
        ]
