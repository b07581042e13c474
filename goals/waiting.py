"""What of the goals module waits for someone (Home's list and the navigation's count; see
`cadence.waiting`): the viewer's own open goals needing attention (`goals.queries`). Every read
goes through the goals rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import (
    DurationField,
    ExpressionWrapper,
    IntegerField,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import visible
from cadence.waiting import Item, WaitingSource, kept_rows, waiting_source
from goals.models import (
    STALE_WEEKS,
    GoalSettings,
    Objective,
    ObjectiveQuerySet,
    needing_attention_q,
)
from goals.queries import attention_goals, attention_of, in_scope_q

if TYPE_CHECKING:
    from access.viewer import Viewer


def _mine(viewer: Viewer) -> ObjectiveQuerySet:
    # During a pilot, the viewer's goals wait only inside it, as they are listed (goals:mine).
    return visible(viewer, Objective.objects.all(), "change").filter(
        in_scope_q(), owner_person_id=viewer.person.pk if viewer.person is not None else None
    )


@waiting_source("goals_to_update", module="goals", more_url="goals:mine")
class GoalsToUpdate(WaitingSource):
    """The viewer's own open goals needing attention: not updated for a while, at risk or off
    track, or ending soon with little done."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[Objective]:
        # The count in SQL, from the stored progress (the list below reads the same reasons),
        # with the settings' weeks read in the same query: no query of its own on every page.
        weeks = Coalesce(
            Subquery(GoalSettings.objects.filter(pk=1).values("stale_after_weeks")[:1]),
            Value(GoalSettings._meta.get_field("stale_after_weeks").get_default()),
            output_field=IntegerField(),
        )
        stale_since = Value(timezone.now()) - ExpressionWrapper(
            Value(timedelta(weeks=1)) * weeks, output_field=DurationField()
        )
        return _mine(viewer).open().filter(needing_attention_q(stale_since))

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        stale_weeks = STALE_WEEKS.get()
        goals = kept_rows(
            viewer,
            today,
            (self.key, stale_weeks, limit),
            lambda: attention_goals(viewer, _mine(viewer), stale_weeks, limit),
        )
        return [
            Item(
                source=self.key,
                action=_("Update"),
                what=row.goal.title,
                note="; ".join(str(reason) for reason in row.reasons),
                due=row.goal.end_date,
                url=reverse("goals:goal", args=[row.goal.pk]),
            )
            for row in attention_of(goals, stale_weeks)["rows"]
        ]
