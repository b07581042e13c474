"""A switched-off module is gone from everything that is not its own page: Home, the
navigation's counts, My team, and the periodic jobs (reminders, scheduling). Its data stays."""

from django.urls import reverse
from django.utils import timezone

from access.viewer import Viewer
from cadence.jobs import run_jobs
from cadence.waiting import counts
from conversations.models import Conversation
from conversations.tests.factories import make_conversation
from feedback.tests.factories import add_participant, invite, make_cycle, make_request
from organisation import current


def _off(*keys):
    row = current.row()
    row.modules_off = list(keys)
    row.save()


def test_home_leaves_out_the_conversations_when_they_are_off(login, cast):
    make_conversation(cast.alice, cast.bob)
    assert "conversations-h" in login(cast.bob).get(reverse("home")).content.decode()
    _off("conversations")
    page = login(cast.bob).get(reverse("home")).content.decode()
    assert "conversations-h" not in page
    assert reverse("conversations:index") not in page
    assert Conversation.objects.filter(employee=cast.alice).exists()


def test_what_waits_in_a_switched_off_module_is_not_counted(cast):
    make_request(cast.bob, [cast.alice])
    participant = add_participant(make_cycle(), cast.bob)
    invite(participant, cast.alice)
    today = timezone.localdate()
    found = counts(Viewer(cast.alice), today)
    assert found["asks_to_answer"] == 1 and found["reviews_owed"] == 1

    _off("reviews")
    found = counts(Viewer(cast.alice), today)
    assert found["asks_to_answer"] == 1
    assert "reviews_owed" not in found

    _off("feedback")
    found = counts(Viewer(cast.alice), today)
    assert "asks_to_answer" not in found and "reviews_owed" not in found


def test_the_navigation_count_of_a_switched_off_module_is_gone(login, cast):
    make_request(cast.bob, [cast.alice])
    page = login(cast.alice).get(reverse("people:directory")).content.decode()
    assert 'class="nav-feedback' in page
    _off("feedback")
    page = login(cast.alice).get(reverse("people:directory")).content.decode()
    assert 'class="nav-feedback' not in page
    assert "waiting for you" not in page


def test_my_team_goes_with_conversations(login, cast):
    assert login(cast.bob).get(reverse("my_team")).status_code == 200
    _off("conversations")
    client = login(cast.bob)
    assert client.get(reverse("my_team")).status_code == 404
    assert 'class="nav-my_team' not in client.get(reverse("home")).content.decode()


def test_my_team_leaves_out_goals_when_goals_are_off(login, cast):
    assert "Goals on course" in login(cast.bob).get(reverse("my_team")).content.decode()
    _off("goals")
    page = login(cast.bob).get(reverse("my_team")).content.decode()
    assert "Goals on course" not in page
    assert "goal needing attention" not in page


def test_the_jobs_of_a_switched_off_module_do_not_run(cast):
    _off("conversations")
    lines = run_jobs(timezone.now(), ["conversations"])
    assert lines == ["conversations: not run, its module is switched off"]
    assert not Conversation.objects.exists()

    _off()
    run_jobs(timezone.now(), ["conversations"])
    assert Conversation.objects.filter(employee=cast.alice).exists()


def test_360_reminders_stop_when_360_reviews_are_off(cast):
    cycle = make_cycle(answers_due=timezone.localdate())  # reminded on the last day
    invite(add_participant(cycle, cast.bob), cast.alice)
    _off("reviews")
    assert run_jobs(timezone.now(), ["feedback-reminders"]) == []
    _off()
    lines = run_jobs(timezone.now(), ["feedback-reminders"])
    assert lines == ["feedback: 0 request reminders, 1 review reminders"]
