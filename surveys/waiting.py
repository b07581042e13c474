"""What of Surveys waits for someone: their open rounds not answered yet (Home's "waiting for
you" and the navigation's count)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from access.rules import visible
from cadence.waiting import Item, WaitingSource, waiting_source
from surveys.models import Invitation

if TYPE_CHECKING:
    from access.viewer import Viewer


@waiting_source("surveys_to_answer", module="surveys", more_url="surveys:index")
class SurveysToAnswer(WaitingSource):
    """Open rounds the viewer was asked in and has not answered."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[Invitation]:
        return visible(viewer, Invitation, "answer")

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = (
            self.pending(viewer, today)
            .select_related("round__survey")
            .order_by("round__closes_on", "pk")[:limit]
        )
        return [
            Item(
                source=self.key,
                action=_("Answer"),
                what=_("Survey"),
                note=invitation.round.survey.name,
                due=invitation.round.closes_on,
                url=reverse("surveys:answer", args=[invitation.pk]),
            )
            for invitation in rows
        ]
