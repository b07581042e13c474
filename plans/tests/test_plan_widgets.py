"""The plan page's forms write their widgets in Python (`cadence.widgets`): byte for byte what
Django's own widgets of the same kind give, for every field of the page's forms, unbound and
bound with errors, and for the list of check boxes in every shape its templates branch on."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from cadence import widgets as in_python
from growth import queries as growth_queries
from plans.forms import ActionForm, LearningGoalForm, PlanForm
from plans.models import Plan

CHOICES = [
    [("a", "A <b> & 'c'"), ("b", "B")],
    [("", "---------"), ("Group <g>", [("c", "C"), ("d", "D")]), (5, "Five")],
    [],
]
ATTRS = [{}, {"class": 'x"<y>'}, {"class": mark_safe("<b>safe</b>"), "id": "an_id"}]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_check_boxes_in_python_are_django_s_byte_for_byte(language):
    with translation.override(language):
        for choices in CHOICES:
            for attrs in ATTRS:
                for value in (None, [], ["a"], ["a", "d", "5"], "c", [5]):
                    for given in (None, {"id": "id_focus"}):
                        wanted = forms.CheckboxSelectMultiple(attrs=attrs, choices=choices)
                        mine = in_python.CheckboxSelectMultiple(attrs=attrs, choices=choices)
                        assert mine.render("focus", value, given) == wanted.render(
                            "focus", value, given
                        ), (choices, attrs, value, given)


def _django_twin(widget):
    """The same widget (its attributes, choices, format) as Django's own class."""
    django_class = next(c for c in type(widget).__mro__ if c.__module__.startswith("django."))
    twin = django_class.__new__(django_class)
    twin.__dict__.update(widget.__dict__)
    return twin


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("focus", [[], ["communication", "developing-people"]])
def test_the_plan_page_s_fields_are_as_django_wrote_them(cast, framework, language, focus):
    loaded = growth_queries.current()
    assert loaded is not None and loaded.competencies and loaded.steps
    plan = Plan(person=cast.alice, ambition="Lead <a> team & more", focus=focus)
    plan.target_track, plan.target_level = loaded.steps[0].track.key, loaded.steps[0].profile.level
    made = [
        lambda data=None: PlanForm(data, framework=loaded, plan=plan),
        lambda data=None: PlanForm(data, framework=loaded, plan=None),
        lambda data=None: ActionForm(data, currency="€ <EUR>"),
        lambda data=None: ActionForm(data),
        lambda data=None: LearningGoalForm(data, framework=loaded, plan=plan),
    ]
    posted = {
        "ambition": "<script>x</script> & more",
        "target": "nowhere",
        "focus": ["communication", "developing-people", "delivery", "nowhere"],
        "kind": "nothing",
        "title": "T" * 300,
        "status": "",
        "due_date": "soon",
        "cost": "-1x",
        "period": "never",
        "competency": "<none>",
    }
    with translation.override(language):
        for make in made:
            for data in (None, posted):
                form = make(data)
                if data:
                    form.is_valid()
                for bound in form:
                    widget = bound.field.widget
                    assert isinstance(widget, in_python._InPython), bound.name
                    bound.field.widget = _django_twin(widget)
                    wanted = str(bound)
                    bound.field.widget = widget
                    assert str(bound) == wanted, (type(form).__name__, bound.name)
