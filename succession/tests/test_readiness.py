"""Readiness: suggested from the gap to the position's role profile, only from the levels the
viewer may see (a candidate's manager; HR and others are told plainly that they see none);
expired after 12 months of evidence, and then counted as not ready."""

from django.urls import reverse
from django.utils import timezone

from access.viewer import Viewer
from growth.tests.factories import cast_framework
from growth.tests.helpers import rated
from people.models import Role
from succession import queries
from succession.models import Readiness
from succession.tests.factories import make_position, name


def test_an_expired_readiness_says_so_and_counts_as_not_ready(client, login, cast):
    position = make_position(cast.platform)
    name(position, cast.alice, readiness=Readiness.NOW, days_ago=400)
    hr = Viewer(person=cast.erin)
    strength = queries.bench(hr, [position.pk], timezone.localdate())[position.pk]
    assert strength.now == 0 and strength.expired == 1 and not strength.has_ready
    login(cast.erin)
    page = client.get(reverse("succession:position", args=[position.pk])).content.decode()
    assert "Expired — ask for a fresh assessment" in page
    listing = client.get(reverse("succession:index")).content.decode()
    assert "Without a ready successor" in listing and "Head of Platform" in listing


def test_the_candidates_manager_gets_a_suggestion_from_her_levels(client, login, cast):
    cast_framework(cast)
    rated(cast, mine=4, theirs=2)  # Bob's rating of Alice's communication, shared
    role = Role.objects.get(name="Engineering manager")
    position = make_position(cast.sales, role=role, level=4, title="Head of Sales")
    candidacy = name(position, cast.alice)
    login(cast.bob)
    page = client.get(reverse("succession:candidacy", args=[candidacy.pk])).content.decode()
    assert "Suggested from the gap" in page
    assert "Ready in 3+ years" in page


def test_hr_sees_no_levels_and_is_told_so(client, login, cast):
    cast_framework(cast)
    rated(cast, mine=4, theirs=2)
    role = Role.objects.get(name="Engineering manager")
    position = make_position(cast.platform, role=role, level=4)
    name(position, cast.alice)
    login(cast.erin)
    page = client.get(reverse("succession:position", args=[position.pk])).content.decode()
    assert "Suggested from the gap" not in page
    assert "you do not see Alice Employee’s assessed levels" in page


def test_without_a_role_profile_there_is_no_suggestion(client, login, cast):
    position = make_position(cast.platform, role=Role.objects.create(name="Unprofiled"))
    name(position, cast.alice)
    login(cast.carol)
    page = client.get(reverse("succession:position", args=[position.pk])).content.decode()
    assert "has no role profile for this role and level" in page


def test_the_plan_is_shown_only_to_who_may_see_it(client, login, cast):
    from plans.models import Plan, PlanAction

    plan = Plan.objects.create(person=cast.alice, ambition="Lead")
    PlanAction.objects.create(plan=plan, kind="course", title="Leading teams course")
    position = make_position(cast.platform)
    name(position, cast.alice)
    login(cast.bob)  # her manager: sees her plan
    page = client.get(reverse("succession:position", args=[position.pk])).content.decode()
    assert "Leading teams course" in page
    login(cast.erin)  # HR: does not
    page = client.get(reverse("succession:position", args=[position.pk])).content.decode()
    assert "Leading teams course" not in page
    assert "is theirs and their manager’s" in page


def test_a_candidate_does_not_learn_of_their_own_candidacy_from_the_bench(login, cast):
    """Erin is HR for everyone and named for a position she manages: its bench counts the
    candidacies she may see, never her own (she would learn she is named, how ready and
    whether she is the emergency successor)."""
    position = make_position(cast.platform)
    name(position, cast.erin, readiness=Readiness.NOW, days_ago=10, emergency=True)
    strength = queries.bench(Viewer(person=cast.erin), [position.pk], timezone.localdate())
    assert strength[position.pk].now == 0 and not strength[position.pk].emergency
    page = login(cast.erin).get(reverse("succession:position", args=[position.pk]))
    assert "1 ready now" not in page.content.decode()
    assert (
        queries.bench(Viewer(person=cast.bob), [position.pk], timezone.localdate())[position.pk].now
        == 1
    )  # Platform's lead sees it
