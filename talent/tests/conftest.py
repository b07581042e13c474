"""A Platform team of six software engineers (Alice and five more, all Bob's reports, level
2), each assessed by Bob and his ratings shared: what the skills heatmaps show."""

from types import SimpleNamespace

import pytest

from conftest import make_person
from growth import services
from growth.tests.factories import cast_framework
from growth.tests.helpers import as_, competency

# Each engineer's communication and ownership as Bob rated them (None: not rated). The role
# profile (individual contributor, level 2) expects 2 of both. Communication: one of six at
# or above (a skill the team depends on one person for); ownership: only two rated.
LEVELS = [(3, 2), (1, 3), (1, None), (1, None), (1, None), (1, None)]


@pytest.fixture
def framework(cast):
    return cast_framework(cast)


def rate(manager, person, levels: dict) -> None:
    assessment = services.start_assessment(as_(manager), person.pk)
    for key, level in levels.items():
        if level is not None:
            services.rate(
                as_(manager), assessment, competency_id=competency(assessment, key).pk, level=level
            )
    services.share(as_(manager), assessment)


@pytest.fixture
def platform(cast, framework):
    engineers = [cast.alice]
    for number in range(1, 6):
        engineers.append(
            make_person(
                f"engineer{number}@example.com",
                f"Engineer {number}",
                team=cast.platform,
                manager=cast.bob,
                role=cast.alice.role,
                level=2,
            )
        )
    for person, (communication, ownership) in zip(engineers, LEVELS, strict=True):
        rate(cast.bob, person, {"communication": communication, "ownership": ownership})
    return SimpleNamespace(engineers=engineers)
