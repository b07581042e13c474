"""Hints while writing feedback: simple word rules (English and Dutch), advice only."""

import pytest
from django.urls import reverse

from feedback.hints import MIN_LENGTH, found_words, hints
from feedback.models import Feedback

GOOD = "In yesterday's demo you walked the client through the migration, so that they signed off."
GOOD_NL = "Tijdens de demo van gisteren legde je de migratie rustig uit, waardoor de klant tekende."
HINTS = reverse("feedback:hints")


def codes(text):
    return [hint.code for hint in hints(text)]


def test_specific_feedback_with_a_situation_and_an_impact_gets_no_hint():
    assert codes(GOOD) == []
    assert codes(GOOD_NL) == []


def test_empty_text_gets_no_hint():
    assert codes("") == []
    assert codes("   \n ") == []


@pytest.mark.parametrize(
    "text, word",
    [
        ("In the meeting you were lazy, which meant we waited an hour for the report.", "lazy"),
        ("During the call you were rude to the client, so that the deal stalled.", "rude"),
        ("Your attitude in the retro today put people off, which meant nobody spoke.", "attitude"),
        (
            "Tijdens het overleg was je onbeleefd tegen de klant, waardoor die boos werd.",
            "onbeleefd",
        ),
        (
            "Gisteren in de vergadering was je slordig, waardoor we moesten wachten.",
            "slordig",
        ),
    ],
)
def test_words_that_judge_the_person_are_named(text, word):
    found = hints(text)
    assert [h.code for h in found] == ["judging"]
    assert f"“{word}”" in found[0].message


@pytest.mark.parametrize(
    "text, word",
    [
        (
            "He's always late to the stand-up on Monday, which meant we started without him.",
            "always",
        ),
        ("You never update the ticket after the review, so that nobody knows its state.", "never"),
        (
            "Je bent altijd te laat bij het overleg op maandag, waardoor we later beginnen.",
            "altijd",
        ),
        ("In de retro zeg je nooit iets, waardoor we jouw kijk op het werk missen.", "nooit"),
    ],
)
def test_generalising_words_are_named(text, word):
    found = hints(text)
    assert [h.code for h in found] == ["generalising"]
    assert f"“{word}”" in found[0].message


def test_words_count_as_whole_words_only_in_any_case():
    assert found_words(("lazy", "lui"), "Lazy-loading the lui-aard page, LAZY") == ["lazy", "lui"]
    assert found_words(("lui",), "Luister naar de klant") == []
    assert found_words(("never",), "Nevertheless, thanks") == []


def test_short_text_asks_for_a_sentence_or_two_more():
    assert codes("Great job!") == ["too_short"]
    assert len("Great job!") < MIN_LENGTH


def test_short_text_still_names_judging_words():
    assert codes("You are so lazy.") == ["judging", "too_short"]


def test_text_without_a_concrete_moment_asks_for_an_example():
    text = "You explain complicated things clearly, which helps everyone understand them."
    assert codes(text) == ["no_example"]


@pytest.mark.parametrize(
    "marker",
    [
        "yesterday",
        "during the",
        "in the",
        "on Tuesday",
        "last week",
        "at 14:00",
        "when",
        "gisteren",
        "vandaag",
        "tijdens",
        "in de",
        "toen",
    ],
)
def test_any_sign_of_a_situation_counts_as_an_example(marker):
    text = f"You explained the plan clearly {marker} sync, which helped everyone understand it."
    assert "no_example" not in codes(text)


def test_text_without_an_impact_asks_what_it_led_to():
    text = "In yesterday's demo you walked the client through the whole migration plan."
    assert codes(text) == ["no_impact"]


@pytest.mark.parametrize(
    "marker",
    ["because", "so that", "which meant", "impact", "result", "waardoor", "omdat", "zodat"],
)
def test_any_sign_of_an_impact_counts(marker):
    text = f"In yesterday's demo you walked the client through the migration {marker} it went well."
    assert "no_impact" not in codes(text)


def test_several_hints_at_once_in_a_stable_order():
    text = "You are always careless with the numbers and it is getting really tiresome."
    assert codes(text) == ["judging", "generalising", "no_example", "no_impact"]


def test_typographic_apostrophes_are_read_as_plain_ones():
    assert found_words(("monday's",), "In Monday’s demo") == ["monday's"]


# --- The endpoint ---------------------------------------------------------------------------------


def test_the_endpoint_answers_the_hints_for_a_draft(login, cast):
    client = login(cast.alice)
    response = client.post(HINTS, {"text": "You are lazy."}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.text
    assert 'id="feedback-hints"' in html
    assert "hint-judging" in html and "hint-too_short" in html
    assert "Advice only" in html


def test_the_endpoint_praises_a_good_draft_and_guides_an_empty_one(login, cast):
    client = login(cast.alice)
    assert "it reads well" in client.post(HINTS, {"text": GOOD}).text
    empty = client.get(HINTS).text
    assert "Situation" in empty and "Behaviour" in empty and "Impact" in empty


def test_the_endpoint_also_answers_get_and_handles_huge_text(login, cast):
    client = login(cast.alice)
    response = client.get(HINTS, {"text": "lazy " * 5000})
    assert response.status_code == 200
    assert "hint-judging" in response.text


def test_the_endpoint_needs_sign_in(client, db):
    response = client.post(HINTS, {"text": "You are lazy."})
    assert response.status_code == 302


def test_hints_never_block_sending(login, cast):
    client = login(cast.alice)
    response = client.post(
        reverse("feedback:give"),
        {"to": cast.dave.email, "kind": "constructive", "text": "You are always lazy."},
    )
    assert response.status_code == 302
    assert Feedback.objects.get().text == "You are always lazy."


def test_the_give_form_posts_the_text_to_the_endpoint_as_one_types(login, cast):
    html = login(cast.alice).get(reverse("feedback:give")).text
    assert f'hx-post="{HINTS}"' in html
    assert 'hx-trigger="input changed delay:500ms"' in html
