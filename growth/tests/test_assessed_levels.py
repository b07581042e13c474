"""`growth.queries.assessed_levels`: the level of each competency that counts for people now
(for the development plan): the latest agreed level, else the latest manager rating he shared,
never the self-rating or an average, carried forward through the framework's versions."""

from datetime import timedelta

from django.utils import timezone

from access.viewer import Viewer
from growth import queries, services
from growth.models import Assessment, Rating
from growth.queries import Assessed, assessed_levels
from growth.tests.factories import competency as competency_text
from growth.tests.factories import publish, small
from growth.tests.helpers import as_, competency, rated


def test_the_managers_shared_rating_counts_never_the_self_rating(cast, framework):
    assessment = rated(cast, mine=4, theirs=2)
    levels = assessed_levels(Viewer(cast.alice), [cast.alice.pk])
    found = levels[cast.alice.pk]["communication"]
    assert found == Assessed(
        2, timezone.localdate(), "manager", assessment.pk, found.rating_id, cast.alice.pk
    )
    assert Rating.objects.get(pk=found.rating_id).side == "manager"
    assert set(levels[cast.alice.pk]) == {"communication"}


def test_a_draft_or_a_self_rating_alone_counts_for_nothing(cast, framework):
    rated(cast, mine=4, theirs=2, share=False)
    assert assessed_levels(Viewer(cast.bob), [cast.alice.pk, cast.dave.pk]) == {}


def test_the_agreed_level_counts_over_a_later_managers_rating(cast, framework):
    first = rated(cast, mine=3, theirs=2)
    target = competency(first, "communication").pk
    first = Assessment.objects.get(pk=first.pk)
    services.agree(as_(cast.bob), first, competency_id=target, level=3)
    services.close(as_(cast.bob), first)
    second = rated(cast, mine=4, theirs=4)
    found = assessed_levels(Viewer(cast.alice), [cast.alice.pk])[cast.alice.pk]["communication"]
    assert (found.level, found.source, found.assessment_id) == (3, "agreed", first.pk)
    assert second.pk != first.pk


def test_the_latest_agreed_level_counts(cast, framework):
    first = rated(cast, mine=3, theirs=2)
    target = competency(first, "communication").pk
    first = Assessment.objects.get(pk=first.pk)
    services.agree(as_(cast.bob), first, competency_id=target, level=2)
    Rating.objects.filter(side="agreed").update(updated_at=timezone.now() - timedelta(days=400))
    services.close(as_(cast.bob), first)
    second = Assessment.objects.get(pk=rated(cast, mine=3, theirs=3).pk)
    services.agree(as_(cast.bob), second, competency_id=target, level=3)
    found = assessed_levels(Viewer(cast.alice), [cast.alice.pk])[cast.alice.pk]["communication"]
    assert (found.level, found.assessment_id) == (3, second.pk)


def test_older_ratings_carry_forward_to_the_current_keys(cast):
    publish(small(competency_text("a"), competency_text("b"), competency_text("c")))
    assessment = services.start_assessment(as_(cast.bob), cast.alice.pk)
    for key, level in (("a", 1), ("b", 2), ("c", 3)):
        services.rate(
            as_(cast.bob), assessment, competency_id=competency(assessment, key).pk, level=level
        )
    services.share(as_(cast.bob), assessment)
    # Version 2: a renamed to a2, b split into b1 and b2, c retired.
    publish(
        small(
            competency_text("a2", replaces="a"),
            competency_text("b1", replaces="b"),
            competency_text("b2", replaces="b"),
        )
    )
    levels = assessed_levels(Viewer(cast.alice), [cast.alice.pk])[cast.alice.pk]
    assert {key: found.level for key, found in levels.items()} == {"a2": 1, "b1": 2, "b2": 2}


def test_two_queries_whatever_the_number_of_people(cast, framework, django_assert_max_num_queries):
    rated(cast, mine=3, theirs=2)
    services.start_assessment(as_(cast.bob), cast.bob.pk)
    people = [cast.alice.pk, cast.bob.pk, cast.dave.pk, *range(10_000, 10_200)]
    with django_assert_max_num_queries(2):
        levels = assessed_levels(Viewer(cast.bob), people)
    assert set(levels) == {cast.alice.pk}  # Bob's has no shared rating yet


def test_the_history_follows_a_competency_across_versions(cast, framework):
    rated(cast, mine=3, theirs=2)
    text = queries.current().document()
    from growth.document import write

    publish(write(text).replace("name: Communication", "name: Communicating"))
    rows = queries.history(as_(cast.alice), cast.alice, "communication")
    assert {(row.side, row.level, row.competency.name) for row in rows} == {
        ("self", 3, "Communication"),
        ("manager", 2, "Communication"),
    }


def test_only_the_ratings_the_viewer_may_see_count(cast, framework):
    """HR in scope sees no level until the person shares the assessment with HR; a peer never;
    the manager and the person always (`RatingRules`)."""
    rated(cast, mine=4, theirs=2)
    for who in (cast.erin, cast.dave, cast.carol):
        assert assessed_levels(Viewer(who), [cast.alice.pk]) == {}, who
    for who in (cast.alice, cast.bob):
        assert (
            assessed_levels(Viewer(who), [cast.alice.pk])[cast.alice.pk]["communication"].level == 2
        )
