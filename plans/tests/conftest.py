import pytest

from growth.tests.factories import publish_starter
from people.models import Role


@pytest.fixture
def framework(cast):
    """The starter framework, its tracks holding the cast's roles: Alice a software engineer
    at level 2 (Intermediate), Bob an engineering manager at level 4 (Manager)."""
    engineer = Role.objects.create(name="Software engineer")
    manager = Role.objects.create(name="Engineering manager")
    cast.alice.role, cast.alice.level = engineer, 2
    cast.alice.save()
    cast.bob.role, cast.bob.level = manager, 4
    cast.bob.save()
    return publish_starter(
        roles={
            "individual-contributor": ["Software engineer"],
            "management": ["Engineering manager"],
        }
    )
