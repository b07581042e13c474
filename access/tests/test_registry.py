"""The registry and the loader: one rules object per model, asked only about actions it
declares and only for someone signed in; `get_visible_or_404` answers 404, 403 or the object."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404

from access import rules
from access.viewer import Viewer
from goals.models import Objective
from goals.tests.factories import make_goal


class Refusing(rules.Rules):
    """Rules that must never be asked: the registry answers before them."""

    model = ContentType

    def visible(self, viewer, queryset, action="view"):
        raise AssertionError("asked")

    def can(self, viewer, action, obj):
        raise AssertionError("asked")


@pytest.fixture
def registry(monkeypatch):
    """The registry, restored after the test."""
    monkeypatch.setattr(rules, "_registry", dict(rules._registry))
    return rules


def test_a_model_without_rules_cannot_be_loaded_or_listed(db):
    with pytest.raises(LookupError):
        rules.visible(Viewer(person=None), ContentType)
    with pytest.raises(LookupError):
        rules.get_visible_or_404(Viewer(person=None), ContentType, 1)


def test_a_model_gets_one_rules_object(registry):
    registry.register(Refusing)
    registry.register(Refusing)  # importing the rules module again changes nothing

    class Other(Refusing):
        pass

    with pytest.raises(ValueError, match="already has rules"):
        registry.register(Other)


def test_actions_start_with_view(registry):
    class NoView(Refusing):
        actions = ("change",)

    with pytest.raises(ValueError, match="must start with 'view'"):
        registry.register(NoView)


def test_an_unknown_action_is_an_error_not_a_refusal(cast):
    goal = make_goal(cast.alice)
    alice = Viewer(person=cast.alice)
    with pytest.raises(ValueError, match="knows no action 'chnage'"):
        rules.can(alice, "chnage", goal)
    with pytest.raises(ValueError):
        rules.visible(alice, Objective, "chnage")
    with pytest.raises(ValueError):
        rules.get_visible_or_404(alice, Objective, goal.pk, "chnage")
    with pytest.raises(ValueError):
        rules.who_can(goal, "chnage")


def test_nobody_signed_out_is_answered_by_the_rules(registry, db):
    registry.register(Refusing)
    nobody = Viewer(person=None)
    assert list(rules.visible(nobody, ContentType)) == []
    assert rules.can(nobody, "view", ContentType.objects.first()) is False
    with pytest.raises(Http404):
        rules.get_visible_or_404(nobody, ContentType, ContentType.objects.first().pk)


def test_the_loader_gives_the_object_to_whoever_may_see_it(cast):
    goal = make_goal(cast.alice, visibility="team")
    assert rules.get_visible_or_404(Viewer(person=cast.carol), Objective, goal.pk) == goal


def test_the_loader_answers_404_to_whoever_may_not_know_it_exists(cast):
    goal = make_goal(cast.alice, visibility="team")
    with pytest.raises(Http404):
        rules.get_visible_or_404(Viewer(person=cast.dave), Objective, goal.pk)
    with pytest.raises(Http404):
        rules.get_visible_or_404(Viewer(person=cast.alice), Objective, goal.pk + 1000)


def test_the_loader_answers_403_to_whoever_may_see_but_not_act(cast):
    goal = make_goal(cast.alice, visibility="team")
    with pytest.raises(PermissionDenied):
        rules.get_visible_or_404(Viewer(person=cast.carol), Objective, goal.pk, "change")
    bob = Viewer(person=cast.bob)
    assert rules.get_visible_or_404(bob, Objective, goal.pk, "change") == goal


def test_the_loader_loads_with_the_queryset_given(cast):
    goal = make_goal(cast.alice)
    queryset = Objective.objects.select_related("owner_person")
    loaded = rules.get_visible_or_404(
        Viewer(person=cast.alice), Objective, goal.pk, queryset=queryset
    )
    assert "owner_person" in loaded._state.fields_cache


def test_every_object_the_loader_gives_passes_the_read_hook_and_no_other(cast, monkeypatch):
    reads = []
    monkeypatch.setattr(
        rules, "read", lambda viewer, obj, action="view": reads.append((viewer.person, obj))
    )
    goal = make_goal(cast.alice, visibility="team")
    rules.get_visible_or_404(Viewer(person=cast.bob), Objective, goal.pk)
    for refused in (cast.dave, cast.carol):
        with pytest.raises((Http404, PermissionDenied)):
            rules.get_visible_or_404(Viewer(person=refused), Objective, goal.pk, "change")
    assert reads == [(cast.bob, goal)]
