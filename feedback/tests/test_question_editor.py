"""HR's question editor for a 360 cycle (issue 14, point 4): questions are rows (rating or open,
text, competency, words for the scale's points, order) that HR adds, changes, moves and
removes while the cycle is a draft, every button a small form that works without JavaScript;
our question bank to start from; and a preview that is the answering page itself."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.models import HRRole
from feedback.models import RaterGroup, ReviewAnswer, ReviewQuestion
from feedback.question_bank import BANK, BY_KEY
from feedback.tests.factories import add_participant, invite, make_cycle

LABELS = ["Rarely", "Sometimes", "Often", "Very often", "Nearly always"]


def url(name, cycle, *more):
    return reverse(f"feedback:{name}", args=[cycle.pk, *more])


def texts(cycle):
    return [q.text for q in cycle.questions.order_by("position", "pk")]


def page_text(response):
    return " ".join(response.content.decode().split())


def question_form(**overrides):
    data = {
        "kind": "rating",
        "text": "Makes meetings worth the time.",
        "competency": "Collaboration",
        **{f"scale_{n}": label for n, label in enumerate(LABELS, start=1)},
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(cast):
    return make_cycle("Draft 360", status="draft")


# --- The list -----------------------------------------------------------------------------------


def test_the_editor_lists_the_questions_in_order_with_kind_and_competency(login, cast, draft):
    ReviewQuestion.objects.filter(cycle=draft, position=0).update(
        competency="Communication", scale_labels=LABELS
    )
    response = login(cast.erin).get(url("cycle_questions", draft))
    assert response.status_code == 200
    page = page_text(response)
    assert page.index("Communicates clearly") < page.index("What should they keep doing?")
    assert "Communication" in page and "Rating 1–5" in page and "Open answer" in page
    assert "1 Rarely" in page and "5 Nearly always" in page
    assert "Add a question" in page and "Question bank" in page
    # No code left to learn: nothing about "?" or "[Competency]".
    assert "[Competency]" not in page and "Open:" not in page


def test_the_cycle_page_and_the_cycle_form_link_to_the_editor_and_the_preview(login, cast, draft):
    client = login(cast.erin)
    assert url("cycle_questions", draft) in client.get(draft.get_absolute_url()).content.decode()
    edit = client.get(url("cycle_edit", draft)).content.decode()
    assert url("cycle_questions", draft) in edit and url("cycle_preview", draft) in edit
    assert 'name="questions"' not in edit


# --- Adding, changing, moving, removing ---------------------------------------------------------


def test_hr_adds_a_rating_question_with_words_for_the_scale(login, cast, draft):
    client = login(cast.erin)
    page = client.get(url("cycle_question_new", draft))
    assert page.status_code == 200
    # The bank's words, to keep or change.
    assert [page.context["form"][f"scale_{n}"].value() for n in range(1, 6)] == LABELS
    response = client.post(url("cycle_question_new", draft), question_form())
    assert response.status_code == 302
    question = draft.questions.order_by("position").last()
    assert response["Location"].endswith(f"#question-{question.pk}")
    assert (question.text, question.kind, question.competency, question.position) == (
        "Makes meetings worth the time.",
        "rating",
        "Collaboration",
        2,
    )
    assert question.scale_labels == LABELS


def test_an_open_question_keeps_no_scale_and_empty_words_are_none(login, cast, draft):
    client = login(cast.erin)
    client.post(url("cycle_question_new", draft), question_form(kind="open", text="Anything else?"))
    client.post(
        url("cycle_question_new", draft),
        question_form(text="Plain", **{f"scale_{n}": "  " for n in range(1, 6)}),
    )
    added = list(draft.questions.order_by("position"))[-2:]
    assert [(q.text, q.kind, q.scale_labels) for q in added] == [
        ("Anything else?", "open", []),
        ("Plain", "rating", []),
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 301}, "text"),
        ({"kind": "essay"}, "kind"),
        ({"competency": "c" * 121}, "competency"),
        ({"scale_3": "w" * 41}, "scale_3"),
        ({"text": "Null\x00byte"}, "text"),
    ],
)
def test_a_bad_question_is_refused_on_its_field_keeping_what_was_typed(
    login, cast, draft, overrides, field
):
    response = login(cast.erin).post(url("cycle_question_new", draft), question_form(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'value="Collaboration"' in response.content.decode() or field == "competency"
    assert texts(draft) == ["Communicates clearly", "What should they keep doing?"]


def test_hr_changes_a_question_in_place(login, cast, draft):
    first = draft.questions.get(position=0)
    client = login(cast.erin)
    page = client.get(url("cycle_question_edit", draft, first.pk))
    assert 'value="Communicates clearly"' in page.content.decode() or (
        "Communicates clearly" in page.content.decode()
    )
    response = client.post(
        url("cycle_question_edit", draft, first.pk),
        question_form(text="Writes clearly.", competency="Communication"),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.text, first.competency, first.position) == ("Writes clearly.", "Communication", 0)
    assert first.scale_labels == LABELS


def test_hr_moves_questions_up_and_down(login, cast):
    cycle = make_cycle(
        status="draft", questions=[("One", "rating"), ("Two", "rating"), ("Three", "open")]
    )
    one, two, three = cycle.questions.order_by("position")
    client = login(cast.erin)
    editor = url("cycle_questions", cycle)
    response = client.post(editor, {"action": "down", "question": one.pk})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#question-{one.pk}")
    assert texts(cycle) == ["Two", "One", "Three"]
    client.post(editor, {"action": "up", "question": three.pk})
    assert texts(cycle) == ["Two", "Three", "One"]
    # First up and last down stay where they are.
    client.post(editor, {"action": "up", "question": two.pk})
    client.post(editor, {"action": "down", "question": one.pk})
    assert texts(cycle) == ["Two", "Three", "One"]
    assert sorted(cycle.questions.values_list("position", flat=True)) == [0, 1, 2]


def test_hr_removes_a_question_and_the_rest_close_up(login, cast):
    cycle = make_cycle(
        status="draft", questions=[("One", "rating"), ("Two", "rating"), ("Three", "open")]
    )
    two = cycle.questions.get(text="Two")
    response = login(cast.erin).post(
        url("cycle_questions", cycle), {"action": "remove", "question": two.pk}
    )
    assert response.status_code == 302
    assert texts(cycle) == ["One", "Three"]
    assert list(cycle.questions.order_by("position").values_list("position", flat=True)) == [0, 1]


def test_hr_adds_questions_from_the_bank(login, cast, draft):
    client = login(cast.erin)
    page = page_text(client.get(url("cycle_questions", draft)))
    for question in BANK:
        assert str(question.text) in page
    keys = ["communication-listens", "open-change"]
    response = client.post(url("cycle_questions", draft), {"action": "add_bank", "key": keys})
    assert response.status_code == 302
    added = list(draft.questions.order_by("position"))[2:]
    assert [(q.text, q.kind, q.competency, q.scale_labels) for q in added] == [
        (str(BY_KEY[keys[0]].text), "rating", "Communication", LABELS),
        (str(BY_KEY[keys[1]].text), "open", "", []),
    ]
    # What is in the cycle is not offered again.
    page = page_text(client.get(url("cycle_questions", draft)))
    assert f'value="{keys[0]}"' not in page and 'value="open-keep"' in page


@pytest.mark.parametrize("keys", [[], ["made-up"]])
def test_an_unknown_bank_question_adds_nothing(login, cast, draft, keys):
    client = login(cast.erin)
    response = client.post(url("cycle_questions", draft), {"action": "add_bank", "key": keys})
    assert "Choose questions from the bank." in page_text(client.get(response["Location"]))
    assert texts(draft) == ["Communicates clearly", "What should they keep doing?"]


def test_the_bank_has_eight_to_twelve_questions_over_a_few_competencies():
    assert 8 <= len(BANK) <= 12
    assert len({str(q.competency) for q in BANK if q.competency}) >= 3
    assert len({q.key for q in BANK}) == len(BANK)
    assert all(len(q.scale) == 5 for q in BANK if q.kind == "rating")


@pytest.mark.parametrize("action", ["up", "down", "remove", "fly"])
def test_odd_posts_do_not_fail(login, cast, draft, action):
    response = login(cast.erin).post(
        url("cycle_questions", draft), {"action": action, "question": "999999"}
    )
    assert response.status_code in (400, 404)


def test_a_question_of_another_cycle_is_a_404(login, cast, draft):
    other = make_cycle("Other", status="draft").questions.first()
    client = login(cast.erin)
    assert client.get(url("cycle_question_edit", draft, other.pk)).status_code == 404
    response = client.post(
        url("cycle_questions", draft), {"action": "remove", "question": other.pk}
    )
    assert response.status_code == 404
    assert other.cycle.questions.count() == 2


def test_once_the_cycle_moved_on_the_questions_are_fixed(login, cast):
    cycle = make_cycle(status="nominating")
    first = cycle.questions.get(position=0)
    client = login(cast.erin)
    page = page_text(client.get(url("cycle_questions", cycle)))
    assert "The questions are fixed" in page
    assert "Add a question" not in page and "Question bank" not in page
    for data in (
        {"action": "remove", "question": first.pk},
        {"action": "down", "question": first.pk},
        {"action": "add_bank", "key": ["open-keep"]},
    ):
        response = client.post(url("cycle_questions", cycle), data)
        assert response.status_code == 302
        assert "only be changed while the cycle is a draft" in page_text(
            client.get(response["Location"])
        )
    assert client.get(url("cycle_question_new", cycle)).status_code == 302
    response = client.post(url("cycle_question_edit", cycle, first.pk), question_form())
    assert response.status_code == 302
    assert texts(cycle) == ["Communicates clearly", "What should they keep doing?"]


# --- Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "frank"])
def test_only_hr_edits_and_previews_questions(login, cast, draft, who):
    first = draft.questions.first()
    client = login(getattr(cast, who))
    for name, more in (
        ("cycle_questions", ()),
        ("cycle_question_new", ()),
        ("cycle_question_edit", (first.pk,)),
        ("cycle_preview", ()),
    ):
        assert client.get(url(name, draft, *more)).status_code == 403
    assert client.post(url("cycle_question_new", draft), question_form()).status_code == 403
    response = client.post(
        url("cycle_questions", draft), {"action": "remove", "question": first.pk}
    )
    assert response.status_code == 403
    assert draft.questions.count() == 2


def test_hr_whose_scope_does_not_cover_the_cycle_gets_404s(login, cast):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.platform)
    cycle = make_cycle(status="draft", scope=cast.sales)
    first = cycle.questions.first()
    client = login(cast.erin)
    assert client.get(url("cycle_questions", cycle)).status_code == 404
    assert client.get(url("cycle_preview", cycle)).status_code == 404
    assert (
        client.post(url("cycle_question_edit", cycle, first.pk), question_form()).status_code == 404
    )


# --- The preview and the answering page -----------------------------------------------------------


def test_the_preview_is_the_answering_page_with_nothing_to_send(login, cast, draft):
    ReviewQuestion.objects.filter(cycle=draft, position=0).update(
        competency="Communication", scale_labels=LABELS
    )
    client = login(cast.erin)
    response = client.get(url("cycle_preview", draft))
    assert response.status_code == 200
    page = page_text(response)
    assert "Preview: what reviewers see" in page
    assert "Review of Alex Example" in page
    assert "You review as a peer." in page
    assert "Your answers are anonymous" in page
    assert "1 · Rarely" in page and "5 · Nearly always" in page and "Can’t say" in page
    assert "What should they keep doing?" in page
    # Every rating question has words: no "1 = not at all" note.
    assert "1 = not at all" not in page
    form = response.content.decode().split('class="card answer-form"')[1]
    assert "csrfmiddlewaretoken" not in form.split("</main>")[0]
    assert form.count(" disabled") >= 2  # send and decline
    manager = page_text(client.get(url("cycle_preview", draft), {"as": "manager"}))
    assert "You review as their manager." in manager and "not anonymous" in manager
    assert "How do you see your own work?" in page_text(
        client.get(url("cycle_preview", draft), {"as": "self"})
    )


def test_a_reviewer_sees_the_words_and_answers_as_before(login, cast):
    cycle = make_cycle()
    rating = cycle.questions.get(position=0)
    rating.scale_labels = LABELS
    rating.save()
    invitation = invite(add_participant(cycle, cast.bob), cast.alice, RaterGroup.REPORT)
    client = login(cast.alice)
    answer = reverse("feedback:answer", args=[invitation.pk])
    page = page_text(client.get(answer))
    assert "4 · Very often" in page
    response = client.post(answer, {"action": "answer", f"q{rating.pk}": "4"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answered


# The editor: and the framework's competencies, for the bank's questions (`feedback.competencies`).
PINNED = {"cycle_questions": 7, "cycle_preview": 7}


def test_the_editor_and_the_preview_cost_the_same_with_3_or_30_questions(login, cast):
    few = make_cycle("Few", status="draft", questions=[(f"Q{n}", "rating") for n in range(3)])
    many = make_cycle("Many", status="draft", questions=[(f"Q{n}", "rating") for n in range(30)])
    client = login(cast.erin)
    client.get(url("cycle_preview", few))  # the first reads settings once
    for name in ("cycle_questions", "cycle_preview"):
        counts = []
        for cycle in (few, many):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(name, cycle)).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], name
        assert counts[1] <= PINNED[name], name


# --- Coded questions of before -----------------------------------------------------------------


def test_the_migration_takes_the_code_off_old_questions_keeping_their_answers(cast):
    cycle = make_cycle(
        "Old 360",
        status="closed",
        questions=[
            ("[Communication] Explains clearly", "rating"),
            ("? What should they keep doing?", "rating"),
            ("[Delivery] Open: Biggest win?", "rating"),
            ("Plain rating", "rating"),
            ("Is this right? Yes", "open"),
        ],
    )
    participant = add_participant(cycle, cast.alice)
    first = cycle.questions.get(position=0)
    answer = ReviewAnswer.objects.create(
        participant=participant, question=first, group=RaterGroup.PEER, rating=4
    )
    migration = importlib.import_module("feedback.migrations.0009_questions_without_codes")
    migration.forwards(apps, None)
    assert [(q.pk, q.text, q.kind, q.competency) for q in cycle.questions.order_by("position")] == [
        (first.pk, "Explains clearly", "rating", "Communication"),
        (first.pk + 1, "What should they keep doing?", "open", ""),
        (first.pk + 2, "Biggest win?", "open", "Delivery"),
        (first.pk + 3, "Plain rating", "rating", ""),
        (first.pk + 4, "Is this right? Yes", "open", ""),
    ]
    answer.refresh_from_db()
    assert answer.question_id == first.pk
