"""What of the development plan waits for someone (Home's list and the navigation's count; see
`cadence.waiting`): the viewer's own plan's actions past their due date, still open."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from access.rules import visible
from cadence.waiting import Item, WaitingSource, waiting_source
from plans.models import OPEN_STATUSES, PlanAction

if TYPE_CHECKING:
    from access.viewer import Viewer


@waiting_source("plan_to_update", module="growth", more_url="plans:mine")
class PlanToUpdate(WaitingSource):
    """Open actions of my plan whose due date has passed: done, moved on, or a new date."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[PlanAction]:
        # Only their own plan's: "change" is the owner's alone (`plans.rules`).
        return visible(viewer, PlanAction.objects.all(), "change").filter(
            status__in=OPEN_STATUSES, due_date__lt=today
        )

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = self.first(viewer, today, limit, "due_date", "pk")
        return [
            Item(
                source=self.key,
                action=_("Update"),
                what=action.title,
                note=_("An action of your development plan, past its due date"),
                due=action.due_date,
                url=reverse("plans:edit_action", args=[action.pk]),
                overdue=True,
            )
            for action in rows
        ]
