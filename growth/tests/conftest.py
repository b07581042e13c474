import pytest

from growth.tests.factories import cast_framework


@pytest.fixture
def framework(cast):
    """The starter framework with the cast's roles on its tracks (`cast_framework`)."""
    return cast_framework(cast)
