"""A queryset's SQL prepared once (`cadence.prepared`) gives, run again, what iterating the
queryset gives: the same objects with the same fields, related objects and annotations, and
rows written since."""

from datetime import date, timedelta

import pytest
from django.db.models import Count, F, Max, Window
from django.utils import timezone

from cadence.prepared import Prepared, PreparedValues
from conversations.models import Conversation
from conversations.tests.factories import held, make_conversation
from goals.models import Objective
from goals.tests.factories import make_goal
from people.models import Person


def same(left, right):
    """The objects' classes, fields and loaded related objects, as dictionaries."""

    def described(obj):
        found = {"class": type(obj), **{k: v for k, v in vars(obj).items() if k != "_state"}}
        for name, related in obj._state.fields_cache.items():
            found[name] = None if related is None else described(related)
        return found

    assert [described(obj) for obj in left] == [described(obj) for obj in right]


def fields(obj):
    return {k: v for k, v in vars(obj).items() if k != "_state"}


def test_it_gives_the_same_objects_with_related_ones_and_annotations(cast):
    for number in range(3):
        make_goal(cast.alice, title=f"Goal {number}", progress_cache=0.25 * number)
    make_goal(team=cast.platform, title="Team goal")
    make_goal(title="Company goal")
    queryset = (
        Objective.objects.select_related("owner_person__manager", "owner_team__lead")
        .annotate(matching=Window(Count("pk")), doubled=F("progress_cache") * 2)
        .order_by("owner_person__name", "title", "pk")[:4]
    )
    prepared = Prepared.of(queryset)
    same(prepared.run(), list(queryset.all()))
    assert [goal.matching for goal in prepared.run()] == [5] * 4


def test_it_runs_the_same_sql_again_and_sees_new_rows(cast, django_assert_num_queries):
    soon = timezone.localdate() + timedelta(days=3)
    queryset = Conversation.objects.filter(due_date__lte=soon).select_related("employee")
    prepared = Prepared.of(queryset.order_by("due_date", "pk"))
    assert prepared.run() == []
    first = make_conversation(cast.alice, due=soon)
    make_conversation(cast.bob, due=soon + timedelta(days=30))  # outside the filter
    with django_assert_num_queries(1):
        found = prepared.run()
    assert found == [first]
    assert found[0].employee.name == "Alice Employee"  # no query: selected with it
    assert found[0].due_date == soon  # converted as the queryset converts it


def test_dates_times_and_deferred_fields_come_back_as_the_queryset_gives_them(cast):
    make_conversation(cast.alice, starts_at=timezone.now(), prepared_at=timezone.now())
    queryset = Conversation.objects.only("pk", "due_date", "starts_at", "prepared_at")
    same(Prepared.of(queryset).run(), list(queryset))
    people = Person.objects.order_by("pk").defer("email")
    same(Prepared.of(people).run(), list(people))


def test_prefetched_relations_are_read_after(cast, django_assert_num_queries):
    make_goal(cast.alice, key_results=[(0, 10, 5), (0, 4, 4)])
    queryset = Objective.objects.with_key_results()
    prepared = Prepared.of(queryset)
    with django_assert_num_queries(2):
        goal = prepared.run()[0]
        assert [kr.title for kr in goal.key_results.all()] == ["Key result 1", "Key result 2"]


def test_a_reverse_foreign_keys_prefetch_is_kept_and_gives_what_django_gives(
    cast, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_goal(cast.alice, title="A", key_results=[(0, 10, 5), (0, 4, 4)])
    make_goal(cast.alice, title="B")  # none
    make_goal(cast.bob, title="C", key_results=[(0, 1, 1)])
    queryset = Objective.objects.order_by("title").with_key_results()
    prepared = Prepared.of(queryset)
    (kept,) = prepared.kept_prefetch
    assert kept is not None
    with CaptureQueriesContext(connection) as django_sql:
        expected = list(queryset.all())
    for _round in range(2):  # built the first time, the same SQL run again the second
        with CaptureQueriesContext(connection) as kept_sql, django_assert_num_queries(2):
            found = prepared.run()
            results = [[kr.title for kr in goal.key_results.all()] for goal in found]
            assert all(kr.objective is goal for goal in found for kr in goal.key_results.all())
        assert [q["sql"] for q in kept_sql] == [q["sql"] for q in django_sql]
        assert results == [[kr.title for kr in goal.key_results.all()] for goal in expected]
        assert results == [["Key result 1", "Key result 2"], [], ["Key result 1"]]
        assert [fields(kr) for goal in found for kr in goal.key_results.all()] == [
            fields(kr) for goal in expected for kr in goal.key_results.all()
        ]
    assert list(kept.sql) == [3]
    # The managers filter as Django's do: a query of the goal's own key results.
    assert [kr.pk for kr in found[0].key_results.filter(current_value=5)] == [
        first.key_results.get(current_value=5).pk
    ]
    # Another number of goals: SQL of its own.
    assert len(Prepared.of(queryset.filter(title="A")).run()[0].key_results.all()) == 2


def test_a_queryset_of_nothing_costs_no_query(cast, django_assert_num_queries):
    prepared = Prepared.of(Objective.objects.none())
    with django_assert_num_queries(0):
        assert prepared.run() == []
    with django_assert_num_queries(0):
        assert Prepared.of(Objective.objects.filter(pk__in=[])).run() == []


def test_only_model_instances_can_be_prepared(cast):
    with pytest.raises(ValueError):
        Prepared.of(Person.objects.values("pk"))
    with pytest.raises(ValueError):
        Prepared.of(cast.bob.reports.all())


def test_values_give_the_dicts_iterating_them_gives_and_rows_written_since(
    cast, django_assert_num_queries
):
    today = timezone.localdate()
    held(make_conversation(cast.alice, due=today - timedelta(days=40)))
    queryset = (
        Conversation.objects.filter(status="held")
        .order_by("employee_id", "kind")
        .values("employee_id", "kind")
        .annotate(last=Max("held_on"), n=Count("pk"))
    )
    prepared = PreparedValues.of(queryset)
    assert prepared.run() == list(queryset.all())
    assert isinstance(prepared.run()[0]["last"], date)  # converted as the queryset converts it
    later = held(make_conversation(cast.alice, due=today - timedelta(days=3)))
    held(make_conversation(cast.alice, kind="quarterly", due=today - timedelta(days=5)))
    with django_assert_num_queries(1):
        found = prepared.run()
    assert found == list(queryset.all())
    assert found[0] == {
        "employee_id": cast.alice.pk,
        "kind": "check_in",
        "last": later.held_on,
        "n": 2,
    }
    with django_assert_num_queries(0):
        assert PreparedValues.of(Conversation.objects.filter(pk__in=[]).values("pk")).run() == []
    with pytest.raises(ValueError):
        PreparedValues.of(Conversation.objects.all())


def test_by_id_runs_one_prepared_statement_with_each_id(cast, django_assert_num_queries):
    from cadence.prepared import ById
    from conversations.models import ActionItem
    from conversations.tests.factories import add_action

    first, second = make_conversation(cast.alice), make_conversation(cast.bob)
    for conversation, owner in ((first, cast.alice), (second, cast.bob)):
        for text in ("One", "Two"):
            add_action(conversation, owner, text)

    def build(pk):
        return ActionItem.objects.filter(conversation_id=pk).select_related("owner", "conversation")

    by_id = ById(build)
    for conversation in (first, second, first):
        with django_assert_num_queries(1):
            found = by_id.run(conversation.pk)
        same(found, list(build(conversation.pk)))
    assert by_id.run(10**9) == []
    with pytest.raises(ValueError, match="not a parameter"):
        ById(lambda pk: ActionItem.objects.all()).run(first.pk)
