"""`who` agrees with `can`: for every registered rule, every action it declares and every object
of the generated organisation (`access/tests/population.py`), the people in the groups `who`
gives are exactly the people who can sign in and for whom `can` holds.

And, as the issue asks of My data, for every kind of the catalogue (`access.catalogue`): on the
real objects about each person of the cast and on the kind's example about them (what My data
shows when someone has none yet), the people `who` names for the kind's action are exactly
those `can` lets through, for every role of the cast and everyone else who can sign in.

Both walk the registries, so a rule or a kind registered later is checked by itself.
"""

import pytest

from access import catalogue, rules, who
from access.tests.population import build
from access.viewer import Viewer
from access.who import holders
from cadence.tests.matrix import CAST


def signed_in(org):
    """A viewer for each person who can sign in today (the others open nothing)."""
    people = [person for person in org.viewers.values() if person is not None]
    return {
        person.pk: Viewer(person=person)
        for person in people
        if person.is_active and not person.has_left
    }


def named(groups) -> set[int] | None:
    """Everyone in the groups (None: everyone signed in)."""
    everyone: set[int] = set()
    for group in groups:
        if group.example:
            continue
        found = holders(group)
        if found is None:
            return None
        everyone |= found
    return everyone


def disagreements(objects, action, viewers) -> list[str]:
    found = []
    for obj, groups in zip(objects, rules.who_of(objects, action), strict=True):
        people = named(groups)
        allowed = {pk for pk, viewer in viewers.items() if rules.can(viewer, action, obj)}
        expected = set(viewers) if people is None else people & set(viewers)
        if people is not None and people - set(viewers):
            found.append(f"{type(obj).__name__} {obj.pk} {action!r}: names {people - set(viewers)}")
        if allowed != expected:
            found.append(
                f"{type(obj).__name__} {obj.pk} {action!r}: only can {sorted(allowed - expected)}, "
                f"only who {sorted(expected - allowed)}"
            )
    return found


@pytest.mark.django_db
def test_who_names_exactly_the_people_can_allows_for_every_rule_action_and_object(cast):
    org = build(cast)
    viewers = signed_in(org)
    found = []
    for rule in rules.registered():
        objects = list(rule.for_who(rule.model._default_manager.all()))
        assert objects, f"Nothing to check {type(rule).__name__} on"
        for action in rule.actions:
            found += disagreements(objects, action, viewers)
    assert found == []


@pytest.mark.django_db
def test_every_rule_answers_who_for_every_object_with_words_for_every_group(cast):
    build(cast)
    for rule in rules.registered():
        objects = list(rule.for_who(rule.model._default_manager.all()))
        for action in rule.actions:
            for obj, groups in zip(objects, rules.who_of(objects, action), strict=True):
                for group in groups:
                    assert group.label() and group.label(cast.alice), (type(rule).__name__, obj.pk)
                assert rules.who_can(obj) if action == rule.actions[0] else True


@pytest.mark.django_db
def test_who_of_many_objects_of_a_kind_takes_a_fixed_number_of_queries(
    cast, django_assert_max_num_queries
):
    """My data asks about every item a person has: loaded with `for_who`, however many."""
    build(cast)
    for kind in catalogue.registered():
        about_someone = {f"{kind.subject}__isnull": False, **kind.where}
        objects = rules.for_who(kind.model._default_manager.filter(**about_someone))
        # The objects (and what they prefetch), people by id and team, and HR.
        with django_assert_max_num_queries(5):
            rules.who_of(list(objects), kind.action)


def about_the_cast(kind, cast):
    """The kind's objects about each person of the cast, and its example about each."""
    objects = []
    for role, name in CAST.items():
        person = getattr(cast, name)
        objects += [(role, obj) for obj in rules.for_who(kind.about(person))]
        if kind.example is not None:
            objects.append((f"{role}'s example", kind.example(person)))
    return objects


@pytest.mark.django_db
def test_my_datas_who_can_see_it_matches_the_rules_for_every_kind_and_role(cast):
    """The issue's rule: My data's "who can see it" is what the policy allows."""
    org = build(cast)
    viewers = signed_in(org)
    found, checked = [], 0
    for kind in catalogue.registered():
        held = about_the_cast(kind, cast)
        assert held, f"Nothing of {kind.key} about the cast, and no example"
        objects = [obj for _role, obj in held]
        checked += len(objects)
        found += [f"{kind.key}: {line}" for line in disagreements(objects, kind.action, viewers)]
    assert checked
    assert found == []


@pytest.mark.django_db
def test_an_administrator_is_named_only_where_a_rule_grants_administrators(cast):
    """Being an administrator grants nothing by itself: Frank is named for others' data only in
    the role of the administrators, which only a rule that grants them gives (the audit log)."""
    build(cast)
    for kind in catalogue.registered():
        for role, obj in about_the_cast(kind, cast):
            if role.startswith("admin"):
                continue  # frank's own data: he sees it as himself
            for group in rules.who(obj, kind.action):
                if cast.frank in group.people:
                    assert group.role == who.ADMINISTRATORS, (kind.key, group.role)


def test_one_answer_standing_for_many_items_counts_as_if_repeated(cast):
    """My data asks once about a kind whose items share one audience and counts it `times`:
    the lines must be exactly those of the answer repeated, without building the repetition."""
    build(cast)

    def lines(found):
        return [
            (line.role, line.label, line.items, line.total, dict(line.items_of), line.count)
            for line in found
        ]

    for kind in catalogue.registered():
        items = list(rules.for_who(kind.about(cast.alice)))[:1]
        if not items:
            continue
        (answer,) = rules.who_asked([(items[0], kind.action)])
        assert lines(who.seen([answer] * 7, cast.alice)) == lines(
            who.seen([answer], cast.alice, times=7)
        ), kind.key
