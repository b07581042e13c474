"""360 questions choose their competency from the framework (issue 17): with a published
framework, HR's question form offers its competencies and stores the key; the editor, the
answering page, the API and the report show the competency's current name, and the report
groups by it. Without a framework, the competency is text, as before."""

import pytest
from django.urls import reverse

from access.viewer import Viewer
from cadence.refusals import Refused
from feedback import services_cycles
from feedback.cycles import QuestionData
from feedback.models import RaterGroup, ReviewCycle, ReviewQuestion
from feedback.tests.factories import add_participant, invite, make_cycle
from feedback.tests.test_report import (
    answers,
    cycle_with,
    fill,
    queries_for,
    text_of,
    url_of,
)
from growth.services import starter_text
from growth.tests.factories import publish, publish_starter

PEER, REPORT, SELF, MANAGER = (
    RaterGroup.PEER,
    RaterGroup.REPORT,
    RaterGroup.SELF,
    RaterGroup.MANAGER,
)
LABELS = ["Rarely", "Sometimes", "Often", "Very often", "Nearly always"]


@pytest.fixture
def framework(db):
    return publish_starter()


@pytest.fixture
def draft(cast):
    return make_cycle("Draft 360", status="draft")


def url(name, cycle, *more):
    return reverse(f"feedback:{name}", args=[cycle.pk, *more])


def question_form(**overrides):
    data = {
        "kind": "rating",
        "text": "Makes meetings worth the time.",
        "competency": "collaboration",
        **{f"scale_{n}": label for n, label in enumerate(LABELS, start=1)},
    }
    data.update(overrides)
    return data


def page_text(response):
    return " ".join(response.content.decode().split())


def rename(key_name: str, new_name: str):
    """Publish the starter again as the next version, one competency renamed."""
    text = starter_text("en")
    old = f"  name: {key_name}\n"
    assert old in text
    return publish(text.replace(old, f"  name: {new_name}\n", 1), note="Renamed")


# --- The question form -------------------------------------------------------------------------


def test_the_form_offers_the_frameworks_competencies_and_stores_the_key(
    login, cast, framework, draft
):
    client = login(cast.erin)
    page = client.get(url("cycle_question_new", draft))
    assert page.status_code == 200
    choices = dict(page.context["form"].fields["competency"].choices)
    assert choices["communication"] == "Communication"
    assert choices["problem-solving"] == "Problem solving"
    assert '<option value="problem-solving">Problem solving</option>' in page.text
    assert '<datalist id="competencies">' not in page.text  # no free text to suggest
    response = client.post(
        url("cycle_question_new", draft), question_form(competency="problem-solving")
    )
    assert response.status_code == 302
    question = draft.questions.order_by("position").last()
    assert question.competency == "problem-solving"
    # The editor shows the competency's name, not its key.
    editor = page_text(client.get(url("cycle_questions", draft)))
    assert '<span class="badge competency">Problem solving</span>' in editor
    assert ">problem-solving<" not in editor


def test_an_unknown_key_is_refused_with_a_clear_message(login, cast, framework, draft):
    client = login(cast.erin)
    response = client.post(url("cycle_question_new", draft), question_form(competency="juggling"))
    assert response.status_code == 400
    assert response.context["form"].errors["competency"] == [
        "Choose a competency of the framework."
    ]
    assert "Choose a competency of the framework." in response.text
    assert 'value="Makes meetings worth the time."' in response.text or (
        "Makes meetings worth the time." in response.text
    )  # nothing typed is lost
    assert draft.questions.count() == 2
    # The write says the same, whoever calls it (the page's form refuses first).
    with pytest.raises(Refused) as refused:
        services_cycles.add_question(
            Viewer(person=cast.erin), draft, QuestionData(text="Juggles", competency="juggling")
        )
    assert refused.value.errors == [("competency", "Choose a competency of the framework.")]
    assert draft.questions.count() == 2


def test_editing_a_question_selects_its_competency(login, cast, framework, draft):
    question = draft.questions.get(position=0)
    ReviewQuestion.objects.filter(pk=question.pk).update(competency="ownership")
    client = login(cast.erin)
    page = client.get(url("cycle_question_edit", draft, question.pk))
    assert '<option value="ownership" selected>Ownership</option>' in page.text
    client.post(
        url("cycle_question_edit", draft, question.pk),
        question_form(text="Communicates clearly", competency="communication"),
    )
    question.refresh_from_db()
    assert question.competency == "communication"


def test_text_from_before_the_framework_may_stay_as_it_is(login, cast, draft):
    question = draft.questions.get(position=0)
    ReviewQuestion.objects.filter(pk=question.pk).update(competency="Team spirit")
    publish_starter()
    client = login(cast.erin)
    page = client.get(url("cycle_question_edit", draft, question.pk))
    assert "Team spirit (not in the framework)" in page.text
    assert "Team spirit" in page_text(client.get(url("cycle_questions", draft)))
    response = client.post(
        url("cycle_question_edit", draft, question.pk),
        question_form(text="Communicates well", competency="Team spirit"),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.competency) == ("Communicates well", "Team spirit")
    # Another question cannot take that text: it is no competency of the framework.
    other = draft.questions.get(position=1)
    response = client.post(
        url("cycle_question_edit", draft, other.pk),
        question_form(kind="open", text="Anything else?", competency="Team spirit"),
    )
    assert response.status_code == 400
    assert "Choose a competency of the framework." in response.text


def test_without_a_framework_the_competency_is_text(login, cast, draft):
    client = login(cast.erin)
    page = client.get(url("cycle_question_new", draft))
    assert '<datalist id="competencies">' in page.text
    assert '<option value="Communication">' in page.text  # the bank's, suggested
    response = client.post(
        url("cycle_question_new", draft), question_form(competency="  Team spirit ")
    )
    assert response.status_code == 302
    question = draft.questions.order_by("position").last()
    assert question.competency == "Team spirit"
    assert "Team spirit" in page_text(client.get(url("cycle_questions", draft)))


# --- The bank ----------------------------------------------------------------------------------


def test_bank_questions_take_the_frameworks_competencies(login, cast, framework, draft):
    client = login(cast.erin)
    editor = page_text(client.get(url("cycle_questions", draft)))
    # The bank shows what a question will be about: the framework's names.
    assert "Learning and adaptability" in editor and "Developing people" in editor
    client.post(
        url("cycle_questions", draft),
        {"action": "add_bank", "key": ["communication-explains", "growth-feedback", "open-keep"]},
    )
    added = list(draft.questions.order_by("position"))[2:]
    assert [q.competency for q in added] == ["communication", "learning", ""]


def test_a_bank_competency_the_framework_lacks_stays_text(login, cast, draft):
    from growth.tests.factories import competency, small

    publish(small(competency("communication", "Talking"), competency("craft", "Craft")))
    client = login(cast.erin)
    client.post(
        url("cycle_questions", draft),
        {"action": "add_bank", "key": ["communication-explains", "ownership-commitments"]},
    )
    added = list(draft.questions.order_by("position"))[2:]
    assert [q.competency for q in added] == ["communication", "Ownership"]
    editor = page_text(client.get(url("cycle_questions", draft)))
    assert '<span class="badge competency">Talking</span>' in editor


def test_a_new_cycle_from_the_bank_names_the_frameworks_competencies(login, cast, framework):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    response = login(cast.erin).post(
        reverse("feedback:cycle_create"),
        {
            "name": "Autumn 360",
            "period_start": today - timedelta(days=90),
            "period_end": today,
            "nominations_due": today + timedelta(days=7),
            "answers_due": today + timedelta(days=21),
            "min_peers": 3,
            "max_peers": 8,
            "include_reports": "on",
            "start_from_bank": "on",
        },
    )
    assert response.status_code == 302, response.content
    cycle = ReviewCycle.objects.get(name="Autumn 360")
    assert set(cycle.questions.values_list("competency", flat=True)) == {
        "communication",
        "collaboration",
        "ownership",
        "learning",
        "developing-people",
        "",
    }


# --- Pages that show the question --------------------------------------------------------------


def test_the_answering_page_the_preview_and_the_api_show_the_current_name(login, cast, framework):
    cycle = make_cycle("Open 360")
    ReviewQuestion.objects.filter(cycle=cycle, position=0).update(competency="communication")
    invitation = invite(add_participant(cycle, cast.bob), cast.alice, group=REPORT)
    rename("Communication", "Communicating clearly")
    client = login(cast.alice)
    answer_page = client.get(reverse("feedback:answer", args=[invitation.pk])).text
    assert '<span class="badge">Communicating clearly</span>' in answer_page
    item = client.get("/api/v1/reviews/invitations").json()["items"][0]
    first = item["questions"][0]
    assert (first["competency"], first["competency_name"]) == (
        "communication",
        "Communicating clearly",
    )
    preview = login(cast.erin).get(url("cycle_preview", cycle)).text
    assert '<span class="badge">Communicating clearly</span>' in preview


# --- The report --------------------------------------------------------------------------------

KEYED = (
    ("Communicates clearly", "rating", "communication"),
    ("Listens to others", "rating", "communication"),
    ("Delivers what was agreed", "rating", "ownership"),
    ("Works with the team", "rating", "Team spirit"),  # text from before the framework
    ("What should they keep doing?", "open", ""),
)


def answered_report(cast):
    participant = add_participant(cycle_with(questions=KEYED), cast.alice)
    for question in participant.cycle.questions.order_by("position"):
        if question.kind == "rating":
            answers(participant, question, SELF, [4])
            answers(participant, question, MANAGER, [3])
            answers(participant, question, PEER, [4, 4, 5])
    return participant


def test_the_report_groups_by_the_competencys_current_name(login, cast, framework):
    participant = answered_report(cast)
    client = login(cast.bob)
    response = client.get(url_of(participant))
    report = response.context["report"]
    assert [(s.competency, len(s.questions)) for s in report.sections] == [
        ("Communication", 2),
        ("Ownership", 1),
        ("Team spirit", 1),
        ("", 1),
    ]
    assert "communication" not in text_of(response)
    # HR renames the competency in a new version of the framework: the report follows.
    rename("Communication", "Communicating clearly")
    response = client.get(url_of(participant))
    report = response.context["report"]
    assert [s.competency for s in report.competencies] == [
        "Communicating clearly",
        "Ownership",
        "Team spirit",
    ]
    assert len(report.competencies[0].questions) == 2
    page = text_of(response)
    assert "Summary by competency" in page and "Communicating clearly" in page
    assert "Communication" not in page


def test_without_a_framework_the_report_groups_by_the_text(login, cast):
    participant = answered_report(cast)
    report = login(cast.bob).get(url_of(participant)).context["report"]
    # No framework: a key is text like any other.
    assert [s.competency for s in report.competencies] == [
        "communication",
        "ownership",
        "Team spirit",
    ]


def test_the_report_costs_no_more_queries_with_a_framework(login, cast):
    without = add_participant(cycle_with(questions=()), cast.alice)
    fill(without, questions=6, per_group=5)
    client = login(cast.bob)
    client.get(url_of(without))  # the session is warm
    expected = queries_for(client, without)
    publish_starter()
    keyed = add_participant(cycle_with(questions=KEYED), cast.alice)
    fill(keyed, questions=12, per_group=5)
    assert queries_for(client, keyed) == expected
