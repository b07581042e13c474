"""My data asks the rules once per audience, about stand-ins (`access.audiences`): what it shows
must be exactly what it showed when it loaded every item and asked about each. On the generated
organisation (`access/tests/population.py`), for every person: the whole result, kind by kind
(counts, every line of who can see it, with its people and their numbers of items), with the
rules' declarations and without them (every kind's items loaded, as before)."""

import pytest

from access import rules
from access.tests.population import build
from access.viewer import Viewer
from trust import data


def result(person) -> list:
    found = data.my_data(Viewer(person=person))

    def lines(who):
        return [
            (
                line.role,
                line.label,
                line.mine,
                line.everyone,
                line.example,
                [(p.pk, line.items_of[p.pk]) for p in line.people],
                line.count,
                line.items,
                line.total,
            )
            for line in who.lines
        ]

    return [
        [(k.kind.key, k.count, k.only_you, lines(k.who)) for m in found.modules for k in m.kinds],
        [(a.aggregate.key, a.count, a.who and lines(a.who)) for a in found.aggregates],
    ]


@pytest.mark.django_db
def test_my_data_is_the_same_asked_once_per_audience_as_once_per_item(cast, monkeypatch):
    org = build(cast)
    people = [person for person in org.people if person.is_active]
    asked_once = [result(person) for person in people]
    declared = [rule for rule in rules.registered() if rule.reads is not None]
    assert len(declared) > 10
    for rule in declared:
        monkeypatch.setattr(type(rule), "reads", None)
    for person, found in zip(people, asked_once, strict=True):
        assert result(person) == found, person.email


@pytest.mark.django_db
def test_my_data_is_the_same_with_each_groups_words_worked_out_once_as_per_kind(cast, monkeypatch):
    """My data keeps each group's words for all its kinds (`who.seen`'s `words`): the same as
    working them out for each kind anew."""
    org = build(cast)
    people = [person for person in org.people if person.is_active]
    kept = [result(person) for person in people]
    who_sees = data.who_sees

    def each_anew(answers, reader, *, times=1, words=None):
        assert words is not None  # My data keeps them
        return who_sees(answers, reader, times=times)

    monkeypatch.setattr(data, "who_sees", each_anew)
    for person, found in zip(people, kept, strict=True):
        assert result(person) == found, person.email
