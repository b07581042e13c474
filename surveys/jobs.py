"""The surveys module's periodic work (run by `manage.py run_jobs`, see `cadence.jobs`): rounds
open and close by themselves, and those who have not answered are reminded once, two days
before a round closes. Each step is idempotent and safe beside another run: a round's number
is unique per survey and opening re-checks under the survey's lock; closing locks the round
and leaves a closed one alone; a reminder is claimed by setting its day before it is sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from cadence.jobs import job
from surveys import rounds
from surveys.models import Invitation, RoundStatus
from surveys.tasks import tell

REMIND_DAYS_BEFORE = 2


@job("survey-rounds", order=70, module="surveys")
def open_and_close_rounds(now: datetime) -> str | None:
    today = timezone.localdate(now)
    closed = 0
    for found in rounds.due_to_close(today):
        rounds.close_round(found)
        closed += 1
    opened = 0
    for survey in rounds.due_rounds(today):
        if rounds.open_round(survey, today, only_if_due=True) is not None:
            opened += 1
    if not opened and not closed:
        return None
    return f"surveys: {opened} rounds opened, {closed} closed"


@job("survey-reminders", order=71, module="surveys")
def remind(now: datetime) -> str | None:
    today = timezone.localdate(now)
    due = Invitation.objects.filter(
        round__status=RoundStatus.OPEN,
        round__closes_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        round__opens_on__lt=today,
        answered=False,
        last_reminded_on__isnull=True,
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)[:5000]):
        claimed = Invitation.objects.filter(pk=pk, last_reminded_on__isnull=True).update(
            last_reminded_on=today
        )
        if claimed:
            tell.enqueue("survey_reminder", pk)
            sent += 1
    return f"surveys: {sent} reminders" if sent else None
