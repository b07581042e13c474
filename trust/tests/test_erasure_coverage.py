"""Every text column (and binary column: a file, a sealed value) of every model is either erased
(a step of some module's `erasure.py` covers it) or kept for a stated reason: a module added
later fails here until it decides."""

from django.apps import apps
from django.db import models

from trust import erasure

TEXT = (models.CharField, models.TextField, models.JSONField, models.BinaryField)


def free_text_columns() -> set[str]:
    """Text and binary columns whose values are not a fixed list of choices."""
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, TEXT) and not field.choices
    }


def decided() -> set[str]:
    covered = {column for step in erasure.steps() for column in step.covers()}
    kept = {f"{k.model._meta.label}.{name}" for k in erasure.kept() for name in k.fields}
    return covered | kept


def test_every_text_column_is_erased_or_kept_for_a_reason():
    whole_models = {column.removesuffix(".*") for column in decided() if column.endswith(".*")}
    undecided = {
        column
        for column in free_text_columns() - decided()
        if column.rsplit(".", 1)[0] not in whole_models
    }
    assert undecided == set(), "add them to the module's erasure.py: Replace, Delete or keep"


def test_every_decision_names_a_column_that_exists():
    columns = free_text_columns()
    named = {column for column in decided() if not column.endswith(".*")}
    assert named - columns == set()


def test_a_kept_column_says_why():
    assert all(str(k.why) for k in erasure.kept())
