"""The demo's conversations: the rhythm as scheduling keeps it, believable, the same per seed."""

from collections import defaultdict

import pytest
from django.db.models import F, Q
from django.utils import timezone

from accounts.demo import demo_personas
from conversations.adherence import adherence_by
from conversations.demo import conversation_history
from conversations.models import (
    RHYTHM_KINDS,
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Conversation,
    ConversationTemplate,
    Kind,
    Note,
    PrivateNote,
    Reminder,
    RhythmRule,
    Status,
)
from conversations.prompts import default_text, parse
from conversations.scheduling import Rules, next_due, schedule
from people.demo import build_demo, flush_demo
from people.models import Person

pytestmark = pytest.mark.django_db

SIZE, YEARS, SEED = 60, 2, 3


def build(seed=SEED, flush=False):
    """The people and their conversations; other apps' history is not needed here."""
    org = build_demo(people=SIZE, years=YEARS, seed=seed, flush=flush, history=False)
    conversation_history(org)
    return org


@pytest.fixture
def org():
    return build()


def fingerprint() -> list[tuple]:
    """Every conversation by its pair, kind, dates and status, with what was said in it."""
    said: defaultdict[int, list[tuple[object, ...]]] = defaultdict(list)
    for model in (AgendaItem, Note, PrivateNote):
        for pk, email, text in model.objects.values_list(
            "conversation_id", "author__email", "text"
        ):
            said[pk].append((model.__name__, email, text))
    for pk, email, text, done in ActionItem.objects.values_list(
        "conversation_id", "owner__email", "text", "done_at"
    ):
        said[pk].append(("action", email, text, done is None))
    rows = Conversation.objects.values_list(
        "pk",
        "employee__email",
        "manager__email",
        "kind",
        "title",
        "due_date",
        "status",
        "held_on",
        "skip_reason",
        "preparation",
    )
    return sorted((*row[1:-1], str(row[-1]), tuple(sorted(said[row[0]]))) for row in rows)


def test_every_current_pair_has_one_open_conversation_per_rhythm_kind(org):
    pairs = {(p.pk, p.manager_id) for p in Person.objects.current().filter(manager__isnull=False)}
    assert len(pairs) == SIZE - 1  # everyone but the CEO
    open_ones = defaultdict(list)
    for employee, manager, kind in (
        Conversation.objects.rhythm().open().values_list("employee_id", "manager_id", "kind")
    ):
        open_ones[(employee, manager)].append(kind)
    assert set(open_ones) == pairs  # leavers' open ones were cancelled when they left
    assert all(sorted(kinds) == sorted(RHYTHM_KINDS) for kinds in open_ones.values())
    assert Conversation.objects.filter(status=Status.CANCELLED).exists()


def test_scheduling_right_after_the_demo_changes_nothing(org):
    before = list(Conversation.objects.values_list("pk", "due_date", "status").order_by("pk"))
    assert schedule() == {"created": 0, "cancelled": 0}
    assert list(Conversation.objects.values_list("pk", "due_date", "status").order_by("pk")) == (
        before
    )


def test_each_conversation_is_due_from_the_last_held_or_skipped_one(org):
    """The history follows the rhythm (the team rules included) exactly as scheduling would."""
    rules = Rules.load()
    assert RhythmRule.objects.exists()
    people = Person.objects.select_related("team").in_bulk()
    by_pair = defaultdict(list)
    for talk in Conversation.objects.rhythm().order_by("due_date"):
        by_pair[(talk.employee_id, talk.manager_id, talk.kind)].append(talk)
    checked = 0
    for (employee, _manager, kind), talks in by_pair.items():
        months = rules.interval(people[employee], kind)
        held = skipped = None
        for number, talk in enumerate(talks):
            if number:
                assert talk.due_date == next_due(held, skipped, months, None)
                checked += 1
            assert talk.status in (Status.HELD, Status.SKIPPED) or number == len(talks) - 1
            if talk.status == Status.HELD:
                held = max(held or talk.held_on, talk.held_on)
            elif talk.status == Status.SKIPPED:
                skipped = talk.due_date
    assert checked > 500


def test_past_conversations_are_held_and_signed_or_skipped_with_a_reason(org):
    today = timezone.localdate()
    people = Person.objects.in_bulk()
    held = Conversation.objects.filter(status=Status.HELD)
    assert held.count() > 500
    for talk in held:
        assert talk.held_on < today
        assert talk.employee_signed_at and talk.manager_signed_at
        assert talk.employee_signed_at.date() >= talk.held_on
        assert talk.manager_signed_at <= timezone.now()
        # Held when it took place: by the manager's sign-off, on its day, within the window
        # or after it (never before it opened).
        assert people[talk.employee_id].local_today(talk.manager_signed_at) == talk.held_on
        assert talk.held_on >= talk.window_opens
        assert talk.held_in_window == (talk.held_on <= talk.window_end)
        for person in (people[talk.employee_id], people[talk.manager_id]):
            assert person.start_date <= talk.held_on
            assert person.leave_date is None or talk.held_on < person.leave_date
    skipped = Conversation.objects.filter(status=Status.SKIPPED)
    assert skipped.exists()
    assert not skipped.filter(Q(skip_reason="") | ~Q(skipped_by=F("manager"))).exists()
    assert (
        not Conversation.objects.filter(due_date__gte=today)
        .exclude(status__in=[Status.SCHEDULED, Status.CANCELLED])
        .exists()
    )


def test_adherence_differs_between_managers_and_some_are_overdue(org):
    today = timezone.localdate()
    by_manager = adherence_by(Conversation.objects.all(), "manager_id", today)
    rates = [a.rate for a in by_manager.values() if a.counted >= 8]
    assert len(rates) >= 5
    assert max(rates) >= 0.85  # some keep the rhythm
    assert min(rates) <= 0.65  # some drift
    overdue = Conversation.objects.rhythm().open().filter(due_date__lt=today)
    assert overdue.count() >= 3
    late = [c for c in Conversation.objects.filter(status=Status.HELD) if not c.held_on_time]
    assert late


def test_recent_conversations_have_content_and_older_ones_just_the_record(org):
    today = timezone.localdate()
    recent = today - timezone.timedelta(days=183)
    with_content = set(AgendaItem.objects.values_list("conversation_id", flat=True))
    with_content |= set(Note.objects.values_list("conversation_id", flat=True))
    with_content |= set(ActionItem.objects.values_list("conversation_id", flat=True))
    old = Conversation.objects.filter(held_on__lt=recent)
    assert old.exists()
    assert not old.filter(pk__in=with_content).exists()
    assert not old.exclude(preparation=[]).exists()
    held = Conversation.objects.filter(status=Status.HELD, held_on__gte=recent)
    assert held.filter(pk__in=with_content).count() > held.count() * 0.7
    prepared = held.exclude(prepared_at=None)
    assert prepared.count() > held.count() / 2
    prompts = {k: [p for s in parse(default_text(k)) for p in s.prompts] for k in Kind.values}
    for talk in prepared[:50]:
        assert [item["prompt"] for item in talk.preparation] == prompts[talk.kind]
        assert any(item["answer"] for item in talk.preparation)
    # Some of the coming ones have talking points already, and a few one-on-ones are planned.
    assert AgendaItem.objects.filter(conversation__status=Status.SCHEDULED).exists()
    assert Conversation.objects.filter(kind=Kind.ONE_ON_ONE).exclude(title="").exists()


def test_action_items_are_mostly_done_and_some_carry_over(org):
    today = timezone.localdate()
    done = ActionItem.objects.exclude(done_at=None)
    still_open = ActionItem.objects.filter(done_at=None)
    assert done.count() > still_open.count()
    assert not done.filter(done_by=None).exists()
    assert not ActionItem.objects.exclude(Q(owner=F("employee")) | Q(owner=F("manager"))).exists()
    assert not ActionItem.objects.exclude(
        employee=F("conversation__employee"), manager=F("conversation__manager")
    ).exists()
    # Open items from a held conversation, for a pair that meets again: they carry over.
    carried = still_open.filter(conversation__status=Status.HELD)
    pairs = set(Conversation.objects.rhythm().open().values_list("employee_id", "manager_id"))
    assert any((a.employee_id, a.manager_id) in pairs for a in carried)
    assert carried.filter(due_date__lt=today).exists()


def test_private_notes_belong_to_a_participant(org):
    notes = PrivateNote.objects.select_related("conversation")
    assert notes.exists()
    assert all(note.author_id in note.conversation.participant_ids() for note in notes)
    authors = {note.author_id == note.conversation.manager_id for note in notes}
    assert authors == {True, False}  # by managers and by employees


def test_the_personas_have_a_story_to_show(org):
    today = timezone.localdate()
    personas = {str(p.label): p.person for p in demo_personas()}
    manager, employee = personas["Manager"], personas["Employee"]
    # The manager: a report who is overdue (once they have worked together for a month),
    # and an upcoming agenda not prepared yet.
    of_reports = Conversation.objects.rhythm().open().filter(manager=manager)
    assert manager.start_date <= today - timezone.timedelta(days=35)  # true of this seed
    assert of_reports.filter(due_date__lt=today).exists()
    assert of_reports.filter(prepared_at=None, due_date__gte=today).exists()
    # The employee: their next check-in is coming up (days away when their history allows),
    # with a talking point, and open action items of earlier conversations carry over to it
    # (one of them past its date).
    check_in = Conversation.objects.open().get(employee=employee, kind=Kind.CHECK_IN)
    assert today < check_in.due_date <= today + timezone.timedelta(days=21)
    assert check_in.agenda_items.exists()
    assert check_in.prepared_at is None
    carried = (
        ActionItem.objects.of_pair(employee.pk, manager.pk).open().exclude(conversation=check_in)
    )
    assert carried.count() >= 2
    assert carried.filter(due_date__lt=today).exists()


def test_the_summary_counts_the_conversations(org):
    assert org.counts["conversations"] == Conversation.objects.count()
    assert org.counts["talking points"] == AgendaItem.objects.count()
    assert org.counts["shared notes"] == Note.objects.count()
    assert org.counts["private notes"] == PrivateNote.objects.count()
    assert org.counts["action items"] == ActionItem.objects.count()


def test_the_same_seed_builds_the_same_conversations_and_flush_removes_them():
    build()
    first = fingerprint()
    assert len(first) > 1000
    build(flush=True)
    assert fingerprint() == first
    build(seed=SEED + 1, flush=True)
    assert fingerprint() != first
    # Everything of the app goes: rules and templates too, and feeds and reminders.
    ConversationTemplate.objects.create(kind=Kind.CHECK_IN, text="Topics\n- How are you?")
    person = Person.objects.first()
    CalendarFeed.issue(person)
    Reminder.objects.create(
        key="demo-test",
        kind=Reminder.Kind.OVERDUE,
        recipient=person,
        conversation=Conversation.objects.first(),
        action_item=ActionItem.objects.first(),
    )
    flush_demo()
    for model in (
        Conversation,
        AgendaItem,
        Note,
        PrivateNote,
        ActionItem,
        RhythmRule,
        ConversationTemplate,
        CalendarFeed,
        Reminder,
    ):
        assert not model.objects.exists(), model.__name__
