"""Assessments for tests: one of Alice started, ratings written through the services."""

from __future__ import annotations

from access.viewer import Viewer
from growth import services
from growth.models import Assessment, Competency


def as_(person) -> Viewer:
    """A fresh viewer (its person reloaded: no cached manager or HR role)."""
    return Viewer(person=type(person).objects.get(pk=person.pk))


def competency(assessment: Assessment, key: str) -> Competency:
    return assessment.version.competencies.get(key=key)


def rated(cast, *, mine=None, theirs=None, key="communication", share=True) -> Assessment:
    """Alice's assessment with her rating and Bob's of `key` (None: not rated), each shared
    when `share`."""
    assessment = services.start_assessment(as_(cast.alice), cast.alice.pk)
    target = competency(assessment, key).pk
    if mine is not None:
        services.rate(as_(cast.alice), assessment, competency_id=target, level=mine, evidence="Me")
        if share:
            services.share(as_(cast.alice), assessment)
    if theirs is not None:
        services.rate(as_(cast.bob), assessment, competency_id=target, level=theirs, evidence="Bob")
        if share:
            services.share(as_(cast.bob), assessment)
    return Assessment.objects.get(pk=assessment.pk)
