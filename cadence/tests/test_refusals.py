"""A service's refusals in the API's answers (`cadence.api_kit.written`) and on a page's form
(`cadence.refusals.show_refusal`, `form_saved`)."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from ninja.errors import HttpError, ValidationError

from cadence.api_kit import written
from cadence.refusals import Conflict, Refused, form_saved, show_refusal


def service(outcome: Exception | None = None, *, value: int = 0) -> int:
    if outcome is not None:
        raise outcome
    return value


def test_what_the_service_returns_is_returned():
    assert written(service, value=7) == 7


def test_refused_answers_422_with_each_dotted_field_as_a_location():
    refusal = Refused(
        [("text", "Write something."), ("answers.0.rating", "1 to 5."), ("", "Not now.")]
    )
    with pytest.raises(ValidationError) as answer:
        written(service, refusal)
    assert answer.value.errors == [
        {"loc": ["body", "text"], "msg": "Write something.", "type": "value_error"},
        {"loc": ["body", "answers", 0, "rating"], "msg": "1 to 5.", "type": "value_error"},
        {"loc": ["body"], "msg": "Not now.", "type": "value_error"},
    ]


def test_conflict_answers_409_with_its_message():
    with pytest.raises(HttpError) as answer:
        written(service, Conflict("It was answered a moment ago."))
    assert (answer.value.status_code, answer.value.message) == (
        409,
        "It was answered a moment ago.",
    )


def test_permission_denied_answers_403_with_its_message_or_a_plain_one():
    with pytest.raises(HttpError) as answer:
        written(service, PermissionDenied("The record is closed."))
    assert (answer.value.status_code, answer.value.message) == (403, "The record is closed.")
    with pytest.raises(HttpError) as answer:
        written(service, PermissionDenied())
    assert (answer.value.status_code, answer.value.message) == (403, "You may not do this.")


def test_anything_else_is_not_an_answer():
    with pytest.raises(KeyError):
        written(service, KeyError("a bug"))


class DayForm(forms.Form):
    day = forms.CharField()
    text = forms.CharField(required=False)


def test_a_page_shows_the_refusal_on_its_form_fields_or_the_whole():
    form = DayForm({"day": "today"})
    assert form.is_valid()
    refusal = Refused(
        [
            ("due_date", "Choose a date."),
            ("starts_at", "Choose a date."),  # the same field of the form: shown once
            ("text", "Write something."),
            ("owner_id", "Not them."),  # not a field of the form: the form's own error
        ]
    )
    show_refusal(form, refusal, {"due_date": "day", "starts_at": "day"})
    assert form.errors == {
        "day": ["Choose a date."],
        "text": ["Write something."],
        "__all__": ["Not them."],
    }


def test_form_saved_writes_only_a_valid_form_and_keeps_what_the_write_returned():
    written_with = []

    def write(data):
        written_with.append(data)
        return "saved"

    assert not form_saved(DayForm({}), write)
    assert written_with == []
    form = DayForm({"day": "today"})
    assert form_saved(form, write)
    assert form.saved == "saved"
    assert written_with == [{"day": "today", "text": ""}]

    form = DayForm({"day": "today"})
    assert not form_saved(form, lambda data: service(Refused.on("due_date", "Too far.")))
    assert form.errors == {"__all__": ["Too far."]}
