"""What erasure (`trust.erasure`) does to Growth's data: nothing of the framework. Its words
are the organisation's, written for everyone; who published a version is kept as a link to the
person (who, anonymised, shows as such), not as text."""

from __future__ import annotations

from growth.models import (
    Behaviour,
    Competency,
    FrameworkVersion,
    ProficiencyLevel,
    RoleProfile,
    Track,
)
from trust.erasure import keep

FRAMEWORK = "the organisation's competency framework, written for everyone"

keep(FrameworkVersion, ("note",), "HR's note on a version of the organisation's framework")
keep(ProficiencyLevel, ("name", "description"), FRAMEWORK)
keep(Competency, ("key", "name", "category", "description"), FRAMEWORK)
keep(Behaviour, ("description", "examples"), FRAMEWORK)
keep(Track, ("key", "name", "description"), FRAMEWORK)
keep(RoleProfile, ("title", "summary"), FRAMEWORK)
