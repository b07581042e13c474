"""What erasure (`trust.erasure`) does to the goals module's data.

The person's own goals keep their numbers, dates, status and place in the alignment tree (goal
counts and progress roll-ups stay right) but lose their words: titles, descriptions, key
results' titles, progress comments, the reasons and the old and new wording of adjustments.
What they wrote on other goals (progress comments, adjustment reasons) goes too. Team and
company goals they edited stay as they are: their wording is the organisation's.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from goals.models import Adjustment, GoalTemplate, KeyResult, Objective, ProgressUpdate
from trust.erasure import Changed, Erasing, Replace, Step, changes, keep, register


class AdjustedValues(Step):
    """The old and new values of their goals' adjustments (a title, a target): what the
    adjustment changed stays listed, its values are the placeholder."""

    def covers(self) -> Iterable[str]:
        return ("goals.Adjustment.changes",)

    def run(self, erasing: Erasing) -> Changed:
        changed = []
        for adjustment in Adjustment.objects.filter(objective__owner_person=erasing.person):
            values = [
                {**change, "old": erasing.removed, "new": erasing.removed}
                if isinstance(change, dict)
                else change
                for change in adjustment.changes or []
            ]
            if values != adjustment.changes:
                adjustment.changes = values
                changed.append(adjustment)
        Adjustment.objects.bulk_update(changed, ["changes"], batch_size=500)
        return changes(Adjustment, (adjustment.pk for adjustment in changed))


register(
    Replace(Objective, ("title", "description"), lambda pk: Q(owner_person=pk)),
    Replace(KeyResult, ("title",), lambda pk: Q(objective__owner_person=pk)),
    Replace(ProgressUpdate, ("comment",), lambda pk: Q(objective__owner_person=pk) | Q(author=pk)),
    Replace(Adjustment, ("reason",), lambda pk: Q(objective__owner_person=pk) | Q(author=pk)),
    AdjustedValues(),
)
keep(Objective, ("path",), "the ids of the alignment tree")
keep(KeyResult, ("unit",), "a unit of measure")
keep(GoalTemplate, ("title", "description", "key_results"), "HR's goal templates")
