"""Other modules' pages link to a person's assessments with a tag, so that they need nothing of
Growth's views (apps meet through templates here): My team beside each report, a person's
page. `{% person_assessments person %}` shows, as the rules allow (`growth.rules`):

- to the person themselves: their open assessment, else Growth's page, where they start one;
- to their current manager: the open assessment, else a button that starts one (when a
  framework is published and the person may be assessed);
- to HR in scope: the open assessment (its status and dates, as HR sees it);
- to anyone else: nothing.

A list of people annotated with `growth.queries.with_open_assessment` costs no query; one
person without it, one. Nothing shows while the module is off or outside the pilot scope.
"""

from __future__ import annotations

from typing import Any

from django import template

from access.rules import shown
from access.viewer import viewer_of
from growth import queries
from growth.models import Assessment
from growth.rules import sees_assessments_of, starts_assessment_of
from organisation import current, scope
from people.models import Person

register = template.Library()


@register.inclusion_tag("growth/_person_assessments.html", takes_context=True)
def person_assessments(context: Any, person: Person, compact: bool = False) -> dict[str, Any]:
    """`compact`: a link among others (My team's row); else a button (a page's actions)."""
    request = context["request"]
    viewer = viewer_of(request)
    shows: dict[str, Any] = {"person": person, "compact": compact}
    if (
        viewer.person is None
        or not current.settings().is_on("growth")
        or not scope.sees_modules(viewer)
        or not scope.in_scope(person)
    ):
        return shows
    sees, starts = sees_assessments_of(viewer, person), starts_assessment_of(viewer, person)
    if not (sees or starts):
        return shows
    if hasattr(person, queries.OPEN_ASSESSMENT):
        open_id = getattr(person, queries.OPEN_ASSESSMENT)
        published = bool(getattr(person, queries.FRAMEWORK_PUBLISHED))
    else:
        open_id, published = queries.open_assessment_of(viewer, person)
    mine = viewer.person.pk == person.pk
    if open_id is not None:  # that it exists, its link: as Growth's lists show it
        shown(viewer, [Assessment(pk=open_id, subject_id=person.pk)])
    shows.update(
        {
            "csrf_token": context.get("csrf_token"),
            "open_id": open_id,
            "mine": mine,
            "may_start": starts and not mine and open_id is None and published,
        }
    )
    return shows
