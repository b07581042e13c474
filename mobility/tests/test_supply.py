"""Supply and demand (HR): people aiming for each step in their plans, never a count under the
threshold, against the open openings for its role and level."""

from django.urls import reverse

from conftest import make_person
from plans.models import Plan

URL = reverse("mobility:supply")


def aiming(cast, count, step=("management", 4)):
    for number in range(count):
        person = make_person(
            f"aim{step[0]}{number}@example.com", f"Aim {number}", team=cast.platform
        )
        Plan.objects.create(person=person, target_track=step[0], target_level=step[1])


def rows(client):
    return {row.label: row for row in client.get(URL).context["rows"]}


def test_a_step_fewer_than_five_aim_for_is_not_counted(login, cast, framework, make_opening):
    aiming(cast, 4)
    make_opening(title="Manager", role="Engineering manager", level=4)
    found = rows(login(cast.erin))
    (row,) = found.values()
    assert row.aiming is None and row.openings == 1
    assert "fewer than 5" in login(cast.erin).get(URL).content.decode()


def test_five_are_counted(login, cast, framework):
    aiming(cast, 5)
    (row,) = rows(login(cast.erin)).values()
    assert row.aiming == 5 and row.openings == 0


def test_the_organisations_larger_anonymity_threshold_wins(login, cast, framework):
    from feedback.models import FeedbackSettings

    settings = FeedbackSettings.load()
    settings.anonymity_threshold = 7
    settings.save()
    aiming(cast, 6)
    (row,) = rows(login(cast.erin)).values()
    assert row.aiming is None


def test_only_hr_opens_it(login, cast):
    for person in (cast.alice, cast.bob, cast.carol, cast.frank):
        assert login(person).get(URL).status_code == 403
