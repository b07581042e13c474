"""Periodic work is a registry (`cadence.jobs`): each app adds its jobs from its own `jobs.py`,
and `manage.py run_jobs` runs them all (`run_schedules` is the same command, for cron lines
written before). No app imports another's reminders."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from cadence.jobs import registered
from conversations.models import Kind
from conversations.tests.factories import make_conversation


def command(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_each_app_registers_its_own_jobs_in_order():
    jobs = registered()
    assert [job.name for job in jobs] == [
        "conversations",
        "feedback-reminders",
        "email-changes",
        "signed-in-sessions",
        "plan-active-periods",
        "survey-rounds",
        "survey-reminders",
        "weekly-digest",
        "exports",
        "access-log",
        "rhythm-health",
        "skills-heatmap",
        "webhook-deliveries",
        "insights",
        "team-digests",
    ]
    assert [job.run.__module__ for job in jobs] == [
        "conversations.jobs",
        "feedback.jobs",
        "accounts.jobs",
        "accounts.jobs",
        "plans.jobs",
        "surveys.jobs",
        "surveys.jobs",
        "notifications.jobs",
        "trust.jobs",
        "trust.jobs",
        "conversations.jobs",
        "talent.jobs",
        "webhooks.jobs",
        "insights.jobs",
        "webhooks.jobs",
    ]
    assert command("run_jobs", "--list").splitlines() == [job.name for job in jobs]


def test_run_jobs_and_run_schedules_do_the_same_work(cast):
    make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, due=timezone.localdate() + timedelta(1))
    first = command("run_jobs").splitlines()
    assert first[0] == "Scheduled 6, cancelled 0; reminders: 2 upcoming, 0 overdue, 0 action items"
    assert [line.split(":")[0] for line in first[1:]] == ["insights"]  # computed the first time
    sent = len(mail.outbox)
    assert sent == 2
    again = command("run_schedules")
    assert again == "Scheduled 0, cancelled 0; reminders: 0 upcoming, 0 overdue, 0 action items"
    assert len(mail.outbox) == sent


def test_one_job_runs_alone_by_name(cast):
    make_conversation(cast.alice, kind=Kind.ONE_ON_ONE, due=timezone.localdate() + timedelta(1))
    assert command("run_jobs", "feedback-reminders", "email-changes") == ""
    assert not mail.outbox  # the conversations job did not run


def test_an_unknown_job_is_an_error():
    with pytest.raises(CommandError, match="No such job: nightly"):
        call_command("run_jobs", "nightly")
