import pytest

from growth.tests.factories import cast_framework


@pytest.fixture
def framework(cast):
    """The starter framework with the cast's roles on its tracks (`cast_framework`)."""
    return cast_framework(cast)


@pytest.fixture
def make_opening(cast):
    """An open opening: by default in Platform, Bob (its lead) its hiring manager."""
    from mobility.models import Opening
    from people.models import Role

    def make(title="Platform engineer", role="Software engineer", level=3, **fields):
        fields.setdefault("team", cast.platform)
        fields.setdefault("hiring_manager", cast.bob)
        return Opening.objects.create(
            title=title, role=Role.objects.get_or_create(name=role)[0], level=level, **fields
        )

    return make
