"""Cadence's form renderer inlines Django's widget templates' includes (`cadence.form_renderer`):
every kind of widget, in every shape its templates branch on, renders byte for byte what
Django's own renderer gives."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from cadence.form_renderer import WIDGETS, FormRenderer, inlined_templates

CHOICES = [("", "---"), ("a", "Alpha <1> & “quoted”"), (3, "Three"), ("", "Empty again")]
GROUPED = [("", "---"), ("Group <G>", [("x", "Ex"), ("y", "Why")]), ("z", "Zed")]
ATTRS = [
    {},
    {"class": "wide", "data-on": True, "data-off": False, "placeholder": 'a <b> "c"'},
    {"id": "chosen", "aria-describedby": "help", "hx-get": "/x/?a=1&b=2"},
]


def widgets():
    for attrs in ATTRS:
        for widget in [
            forms.TextInput,
            forms.NumberInput,
            forms.EmailInput,
            forms.URLInput,
            forms.PasswordInput,
            forms.HiddenInput,
            forms.DateInput,
            forms.DateTimeInput,
            forms.TimeInput,
            forms.SearchInput,
            forms.TelInput,
            forms.ColorInput,
            forms.Textarea,
            forms.CheckboxInput,
            forms.NullBooleanSelect,
        ]:
            yield widget(attrs=dict(attrs))
        for choices in [CHOICES, GROUPED, []]:
            for widget in [
                forms.Select,
                forms.SelectMultiple,
                forms.RadioSelect,
                forms.CheckboxSelectMultiple,
            ]:
                yield widget(attrs=dict(attrs), choices=choices)


VALUES = [
    None,
    "",
    "a",
    3,
    ["a", "x"],
    "x <y> & z",
    True,
    False,
    datetime.date(2026, 12, 7),
    datetime.datetime(2026, 12, 7, 9, 30),
]


def test_every_widget_renders_what_djangos_own_templates_give():
    django_, ours = DjangoTemplates(), FormRenderer()
    compared = 0
    for widget in widgets():
        for value in VALUES:
            for name, attrs in [("field", None), ("other", {"id": "id_other", "required": True})]:
                try:
                    expected = widget.render(name, value, attrs=attrs, renderer=django_)
                except (TypeError, KeyError):  # a value this widget cannot take (a list for
                    continue  # a yes/no select)
                assert widget.render(name, value, attrs=attrs, renderer=ours) == expected, (
                    type(widget).__name__,
                    widget.attrs,
                    value,
                )
                compared += 1
    assert compared > 1500


class EveryField(forms.Form):
    text = forms.CharField(help_text="Help", max_length=20)
    number = forms.DecimalField(required=False)
    day = forms.DateField()
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    agree = forms.BooleanField()
    kind = forms.ChoiceField(choices=CHOICES[1:])
    many = forms.MultipleChoiceField(choices=GROUPED[1:], widget=forms.CheckboxSelectMultiple)
    one = forms.ChoiceField(choices=GROUPED[1:], widget=forms.RadioSelect)
    split = forms.SplitDateTimeField()


@pytest.mark.parametrize(
    "data", [None, {"text": "x" * 30, "number": "n", "many": ["x"], "one": "z", "note": "<b>"}]
)
def test_a_whole_form_with_its_errors_renders_the_same(data):
    expected = str(EveryField(data, renderer=DjangoTemplates()))
    assert str(EveryField(data, renderer=FormRenderer())) == expected


def test_it_is_the_renderer_forms_use():
    assert isinstance(get_default_renderer(), FormRenderer)


def test_the_includes_are_inlined_for_the_commonest_widgets():
    templates = inlined_templates()
    for name in ["input.html", "text.html", "select.html", "checkbox_select.html", "radio.html"]:
        assert WIDGETS + name in templates, name
    for text in templates.values():
        assert "attrs.html" not in text and '"django/forms/widgets/input.html"' not in text
    # An option of another template than Django's (a widget of our own) is still included.
    assert (
        "{% include option.template_name with widget=option %}"
        in templates[WIDGETS + "select.html"]
    )
