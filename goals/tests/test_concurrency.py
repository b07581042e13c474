"""Two people updating the same key result at the same moment: neither update is lost.

Real threads, each with its own database connection and transaction, meet at a barrier and
call `record_progress` together. On PostgreSQL the key result's row lock serialises them; on
SQLite (a file database in the test settings, so that threads share it) the IMMEDIATE
transactions do. Either way both updates are kept, and the current value is the latest update
by time, whichever transaction happened to commit last.
"""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from goals.models import KeyResult, Objective, ProgressUpdate, record_progress
from goals.tests.factories import make_goal

ROUNDS = 5


def update_together(*updates):
    """Run each (author, goal id, key result id, value, at) in its own thread, all at once."""
    barrier = threading.Barrier(len(updates))
    errors = []

    def update(author, goal_id, result_id, value, at):
        try:
            goal = Objective.objects.get(pk=goal_id)
            result = KeyResult.objects.get(pk=result_id)
            barrier.wait()
            record_progress(goal, author=author, key_result=result, value=value, at=at)
        except Exception as error:  # reported by the test below
            barrier.abort()  # the others stop waiting for this one
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=update, args=arguments) for arguments in updates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_two_people_updating_a_key_result_at_once_lose_neither_update(cast):
    goal = make_goal(cast.alice, key_results=[(0, 100, 0)])
    result = goal.key_results.get()
    now = timezone.now()
    for round_ in range(ROUNDS):
        earlier = now + timedelta(minutes=2 * round_)
        later = earlier + timedelta(seconds=1)
        # Alice reports later than Bob, whoever's transaction commits last.
        update_together(
            (cast.alice, goal.pk, result.pk, Decimal(40 + round_), later),
            (cast.bob, goal.pk, result.pk, Decimal(60 + round_), earlier),
        )
        result.refresh_from_db()
        assert result.current_value == Decimal(40 + round_)
        assert result.updated_at == later

    updates = ProgressUpdate.objects.filter(key_result=result)
    assert updates.count() == 2 * ROUNDS
    assert sorted(updates.values_list("author__email", flat=True)) == sorted(
        ["alice@example.com", "bob@example.com"] * ROUNDS
    )
    goal.refresh_from_db()
    assert goal.last_activity_at == later
    assert goal.progress_cache == pytest.approx((40 + ROUNDS - 1) / 100)


@pytest.mark.django_db
def test_a_late_arriving_earlier_update_leaves_the_key_result_updated_at_the_latest(cast):
    goal = make_goal(cast.alice, key_results=[(0, 100, 0)])
    result = goal.key_results.get()
    now = timezone.now()
    record_progress(goal, author=cast.alice, key_result=result, value=Decimal(40), at=now)
    record_progress(
        goal, author=cast.bob, key_result=result, value=Decimal(60), at=now - timedelta(hours=1)
    )
    result.refresh_from_db()
    assert result.current_value == Decimal(40)
    assert result.updated_at == now


@pytest.mark.django_db
def test_a_late_arriving_earlier_update_leaves_the_own_progress_at_the_latest(cast):
    goal = make_goal(cast.alice, kind="behavioural")
    now = timezone.now()
    record_progress(goal, author=cast.alice, value=Decimal(70), at=now)
    record_progress(goal, author=cast.bob, value=Decimal(30), at=now - timedelta(hours=1))
    goal.refresh_from_db()
    assert goal.manual_progress == Decimal(70)
    assert goal.progress_cache == pytest.approx(0.7)
