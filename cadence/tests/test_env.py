"""Reading settings from the environment: a flag or a number that cannot be read stops start-up
with the variable and its value named, never a silent default."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cadence.env import envbool, envint, envlist, envstr


@pytest.mark.parametrize(
    "value", ["1", "true", "TRUE", "True", "yes", "Yes", "on", "ON", " on ", "true\n"]
)
def test_envbool_reads_the_true_spellings(monkeypatch, value):
    monkeypatch.setenv("CADENCE_FLAG", value)
    assert envbool("CADENCE_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "False", "no", "NO", "off", "Off", " 0 "])
def test_envbool_reads_the_false_spellings(monkeypatch, value):
    monkeypatch.setenv("CADENCE_FLAG", value)
    assert envbool("CADENCE_FLAG", True) is False


@pytest.mark.parametrize("default", [True, False])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_envbool_unset_or_blank_takes_the_default(monkeypatch, value, default):
    if value is None:
        monkeypatch.delenv("CADENCE_FLAG", raising=False)
    else:
        monkeypatch.setenv("CADENCE_FLAG", value)
    assert envbool("CADENCE_FLAG", default) is default


@pytest.mark.parametrize("value", ["ture", "2", "-1", "y", "n", "enabled", "yes please", "0.0"])
def test_envbool_refuses_anything_else_naming_the_variable_and_the_value(monkeypatch, value):
    monkeypatch.setenv("CADENCE_FLAG", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        envbool("CADENCE_FLAG", True)
    assert "CADENCE_FLAG" in str(refused.value)
    assert repr(value) in str(refused.value)


@pytest.mark.parametrize(("value", "number"), [("60", 60), (" 5 ", 5), ("0", 0), ("-3", -3)])
def test_envint_reads_whole_numbers(monkeypatch, value, number):
    monkeypatch.setenv("CADENCE_NUMBER", value)
    assert envint("CADENCE_NUMBER", 7) == number


@pytest.mark.parametrize("value", [None, "", "  "])
def test_envint_unset_or_blank_takes_the_default(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CADENCE_NUMBER", raising=False)
    else:
        monkeypatch.setenv("CADENCE_NUMBER", value)
    assert envint("CADENCE_NUMBER", 7) == 7


@pytest.mark.parametrize("value", ["sixty", "1.5", "60s", "1e3", "0x10"])
def test_envint_refuses_anything_else_naming_the_variable_and_the_value(monkeypatch, value):
    monkeypatch.setenv("CADENCE_NUMBER", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        envint("CADENCE_NUMBER", 7)
    assert "CADENCE_NUMBER" in str(refused.value)
    assert repr(value) in str(refused.value)
    assert "whole number" in str(refused.value)


def test_envlist_splits_on_commas_and_drops_empty_items(monkeypatch):
    monkeypatch.setenv("CADENCE_LIST", " a.example.com, ,b.example.com ,")
    assert envlist("CADENCE_LIST", "x") == ["a.example.com", "b.example.com"]
    monkeypatch.delenv("CADENCE_LIST")
    assert envlist("CADENCE_LIST", "x,y") == ["x", "y"]


def test_envstr_reads_any_text(monkeypatch):
    monkeypatch.setenv("CADENCE_TEXT", "Cadence <cadence@example.com>")
    assert envstr("CADENCE_TEXT", "x") == "Cadence <cadence@example.com>"
    monkeypatch.delenv("CADENCE_TEXT")
    assert envstr("CADENCE_TEXT", "x") == "x"
