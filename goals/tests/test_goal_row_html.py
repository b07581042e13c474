"""A goal list's rows are written in Python (`goal_tags.goal_row_html`): byte for byte what
the row's template (`goals/_goal_row.html`, still what an update answers with) writes, for
every kind of row."""

from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.utils import timezone, translation

from access.viewer import Viewer
from goals.models import Objective, Status
from goals.queries import ROW_RELATED, GoalRow
from goals.templatetags.goal_tags import RowWords, goal_row_html
from goals.tests.factories import make_goal


def rows_of(cast):
    ends_soon = timezone.localdate() + timedelta(days=5)
    goals = [
        make_goal(cast.alice, title="Alice's <goal> & more", key_results=[(0, 10, 3)]),
        make_goal(cast.alice, title="Stale", key_results=[(0, 10, 10), (0, 5, 1)]),
        make_goal(cast.bob, title="No progress yet"),
        make_goal(team=cast.platform, title='Platform\'s "quoted" goal'),
        make_goal(title="Company goal", key_results=[(0, 4, 1)]),
        make_goal(cast.alice, title="At risk", status=Status.AT_RISK, end_date=ends_soon),
        make_goal(cast.alice, title="Done", status=Status.DONE, manual_progress=100),
    ]
    Objective.objects.filter(title="Stale").update(
        last_activity_at=timezone.now() - timedelta(days=90)
    )
    loaded = (
        Objective.objects.filter(pk__in=[goal.pk for goal in goals])
        .select_related(*ROW_RELATED)
        .with_key_results()
        .order_by("pk")
    )
    return list(loaded)


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave"])
def test_a_row_is_written_as_the_template_writes_it(cast, who, language):
    viewer = Viewer(person=getattr(cast, who))
    goals = rows_of(cast)
    with translation.override(language):
        assert_the_same(goals, viewer)
    assert any(GoalRow.of(goal, viewer, 4).reasons for goal in goals)


def assert_the_same(goals, viewer):
    shared = RowWords()  # as a list's rows share what they say (`goal_rows`)
    for stored in (False, True):
        for goal in goals:
            row = GoalRow.of(goal, viewer, 4, stored_progress=stored)
            for team_url in ("/goals/team/", "/goals/company/"):
                context = {"row": row, "team_url": team_url}
                expected = render_to_string("goals/_goal_row.html", context)
                assert goal_row_html(row, team_url) == expected
                assert goal_row_html(row, team_url, words=shared) == expected
            said = [Message(constants.SUCCESS, "Progress on “<b>” is saved.")]
            context = {"row": row, "team_url": "/goals/team/", "saved": True, "messages": said}
            assert goal_row_html(row, "/goals/team/", said) == render_to_string(
                "goals/_goal_row.html", context
            )
