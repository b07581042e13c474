"""Export of one's own feedback: CSV (formula injection neutralised) or JSON."""

import csv
import io
import json

import pytest
from django.urls import reverse

from feedback.models import Kind, Reply, Visibility
from feedback.tests.factories import give
from goals.tests.factories import make_goal

EXPORT = reverse("feedback:export")


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def json_rows(response):
    return json.loads(response.content)["feedback"]


@pytest.fixture
def some(cast):
    received = give(cast.dave, cast.alice, text="From Dave", kind=Kind.CONSTRUCTIVE)
    Reply.objects.create(feedback=received, author=cast.alice, text="Thanks, Dave")
    given = give(cast.alice, cast.bob, text="To Bob", visibility=Visibility.ORGANISATION)
    # Not Alice's own: praise she may see on the wall, and feedback between others.
    give(cast.carol, cast.bob, text="Carol to Bob, for all", visibility=Visibility.ORGANISATION)
    give(cast.dave, cast.bob, text="Dave to Bob, private", kind=Kind.CONSTRUCTIVE)
    return received, given


def test_csv_has_the_viewers_received_and_given_feedback_with_replies(login, cast, some):
    response = login(cast.alice).get(EXPORT, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert ".csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert sorted((r["direction"], r["from"], r["to"], r["text"]) for r in rows) == [
        ("given", "Alice Employee", "Bob Manager", "To Bob"),
        ("received", "Dave Peer", "Alice Employee", "From Dave"),
    ]
    received = next(r for r in rows if r["direction"] == "received")
    assert "Alice Employee: Thanks, Dave" in received["replies"]
    assert received["kind"] == "constructive"


def test_csv_is_the_default(login, cast, some):
    response = login(cast.alice).get(EXPORT)
    assert response["Content-Type"].startswith("text/csv")


def test_json_has_the_same_feedback(login, cast, some):
    response = login(cast.alice).get(EXPORT, {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    rows = json_rows(response)
    assert sorted(r["text"] for r in rows) == ["From Dave", "To Bob"]
    received = next(r for r in rows if r["direction"] == "received")
    assert [(r["author"], r["text"]) for r in received["replies"]] == [
        ("Alice Employee", "Thanks, Dave")
    ]


def test_nobody_elses_feedback_is_exported(login, cast, some):
    for person in (cast.erin, cast.frank, cast.carol):
        rows = json_rows(login(person).get(EXPORT, {"format": "json"}))
        texts = {r["text"] for r in rows}
        assert "From Dave" not in texts and "Dave to Bob, private" not in texts
    assert json_rows(login(cast.erin).get(EXPORT, {"format": "json"})) == []
    bob = {r["text"] for r in json_rows(login(cast.bob).get(EXPORT, {"format": "json"}))}
    assert bob == {"To Bob", "Carol to Bob, for all", "Dave to Bob, private"}


def test_shared_feedback_is_not_in_the_managers_export(login, cast, some):
    from django.utils import timezone

    received, _given = some
    received.shared_with_manager_at = timezone.now()
    received.shared_with = cast.bob
    received.save()
    texts = {r["text"] for r in json_rows(login(cast.bob).get(EXPORT, {"format": "json"}))}
    assert "From Dave" not in texts


def test_a_goal_title_is_exported_only_when_the_viewer_may_see_the_goal(login, cast):
    goal = make_goal(cast.alice, title="Alice's private plan", visibility="private")
    give(cast.bob, cast.alice, text="About it", goal=goal)
    assert json_rows(login(cast.alice).get(EXPORT, {"format": "json"}))[0]["goal"] == (
        "Alice's private plan"
    )
    goal.visibility = "private"
    goal.owner_person = cast.dave
    goal.save()  # now Dave's private goal: Alice may not see it
    assert json_rows(login(cast.alice).get(EXPORT, {"format": "json"}))[0]["goal"] == ""


def test_formulas_in_feedback_are_neutralised_in_the_csv(login, cast):
    give(cast.dave, cast.alice, text='=HYPERLINK("http://evil","click")')
    feedback = give(cast.dave, cast.alice, text="Fine")
    Reply.objects.create(feedback=feedback, author=cast.alice, text="@SUM(A1)")
    cast.dave.name = "+Dave"
    cast.dave.save()
    rows = csv_rows(login(cast.alice).get(EXPORT))
    cells = [value for row in rows for value in row.values()]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert '\'=HYPERLINK("http://evil","click")' in cells
    assert "'+Dave" in cells


@pytest.mark.parametrize("kind", ["xml", "", "x" * 200])
def test_an_unknown_format_is_400(login, cast, kind):
    assert login(cast.alice).get(EXPORT, {"format": kind}).status_code == 400


def test_the_export_needs_sign_in(client, db):
    response = client.get(EXPORT)
    assert response.status_code == 302
