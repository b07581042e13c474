"""Rounds open and close by themselves, everyone asked hears of it, those who have not
answered are reminded once, and Home lists what waits for them."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from surveys import rounds
from surveys.jobs import open_and_close_rounds, remind
from surveys.models import Invitation, Round, RoundStatus
from surveys.tests.factories import make_survey

pytestmark = pytest.mark.django_db


def at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9))


def test_a_pulse_opens_closes_and_opens_again_by_itself(cast, django_capture_on_commit_callbacks):
    start = timezone.localdate()
    survey = make_survey(team=cast.engineering, starts_on=start, every_days=14, open_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        open_and_close_rounds(at(start))
    open_and_close_rounds(at(start))  # twice: still one round
    assert Round.objects.filter(survey=survey).count() == 1
    first = Round.objects.get(survey=survey)
    assert first.closes_on == start + timedelta(days=4)
    assert {m.to[0] for m in mail.outbox} == {
        i.person.email for i in Invitation.objects.filter(round=first)
    }
    open_and_close_rounds(at(start + timedelta(days=5)))
    first.refresh_from_db()
    assert first.status == RoundStatus.CLOSED
    open_and_close_rounds(at(start + timedelta(days=14)))
    assert Round.objects.filter(survey=survey).count() == 2


def test_those_who_have_not_answered_are_reminded_once(cast):
    today = timezone.localdate()
    survey = make_survey(team=cast.engineering, starts_on=today, open_days=3)
    found = rounds.open_round(survey, today)
    answered = Invitation.objects.get(round=found, person=cast.alice)
    answered.answered = True
    answered.save()
    mail.outbox.clear()
    Notification.objects.all().delete()
    remind(at(today + timedelta(days=1)))
    remind(at(today + timedelta(days=1)))
    reminded = {m.to[0] for m in mail.outbox}
    assert cast.alice.email not in reminded
    assert cast.bob.email in reminded
    assert len(mail.outbox) == len(reminded)  # once each
    assert "nobody was told who has answered" in mail.outbox[0].body


def test_home_lists_the_round_to_answer_until_it_is_answered(login, cast):
    found = rounds.open_round(make_survey(name="Spring pulse", team=cast.engineering))
    alice = login(cast.alice)
    home = alice.get(reverse("home")).content.decode()
    invitation = Invitation.objects.get(round=found, person=cast.alice)
    assert reverse("surveys:answer", args=[invitation.pk]) in home
    invitation.answered = True
    invitation.save()
    assert reverse("surveys:answer", args=[invitation.pk]) not in alice.get("/").content.decode()


def test_run_jobs_runs_the_surveys_jobs(cast):
    make_survey(team=cast.engineering, starts_on=timezone.localdate())
    call_command("run_jobs", "survey-rounds")
    assert Round.objects.count() == 1
