"""The export's ZIP: a JSON and a CSV file for every kind of the catalogue, the rows each item
owns, a README in the person's language, nothing the person may not see, no formula a
spreadsheet would run."""

import pytest
from django.utils import timezone

from access import catalogue
from access.catalogue import DataKind
from feedback.models import ReviewParticipant
from people.models import Person
from trust import exporting
from trust.tests.export_helpers import FORMULA, Archive, alices_history


@pytest.fixture
def history(cast):
    return alices_history(cast)


def export_of(person, language="en"):
    return Archive(exporting.archive(person, language))


def test_every_kind_of_the_catalogue_has_a_json_and_a_csv_file(cast, history):
    archive = export_of(cast.alice)
    for kind in catalogue.registered():
        assert f"{kind.key}.json" in archive.names, kind.key
        assert f"{kind.key}.csv" in archive.names, kind.key
        assert archive.json(kind.key)["kind"] == kind.key
    assert "README.txt" in archive.names
    assert archive.folder == f"cadence-export-{timezone.localdate().isoformat()}"


def test_the_readme_explains_every_kind_and_its_files(cast, history):
    readme = export_of(cast.alice).text("README.txt")
    assert "Alice Employee (alice@example.com)" in readme
    for kind in catalogue.registered():
        assert str(kind.label) in readme
        assert f"{kind.key}.csv" in readme
    assert "goals.team.key_results.csv" in readme
    assert "  - giver_name: from" in readme
    assert "private notes your manager keeps" in readme


def test_the_readme_is_in_the_persons_language(cast, history):
    readme = export_of(cast.alice, "nl").text("README.txt")
    assert "Profiel" in readme
    assert "  - email: e-mailadres" in readme


def test_each_kind_holds_alices_own_items(cast, history):
    archive = export_of(cast.alice)
    assert [p["email"] for p in archive.items("people.profile")] == ["alice@example.com"]
    assert archive.items("people.employment")[0]["level"] == 2
    assert [g["title"] for g in archive.items("goals.team")] == ["Ship the API"]
    assert [g["title"] for g in archive.items("goals.private")] == ["Learn Rust"]
    assert archive.items("goals.public") == []
    assert [n["text"] for n in archive.items("conversations.notes")] == ["We agreed on the plan."]
    assert [n["text"] for n in archive.items("conversations.private_notes")] == [
        "Ask for the conference budget."
    ]
    assert [a["text"] for a in archive.items("conversations.actions")] == ["Draft the proposal"]
    assert [f["text"] for f in archive.items("feedback.given")] == ["Great demo, Bob"]
    assert [r["topic"] for r in archive.items("feedback.requests")] == ["My talk at the meetup"]
    assert [r["cycle_name"] for r in archive.items("feedback.reviews")] == ["Spring 360"]
    invitations = archive.items("feedback.review_invitations")
    assert {(i["participant_person_name"], i["group"]) for i in invitations} == {
        ("Alice Employee", "self"),
        ("Bob Manager", "report"),
    }


def test_rows_an_item_owns_are_in_its_json_and_in_a_csv_of_their_own(cast, history):
    archive = export_of(cast.alice)
    goal = archive.items("goals.team")[0]
    assert [k["current_value"] for k in goal["key_results"]] == [4.0]
    assert [(u["comment"], u["author_name"]) for u in goal["updates"]] == [
        ("Halfway there", "Bob Manager")
    ]
    updates = archive.csv("goals.team.updates.csv")
    assert [(u["item_id"], u["comment"]) for u in updates] == [(str(goal["id"]), "Halfway there")]
    received = archive.items("feedback.received")[0]
    assert [r["text"] for r in received["replies"]] == ["Thanks, Dave"]
    asks = archive.items("feedback.requests")[0]["asks"]
    assert [(a["requestee_name"], a["status"]) for a in asks] == [("Dave Peer", "pending")]


def test_nothing_alice_may_not_see_is_in_her_export(cast, history):
    everything = export_of(cast.alice).everything()
    assert "Seems tired" not in everything  # Bob's private note about her conversation
    assert "Bob's own private plan" not in everything
    assert "Dave to Bob, private" not in everything
    # Her 360 report is not released yet: no figure, no comment, not the reviewers.
    assert "Keep mentoring" not in everything
    assert "Reviewer 000" not in everything


def test_a_released_report_is_exported_without_saying_who_answered(cast, history):
    ReviewParticipant.objects.filter(pk=history.pk).update(released_at=timezone.now())
    archive = export_of(cast.alice)
    report = archive.items("feedback.review_reports")[0]
    assert report["cycle_name"] == "Spring 360"
    figures = {(f["question"], f["group"]): f["mean"] for f in report["figures"]}
    assert figures[("Explains decisions clearly", "Peers")] == 5.0
    assert figures[("Explains decisions clearly", "Manager")] == 3.0
    comments = {(c["group"], c["comment"]) for c in report["comments"]}
    assert ("Peers", "Keep mentoring (peer)") in comments
    assert len(archive.csv("feedback.review_reports.comments.csv")) == len(report["comments"])
    assert "Reviewer 000" not in archive.everything()


def test_a_manager_exports_their_own_data_not_their_reports(cast, history):
    everything = export_of(cast.bob).everything()
    assert "Seems tired; ask about workload." in everything  # his own private note
    assert "Bob's own private plan" in everything
    assert "Ask for the conference budget." not in everything  # Alice's private note
    assert "Learn Rust" not in everything
    assert "Keep mentoring" not in everything  # Alice's report is about her, not him


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(cast, history):
    archive = export_of(cast.alice)
    assert archive.csv("feedback.received.csv")[0]["text"] == "'" + FORMULA
    assert archive.items("feedback.received")[0]["text"] == FORMULA
    assert archive.text("feedback.received.csv").startswith("id,")


def test_a_kind_registered_later_is_exported_with_its_plain_fields_but_secrets(
    cast, history, monkeypatch
):
    monkeypatch.setattr(catalogue, "_kinds", dict(catalogue._kinds))
    by_model = {model: list(kinds) for model, kinds in catalogue._by_model.items()}
    monkeypatch.setattr(catalogue, "_by_model", by_model)
    catalogue.register(DataKind("later.account", "Account", Person, subject="pk"))
    archive = export_of(cast.alice)
    [account] = archive.items("later.account")
    assert account["email"] == "alice@example.com"
    assert "password" not in account
    assert "password" not in archive.text("later.account.csv")
    assert "later.account.csv" in archive.text("README.txt")


def test_the_export_reads_a_fixed_number_of_queries_per_kind(
    cast, history, django_assert_max_num_queries
):
    # Items, their relations and the rows they own are loaded per kind, not per item; and
    # per column naming other objects by id (a note's conversation), which of them she sees.
    # 54: with the development plan's kinds and Growth's assessments and ratings (their goals
    # and feedback prefetched), succession's and mobility's kinds (50 on main, whose pin of 47
    # was not moved with them) and the talent reviews' four.
    with django_assert_max_num_queries(54):
        exporting.archive(cast.alice, "en")
