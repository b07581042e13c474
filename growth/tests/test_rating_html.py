"""An assessment's ratings are written in Python (`growth.templatetags.assessment_rows`): byte
for byte what growth/_rating.html gives (the template they replace, kept as the reference),
for every branch of it, escaped and translated alike."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.template import engines
from django.utils import timezone, translation

from feedback.models import Feedback
from feedback.tests.factories import give
from goals.tests.factories import make_goal
from growth.models import Rating
from growth.tests.helpers import rated

TEMPLATE = Path(__file__).parents[1] / "templates" / "growth" / "_rating.html"
OLD = "{% for rating in ratings %}" + TEMPLATE.read_text() + "{% endfor %}"
NEW = "{% load assessment_rows %}{% for rating in ratings %}{% rating_shown rating %}{% endfor %}"


def _ratings(cast):
    assessment = rated(cast, mine=3, theirs=2)
    goals = [make_goal(cast.alice, title=t) for t in ("Ship <it> & 'more'", "Plain goal")]
    given = [give(cast.bob, cast.alice), give(cast.dave, cast.alice)]
    # Late in the evening in UTC: the next day in Auckland.
    Feedback.objects.filter(pk=given[0].pk).update(
        created_at=datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    )
    ratings = list(Rating.objects.filter(assessment=assessment).order_by("pk"))
    mine, theirs = ratings[0], ratings[1]
    mine.text = "Line one <b>\nline two & 'three'\n\nfour"
    mine.save()
    mine.goals.set(goals)
    mine.feedback.set(given)
    theirs.text = ""
    theirs.feedback.set(given[:1])
    shown = list(
        Rating.objects.filter(pk__in=[r.pk for r in ratings])
        .prefetch_related("goals", "feedback__giver")
        .order_by("pk")
    )
    shown[0].level_name = "Practising <x>"
    # One with no level (a draft side), one without the page's `level_name`.
    shown[1].level = None
    return shown


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland"])
def test_the_ratings_in_python_are_the_template_s_byte_for_byte(cast, framework, language, zone):
    ratings = _ratings(cast)
    engine = engines["django"]
    with translation.override(language), timezone.override(zone):
        wanted = engine.from_string(OLD).render({"ratings": ratings})
        assert engine.from_string(NEW).render({"ratings": ratings}) == wanted
    assert "<br>" in wanted and "Practising &lt;x&gt;" in wanted and "Ship &lt;it&gt;" in wanted
