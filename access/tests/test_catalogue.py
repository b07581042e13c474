"""The catalogue of personal data: every kind names a registered rule's action and a subject
field that exists, and `about` (in SQL) and `matches`/`subject_of` (in Python) agree."""

import pytest

from access import catalogue, rules
from access.tests.population import build


def test_every_kind_is_decided_by_a_registered_rule_action():
    assert len(catalogue.registered()) >= 15
    for kind in catalogue.registered():
        rule = rules.rules_for(kind.model)
        assert kind.action in rule.actions, kind.key


def test_the_kinds_of_the_existing_modules_are_registered():
    keys = {kind.key for kind in catalogue.registered()}
    assert {
        "people.profile",
        "people.employment",
        "goals.private",
        "conversations.private_notes",
        "feedback.shared",
        "feedback.review_reports",
    } <= keys


@pytest.mark.django_db
def test_about_in_sql_and_kinds_of_in_python_agree(cast):
    build(cast)
    checked = 0
    for kind in catalogue.registered():
        objects = list(kind.model._default_manager.all())
        for obj in objects:
            for found, subject in catalogue.kinds_of(obj):
                if found is kind:
                    about = kind.model._default_manager.filter(kind.about_q(subject))
                    assert about.filter(pk=obj.pk).exists(), (kind.key, obj.pk)
                    checked += 1
        in_sql = set(kind.model._default_manager.filter(**kind.where).values_list("pk", flat=True))
        in_python = {obj.pk for obj in objects if kind.matches(obj)}
        assert in_sql == in_python, kind.key
    assert checked


@pytest.mark.django_db
def test_a_kind_is_public_only_where_its_rule_lets_everyone_see_it(cast):
    """Reading public data is not logged, so "public" must be exactly what the rule says: a
    colleague's profile is, a leaver's is not (only they and HR see it)."""
    build(cast)
    checked = 0
    for kind in catalogue.registered():
        about_someone = {f"{kind.subject}__isnull": False}
        for obj in kind.model._default_manager.filter(**kind.where, **about_someone):
            groups = rules.rules_for(kind.model).who(obj, kind.action)
            everyone = any(group.everyone for group in groups)
            assert kind.is_public(obj) == everyone, (kind.key, obj.pk)
            checked += 1
    assert checked
