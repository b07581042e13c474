"""The 360 report through its page: what it shows of each rater group (never a group, a count
or a comment below the threshold, nor a difference that reveals one), who may read it, and
its release to the participant."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.models import HRRole
from feedback.anonymity import ALL, OTHERS
from feedback.models import RaterGroup, ReviewAnswer, ReviewQuestion
from feedback.tests.factories import add_participant, make_cycle
from people.tests.factories import add_people

CONFIRM = {"confirm": "yes"}
PEER, REPORT, SELF, MANAGER = (
    RaterGroup.PEER,
    RaterGroup.REPORT,
    RaterGroup.SELF,
    RaterGroup.MANAGER,
)

QUESTIONS = (
    ("Communicates clearly", "rating", "Communication"),
    ("Listens to others", "rating", "Communication"),
    ("Delivers what was agreed", "rating", "Ownership"),
    ("What should they keep doing?", "open", ""),
)


def cycle_with(status="closed", questions=QUESTIONS, **fields):
    cycle = make_cycle("Spring 360", status=status, questions=(), **fields)
    for position, (text, kind, competency) in enumerate(questions):
        ReviewQuestion.objects.create(
            cycle=cycle, position=position, text=text, kind=kind, competency=competency
        )
    return cycle


def answer(participant, question, group, rating=None, comment=""):
    return ReviewAnswer.objects.create(
        participant=participant, question=question, group=group, rating=rating, comment=comment
    )


def answers(participant, question, group, ratings, comment=""):
    for number, rating in enumerate(ratings):
        text = f"{comment} {number + 1}" if comment else ""
        answer(participant, question, group, rating, text)


@pytest.fixture
def alice(cast):
    """Alice's participation in a closed cycle, with her manager Bob; no answers yet."""
    cycle = cycle_with()
    return add_participant(cycle, cast.alice)


def questions_of(participant):
    return list(participant.cycle.questions.order_by("position"))


def url_of(participant):
    return reverse("feedback:report", args=[participant.pk])


def open_report(login, who, participant):
    response = login(who).get(url_of(participant))
    assert response.status_code == 200
    return response


def text_of(response):
    """The page's text, tags and runs of white space reduced to single spaces."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def question_item(response, question):
    report = response.context["report"]
    return next(q for s in report.sections for q in s.questions if q.question.pk == question.pk)


def figure_keys(item):
    return {row.key: (round(row.mean, 2), row.count) for row in item.rows}


# --- What the report shows --------------------------------------------------------------------


def test_a_peer_group_of_three_is_shown_and_a_group_of_two_is_withheld(login, cast, alice):
    clearly, listens, *_ = questions_of(alice)
    answers(alice, clearly, PEER, [4, 4, 5], "Clear demos")
    answers(alice, clearly, REPORT, [1, 2], "Hidden remark")
    answers(alice, listens, PEER, [2, 3], "Secret peer comment")

    response = open_report(login, cast.bob, alice)
    first, second = question_item(response, clearly), question_item(response, listens)
    assert figure_keys(first) == {PEER: (4.33, 3), ALL: (4.33, 3)}
    assert figure_keys(second) == {}
    assert [b.key for b in first.comments] == [PEER]

    text = text_of(response)
    assert "Peers 4.3 3 ratings" in text
    assert "Clear demos 1" in text and "Clear demos 3" in text
    assert (
        "Direct reports: fewer than 3 people answered this question, so their answers are not "
        "shown." in text
    )
    assert (
        "Peers: fewer than 3 people answered this question, so their answers are not shown." in text
    )
    assert "Hidden remark" not in text and "Secret peer comment" not in text


def test_small_groups_are_merged_into_others_when_together_they_reach_k(login, cast, alice):
    clearly, *_ = questions_of(alice)
    answers(alice, clearly, PEER, [5, 4], "Peer note")
    answers(alice, clearly, REPORT, [3], "Report note")

    response = open_report(login, cast.bob, alice)
    item = question_item(response, clearly)
    assert figure_keys(item) == {OTHERS: (4.0, 3), ALL: (4.0, 3)}
    assert [b.key for b in item.comments] == [OTHERS]
    text = text_of(response)
    assert "Others (peers and direct reports combined) 4.0 3 ratings" in text
    assert "Peers and direct reports are combined, as each had fewer than 3 people." in text
    assert "Peer note 1" in text and "Report note 1" in text
    assert "fewer than 3 people answered this question" not in text


def test_all_raters_leaves_out_withheld_groups_and_self(login, cast, alice):
    clearly, *_ = questions_of(alice)
    answer(alice, clearly, SELF, 5, "I explain things well")
    answer(alice, clearly, MANAGER, 4, "Good at demos")
    answers(alice, clearly, PEER, [4, 4, 4])
    answers(alice, clearly, REPORT, [1, 1])

    response = open_report(login, cast.bob, alice)
    item = question_item(response, clearly)
    # Self and manager are named by design; the two direct reports would pull "all" to 3.0.
    assert figure_keys(item) == {SELF: (5.0, 1), MANAGER: (4.0, 1), PEER: (4.0, 3), ALL: (4.0, 4)}
    text = text_of(response)
    assert "All raters (excluding self) 4.0 4 ratings" in text
    assert "I explain things well" in text and "Good at demos" in text
    # Self against the others is worth pointing out from a difference of 1.
    assert "The self-rating is 1.0 above the other raters'." in text


def test_counts_are_shown_only_for_groups_the_report_shows(login, cast, alice):
    clearly, listens, ownership, open_question = questions_of(alice)
    answers(alice, clearly, PEER, [4, 4, 4])
    answers(alice, clearly, REPORT, [2, 2])
    answers(alice, listens, PEER, [3, 3])
    answers(alice, open_question, PEER, [None, None], "Keep mentoring")
    answers(alice, open_question, REPORT, [None], "Keep calm")
    answers(alice, ownership, REPORT, [None, None], "Rating skipped")

    response = open_report(login, cast.erin, alice)
    text = text_of(response)
    # Merged comments of the open question: 2 + 1 people, shown together.
    assert "Keep mentoring 1" in text and "Keep calm 1" in text
    assert "3 people answered" in text
    for hidden in ("2 ratings", "2 people answered", "1 person answered", "2 answered"):
        assert hidden not in text, hidden
    assert "Rating skipped" not in text
    for section in response.context["report"].sections:
        for item in section.questions:
            shown = [row.count for row in item.rows if row.key not in (SELF, MANAGER)]
            shown += [b.respondents for b in item.comments if b.key not in (SELF, MANAGER)]
            assert all(count >= 3 for count in shown), (item.question.text, shown)


def test_a_group_whose_ratings_are_too_few_still_shows_its_comments(login, cast, alice):
    clearly, *_ = questions_of(alice)
    answers(alice, clearly, PEER, [4, 5], "Rated")
    answer(alice, clearly, PEER, None, "Only a comment")

    response = open_report(login, cast.bob, alice)
    item = question_item(response, clearly)
    assert figure_keys(item) == {}
    assert [(b.key, b.respondents) for b in item.comments] == [(PEER, 3)]
    text = text_of(response)
    assert "Peers: fewer than 3 people gave a rating, so their ratings are not shown." in text
    assert "Only a comment" in text and "Rated 1" in text


def test_a_competencys_summary_pools_only_what_its_questions_show(login, cast, alice):
    clearly, listens, ownership, _open = questions_of(alice)
    answer(alice, clearly, SELF, 5)
    answer(alice, listens, SELF, 3)
    answers(alice, clearly, PEER, [4, 4, 4])
    answers(alice, listens, PEER, [1, 1])  # withheld: must not pull the summary down
    answers(alice, ownership, PEER, [5, 5, 5, 5])

    response = open_report(login, cast.bob, alice)
    report = response.context["report"]
    sections = {s.competency: s for s in report.sections}
    communication = sections["Communication"]
    assert communication.cell(PEER).count == 3 and communication.cell(PEER).mean == 4.0
    assert communication.cell(SELF).count == 2 and communication.cell(SELF).mean == 4.0
    assert communication.cell(ALL).count == 3 and communication.cell(ALL).mean == 4.0
    assert sections["Ownership"].cell(PEER).mean == 5.0
    assert [s.competency for s in report.competencies] == ["Communication", "Ownership"]
    assert "Summary by competency" in text_of(response)


def test_a_report_without_answers_says_so(login, cast, alice):
    assert "No answers yet." in text_of(open_report(login, cast.bob, alice))


# --- Who may read it ----------------------------------------------------------------------------


def status_for(client, participant):
    return client.get(url_of(participant)).status_code


def test_the_manager_and_hr_read_it_the_participant_only_once_released(client, login, cast, alice):
    expected = {"alice": 404, "bob": 200, "carol": 404, "dave": 404, "erin": 200, "frank": 404}
    for name, status in expected.items():
        assert status_for(login(getattr(cast, name)), alice) == status, name
    client.logout()
    assert status_for(client, alice) == 302

    login(cast.bob).post(reverse("feedback:release", args=[alice.pk]), CONFIRM)
    for name, status in {**expected, "alice": 200}.items():
        assert status_for(login(getattr(cast, name)), alice) == status, name
    text = text_of(login(cast.alice).get(url_of(alice)))
    assert "Your 360 report" in text and "Release to" not in text


def test_a_peer_who_reviewed_the_participant_cannot_read_the_report(login, cast, alice):
    from feedback.tests.factories import invite

    invite(alice, cast.dave, answered=True)
    answers(alice, questions_of(alice)[0], PEER, [3, 3, 3])
    assert status_for(login(cast.dave), alice) == 404


def test_hr_reads_reports_only_within_their_scope(login, cast, alice):
    sales_hr = add_people(1, team=cast.sales, prefix="saleshr")[0]
    HRRole.objects.create(person=sales_hr, scope=cast.sales)
    assert status_for(login(sales_hr), alice) == 404
    assert login(sales_hr).post(reverse("feedback:release", args=[alice.pk])).status_code == 404
    engineering_hr = add_people(1, team=cast.people_team, prefix="enghr")[0]
    HRRole.objects.create(person=engineering_hr, scope=cast.engineering)
    assert status_for(login(engineering_hr), alice) == 200


def test_oversized_and_unknown_ids_are_not_found(login, cast):
    client = login(cast.bob)
    for pk in (2**63, 10**30, 999_999):
        assert client.get(f"/feedback/reviews/participants/{pk}/report/").status_code == 404
        assert client.post(f"/feedback/reviews/participants/{pk}/release/").status_code == 404


# --- Releasing it -------------------------------------------------------------------------------


def test_the_manager_releases_it_and_the_participant_is_told_by_e_mail(login, cast, alice):
    client = login(cast.bob)
    before = text_of(client.get(url_of(alice)))
    assert "Release to Alice Employee" in before
    assert "Alice cannot see this report until it is released." in before

    response = client.post(reverse("feedback:release", args=[alice.pk]), CONFIRM, follow=True)
    assert response.redirect_chain[-1][0] == url_of(alice)
    alice.refresh_from_db()
    assert alice.released_at is not None and alice.released_by == cast.bob
    text = text_of(response)
    assert "Release to" not in text
    assert re.search(r"Released on \d+ \w{3} \d{4} by Bob Manager", text), text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert "Spring 360" in message.subject
    assert "Bob Manager has released your report" in message.body
    assert url_of(alice) in message.body

    # Once is enough: a second click (or HR after the manager) sends nothing more.
    again = login(cast.erin).post(
        reverse("feedback:release", args=[alice.pk]), CONFIRM, follow=True
    )
    assert "already released" in text_of(again)
    alice.refresh_from_db()
    assert alice.released_by == cast.bob and len(mail.outbox) == 1


def test_hr_may_release_it_too(login, cast, alice):
    login(cast.erin).post(reverse("feedback:release", args=[alice.pk]), CONFIRM)
    alice.refresh_from_db()
    assert alice.released_by == cast.erin


def test_the_participant_cannot_release_their_own_report(login, cast, alice):
    url = reverse("feedback:release", args=[alice.pk])
    assert login(cast.alice).post(url, CONFIRM).status_code == 404
    login(cast.bob).post(url, CONFIRM)
    assert login(cast.alice).post(url, CONFIRM).status_code == 403


def test_a_report_is_not_released_before_the_reviews_open(login, cast):
    participant = add_participant(cycle_with(status="nominating"), cast.alice)
    client = login(cast.bob)
    assert "Release to" not in text_of(client.get(url_of(participant)))
    assert client.post(reverse("feedback:release", args=[participant.pk])).status_code == 403
    participant.refresh_from_db()
    assert participant.released_at is None and mail.outbox == []


def test_release_only_by_post(login, cast, alice):
    assert login(cast.bob).get(reverse("feedback:release", args=[alice.pk])).status_code == 405


# --- A fixed number of queries -------------------------------------------------------------------


def fill(participant, questions: int, per_group: int):
    """`questions` questions over three competencies, each answered by self, manager,
    `per_group` peers and `per_group` direct reports, all with comments."""
    cycle = participant.cycle
    made = ReviewQuestion.objects.bulk_create(
        ReviewQuestion(
            cycle=cycle,
            position=10 + number,
            text=f"Question {number}",
            kind="open" if number % 4 == 3 else "rating",
            competency=("Communication", "Ownership", "Craft")[number % 3],
        )
        for number in range(questions)
    )
    rows = []
    for question in made:
        rating = None if question.kind == "open" else 4
        for group, count in ((SELF, 1), (MANAGER, 1), (PEER, per_group), (REPORT, per_group)):
            rows += [
                ReviewAnswer(
                    participant=participant,
                    question=question,
                    group=group,
                    rating=rating,
                    comment=f"Comment {n}",
                )
                for n in range(count)
            ]
    ReviewAnswer.objects.bulk_create(rows)


def queries_for(client, participant) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url_of(participant))
    assert response.status_code == 200
    return len(context)


def test_the_report_costs_the_same_queries_however_much_was_answered(
    login, cast, django_assert_max_num_queries
):
    small = add_participant(cycle_with(questions=()), cast.alice)
    fill(small, questions=3, per_group=5)
    big = add_participant(cycle_with(questions=()), cast.alice)
    fill(big, questions=12, per_group=30)
    client = login(cast.bob)
    client.get(url_of(small))  # the session is warm
    expected = queries_for(client, small)
    assert expected <= 11  # 10 with who can read it (the people named, and HR); the log's insert
    with django_assert_max_num_queries(expected):
        response = client.get(url_of(big))
    assert response.status_code == 200
    assert "30 ratings" in response.content.decode()
    # And for HR, who is neither manager nor participant.
    hr = login(cast.erin)
    hr.get(url_of(small))
    assert queries_for(hr, small) == queries_for(hr, big)


def test_the_report_says_who_can_read_it_by_name_and_role(login, cast):
    participant = add_participant(cycle_with(questions=()), cast.alice)
    page = login(cast.erin).get(url_of(participant)).text
    assert "Who can read this report" in page
    assert "<strong>Bob Manager</strong> — Alice Employee’s manager when the cycle started" in page
    assert "<strong>HR for the whole organisation</strong>" not in page  # one person: by name
    assert "<strong>You</strong> — HR for the whole organisation" in page
    # Not released: Alice is not among those who read it yet.
    assert "Alice Employee</strong> — whom it is about" not in page
