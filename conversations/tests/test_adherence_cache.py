"""Rhythm health is counted at most every few minutes per viewer, and says when."""

from datetime import timedelta

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conversations.tests.factories import held, make_conversation

URL = reverse("conversations:adherence")


@override_settings(ADHERENCE_CACHE_SECONDS=300)
def test_the_count_is_kept_for_a_few_minutes_per_viewer(login, cast):
    cache.clear()
    try:
        today = timezone.localdate()
        held(make_conversation(cast.alice, due=today - timedelta(days=40)))
        first = login(cast.erin).get(URL)
        assert first.context["overall"].counted == 1
        assert "Counted at" in first.text
        held(make_conversation(cast.bob, due=today - timedelta(days=40)))
        again = login(cast.erin).get(URL)
        assert again.context["overall"].counted == 1  # the kept count
        assert again.context["counted_at"] == first.context["counted_at"]
        # Another viewer has their own count; it never mixes scopes.
        carol = login(cast.carol).get(URL)
        assert carol.context["overall"].counted == 2
    finally:
        cache.clear()


def test_without_keeping_the_count_is_fresh(login, cast):
    today = timezone.localdate()
    held(make_conversation(cast.alice, due=today - timedelta(days=40)))
    assert login(cast.erin).get(URL).context["overall"].counted == 1
    held(make_conversation(cast.bob, due=today - timedelta(days=40)))
    assert login(cast.erin).get(URL).context["overall"].counted == 2
