"""A kind of the catalogue marked `same_audience` really has one audience: My data asks the
rules about one item of it and counts the others as seen by the same people (`trust.data`).

On the generated organisation (`access/tests/population.py`, where some people have several
items of each such kind, written in each way one is), for every such kind and every person:
each item about them is seen by exactly the same people, and by the same people as the kind's
example about them, which My data asks about when they have none. A kind marked later is
checked by itself, once its app's population gives someone two items of it.
"""

import pytest

from access import catalogue, rules
from access.tests.population import build
from access.tests.test_who_agrees import signed_in


def audience(kind, obj, viewers) -> frozenset[int]:
    return frozenset(pk for pk, viewer in viewers.items() if rules.can(viewer, kind.action, obj))


def same_audience_kinds():
    return [kind for kind in catalogue.registered() if kind.same_audience]


def test_the_trust_kinds_are_marked():
    assert {kind.key for kind in same_audience_kinds()} >= {"trust.audit", "trust.access_log"}


@pytest.mark.django_db
def test_every_item_of_a_same_audience_kind_about_a_person_has_one_audience(cast):
    org = build(cast)
    viewers = signed_in(org)
    for kind in same_audience_kinds():
        several = 0
        for person in org.people:
            items = list(rules.for_who(kind.about(person)))
            audiences = {audience(kind, obj, viewers) for obj in items}
            if kind.example is not None:
                audiences.add(audience(kind, kind.example(person), viewers))
            assert len(audiences) <= 1, f"{kind.key} about {person.email}: {len(audiences)}"
            if len(items) > 1:
                several += 1
        assert several, f"{kind.key}: give someone several items of it in a population.py"
