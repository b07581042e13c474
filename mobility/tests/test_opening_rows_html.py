"""The openings list's rows are written in Python (`mobility.templatetags.opening_rows`): byte
for byte what the list's loop gave (kept beside this file, as it was) with
`mobility/_fit.html` included in each row (the template itself, which an opening's page still
includes), for every branch of a fit, escaped and translated alike."""

import copy
from datetime import date
from pathlib import Path

import pytest
from django.template import engines
from django.utils import timezone, translation

from access.viewer import Viewer
from growth import queries as growth_queries
from mobility import queries
from mobility.queries import ROLE, TEAM, TRACK
from plans.readiness import Readiness

OLD = engines["django"].from_string(
    "{% load i18n %}<tbody>" + (Path(__file__).parent / "fit_loop.html").read_text() + "</tbody>"
)
NEW = engines["django"].from_string("{% load opening_rows %}<tbody>{% opening_rows fits %}</tbody>")


def _variants(fits):
    """The fits of a real list, and copies of them through every branch a row has."""
    found = list(fits)
    base = fits[0]
    step = next((fit.step for fit in fits if fit.step is not None), None)
    odd_opening = copy.copy(base.opening)
    odd_opening.title = 'O\'Brien & <Sons> "lead"'
    cases = [
        {"readiness": Readiness(3, 5, date(2025, 1, 2), stale=False), "target": True},
        {"readiness": Readiness(1234, 2000, None, stale=True), "matches": [TRACK, ROLE, TEAM]},
        {"readiness": None, "step": step, "matches": [ROLE]},
        {"readiness": None, "step": None, "target": False, "matches": []},
        {"readiness": None, "step": None, "target": True, "matches": [TEAM, TRACK]},
    ]
    for case in cases:
        fit = copy.copy(base)
        fit.opening = odd_opening
        for name, value in case.items():
            setattr(fit, name, value)
        found.append(fit)
    return found


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_rows_are_what_the_template_gave(cast, framework, make_opening, language):
    make_opening()
    make_opening(title="Team <lead>", role="Engineering manager", level=4, team=cast.engineering)
    make_opening(title="No profile", role="Juggler", level=9)
    viewer = Viewer(person=cast.alice)
    fits = queries.fit_for_me(
        viewer,
        list(queries.listed_openings(viewer)),
        growth_queries.current(),
        timezone.localdate(),
    )
    assert len(fits) == 3
    rows = _variants(fits)
    with translation.override(language):
        old = OLD.render({"fits": rows})
        new = NEW.render({"fits": rows})
    assert new == old
    assert "O&#x27;Brien &amp; &lt;Sons&gt;" in new and "Team &lt;lead&gt;" in new
    assert ("1234 van 2000 gehaald" if language == "nl" else "1234 of 2000 met") in new


def test_no_fits_write_nothing():
    assert NEW.render({"fits": []}) == OLD.render({"fits": []}) == "<tbody></tbody>"


def test_the_list_shows_them(login, cast, framework, make_opening):
    make_opening()
    make_opening(title="Team <lead>", role="Engineering manager", level=4, team=cast.engineering)
    page = login(cast.alice).get("/talent/mobility/").content.decode()
    viewer = Viewer(person=cast.alice)
    fits = queries.fit_for_me(
        viewer,
        list(queries.listed_openings(viewer)),
        growth_queries.current(),
        timezone.localdate(),
    )
    assert OLD.render({"fits": fits}) in page


@pytest.mark.parametrize("data", [None, {"team": "5", "level": "3"}, {"role": "nope"}])
def test_the_filters_are_what_djangos_select_gave(data):
    """The filters' lists are written in Python (`cadence.widgets.Select`): what
    Django's select widget writes through the form renderer's templates."""
    from django import forms

    from mobility.forms import FilterForm

    def filters():
        return FilterForm(
            data,
            teams=[(5, "Sales & <Ops>"), (6, "Platform")],
            roles=[(2, 'Engineer "II"')],
            levels=[(3, "3"), (4, "4")],
        )

    ours, django = filters(), filters()
    for name, field in django.fields.items():
        field.widget = forms.Select(choices=field.widget.choices)
        assert str(ours[name]) == str(django[name])
    if data and "team" in data:
        assert "selected" in str(ours["team"])
