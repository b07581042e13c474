"""Dutch as a Dutch reader expects it: a review's deadline column says "Uiterlijk" (by when), not
a conversation's "Gepland voor"; month abbreviations in lower case (cadence/formats/nl). The
language names and the message after switching language: accounts/tests/test_profile.py."""

from datetime import date

import pytest
from django.utils import translation

from feedback.tests.factories import add_participant, invite, make_cycle


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    yield
    translation.deactivate()


def test_a_reviewer_reading_dutch_sees_by_when_to_answer(login, cast):
    cycle = make_cycle("Najaar 360", answers_due=date(2026, 12, 9))
    invite(add_participant(cycle, cast.alice), cast.bob)
    cast.bob.language = "nl"
    cast.bob.save()
    html = login(cast.bob).get("/feedback/reviews/").text
    assert '<th scope="col">Uiterlijk</th>' in html
    assert "Gepland voor" not in html
    assert "9 dec 2026" in html
