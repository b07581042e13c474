"""Writing succession plans through the real pages: marking a position, naming candidates,
changing and removing them, with the history kept; bad input re-renders with its errors; the
power to write names nobody the writer may not see."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Person, Role
from succession.models import CandidacyChange, KeyPosition, SuccessionCandidate
from succession.tests.factories import make_position, name


def candidate_form(person, **extra):
    return {
        "person": [person if isinstance(person, int) else person.pk],
        "readiness": "1-2",
        "readiness_on": timezone.localdate().isoformat(),
        "rank": "1",
        "notes": "Grows fast",
        **extra,
    }


def test_hr_marks_a_key_position(client, login, cast):
    role = Role.objects.create(name="Engineering manager")
    login(cast.erin)
    answer = client.post(
        reverse("succession:new_position"),
        {"title": "Head of Platform", "team": cast.platform.pk, "role": role.pk, "level": 4},
    )
    position = KeyPosition.objects.get()
    assert answer.status_code == 302 and position.created_by == cast.erin


def test_a_lead_may_not_mark_one_outside_their_part(client, login, cast):
    role = Role.objects.create(name="Engineering manager")
    login(cast.carol)
    page = client.post(
        reverse("succession:new_position"),
        {"title": "Head of Sales", "team": cast.sales.pk, "role": role.pk, "level": 4},
    )
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    assert not KeyPosition.objects.exists()


def test_bad_input_comes_back_with_its_errors(client, login, cast):
    login(cast.erin)
    page = client.post(reverse("succession:new_position"), {"title": "", "level": "x"})
    assert page.status_code == 200 and "This field is required" in page.content.decode()


def test_a_lead_names_a_candidate_and_the_history_keeps_it(client, login, cast):
    position = make_position(cast.platform)
    login(cast.carol)
    answer = client.post(
        reverse("succession:add_candidate", args=[position.pk]), candidate_form(cast.alice)
    )
    assert answer.status_code == 302
    candidacy = SuccessionCandidate.objects.get()
    assert candidacy.readiness == "1-2" and candidacy.recorded_by == cast.carol
    change = CandidacyChange.objects.get()
    assert change.kind == "named" and change.by == cast.carol


def test_naming_another_emergency_successor_moves_the_flag(client, login, cast):
    position = make_position(cast.platform)
    first = name(position, cast.bob, emergency=True)
    login(cast.erin)
    client.post(
        reverse("succession:add_candidate", args=[position.pk]),
        candidate_form(cast.alice, emergency="on", rank="2"),
    )
    first.refresh_from_db()
    assert not first.emergency
    assert SuccessionCandidate.objects.get(person=cast.alice).emergency


def test_a_candidate_they_may_not_see_is_refused_without_naming_them(client, login, cast):
    """Someone who left, outside narrow HR's scope, is nobody to them: the same error as an id
    that does not exist."""
    from access.models import HRRole

    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    gone = Person.objects.create_user(
        "gone@example.com",
        None,
        name="Gone Person",
        team=cast.sales,
        leave_date=timezone.localdate() - timedelta(days=10),
    )
    position = make_position(cast.platform)
    login(cast.erin)
    url = reverse("succession:add_candidate", args=[position.pk])
    hidden = client.post(url, candidate_form(gone)).content.decode()
    unknown = client.post(url, candidate_form(gone.pk + 1000)).content.decode()
    assert "Gone Person" not in hidden
    assert "cannot be chosen here" in hidden and "cannot be chosen here" in unknown
    assert not SuccessionCandidate.objects.exists()


def test_nobody_names_themselves(client, login, cast):
    position = make_position(cast.platform)
    login(cast.carol)
    page = client.post(
        reverse("succession:add_candidate", args=[position.pk]), candidate_form(cast.carol)
    )
    assert "You cannot name yourself" in page.content.decode()
    assert not SuccessionCandidate.objects.exists()


@pytest.mark.parametrize("who", ["frank", "dave", "alice"])
def test_who_does_not_manage_the_position_may_not_write(client, login, cast, who):
    position = make_position(cast.platform)
    login(getattr(cast, who))
    url = reverse("succession:add_candidate", args=[position.pk])
    assert client.post(url, candidate_form(cast.bob)).status_code == 404
    assert not SuccessionCandidate.objects.exists()


def test_a_change_is_kept_in_the_history_and_removal_too(client, login, cast):
    position = make_position(cast.platform)
    candidacy = name(position, cast.alice)
    login(cast.erin)
    url = reverse("succession:candidacy", args=[candidacy.pk])
    answer = client.post(
        url,
        {
            "readiness": "now",
            "readiness_on": timezone.localdate().isoformat(),
            "rank": "2",
            "notes": "Changed",
        },
    )
    assert answer.status_code == 302
    change = CandidacyChange.objects.get(kind="changed")
    assert change.changes["rank"] == [1, 2] and change.changes["notes"] == [None, "changed"]
    client.post(reverse("succession:remove_candidate", args=[candidacy.pk]))
    assert not SuccessionCandidate.objects.exists()
    assert CandidacyChange.objects.filter(kind="removed", person=cast.alice).exists()


def test_evidence_from_the_future_is_refused_on_the_form(client, login, cast):
    position = make_position(cast.platform)
    login(cast.erin)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.post(
        reverse("succession:add_candidate", args=[position.pk]),
        candidate_form(cast.alice, readiness_on=tomorrow),
    )
    assert page.status_code == 200 and "cannot be from the future" in page.content.decode()
