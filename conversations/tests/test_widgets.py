"""The conversation page's widgets write in Python what Django's widget templates (through the
default form renderer) give, byte for byte (`cadence.widgets`)."""

import datetime

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cadence import widgets as in_python
from conversations.forms import (
    ActionItemForm,
    AgendaItemForm,
    NoteForm,
    PrivateNoteForm,
    RescheduleForm,
)
from conversations.tests.factories import make_conversation

ATTRS = [
    {},
    {"placeholder": _("Add a talking point…"), "autocomplete": "off", "autofocus": True},
    {"rows": 3, "required": False, "aria-describedby": 'x"<y>&z', "data-n": 7},
    {"class": mark_safe("<b>safe</b>"), "id": "an_id"},
]
VALUES = [
    None,
    "",
    True,
    False,
    0,
    "Plain",
    "<b>Bold</b> & 'quoted' \"double\"",
    12345,
    datetime.date(2026, 3, 4),
]
PAIRS = [
    (in_python.TextInput, forms.TextInput),
    (in_python.Textarea, forms.Textarea),
    (in_python.DateInput, forms.DateInput),
    (in_python.TimeInput, forms.TimeInput),
    (in_python.NumberInput, forms.NumberInput),
    (in_python.CheckboxInput, forms.CheckboxInput),
]


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize(("mine", "django_s"), PAIRS)
def test_the_inputs_in_python_are_django_s_byte_for_byte(language, mine, django_s):
    with translation.override(language):
        for attrs in ATTRS:
            for value in VALUES:
                wanted = django_s(attrs=attrs).render("field", value, {"id": "id_field"})
                assert mine(attrs=attrs).render("field", value, {"id": "id_field"}) == wanted


CHOICES = [
    [(1, "Alice <A> & 'B'"), (2, _("Who"))],
    [("", "---------"), ("Group <g>", [(3, "Three"), (4, "Four")]), (5, "Five")],
    [],
]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_select_in_python_is_django_s_byte_for_byte(language):
    with translation.override(language):
        for choices in CHOICES:
            for attrs in ATTRS:
                for value in (None, 1, "2", 4, [3, 5], ""):
                    wanted = forms.Select(attrs=attrs, choices=choices).render("who", value)
                    mine = in_python.Select(attrs=attrs, choices=choices).render("who", value)
                    assert mine == wanted, (choices, attrs, value)
                    multiple = forms.SelectMultiple(attrs=attrs, choices=choices)
                    assert multiple.render("w", value) == _as_multiple(choices, attrs, value)


def _as_multiple(choices, attrs, value):
    class Multiple(in_python.Select):
        allow_multiple_selected = True

    return Multiple(attrs=attrs, choices=choices).render("w", value)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_page_s_forms_fields_are_as_django_wrote_them(cast, language):
    """Every field of the page's forms, unbound and bound with errors, against the same field
    with Django's own widget of the same kind."""
    conversation = make_conversation(cast.alice, title="Q&A <1:1>")
    today = conversation.employee.local_today()
    made = [
        lambda data=None: AgendaItemForm(data),
        lambda data=None: NoteForm(data),
        lambda data=None: NoteForm(data, remark=True),
        lambda data=None: PrivateNoteForm(data),
        lambda data=None: ActionItemForm(data, conversation=conversation, today=today),
        lambda data=None: RescheduleForm(data, conversation=conversation, today=today),
    ]
    posted = {"text": "<script>x</script> & more", "who": "999", "due_date": "soon", "day": "x"}
    with translation.override(language):
        for make in made:
            for data in (None, posted):
                form = make(data)
                if data:
                    form.is_valid()
                for bound in form:
                    widget = bound.field.widget
                    assert isinstance(widget, in_python._InPython), bound.name
                    django_s = _django_twin(widget)
                    bound.field.widget = django_s
                    wanted = str(bound)
                    bound.field.widget = widget
                    assert str(bound) == wanted, (type(form).__name__, bound.name)


def _django_twin(widget):
    """The same widget (its attributes, choices, format) as Django's own class."""
    django_class = next(c for c in type(widget).__mro__ if c.__module__.startswith("django."))
    twin = django_class.__new__(django_class)
    twin.__dict__.update(widget.__dict__)
    twin.input_type = widget.input_type if hasattr(widget, "input_type") else None
    return twin
