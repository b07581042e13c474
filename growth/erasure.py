"""What erasure (`trust.erasure`) does to Growth's data: nothing of the framework. Its words
are the organisation's, written for everyone; who published a version is kept as a link to the
person (who, anonymised, shows as such), not as text. Assessments keep their levels (so that a
history of counts stays what it was); the evidence and notes about the person, or written by
them, are replaced."""

from __future__ import annotations

from django.db.models import Q

from growth.models import (
    AssessmentRound,
    Behaviour,
    Competency,
    FrameworkVersion,
    ProficiencyLevel,
    Rating,
    RoleProfile,
    Track,
)
from trust.erasure import Replace, keep, register

FRAMEWORK = "the organisation's competency framework, written for everyone"

keep(FrameworkVersion, ("note",), "HR's note on a version of the organisation's framework")
keep(ProficiencyLevel, ("name", "description"), FRAMEWORK)
keep(Competency, ("key", "name", "category", "description"), FRAMEWORK)
keep(Behaviour, ("description", "examples"), FRAMEWORK)
keep(Track, ("key", "name", "description"), FRAMEWORK)
keep(RoleProfile, ("title", "summary"), FRAMEWORK)

register(
    # What they wrote as evidence and what their manager wrote about them.
    Replace(Rating, ("text",), lambda pk: Q(assessment__subject=pk) | Q(rated_by=pk)),
)
keep(AssessmentRound, ("name",), "HR's name for a round of assessments, about no one person")
