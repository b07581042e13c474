"""What of Surveys waits for someone (Home's "waiting for you" and the navigation's count):
their open rounds not answered yet, and the actions of survey action plans they own, until
done or past their due day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from access.rules import visible
from cadence.waiting import Item, WaitingSource, waiting_source
from organisation import scope
from surveys.models import Invitation, SurveyAction
from surveys.rules import CHANGE

if TYPE_CHECKING:
    from access.viewer import Viewer


@waiting_source("surveys_to_answer", module="surveys", more_url="surveys:index")
class SurveysToAnswer(WaitingSource):
    """Open rounds the viewer was asked in and has not answered."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[Invitation]:
        return visible(viewer, Invitation, "answer")

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = self.first(
            viewer, today, limit, "round__closes_on", "pk", related=("round__survey",)
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


@waiting_source("survey_actions_owned", module="surveys", more_url="surveys:index")
class SurveyActionsOwned(WaitingSource):
    """Actions of survey action plans the viewer owns, not done, due today or later (the
    plan's page is where they are marked done)."""

    def pending(self, viewer: Viewer, today: date) -> QuerySet[SurveyAction]:
        if viewer.person is None:
            return SurveyAction.objects.none()
        # During a pilot, only for owners inside it (nothing of theirs waits outside it).
        return visible(viewer, SurveyAction, CHANGE).filter(
            scope.in_scope_q("owner__"),
            owner=viewer.person.pk,
            done_at__isnull=True,
            due_date__gte=today,
        )

    def items(self, viewer: Viewer, today: date, limit: int) -> list[Item]:
        rows = self.first(viewer, today, limit, "due_date", "pk", related=("plan__team",))
        return [
            Item(
                source=self.key,
                action=_("Complete"),
                what=action.text,
                note=_("An action of the survey action plan for %(team)s")
                % {"team": action.plan.team.name},
                due=action.due_date,
                url=reverse("surveys:plan", args=[action.plan_id]),
            )
            for action in rows
        ]
