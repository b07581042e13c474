"""What a rule declares it reads (`Rules.reads`) is all it reads: My data asks the rules once per
distinct set of those values, about a stand-in holding only them (`access.audiences`).

On the generated organisation (`access/tests/population.py`), for every kind of the catalogue
whose rule declares what it reads and every object of it: the rules answer exactly the same
about the object's stand-in as about the object loaded in full, `can` for every viewer who can
sign in and `who` (the people, their roles in words, for the person it is about), and asking
costs no query more. A field read but not declared raises on the stand-in, so this test names
it. Both walk the registries: a kind or a declaration added later is checked by itself.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from access import catalogue, rules
from access.audiences import UndeclaredRead, expression, load_lists, stand_in
from access.tests.population import build
from access.tests.test_who_agrees import signed_in
from conversations.models import Conversation
from people.models import Person


def declared():
    return [
        kind
        for kind in catalogue.registered()
        if not kind.same_audience and rules.rules_for(kind.model).reads is not None
    ]


def lines(groups, reader) -> list[tuple]:
    return [
        (
            group.role,
            group.label(reader),
            group.label(),
            sorted(person.pk for person in group.people),
            group.count,
            group.everyone,
            group.example,
            group.scope.pk if group.scope is not None else None,
        )
        for group in groups
    ]


def asked(kind, obj, viewers, reader):
    """Everything My data asks the rules about one item, and how many queries it took."""
    with CaptureQueriesContext(connection) as queries:
        allowed = {pk for pk, viewer in viewers.items() if rules.can(viewer, kind.action, obj)}
        (groups,) = rules.who_asked([(obj, kind.action)])
        words = lines(groups, reader)
    return allowed, words, len(queries)


@pytest.mark.django_db
def test_the_rules_answer_alike_about_every_item_and_its_stand_in(cast):
    org = build(cast)
    viewers = signed_in(org)
    people = {person.pk: person for person in Person.objects.all()}
    found, checked = [], 0
    for kind in declared():
        reads = rules.rules_for(kind.model).reads
        about_someone = kind.model._default_manager.filter(
            **{f"{kind.subject}__isnull": False}, **kind.where
        )
        audiences = dict(
            about_someone.annotate(audience_of=expression(kind.model, reads)).values_list(
                "pk", "audience_of"
            )
        )
        objects = list(rules.for_who(about_someone))
        assert objects, f"Nothing of {kind.key} to check its rule's `reads` on"
        for obj in objects:
            reader = people[kind.subject_of(obj)]
            full = asked(kind, obj, viewers, reader)  # first: what the viewers read once
            try:
                standing_in = stand_in(kind.model, reads, audiences[obj.pk])
                load_lists([(kind.model, reads, [standing_in])])
                standing = asked(kind, standing_in, viewers, reader)
            except (UndeclaredRead, AttributeError) as error:  # AttributeError: its id
                found.append(f"{kind.key} {obj.pk}: {error}")
                continue
            if standing[:2] != full[:2]:
                found.append(f"{kind.key} {obj.pk}: {standing[:2]} != {full[:2]}")
            if standing[2] > full[2]:
                found.append(f"{kind.key} {obj.pk}: {standing[2]} queries, {full[2]} in full")
            checked += 1
    assert checked
    assert found == [], "\n".join(found)


@pytest.mark.django_db
def test_a_field_not_declared_is_refused_on_a_stand_in_never_loaded(
    cast, django_assert_num_queries
):
    build(cast)
    conversation = Conversation.objects.filter(employee=cast.alice).first()
    value = (
        Conversation.objects.filter(pk=conversation.pk)
        .annotate(audience_of=expression(Conversation, ("employee__name", "manager")))
        .values_list("audience_of", flat=True)
        .get()
    )
    obj = stand_in(Conversation, ("employee__name", "manager"), value)
    with django_assert_num_queries(0):
        assert (obj.employee_id, obj.manager_id, obj.employee.name) == (
            cast.alice.pk,
            conversation.manager_id,
            cast.alice.name,
        )
        assert obj.manager.pk == conversation.manager_id
        for read in (lambda: obj.status, lambda: obj.employee.chain, lambda: obj.manager.name):
            with pytest.raises(UndeclaredRead):
                read()
        with pytest.raises(AttributeError):
            obj.pk  # noqa: B018
