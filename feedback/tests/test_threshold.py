"""The anonymity threshold k: never below 3 (in the settings form, the models and the
database), and a cycle keeps the k its reviews opened with, whatever the setting becomes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from feedback.models import FeedbackSettings, RaterGroup, ReviewCycle
from feedback.reviewing import submit_answers
from feedback.tests.factories import add_participant, close, invite, make_cycle
from people.tests.factories import add_people

SETTINGS = reverse("feedback:settings")


def set_threshold(client, value):
    return client.post(SETTINGS, {"anonymity_threshold": str(value)})


def test_the_settings_page_refuses_a_threshold_below_3(login, cast):
    client = login(cast.erin)
    response = set_threshold(client, 2)
    assert response.status_code == 400
    assert "greater than or equal to 3" in response.text
    assert FeedbackSettings.load().anonymity_threshold == 3
    assert set_threshold(client, 3).status_code == 302


@pytest.mark.parametrize("model", [FeedbackSettings, ReviewCycle])
def test_the_models_refuse_a_threshold_below_3(model, db):
    instance = model.load() if model is FeedbackSettings else make_cycle()
    instance.anonymity_threshold = 2
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    assert "anonymity_threshold" in error.value.message_dict


@pytest.mark.parametrize("model", [FeedbackSettings, ReviewCycle])
def test_the_database_refuses_a_threshold_below_3(model, db):
    instance = model.load() if model is FeedbackSettings else make_cycle(status="draft")
    for value in (2, 1, 0):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=instance.pk).update(anonymity_threshold=value)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_cycle(name="Lax", anonymity_threshold=2)
    instance.refresh_from_db()
    assert instance.anonymity_threshold == 3


def new_cycle_by_hr(client):
    today = timezone.localdate()
    response = client.post(
        reverse("feedback:cycle_create"),
        {
            "name": "Autumn 360",
            "period_start": (today - timedelta(days=180)).isoformat(),
            "period_end": today.isoformat(),
            "nominations_due": (today + timedelta(days=7)).isoformat(),
            "answers_due": (today + timedelta(days=21)).isoformat(),
            "min_peers": "3",
            "max_peers": "8",
        },
    )
    assert response.status_code == 302
    cycle = ReviewCycle.objects.get(name="Autumn 360")
    response = client.post(
        reverse("feedback:cycle_question_new", args=[cycle.pk]),
        {"kind": "rating", "text": "Communicates clearly"},
    )
    assert response.status_code == 302
    return cycle


def step(client, cycle, to):
    response = client.post(
        reverse("feedback:cycle_advance", args=[cycle.pk]), {"to": to, "confirm": "yes"}
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == to


def test_a_cycle_keeps_the_threshold_its_reviews_opened_with(login, cast):
    client = login(cast.erin)
    cycle = new_cycle_by_hr(client)
    assert cycle.anonymity_threshold == 3
    participant = add_participant(cycle, cast.alice)
    step(client, cycle, "nominating")
    # Raised before the reviews open: the cycle opens with the higher k.
    assert set_threshold(client, 4).status_code == 302
    step(client, cycle, "reviewing")
    assert cycle.anonymity_threshold == 4
    # Lowered afterwards: the cycle keeps 4, by the page and by the model.
    assert set_threshold(client, 3).status_code == 302
    cycle.refresh_from_db()
    assert cycle.anonymity_threshold == 4
    edit = client.get(reverse("feedback:cycle_edit", args=[cycle.pk])).text
    assert "keeps the threshold its reviews opened with" in edit
    cycle.anonymity_threshold = 3
    with pytest.raises(ValueError, match="keeps the anonymity threshold"):
        cycle.save()
    cycle.refresh_from_db()
    assert cycle.anonymity_threshold == 4
    # The report counts with 4: three peers are too few.
    question = cycle.questions.get()
    for peer in add_people(3, team=cast.platform, prefix="kpeer"):
        submit_answers(invite(participant, peer, RaterGroup.PEER), [(question, 5, "")])
    close(cycle)
    report = login(cast.bob).get(reverse("feedback:report", args=[participant.pk]))
    assert "fewer than 4 people answered this question" in report.text
    assert "3 ratings" not in report.text


def test_a_cycle_is_never_lowered_to_the_setting_when_its_reviews_open(login, cast):
    cycle = make_cycle(status="nominating", anonymity_threshold=5)
    add_participant(cycle, cast.alice)
    step(login(cast.erin), cycle, "reviewing")
    assert FeedbackSettings.load().anonymity_threshold == 3
    assert cycle.anonymity_threshold == 5
