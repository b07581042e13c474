"""Feedback and feedback requests may name a competency of the current framework (by its key);
an answer to a request is about what was asked."""

import json

import pytest
from django.urls import reverse

from access.viewer import Viewer
from cadence.refusals import Refused
from feedback import services
from feedback.models import Feedback, FeedbackRequest
from growth.tests.factories import publish_starter


@pytest.fixture
def framework(db):
    return publish_starter()


def test_feedback_names_a_competency_of_the_framework(cast, framework):
    feedback = services.give_feedback(
        Viewer(person=cast.dave),
        receiver_id=cast.alice.pk,
        kind="praise",
        text="Clear notes",
        competency="communication",
    )
    assert feedback.competency == "communication"
    with pytest.raises(Refused) as refused:
        services.give_feedback(
            Viewer(person=cast.dave),
            receiver_id=cast.alice.pk,
            kind="praise",
            text="x",
            competency="juggling",
        )
    assert refused.value.errors[0][0] == "competency"


def test_the_give_page_offers_the_competencies(login, cast, framework):
    client = login(cast.dave)
    assert "About a competency" in client.get(reverse("feedback:give")).text
    client.post(
        reverse("feedback:give"),
        {"to": cast.alice.pk, "kind": "praise", "text": "Clear", "competency": "communication"},
    )
    assert Feedback.objects.get().competency == "communication"


def test_without_a_framework_no_competency_is_offered(login, cast):
    assert "About a competency" not in login(cast.dave).get(reverse("feedback:give")).text


def test_a_request_about_a_competency_and_its_answer(cast, framework, login):
    response = login(cast.alice).post(
        "/api/v1/feedback-requests",
        json.dumps(
            {"requestee_ids": [cast.dave.pk], "topic": "My notes", "competency": "communication"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    request = FeedbackRequest.objects.get()
    assert request.competency == "communication"
    ask = request.asks.get()
    services.answer_ask(Viewer(person=cast.dave), ask, kind="praise", text="Clear")
    assert Feedback.objects.get().competency == "communication"
