"""My team's rows and the conversations coming up are rendered in Python
(`conversations.templatetags.conversation_rows`): byte for byte what the templates' loops gave
(kept beside this file, as they were), for every branch of them, escaped and translated alike."""

import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from conversations.adherence import Adherence
from conversations.models import Conversation, Kind
from conversations.tests.factories import make_conversation
from conversations.views_lists import Cell, ComingUp, Nudge, coming_up
from feedback.queries import OpenAsks
from goals.queries import Attention
from growth import queries as growth_queries

# My team's loop, as the template had it before `team_rows`.
LOOP = (
    "{% load growth i18n %}<tbody>\n"
    + (Path(__file__).parent / "my_team_loop.html").read_text()
    + "\n    </tbody>"
)
NEW = (
    "{% load conversation_rows %}<tbody>\n      {% team_rows rows kinds modules_on %}\n    </tbody>"
)


def _review(status, submitted=None, approved=None, released=None, peers=0, mine=None):
    cycle = SimpleNamespace(
        status=status, min_peers=3, answers_due=timezone.localdate() + timedelta(days=9)
    )
    participant = SimpleNamespace(
        pk=77,
        cycle=cycle,
        nominations_submitted_at=submitted,
        nominations_approved_at=approved,
        released_at=released,
    )
    from feedback.queries import ReviewStatus

    return ReviewStatus(participant=participant, peers=peers, my_review_id=mine)


def _variants(rows, me):
    """The rows of a real page, and copies of them through every branch the loop has."""
    now = timezone.now()
    found = list(rows)
    base = rows[0]
    person = copy.copy(base.person)
    person.name = "O'Brien & <Sons>"
    person.job_title = 'Lead "ops" <x>'
    setattr(person, growth_queries.OPEN_ASSESSMENT, 42)
    setattr(person, growth_queries.FRAMEWORK_PUBLISHED, True)
    nxt = base.cells[0].next or make_conversation(base.person, due=timezone.localdate())
    today = timezone.localdate()
    cells = [
        Cell(kind=Kind.CHECK_IN, months=1, last_held=today, next=nxt, overdue_days=5),
        Cell(kind=Kind.QUARTERLY, months=3, next=nxt, due_in=0, unprepared=True),
        Cell(kind=Kind.DEVELOPMENT, months=0),
        Cell(kind="unknown", months=6, schedule_url="/s?a=1&b=<2>", last_held=today),
    ]
    prepared = copy.copy(nxt)
    prepared.prepared_at = now
    cells.append(Cell(kind=Kind.CHECK_IN, months=1, next=prepared, overdue_days=1))
    cells.append(Cell(kind=Kind.CHECK_IN, months=1, next=nxt, due_in=1))
    cells.append(Cell(kind=Kind.CHECK_IN, months=1, next=nxt, due_in=7))
    cells.append(Cell(kind=Kind.CHECK_IN, months=1, next=nxt, due_in=8))
    found.append(
        SimpleNamespace(
            person=person,
            cells=cells,
            next_one_on_one=nxt,
            open_actions=3,
            actions_url="/a?x=1&y=2",
            overdue_count=2,
            adherence=Adherence(1234, 2345),
            attention=Attention(count=1, stale=1),
            asks=OpenAsks(to_me=[SimpleNamespace(pk=5)], from_me=1),
            review=_review("nominating", peers=1),
            nudges=[
                Nudge("prepare", "Remind <them>", "/n/1?a&b"),
                Nudge("goals", "Remind", "/n/2", sent_today=True),
            ],
        )
    )
    others = [
        {"review": _review("nominating", submitted=now, peers=1)},
        {"review": _review("nominating", submitted=now, approved=now, peers=4)},
        {"review": _review("nominating", submitted=now, approved=now, peers=1)},
        {"review": _review("reviewing", mine=12)},
        {"review": _review("reviewing")},
        {"review": _review("closed")},
        {"review": _review("closed", released=now)},
        {
            "asks": OpenAsks(to_me=[SimpleNamespace(pk=5), SimpleNamespace(pk=6)], from_me=3),
            "attention": Attention(count=4),
            "open_actions": 2,
            "actions_url": "",
            "adherence": Adherence(0, 1),
        },
    ]
    for n, change in enumerate(others):
        person = copy.copy(base.person)
        setattr(person, growth_queries.OPEN_ASSESSMENT, None if n % 2 else 9)
        setattr(person, growth_queries.FRAMEWORK_PUBLISHED, bool(n % 3))
        fields = {**vars(base), "overdue_count": n % 2, "actions_url": base.actions_url}
        found.append(SimpleNamespace(**{**fields, "person": person, **change}))
    fields = {**vars(base), "overdue_count": 0, "actions_url": base.actions_url}
    found.append(SimpleNamespace(**{**fields, "person": me}))  # "My assessments"
    return found


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_rows_in_python_are_the_loop_s_byte_for_byte(login, cast, language):
    today = cast.alice.local_today()
    make_conversation(cast.alice, due=today + timedelta(days=3))
    response = login(cast.bob).get(reverse("my_team"))
    request = response.wsgi_request
    context = {
        "rows": _variants(response.context["rows"], cast.bob),
        "kinds": response.context["kinds"],
        "csrf_token": "TOKEN",
    }
    engine = engines["django"]
    loop, new = engine.from_string(LOOP), engine.from_string(NEW)
    cases = [
        {"goals": True, "feedback": True, "reviews": True},
        {"goals": False, "feedback": False, "reviews": False},
        {"goals": True, "feedback": False, "reviews": True},
    ]
    shown = []
    with translation.override(language):
        for modules_on in cases:
            wanted = loop.render({**context, "modules_on": modules_on}, request)
            assert new.render({**context, "modules_on": modules_on}, request) == wanted
            shown.append(wanted)
    if language == "en":  # every branch was there to compare
        for words in BRANCHES:
            assert words in shown[0], words


BRANCHES = (
    "overdue by 5 days",
    "overdue by 1 day<",
    'badge warn">today',
    "in 1 day<",
    "in 7 days",
    'muted">off',
    "Schedule<",
    "/s?a=1&amp;b=&lt;2&gt;",
    "last held",
    "not held yet",
    "badge ok",
    "not prepared yet",
    "O&#x27;Brien &amp; &lt;Sons&gt;",
    "One-on-one ",
    "Plan a one-on-one",
    "Open assessment<",
    "Start an assessment",
    "My assessments",
    "1,234 of 2,345 on time",
    "nothing due yet",
    "1 goal needs attention",
    "4 goals need attention",
    "Goals on course",
    "Asked you for feedback<",
    "Asked you for feedback 2 times",
    "Your feedback request is open",
    "3 of your feedback requests are open",
    "360: no reviewers proposed yet",
    "360: approve 1 reviewer<",
    "360: 4 reviewers approved",
    "(fewer than the 3 peers needed)",
    "360: your review is waiting",
    "360: reviews open until",
    "360 report ready to release",
    "nudge-sent",
    'value="TOKEN"',
)


# The Conversations page's loop over what is coming up, as it was before `coming_up_rows`.
COMING_UP = (
    "{% for row in rows %}"
    + (Path(__file__).parent / "coming_up_item.html").read_text()
    + "{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_what_is_coming_up_in_python_is_the_loop_s_byte_for_byte(cast, language):
    today = timezone.localdate()
    mine = make_conversation(cast.alice, due=today + timedelta(days=3), title="Q&A <plan>")
    theirs = make_conversation(cast.alice, kind=Kind.QUARTERLY, due=today - timedelta(days=2))
    theirs.prepared_at = timezone.now()
    theirs.starts_at = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    now = timezone.now()
    rows = [coming_up(mine, cast.alice, now), coming_up(theirs, cast.bob, now)]
    prepared = copy.copy(mine)
    prepared.prepared_at = timezone.now()
    rows.append(ComingUp(prepared, cast.bob, mine=True, overdue_days=0, due_in=0))
    for due_in in (0, 7, 8, 40):
        rows.append(ComingUp(mine, cast.alice, mine=False, overdue_days=0, due_in=due_in))
    rows.append(ComingUp(theirs, cast.alice, mine=False, overdue_days=1, due_in=-1))
    engine = engines["django"]
    loop = engine.from_string(COMING_UP)
    new = engine.from_string("{% load conversation_rows %}{% coming_up_rows rows %}")
    with translation.override(language), timezone.override("Pacific/Auckland"):
        wanted = loop.render({"rows": rows})
        assert new.render({"rows": rows}) == wanted
    for words in ("your manager", "Q&amp;A &lt;plan&gt;", "badge ok", "Prepare<", "in 7 d"):
        assert words in wanted or language == "nl", words


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_conversations_label_is_its_kinds_name_as_get_kind_display_gives_it(language):
    with translation.override(language):
        for kind in [*Kind.values, "unknown"]:
            untitled = Conversation(kind=kind)
            assert untitled.label == str(untitled.get_kind_display())
        assert Conversation(kind=Kind.CHECK_IN, title="Ours").label == "Ours"
