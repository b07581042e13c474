"""Feedback for the demo organisation: years of praise and feedback, requests, and two 360
review cycles.

- Praise and feedback caught on over the years (a few a month per hundred people at first,
  several times that in the last year), given mostly within a team, to and from managers, and
  now and then across the organisation. Most of it is praise; part of the praise is on the
  organisation's or the team's wall; constructive feedback is private, and some of it the
  receiver shared with their manager. Some feedback is about a goal of the receiver that the
  giver can see. Recent feedback has replies and reactions; the last days' is partly unread.
- Feedback requests of the last year: a topic, sometimes a goal, two to four colleagues asked.
  Older ones were answered (each answer is feedback linked to the request) or declined; recent
  ones are partly open.
- About a third of the feedback and of the requests name the competency of the framework they
  are about (an answer, the request's); the 360 cycles' rating questions are about the
  framework's competencies. The framework is growth's demo's: the starter framework, which it
  publishes at the start of the history right after this app's history is written (apps build
  in INSTALLED_APPS order, `people.demo.in_app_order`), or the organisation's own, kept from
  an earlier run (`framework_keys`).
- One finished 360 cycle (closed; most reports released) and one running (reviews open: some
  reviewers answered, some have not yet). A few hundred participants at most. Answers are
  stored as `feedback.reviewing` stores them: in the running cycle each answered invitation
  has one sealed submission (encrypted with the key derived from SECRET_KEY); the finished
  cycle has readable answers, as its close wrote them: random UUIDs, no reviewer, no time, in
  one shuffled order across all its reviewers, a peer or direct-report group of fewer than k
  reviewers stored with the other as "others" or not at all. An answered invitation has
  exactly one answer per question, in its group as stored.

The personas get a good story: the employee has received praise and constructive feedback, has
a colleague's request to answer and an open request of their own, and has a request about a
goal that two colleagues answered; their report of the finished cycle is released, and in the
running one they are asked to review a colleague. The managers (of the picker and of the
benchmark) have a report to release in the finished cycle and their reports' reviews to give
in the running one.

Like `conversations.demo`, everything is planned in Python with ids up front and written with
plain INSERTs; the same seed gives the same data.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone, translation

from feedback.models import (
    AskStatus,
    CycleStatus,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackSettings,
    Kind,
    Nomination,
    QuestionKind,
    RaterGroup,
    Reaction,
    Reply,
    ReviewAnswer,
    ReviewCycle,
    ReviewInvitation,
    ReviewParticipant,
    ReviewQuestion,
    SealedSubmission,
    Visibility,
)
from feedback.reviewing import seal, stored_groups
from growth import document
from growth.queries import competency_choices
from growth.services import starter_text
from organisation import current
from people.demo import DemoOrg, flush_step, history_builder, insert_rows
from people.models import Person

TIMES = [f" {minute // 60:02d}:{minute % 60:02d}:00" for minute in range(24 * 60)]
RECENT_DAYS = 60  # feedback this recent has replies and reactions
REQUEST_DAYS = 365  # requests of the last year
# Feedback a month per current person, at the start of the history and in the last year.
RATE_FIRST, RATE_LAST = 0.08, 0.35
MAX_PARTICIPANTS = 200  # per 360 cycle

# --- What people say ----------------------------------------------------------------------------

PRAISE = (
    "In Tuesday's customer call you stayed calm when the questions got tough and turned it "
    "into a plan. The customer thanked us afterwards.",
    "Your write-up of the incident was clear and honest: everyone understood what happened "
    "and what we change. Thank you.",
    "You took the time to walk the new colleague through our setup this week. They told me it "
    "saved them days.",
    "The demo on Friday was excellent: short, focused on what changed for the users, with a "
    "working example.",
    "You spotted the problem in the numbers before the report went out. That saved us an "
    "awkward correction.",
    "Thanks for covering the support rota last week at short notice; the team could finish "
    "the release because of it.",
    "Your summary after the planning meeting meant nobody had to ask what was decided. Very "
    "helpful.",
    "You asked the question everyone was thinking in the all-hands, and kindly. It opened up "
    "a good discussion.",
    "The workshop you ran with the other team got us unstuck on the dependencies. Great "
    "preparation.",
    "You reviewed my proposal within a day and your comments made it much better.",
    "The way you handled the escalation on Monday, keeping the customer informed every hour, "
    "was exactly right.",
    "You finished the migration a week early and documented every step. Impressive work.",
    "Thanks for mentoring me on the analysis this month; I can do it on my own now.",
    "Your slides for the board update were clear and to the point. The feedback was very positive.",
    "You noticed I was struggling with the deadline and offered help without being asked. "
    "Much appreciated.",
)
CONSTRUCTIVE = (
    "In the meeting on Thursday you interrupted the others a few times before they had "
    "finished. Letting them finish would get you better input.",
    "The status update came after the deadline had passed. An earlier message, even with bad "
    "news, helps us plan around it.",
    "Your review comments on the proposal were short, and some read as harsh. A sentence on "
    "why would help the author.",
    "The presentation had a lot of detail on the method and little on the result. Starting "
    "with the conclusion would help the audience.",
    "Twice this month decisions in your project were made in private chats. Writing them "
    "down in the channel keeps everyone informed.",
    "In the customer call you committed to a date before checking with the team. Checking "
    "first avoids promises we cannot keep.",
    "The handover notes missed the open issues; I found them only after the first incident. "
    "A short list of what is open would help.",
    "You took on three extra requests this sprint and the main work slipped. Saying no, or "
    "asking for priorities, is fine.",
    "The last two reports had a few errors in the totals. A second check before sending would "
    "catch them.",
)
REQUEST_ANSWERS = (
    "The structure was clear and the examples worked well. Next time, leave a bit more time "
    "for questions at the end.",
    "You explained the trade-offs well. The middle part was long; the key message could come "
    "earlier.",
    "Good preparation and a calm delivery. One suggestion: check in with the audience halfway.",
    "It went well: the decisions were clear and everyone knew their next step afterwards.",
    "You listened well and summarised the different views fairly. The follow-up took a while "
    "to arrive.",
    "Strong work on the analysis. The written summary could be shorter for the leadership team.",
)
REPLIES = (
    "Thank you, that means a lot!",
    "Thanks for telling me. I'll keep it in mind next time.",
    "Good point, thanks. Could we talk about it briefly this week?",
    "Thanks! It was a team effort.",
    "Appreciated. I had not noticed that myself.",
)
GIVER_REPLIES = (
    "Happy to help any time.",
    "Sure, let's grab a coffee on Thursday.",
    "You earned it!",
)
TOPICS = (
    "My presentation at the all-hands",
    "How I ran the planning meeting",
    "The customer workshop last week",
    "My written updates",
    "How I handled the incident",
    "Working together on the project",
    "My first months in the team",
    "The proposal I shared",
    "How I give feedback in reviews",
    "Leading the retrospective",
)
DECLINE_REASONS = (
    "I was not at the meeting, sorry.",
    "I have not worked with you enough on this to say.",
    "On leave until the due date.",
)
REACTIONS = ("thanks", "clap", "idea", "heart")

# What each feedback and request is about: a competency of the starter framework, by key. A
# share of them name it (the others leave it unsaid), when the framework has that key.
ABOUT = {
    **dict(
        zip(
            PRAISE,
            (
                "customer-focus",
                "communication",
                "developing-people",
                "communication",
                "craft",
                "collaboration",
                "communication",
                "communication",
                "collaboration",
                "collaboration",
                "customer-focus",
                "planning",
                "developing-people",
                "communication",
                "collaboration",
            ),
            strict=True,
        )
    ),
    **dict(
        zip(
            CONSTRUCTIVE,
            (
                "communication",
                "ownership",
                "communication",
                "communication",
                "collaboration",
                "planning",
                "ownership",
                "planning",
                "craft",
            ),
            strict=True,
        )
    ),
    **dict(
        zip(
            TOPICS,
            (
                "communication",
                "planning",
                "customer-focus",
                "communication",
                "problem-solving",
                "collaboration",
                "learning",
                "problem-solving",
                "communication",
                "collaboration",
            ),
            strict=True,
        )
    ),
}
NAMED_SHARE = 0.35  # of the feedback and requests, those that name their competency

# (text, kind, the competency: its key in the starter framework, and the text when the
# organisation's framework has no such key).
QUESTIONS = (
    ("Explains ideas and decisions clearly", QuestionKind.RATING, "communication", "Communication"),
    (
        "Listens and takes other views into account",
        QuestionKind.RATING,
        "communication",
        "Communication",
    ),
    ("Helps others succeed", QuestionKind.RATING, "collaboration", "Collaboration"),
    (
        "Shares information without being asked",
        QuestionKind.RATING,
        "collaboration",
        "Collaboration",
    ),
    ("Delivers what was agreed", QuestionKind.RATING, "ownership", "Ownership"),
    ("Takes responsibility when things go wrong", QuestionKind.RATING, "ownership", "Ownership"),
    ("What should they keep doing?", QuestionKind.OPEN, "", ""),
    ("What could they do differently?", QuestionKind.OPEN, "", ""),
)
# The rating questions' words for the points 1 to 5, as JSON (the column's stored form).
SCALE = json.dumps(["Rarely", "Sometimes", "Often", "Very often", "Nearly always"])
KEEP_DOING = (
    "Keep sharing your knowledge so generously.",
    "Keep the calm in busy periods; it helps the whole team.",
    "Keep writing the clear summaries after meetings.",
    "Keep asking the customer what they really need.",
    "Keep giving honest feedback in reviews.",
    "Keep taking the initiative on improvements.",
)
DO_DIFFERENTLY = (
    "Say earlier when something is at risk.",
    "Delegate more; you do not need to do it all yourself.",
    "Involve others earlier in decisions.",
    "Keep meetings shorter and more focused.",
    "Write things down more, for those who were not there.",
    "Push back more on requests that are not a priority.",
)
GROUP_BIAS = {
    RaterGroup.SELF: 0.0,  # set per person: some rate themselves higher, some lower
    RaterGroup.MANAGER: 0.0,
    RaterGroup.PEER: 0.15,
    RaterGroup.REPORT: 0.25,
}

MODELS = (
    FeedbackRequest,
    Feedback,
    FeedbackAsk,
    Reply,
    Reaction,
    ReviewCycle,
    ReviewQuestion,
    ReviewParticipant,
    Nomination,
    ReviewInvitation,
)
FIELDS = {
    FeedbackRequest: ("id", "requester", "topic", "goal", "competency", "due_date", "created_at"),
    Feedback: (
        "id",
        "giver",
        "receiver",
        "kind",
        "text",
        "goal",
        "competency",
        "visibility",
        "shared_with",
        "shared_with_manager_at",
        "request",
        "created_at",
        "edited_at",
        "read_at",
    ),
    FeedbackAsk: (
        "id",
        "request",
        "requestee",
        "status",
        "answer",
        "declined_reason",
        "answered_at",
        "last_reminded_on",
    ),
    Reply: ("id", "feedback", "author", "text", "created_at"),
    Reaction: ("id", "feedback", "person", "emoji", "created_at"),
    ReviewCycle: (
        "id",
        "name",
        "period_start",
        "period_end",
        "nominations_due",
        "answers_due",
        "status",
        "min_peers",
        "max_peers",
        "include_reports",
        "anonymity_threshold",
        "created_by",
        "created_at",
    ),
    ReviewQuestion: ("id", "cycle", "position", "text", "kind", "competency", "scale_labels"),
    ReviewParticipant: (
        "id",
        "cycle",
        "person",
        "manager",
        "nominations_submitted_at",
        "nominations_approved_at",
        "released_at",
        "released_by",
    ),
    Nomination: ("id", "participant", "reviewer", "status", "nominated_by"),
    ReviewInvitation: (
        "id",
        "participant",
        "reviewer",
        "group",
        "answered",
        "declined",
        "last_reminded_on",
    ),
    ReviewAnswer: ("id", "participant", "question", "group", "rating", "comment"),
    SealedSubmission: ("id", "cycle", "sealed"),
}
UNNUMBERED = (ReviewAnswer, SealedSubmission)  # random UUIDs, no sequence


# --- Helpers ------------------------------------------------------------------------------------


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


@flush_step
def delete_feedback() -> None:
    """Everything of this app, children first (the feedback would otherwise be loaded one by
    one to cascade from people)."""
    with connection.cursor() as cursor:
        for model in (
            Reaction,
            Reply,
            FeedbackAsk,
            Feedback,
            FeedbackRequest,
            ReviewAnswer,
            SealedSubmission,
            ReviewInvitation,
            Nomination,
            ReviewParticipant,
            ReviewQuestion,
            ReviewCycle,
        ):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def framework_keys() -> set[str]:
    """The keys of the framework the demo's feedback and questions name competencies of: the
    organisation's current one, or, while there is none, the starter framework in the
    organisation's language, which growth's demo publishes next (its history comes after this
    app's)."""
    keys = {key for key, _name in competency_choices()}
    if keys:
        return keys
    starter = document.read(starter_text(current.settings().language))
    return {competency.key for competency in starter.competencies}


def season_name(day: date) -> str:
    season = "spring" if day.month <= 6 else "autumn"
    return f"360 review {day.year} ({season})"


def _working_day(day: date) -> date:
    """Saturday and Sunday move to the Friday before."""
    weekday = day.weekday()
    return day - timedelta(days=weekday - 4) if weekday >= 5 else day


class _Feedback:
    """Plans everything in memory, then writes it."""

    def __init__(self, org: DemoOrg):
        self.org = org
        self.rng = org.random("feedback")
        self.today = org.today
        self.edge = org.today - timedelta(days=1)
        self.now = timezone.now()
        self.sqlite = connection.vendor == "sqlite"
        self.days: dict[date, str] = {}
        self.ids = {model: _next_id(model) for model in MODELS}
        self.rows: dict = {model: [] for model in (*MODELS, *UNNUMBERED)}
        self.by_id = {p.pk: p for p in org.people}
        self.current = [p for p in org.current if p.is_active]
        self.current_ids = {p.pk for p in self.current}
        self.team_of: dict[int, list] = defaultdict(list)
        for person in org.people:
            if person.team_id:
                self.team_of[person.team_id].append(person)
        self.has_reports = {p.manager_id for p in org.people if p.manager_id}
        self.reports_of: dict[int, list] = defaultdict(list)
        for person in org.people:
            if person.manager_id:
                self.reports_of[person.manager_id].append(person)
        self.goals = self.load_goals()
        self.reactions_seen: set[tuple] = set()
        self.framework = framework_keys()
        # Its own generator, so that naming competencies leaves the rest of the demo as it was.
        self.about_rng = org.random("feedback competencies")

    # Values as the database takes them.

    def day(self, value: date | None):
        if value is None or not self.sqlite:
            return value
        text = self.days.get(value)
        if text is None:
            text = self.days[value] = value.isoformat()
        return text

    def moment(self, day: date, minute: int | None = None):
        """A moment in working hours on `day` (never in the future)."""
        if minute is None:
            minute = 480 + int(self.rng.random() * 600)
        if day >= self.edge:
            value = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=UTC)
            if value > self.now:
                value = (self.now - timedelta(minutes=5)).replace(second=0, microsecond=0)
            return connection.ops.adapt_datetimefield_value(value)
        if self.sqlite:
            return self.day(day) + TIMES[minute]
        return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=UTC)

    def answer_id(self) -> object:
        return self.stored_uuid(self.random_uuid())

    def random_uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def stored_uuid(self, value: uuid.UUID) -> object:
        return value.hex if self.sqlite else value

    def new_id(self, model) -> int:
        pk = self.ids[model]
        self.ids[model] += 1
        return pk

    def about(self, text: str) -> str:
        """The competency feedback or a request with this text names, or "" (most leave it
        unsaid)."""
        key = ABOUT.get(text, "")
        if key in self.framework and self.about_rng.random() < NAMED_SHARE:
            return key
        return ""

    # Who is who.

    def employed(self, person, day: date) -> bool:
        return self.org.employed_on(person, day)

    def load_goals(self) -> dict[int, list[tuple]]:
        """Personal goals of the last year and a half: owner -> [(start, end, pk, visibility)]."""
        from goals.models import Objective

        since = self.today - timedelta(days=550)
        goals: dict[int, list[tuple]] = defaultdict(list)
        rows = (
            Objective.objects.filter(owner_person__isnull=False, end_date__gte=since)
            .order_by("pk")
            .values_list("owner_person_id", "start_date", "end_date", "pk", "visibility")
        )
        for owner, start, end, pk, visibility in rows:
            goals[owner].append((start, end, pk, visibility))
        return goals

    def goal_for(self, receiver, giver_ids, day: date) -> int | None:
        """A goal of the receiver running on `day` that every giver can see."""
        from goals.models import Visibility as GoalVisibility

        options = []
        for start, end, pk, visibility in self.goals.get(receiver.pk, ()):
            if not start <= day <= end:
                continue
            managers_only = all(g == receiver.manager_id for g in giver_ids)
            team_only = all(
                self.by_id[g].team_id == receiver.team_id or g == receiver.manager_id
                for g in giver_ids
            )
            if (
                visibility == GoalVisibility.PUBLIC
                or managers_only
                or (visibility == GoalVisibility.TEAM and team_only)
            ):
                options.append(pk)
        return self.rng.choice(options) if options else None

    def colleague(self, person, day: date, exclude=()):
        """Someone person works with on `day`: their manager, a report, a teammate or, now and
        then, anyone."""
        rng = self.rng
        roll = rng.random()
        candidates = []
        if roll < 0.2 and person.manager_id:
            candidates = [self.by_id[person.manager_id]]
        elif roll < 0.3:
            candidates = self.reports_of.get(person.pk, [])
        elif roll < 0.75:
            candidates = self.team_of.get(person.team_id, [])
        for _ in range(4):
            pool = candidates if candidates else self.org.people
            other = pool[int(rng.random() * len(pool))]
            if other.pk != person.pk and other.pk not in exclude and self.employed(other, day):
                return other
            if candidates and len(candidates) < 3:
                candidates = []
        return None

    # Feedback and praise.

    def feedback_row(
        self,
        giver,
        receiver,
        kind,
        text,
        day,
        visibility,
        goal=None,
        request=None,
        read=None,
        share=None,
        competency=None,
    ):
        """One feedback; `read` and `share` force whether it was read and shared with the
        receiver's manager (by default, chance decides). The competency it is about: an
        answer's is its request's (`competency`); other feedback's, by chance (`about`)."""
        rng = self.rng
        pk = self.new_id(Feedback)
        if competency is None:
            competency = self.about(text)
        created = self.moment(day)
        age = (self.today - day).days
        read_at = None
        if read is None:
            read = age > 6 or rng.random() < 0.5
        if read:
            read_on = min(day + timedelta(days=int(rng.random() * 3)), self.edge)
            read_at = max(self.moment(read_on), created)
        shared = shared_with = None
        if share is None:
            share = rng.random() < (0.25 if kind == Kind.CONSTRUCTIVE else 0.04)
        if read_at is not None and receiver.manager_id and share:
            shared_on = min(day + timedelta(days=1 + int(rng.random() * 5)), self.edge)
            shared = max(self.moment(shared_on), read_at)
            shared_with = receiver.manager_id
        self.rows[Feedback].append(
            (
                pk,
                giver.pk,
                receiver.pk,
                kind,
                text,
                goal,
                competency,
                visibility,
                shared_with,
                shared,
                request,
                created,
                None,
                read_at,
            )
        )
        if age <= RECENT_DAYS and read_at is not None:
            self.conversation(pk, giver, receiver, kind, visibility, day, read_at)
        return pk

    def conversation(self, pk, giver, receiver, kind, visibility, day, read_at):
        """Replies and reactions on recent feedback."""
        rng = self.rng
        if rng.random() < 0.35:
            self.rows[Reply].append(
                (self.new_id(Reply), pk, receiver.pk, rng.choice(REPLIES), read_at)
            )
            if rng.random() < 0.3:
                on = min(day + timedelta(days=1 + int(rng.random() * 3)), self.edge)
                self.rows[Reply].append(
                    (self.new_id(Reply), pk, giver.pk, rng.choice(GIVER_REPLIES), self.moment(on))
                )
        if kind == Kind.PRAISE and rng.random() < 0.5:
            self.react(pk, receiver, rng.choice(("thanks", "heart")), read_at)
        if visibility == Visibility.PRIVATE:
            return
        pool = (
            self.current
            if visibility == Visibility.ORGANISATION
            else [p for p in self.team_of.get(receiver.team_id, []) if p.pk in self.current_ids]
        )
        for _ in range(int(rng.random() * (6 if visibility == Visibility.ORGANISATION else 4))):
            if not pool:
                break
            person = pool[int(rng.random() * len(pool))]
            on = min(day + timedelta(days=int(rng.random() * 4)), self.edge)
            self.react(pk, person, rng.choice(REACTIONS), self.moment(on))

    def react(self, pk, person, emoji, at):
        key = (pk, person.pk, emoji)
        if key not in self.reactions_seen:
            self.reactions_seen.add(key)
            self.rows[Reaction].append((self.new_id(Reaction), pk, person.pk, emoji, at))

    def flow(self) -> None:
        """Praise and feedback day by day, more of it as the years go by."""
        rng, org = self.rng, self.org
        start, today = org.history_start, self.today
        span = max(1, (today - start).days)
        people = org.people
        # Who may be picked on a day: a person working here then (rejection sampling).
        for offset in range(span):
            day = start + timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            progress = offset / span
            rate = RATE_FIRST + (RATE_LAST - RATE_FIRST) * min(1.0, progress * 1.5)
            expected = rate * len(self.current) * 12 / 261  # working days a year
            count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            for _ in range(count):
                receiver = people[int(rng.random() * len(people))]
                if not self.employed(receiver, day):
                    continue
                giver = self.colleague(receiver, day)
                if giver is None:
                    continue
                self.give(giver, receiver, day)

    def give(
        self, giver, receiver, day, kind=None, visibility=None, goal=None, text=None, **forced
    ):
        rng = self.rng
        if kind is None:
            kind = Kind.PRAISE if rng.random() < 0.75 else Kind.CONSTRUCTIVE
        if visibility is None:
            visibility = Visibility.PRIVATE
            if kind == Kind.PRAISE:
                roll = rng.random()
                if roll < 0.25:
                    visibility = Visibility.ORGANISATION
                elif roll < 0.55:
                    visibility = Visibility.TEAM
        if goal is None and (self.today - day).days < 400 and rng.random() < 0.2:
            goal = self.goal_for(receiver, (giver.pk,), day)
        if text is None:
            text = rng.choice(PRAISE if kind == Kind.PRAISE else CONSTRUCTIVE)
        return self.feedback_row(giver, receiver, kind, text, day, visibility, goal, **forced)

    # Feedback requests.

    def requests(self, stories: Collection[int]) -> None:
        rng, today = self.rng, self.today
        first = today - timedelta(days=REQUEST_DAYS)
        for person in self.current:
            if person.pk in stories:
                continue
            count = 0
            roll = rng.random()
            if roll < 0.35:
                count = 1
            elif roll < 0.45:
                count = 2
            for _ in range(count):
                since = max(first, person.start_date or first)
                span = (today - since).days
                if span < 3:
                    continue
                day = _working_day(since + timedelta(days=int(rng.random() * span)))
                if day >= today:
                    day = _working_day(today - timedelta(days=1))
                self.request(person, day)

    def request(self, person, day, asked=None, goal=-1, answered=None, topic=None):
        """One request and its asks; `answered` forces the asks' fate (a list of statuses)."""
        rng, today = self.rng, self.today
        if asked is None:
            asked, seen = [], {person.pk}
            for _ in range(2 + int(rng.random() * 3)):
                other = self.colleague(person, day, exclude=seen)
                if other is not None and other.pk in self.current_ids:
                    seen.add(other.pk)
                    asked.append(other)
        if not asked:
            return None
        if goal == -1:
            goal = None
            if rng.random() < 0.4:
                goal = self.goal_for(person, [a.pk for a in asked], day)
        pk = self.new_id(FeedbackRequest)
        due = day + timedelta(days=(7, 10, 14)[int(rng.random() * 3)])
        topic = topic or rng.choice(TOPICS)
        competency = self.about(topic)
        self.rows[FeedbackRequest].append(
            (pk, person.pk, topic, goal, competency, self.day(due), self.moment(day))
        )
        for number, requestee in enumerate(asked):
            if answered is not None:
                status = answered[number]
            elif due < today - timedelta(days=3):
                roll = rng.random()
                status = (
                    AskStatus.ANSWERED
                    if roll < 0.78
                    else AskStatus.DECLINED
                    if roll < 0.88
                    else AskStatus.PENDING
                )
            else:
                roll = rng.random()
                status = (
                    AskStatus.ANSWERED
                    if roll < 0.35
                    else AskStatus.DECLINED
                    if roll < 0.4
                    else AskStatus.PENDING
                )
            answer = answered_at = None
            reason, reminded = "", None
            latest = min(due + timedelta(days=2), self.edge)
            on = min(day + timedelta(days=1 + int(rng.random() * 6)), latest)
            if status == AskStatus.ANSWERED and on >= day:
                kind = Kind.PRAISE if rng.random() < 0.5 else Kind.CONSTRUCTIVE
                answer = self.feedback_row(
                    requestee,
                    person,
                    kind,
                    rng.choice(REQUEST_ANSWERS),
                    on,
                    Visibility.PRIVATE,
                    goal,
                    pk,
                    competency=competency,
                )
                answered_at = self.rows[Feedback][-1][FIELDS[Feedback].index("created_at")]
            elif status == AskStatus.ANSWERED:
                status = AskStatus.PENDING
            if status == AskStatus.DECLINED:
                reason = rng.choice(DECLINE_REASONS)
                answered_at = self.moment(on)
            if status == AskStatus.PENDING and due <= today + timedelta(days=2) and due > day:
                reminded = self.day(min(due - timedelta(days=1), today))
            self.rows[FeedbackAsk].append(
                (
                    self.new_id(FeedbackAsk),
                    pk,
                    requestee.pk,
                    status,
                    answer,
                    reason,
                    answered_at,
                    reminded,
                )
            )
        return pk

    # The personas' story.

    def personas(self) -> tuple[list, list]:
        """(employees, managers): the picker's and the benchmark's."""
        from accounts.demo import demo_personas

        org = self.org
        with translation.override("en"):
            picked = {str(p.label): p.person.pk for p in demo_personas()}
        managers = [picked["Manager"]] if "Manager" in picked else []
        employees = [picked["Employee"]] if "Employee" in picked else []
        if org.reports:
            top = min(org.reports, key=lambda pk: (-len(org.reports[pk]), pk))
            if top not in managers:
                managers.append(top)
            plain = sorted(p.pk for p in org.reports[top] if p.pk not in self.has_reports)
            if plain and plain[0] not in employees:
                employees.append(plain[0])
        return (
            [self.by_id[pk] for pk in employees if pk in self.current_ids],
            [self.by_id[pk] for pk in managers if pk in self.current_ids],
        )

    def employee_story(self, person) -> None:
        """Praise (one on the wall), constructive feedback (one unread, one shared with the
        manager), a colleague's request to answer, an open request, and a request about a goal
        that two colleagues answered."""
        today = self.today
        yesterday = _working_day(today - timedelta(days=1))
        teammates = [
            p
            for p in self.team_of.get(person.team_id, [])
            if p.pk != person.pk and p.pk in self.current_ids and p.pk != person.manager_id
        ]
        manager = self.by_id.get(person.manager_id)
        others = [p for p in self.current if p.pk not in {person.pk, person.manager_id}]
        colleagues = (teammates + [p for p in others if p not in teammates])[:6]
        if len(colleagues) < 3:
            return
        a, b, c = colleagues[0], colleagues[1], colleagues[2]
        for giver, days, visibility in (
            (a, 3, Visibility.ORGANISATION),
            (manager or b, 12, Visibility.TEAM),
            (b, 25, Visibility.PRIVATE),
        ):
            on = _working_day(today - timedelta(days=days))
            self.give(giver, person, on, Kind.PRAISE, visibility, read=True, share=False)
        private = Kind.CONSTRUCTIVE, Visibility.PRIVATE
        self.give(c, person, yesterday, *private, text=CONSTRUCTIVE[0], read=False)
        on = _working_day(today - timedelta(days=20))
        self.give(a, person, on, *private, text=CONSTRUCTIVE[1], read=True, share=True)
        # A colleague's request waiting for their answer.
        self.request(
            a,
            _working_day(today - timedelta(days=2)),
            asked=[person],
            goal=None,
            answered=[AskStatus.PENDING],
            topic="The customer workshop last week",
        )
        # Their own open request.
        self.request(
            person,
            _working_day(today - timedelta(days=1)),
            asked=[b, c],
            goal=None,
            answered=[AskStatus.PENDING, AskStatus.PENDING],
            topic="My presentation at the all-hands",
        )
        # A request about a goal, answered by two colleagues.
        asked = [manager, a] if manager is not None else [a, b]
        goal = None
        for days in (16, 8, 3):
            day = _working_day(today - timedelta(days=days))
            goal = self.goal_for(person, [p.pk for p in asked], day)
            if goal is not None:
                break
        self.request(
            person,
            day,
            asked=asked,
            goal=goal,
            answered=[AskStatus.ANSWERED, AskStatus.ANSWERED],
            topic="How I am doing on my goal",
        )

    # 360 reviews.

    def cycles(self, employees, managers) -> None:
        org, today = self.org, self.today
        hr = org.hr
        self.threshold = FeedbackSettings.load().anonymity_threshold
        self.closed: list[dict] = []  # the finished cycle's submissions of one participant
        finished = self.cycle(
            season_name(today - timedelta(days=200)),
            CycleStatus.CLOSED,
            start=today - timedelta(days=545),
            end=today - timedelta(days=180),
            nominations=today - timedelta(days=215),
            answers=today - timedelta(days=190),
            created=today - timedelta(days=240),
            creator=hr,
        )
        running = self.cycle(
            season_name(today),
            CycleStatus.REVIEWING,
            start=today - timedelta(days=180),
            end=today,
            nominations=today - timedelta(days=10),
            answers=today + timedelta(days=12),
            created=today - timedelta(days=30),
            creator=hr,
        )
        size = max(12, min(MAX_PARTICIPANTS, len(self.current) // 50))
        rng = self.org.random("feedback:360")
        for cycle, story in ((finished, "finished"), (running, "running")):
            chosen: list[Person] = []
            seen: set[int] = set()

            def add(person, seen=seen, chosen=chosen):
                if person is not None and person.pk not in seen and person.manager_id:
                    seen.add(person.pk)
                    chosen.append(person)

            if story == "finished":
                for person in employees:
                    add(person)
            started = cycle["created"]
            for manager in managers:
                reports = sorted(
                    org.reports.get(manager.pk, []),
                    key=lambda p: (p.start_date is not None and p.start_date >= started, p.pk),
                )
                reports = [p for p in reports if story == "finished" or p not in employees]
                for person in reports[: (2 if story == "finished" else 3)]:
                    add(person)
            eligible = [
                p
                for p in self.current
                if p.manager_id and (p.start_date is None or p.start_date < started)
            ]
            for _ in range(size * 20):
                if len(chosen) >= size:
                    break
                add(eligible[int(rng.random() * len(eligible))])
            self.review(cycle, chosen, rng, employees, managers)

    def cycle(self, name, status, start, end, nominations, answers, created, creator) -> dict:
        pk = self.new_id(ReviewCycle)
        self.rows[ReviewCycle].append(
            (
                pk,
                name,
                self.day(start),
                self.day(end),
                self.day(nominations),
                self.day(answers),
                status,
                3,
                6,
                True,
                self.threshold,
                creator.pk,
                self.moment(created),
            )
        )
        questions = []
        for position, (text, kind, key, name) in enumerate(QUESTIONS):
            competency = key if key in self.framework else name
            qid = self.new_id(ReviewQuestion)
            labels = SCALE if kind == QuestionKind.RATING else "[]"
            self.rows[ReviewQuestion].append((qid, pk, position, text, kind, competency, labels))
            questions.append((qid, kind))
        return {
            "pk": pk,
            "status": status,
            "questions": questions,
            "created": created,
            "nominations": nominations,
            "answers": answers,
        }

    def peers_of(self, person, rng) -> list:
        """Three to six colleagues: teammates first, then the manager's other reports."""
        excluded = {person.pk, person.manager_id} | {
            r.pk for r in self.reports_of.get(person.pk, [])
        }
        pool = [
            p
            for p in self.team_of.get(person.team_id, [])
            + self.reports_of.get(person.manager_id, [])
            if p.pk in self.current_ids and p.pk not in excluded
        ]
        unique = list(dict.fromkeys(pool))
        rng.shuffle(unique)
        wanted = 3 + int(rng.random() * 4)
        peers = unique[:wanted]
        tries = 0
        while len(peers) < 3 and tries < 20:
            tries += 1
            other = self.current[int(rng.random() * len(self.current))]
            if other.pk not in excluded and other not in peers:
                peers.append(other)
        return peers

    def review(self, cycle, chosen, rng, employees, managers) -> None:
        closed = cycle["status"] == CycleStatus.CLOSED
        story_people = {p.pk for p in employees}
        story_managers = {p.pk for p in managers}
        held_back = set()  # one report per persona manager stays unreleased
        for person in chosen:
            pid = self.new_id(ReviewParticipant)
            manager = self.by_id[person.manager_id]
            submitted = self.moment(
                cycle["nominations"] - timedelta(days=2 + int(rng.random() * 8))
            )
            approved = self.moment(cycle["nominations"] - timedelta(days=int(rng.random() * 2)))
            released = released_by = None
            if closed:
                keep = manager.pk in story_managers and manager.pk not in held_back
                if keep and person.pk not in story_people:
                    held_back.add(manager.pk)
                elif person.pk in story_people or rng.random() < 0.85:
                    on = cycle["answers"] + timedelta(days=3 + int(rng.random() * 20))
                    released = self.moment(on)
                    released_by = manager.pk if rng.random() < 0.9 else self.org.hr.pk
            self.rows[ReviewParticipant].append(
                (
                    pid,
                    cycle["pk"],
                    person.pk,
                    manager.pk,
                    submitted,
                    approved,
                    released,
                    released_by,
                )
            )
            peers = self.peers_of(person, rng)
            for peer in peers:
                self.rows[Nomination].append(
                    (self.new_id(Nomination), pid, peer.pk, "approved", person.pk)
                )
            if rng.random() < 0.1:  # the manager swapped one
                spare = self.peers_of(person, rng)
                extra = next((p for p in spare if p not in peers), None)
                if extra is not None:
                    self.rows[Nomination].append(
                        (self.new_id(Nomination), pid, extra.pk, "removed", person.pk)
                    )
            reviewers = [(person, RaterGroup.SELF), (manager, RaterGroup.MANAGER)]
            reviewers += [(p, RaterGroup.PEER) for p in peers]
            reports = [r for r in self.reports_of.get(person.pk, []) if r.pk in self.current_ids]
            reviewers += [(r, RaterGroup.REPORT) for r in reports[:8]]
            level = 3.3 + rng.random() * 1.1
            self_bias = rng.choice((-0.4, 0.0, 0.3, 0.6))
            for reviewer, group in reviewers:
                answered, declined = self.fate(cycle, reviewer, group, person, rng, managers)
                reminded = None
                if not closed and not answered and not declined and rng.random() < 0.5:
                    reminded = self.day(self.today - timedelta(days=int(rng.random() * 4)))
                self.rows[ReviewInvitation].append(
                    (
                        self.new_id(ReviewInvitation),
                        pid,
                        reviewer.pk,
                        group,
                        answered,
                        declined,
                        reminded,
                    )
                )
                if answered:
                    bias = self_bias if group == RaterGroup.SELF else GROUP_BIAS[group]
                    self.answers(pid, cycle, group, level + bias, rng)
            self.store_closed()

    def fate(self, cycle, reviewer, group, person, rng, managers) -> tuple[bool, bool]:
        """(answered, declined) for one invitation."""
        if cycle["status"] == CycleStatus.CLOSED:
            roll = rng.random()
            chance = {RaterGroup.SELF: 0.95, RaterGroup.MANAGER: 0.95}.get(group, 0.82)
            return roll < chance, chance <= roll < chance + 0.04
        # Running: the personas still have theirs to give.
        if reviewer.pk in {m.pk for m in managers} or reviewer.pk in self.story_reviewers:
            return False, False
        roll = rng.random()
        chance = 0.6 if group == RaterGroup.SELF else 0.45
        return roll < chance, chance <= roll < chance + 0.03

    def answers(self, pid, cycle, group, level, rng) -> None:
        """One answer per question: the reviewer's ratings around the participant's level.
        Readable answers in a closed cycle, one sealed submission in an open one."""
        given = []
        for qid, kind in cycle["questions"]:
            if kind == QuestionKind.RATING:
                value = round(rng.gauss(level, 0.7))
                rating, comment = min(5, max(1, value)), ""
                if rng.random() < 0.15:
                    comment = rng.choice(KEEP_DOING if value >= 4 else DO_DIFFERENTLY)
            else:
                rating = None
                pool = KEEP_DOING if qid == cycle["questions"][-2][0] else DO_DIFFERENTLY
                comment = rng.choice(pool)
            given.append([qid, rating, comment])
        if cycle["status"] == CycleStatus.CLOSED:
            self.closed.append({"participant": pid, "group": str(group), "answers": given})
            return
        pk = self.random_uuid()
        content = {"participant": pid, "group": str(group), "answers": given}
        sealed = seal(cycle["pk"], pk, content)
        self.rows[SealedSubmission].append((self.stored_uuid(pk), cycle["pk"], sealed))

    def store_closed(self) -> None:
        """One participant's answers in the finished cycle, stored as its close stored them:
        a peer or direct-report group of fewer than k reviewers together with the other as
        "others", or not at all (`feedback.reviewing.stored_groups`)."""
        submissions, self.closed = self.closed, []
        stored_as = stored_groups(submissions, self.threshold)
        rows = self.rows[ReviewAnswer]
        for content in submissions:
            group = stored_as.get((content["participant"], content["group"]))
            if group is None:
                continue
            for qid, rating, comment in content["answers"]:
                rows.append((self.answer_id(), content["participant"], qid, group, rating, comment))

    def story_invitations(self, employees) -> None:
        """The employee personas review a teammate in the running cycle (still to answer)."""
        self.story_reviewers = {p.pk for p in employees}

    # Building.

    def build(self) -> None:
        org = self.org
        employees, managers = self.personas()
        self.story_invitations(employees)
        self.flow()
        self.requests({p.pk for p in employees})
        for person in employees:
            self.employee_story(person)
        self.cycles(employees, managers)
        self.ensure_story_invitation(employees)
        self.write()
        org.counts.update(
            {
                "feedback": self.counts[Feedback],
                "feedback requests": self.counts[FeedbackRequest],
                "360 participants": self.counts[ReviewParticipant],
                "360 answers": self.counts[ReviewAnswer],
                "360 sealed submissions": self.counts[SealedSubmission],
            }
        )

    def ensure_story_invitation(self, employees) -> None:
        """If an employee persona was not drawn as a peer in the running cycle, they review a
        colleague there all the same."""
        running_cycle = self.rows[ReviewCycle][-1][0]
        participants = {
            row[0]: row[2] for row in self.rows[ReviewParticipant] if row[1] == running_cycle
        }
        invited = defaultdict(set)
        for row in self.rows[ReviewInvitation]:
            if row[1] in participants:
                invited[row[1]].add(row[2])
        nominated = defaultdict(set)
        for row in self.rows[Nomination]:
            if row[1] in participants:
                nominated[row[1]].add(row[2])
        for person in employees:
            if any(person.pk in reviewers for reviewers in invited.values()):
                continue
            pid = next(
                (
                    pid
                    for pid, pk in participants.items()
                    if pk != person.pk
                    and person.pk not in invited[pid]
                    and person.pk not in nominated[pid]
                    and self.by_id[pk].manager_id != person.pk
                    and person.manager_id != pk
                ),
                None,
            )
            if pid is None:
                continue
            invited[pid].add(person.pk)
            self.rows[Nomination].append(
                (self.new_id(Nomination), pid, person.pk, "approved", participants[pid])
            )
            self.rows[ReviewInvitation].append(
                (self.new_id(ReviewInvitation), pid, person.pk, RaterGroup.PEER, False, False, None)
            )

    def write(self) -> None:
        self.counts = {}
        for model in (*MODELS, *UNNUMBERED):
            rows = self.rows[model]
            if model in UNNUMBERED:
                # Nothing in the order of the rows may tell whose answers they are.
                self.rng.shuffle(rows)
            elif model is Feedback:
                rows.sort(key=lambda row: row[0])
            insert_rows(model, FIELDS[model], rows)
            self.counts[model] = len(rows)
            self.rows[model] = []
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(MODELS)):
                cursor.execute(sql)


@history_builder
def feedback_history(org: DemoOrg) -> None:
    _Feedback(org).build()
