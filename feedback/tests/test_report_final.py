"""A 360 report cannot be read over time to single out one answer: before the reviews close it
shows nothing (so one more answer changes nothing a manager or HR sees), after the close it is
computed from final answers and never changes, and it is released only after the close, with
a confirmation."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from feedback.models import RaterGroup
from feedback.tests.factories import (
    add_participant,
    answer,
    answered_by,
    close,
    invite,
    make_review_cycle,
)
from people.tests.factories import add_people

CONFIRM = {"confirm": "yes"}


@pytest.fixture
def running(cast):
    """Alice reviewed in an open cycle by herself, Bob, three peers and two direct reports;
    a fourth peer and a third direct report have not answered yet."""
    cycle = make_review_cycle(rated="Communicates clearly", competency="")
    participant = add_participant(cycle, cast.alice)
    peers = add_people(4, team=cast.platform, prefix="peer")
    reports = add_people(3, team=cast.platform, manager=cast.alice, prefix="report")
    answered_by(
        participant,
        [
            (cast.alice, RaterGroup.SELF, 4, "I write things down."),
            (cast.bob, RaterGroup.MANAGER, 4, "Good notes."),
            (peers[0], RaterGroup.PEER, 5, "Peer says demos."),
            (peers[1], RaterGroup.PEER, 5, "Peer says calm."),
            (peers[2], RaterGroup.PEER, 4, "Peer says clear."),
            (reports[0], RaterGroup.REPORT, 4, "Report says kind."),
            (reports[1], RaterGroup.REPORT, 4, "Report says fair."),
        ],
    )
    late = {
        "peer": invite(participant, peers[3], RaterGroup.PEER),
        "report": invite(participant, reports[2], RaterGroup.REPORT),
    }
    return participant, late


def report_url(participant):
    return reverse("feedback:report", args=[participant.pk])


def release_url(participant):
    return reverse("feedback:release", args=[participant.pk])


def report_text(client, participant) -> str:
    """What the report page says, without the page's chrome that differs between requests."""
    response = client.get(report_url(participant))
    assert response.status_code == 200
    html = response.content.decode()
    html = html[html.index("<main") : html.index("</main>")]
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("reader", ["bob", "erin"])
def test_before_the_close_one_more_answer_changes_nothing_the_report_shows(
    login, cast, running, reader
):
    participant, late = running
    client = login(getattr(cast, reader))
    before = report_text(client, participant)
    # A fourth peer answers with a 1 (on main: peers 4.7 from 3, then 3.8 from 4).
    answer(late["peer"], 1, "Peer says nothing good.")
    assert report_text(client, participant) == before
    # And the third direct report (on main: "others" minus "peers" gives their comments).
    answer(late["report"], 2, "Report says hard.")
    assert report_text(client, participant) == before
    assert "ready once the reviews close" in before
    for hidden in ("Peer says", "Report says", "Peers 4", "ratings", "people answered", "4.7"):
        assert hidden not in before, hidden


def test_after_the_close_the_report_is_final_and_the_same_at_every_read(login, cast, running):
    participant, late = running
    answer(late["peer"], 1, "Peer says nothing good.")
    close(participant.cycle)
    bob = login(cast.bob)
    first = report_text(bob, participant)
    assert "Peers 3.8 4 ratings" in first
    assert "Peer says nothing good." in first
    assert "ready once the reviews close" not in first
    # The last direct report cannot answer any more, and nothing else changes the report.
    with pytest.raises(Exception, match="not open"):
        answer(late["report"], 2, "Report says hard.")
    assert report_text(bob, participant) == first
    # HR reads the same figures and comments (who can read it is said to each in their words).
    start = first.index("Communicates clearly")
    erin = report_text(login(cast.erin), participant)
    assert erin[erin.index("Communicates clearly") :] == first[start:]
    # Released: the participant reads the same figures and comments.
    bob.post(release_url(participant), CONFIRM)
    alice = report_text(login(cast.alice), participant)
    assert alice[alice.index("Communicates clearly") :] == first[start:]


def test_no_report_is_released_before_the_close(login, cast, running):
    participant, _late = running
    client = login(cast.bob)
    page = client.get(report_url(participant)).text
    assert "Release to" not in page
    assert "Ready when the reviews close" in page
    assert client.post(release_url(participant), CONFIRM).status_code == 403
    assert login(cast.erin).post(release_url(participant), CONFIRM).status_code == 403
    participant.refresh_from_db()
    assert participant.released_at is None and mail.outbox == []
    assert login(cast.alice).get(report_url(participant)).status_code == 404


def test_releasing_asks_for_a_confirmation(login, cast, running):
    participant, _late = running
    close(participant.cycle)
    client = login(cast.bob)
    page = client.get(report_url(participant)).text
    assert 'name="confirm"' in page and "It cannot be taken back." in page
    refused = client.post(release_url(participant))
    assert refused.status_code == 400
    assert "Tick the box to confirm" in refused.text
    assert client.post(release_url(participant), {"confirm": "no"}).status_code == 400
    participant.refresh_from_db()
    assert participant.released_at is None and mail.outbox == []
    assert client.post(release_url(participant), CONFIRM).status_code == 302
    participant.refresh_from_db()
    assert participant.released_by == cast.bob and len(mail.outbox) == 1
