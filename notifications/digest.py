"""The weekly digest: one e-mail a week per person, in their language and time zone, with what
waits for them and what happened in their team the week before.

When: from `WEEKLY_DIGEST_HOUR` (7 by default) on the first day of the organisation's week
(`OrgSettings.week_start`), in each person's own calendar; the job `weekly-digest` (run by
`manage.py run_jobs` every few minutes) sends it to whoever is due and has not had this week's.
At most one per person and ISO week: each digest is claimed under a unique key (the person and
the Monday of the ISO week the organisation's week starts in) before its e-mail is queued, in
the same transaction, so that two runs at once cannot both send; the task claims it once more
(`sent_at`) so that a task run twice sends it once.

What it holds, all read through the rules (`access.rules.visible`) as the person's own pages
read it, never with a query of its own on someone else's data:

- what waits for them: Home's "waiting for you" (`cadence.waiting`: every module's sources),
  the first `WAITING_SHOWN`, and how many more;
- what happened in their team in the past week (the organisation's week before this one): for
  a manager, among the people who report to them (directly or further down), conversations
  held (their kind, the two people and the day, from the rhythm that a manager sees: never a
  topic, a note or a preparation), goals completed (the title, where the manager may see the
  goal) and praise given for the team or everyone to see (who praised whom: the text stays in
  Cadence); for anyone else, the praise their team-mates received for the team or everyone to
  see. Constructive feedback, private praise, private notes and anything the person may not
  see are never in it.

Nobody gets one who turned it off, who has left or may not sign in, or who is outside the pilot;
an empty digest is not sent. What it shows of other people's data is in their access log ("in
an e-mail"), as a page showing it would be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from cadence.links import site_link
from notifications import mail

if TYPE_CHECKING:
    from access.viewer import Viewer
    from cadence.waiting import Item
    from people.models import Person

WAITING_SHOWN = 10  # things waiting, listed; the rest counted ("and 4 more")
ROWS_SHOWN = 10  # of each part of "in your team"
CHUNK = 500


# --- When ---------------------------------------------------------------------------------------


def week_start(person: Person, now: datetime) -> date:
    """The first day of the organisation's week the person is in, in their own calendar."""
    from organisation import current

    return current.settings().week_of(person.local_today(now))


def iso_week(day: date) -> date:
    """The Monday of the ISO week of `day`: the digest's key."""
    return day - timedelta(days=day.weekday())


def local_midnight(person: Person, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=person.local_zone)


def due_week(person: Person, now: datetime) -> date | None:
    """The key of the digest due to the person at `now` (the Monday of the ISO week their
    organisation's week starts in), or None before `WEEKLY_DIGEST_HOUR` on its first day."""
    start = week_start(person, now)
    hour = min(max(settings.WEEKLY_DIGEST_HOUR, 0), 23)
    if now < datetime.combine(start, time(hour), tzinfo=person.local_zone):
        return None
    return iso_week(start)


# --- What it holds ------------------------------------------------------------------------------


@dataclass
class Row:
    """One thing that happened: what, who, when, and where to read more (absolute, or "")."""

    what: str
    whom: str
    day: date
    url: str = ""


@dataclass
class Section:
    key: str
    title: StrOrPromise
    rows: list[Row]
    more: bool  # more than shown happened
    more_url: str  # where all of them are (absolute)


@dataclass
class Digest:
    person: Person
    week: date  # the key: the Monday of the ISO week
    since: date  # the past week shown: from `since` to `until`, both included
    until: date
    waiting: list[Item] = field(default_factory=list)
    waiting_count: int = 0  # how many things wait in all (more than listed)
    manages: bool = False
    team: list[Section] = field(default_factory=list)

    @property
    def waiting_more(self) -> int:
        return max(self.waiting_count - len(self.waiting), 0)

    @property
    def happened(self) -> list[Section]:
        """The parts of "in your team" with something in them."""
        return [section for section in self.team if section.rows]

    @property
    def is_empty(self) -> bool:
        return not self.waiting and not self.happened


def _limited(queryset: QuerySet[Any]) -> tuple[list[Any], bool]:
    rows = list(queryset[: ROWS_SHOWN + 1])
    return rows[:ROWS_SHOWN], len(rows) > ROWS_SHOWN


def _held(viewer: Viewer, since: date, until: date) -> Section:
    """Conversations held in the past week by the people below a manager, as the rhythm shows
    them to the manager ("rhythm": kind, people, day; never a topic)."""
    from access.rules import shown, visible
    from conversations.models import Conversation, Status
    from organisation import scope
    from people.models import Person

    me = viewer.person
    assert me is not None
    held = (
        visible(viewer, Conversation.objects.filter(status=Status.HELD), "rhythm")
        .filter(
            scope.everyone_in_scope_q("employee__", "manager__"),
            held_on__range=(since, until),
            employee__in=Person.objects.below(me).values("pk"),
        )
        .select_related("employee", "manager")
        .order_by("held_on", "pk")
    )
    found, more = _limited(held)
    shown(viewer, found, "rhythm")
    rows = [
        Row(
            what=str(conversation.get_kind_display()),
            whom=_("%(employee)s with %(manager)s")
            % {"employee": conversation.employee.name, "manager": conversation.manager.name},
            day=conversation.held_on,
            # The conversation's page is its two people's; the manager above sees My team.
            url=site_link(conversation.get_absolute_url())
            if conversation.manager_id == me.pk
            else "",
        )
        for conversation in found
        if conversation.held_on is not None
    ]
    return Section(
        "held", gettext_lazy("Conversations held"), rows, more, site_link(reverse("my_team"))
    )


def _goals(viewer: Viewer, start: datetime, end: datetime) -> Section:
    """Goals of the people below a manager completed in the past week, where the manager may
    see them."""
    from access.rules import shown, visible
    from goals.models import Objective, Status
    from goals.queries import in_scope_q
    from people.models import Person

    me = viewer.person
    assert me is not None
    goals = (
        visible(viewer, Objective.objects.filter(status=Status.DONE), "view")
        .filter(
            in_scope_q(),
            last_activity_at__gte=start,
            last_activity_at__lt=end,
            owner_person__in=Person.objects.below(me).values("pk"),
        )
        .select_related("owner_person")
        .order_by("last_activity_at", "pk")
    )
    found, more = _limited(goals)
    shown(viewer, found)
    zone = me.local_zone
    rows = [
        Row(
            what=goal.title,
            whom=goal.owner_person.name if goal.owner_person else "",
            day=goal.last_activity_at.astimezone(zone).date(),
            url=site_link(goal.get_absolute_url()),
        )
        for goal in found
    ]
    return Section(
        "goals", gettext_lazy("Goals completed"), rows, more, site_link(reverse("goals:team"))
    )


def _praise(viewer: Viewer, start: datetime, end: datetime, *, manages: bool) -> Section:
    """Praise given in the past week for the team or everyone to see: to the people below a
    manager, or to the person's team-mates. Private praise and constructive feedback never."""
    from access.rules import shown, visible
    from feedback.models import Feedback, Kind, Visibility
    from feedback.queries import feedback_inside_q
    from people.models import Person, current_q

    me = viewer.person
    assert me is not None
    praise = (
        visible(viewer, Feedback)
        .filter(
            current_q("receiver__"),
            feedback_inside_q(),
            kind=Kind.PRAISE,
            visibility__in=[Visibility.TEAM, Visibility.ORGANISATION],
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("giver", "receiver")
        .order_by("created_at", "pk")
    )
    if manages:
        praise = praise.filter(receiver__in=Person.objects.below(me).values("pk"))
    elif me.team_id is not None:
        praise = praise.filter(receiver__team_id=me.team_id)
    else:
        praise = praise.none()
    found, more = _limited(praise)
    shown(viewer, found)
    zone = me.local_zone
    rows = [
        Row(
            what=_("%(giver)s praised %(receiver)s")
            % {"giver": feedback.giver.name, "receiver": feedback.receiver.name},
            whom="",
            day=feedback.created_at.astimezone(zone).date(),
            url=site_link(feedback.get_absolute_url()),
        )
        for feedback in found
    ]
    wall = site_link(reverse("feedback:wall") + "?tab=team")
    return Section("praise", gettext_lazy("Praise in public"), rows, more, wall)


def build(person: Person, now: datetime) -> Digest:
    """The person's digest at `now`, in the active language (call it inside the person's own,
    as `message` does): what waits for them and what happened in their team."""
    from access.viewer import Viewer
    from cadence.waiting import counts, waiting_items
    from organisation import current, scope

    viewer = Viewer(person=person)
    start = week_start(person, now)
    since, until = start - timedelta(days=7), start - timedelta(days=1)
    digest = Digest(person, iso_week(start), since, until)
    if not scope.sees_modules(viewer):
        return digest
    today = person.local_today(now)
    waiting_counts = counts(viewer, today)  # also tells whether they manage anyone
    digest.waiting = waiting_items(viewer, today, WAITING_SHOWN, waiting_counts)
    digest.waiting_count = sum(waiting_counts.values())
    digest.manages = viewer.is_manager
    begin, end = local_midnight(person, since), local_midnight(person, start)
    org = current.settings()
    if digest.manages:
        if org.is_on("conversations"):
            digest.team.append(_held(viewer, since, until))
        if org.is_on("goals"):
            digest.team.append(_goals(viewer, begin, end))
    if org.is_on("feedback"):
        digest.team.append(_praise(viewer, begin, end, manages=digest.manages))
    return digest


# --- The e-mail ---------------------------------------------------------------------------------


def message(person: Person, now: datetime) -> tuple[Digest, str, str, str]:
    """The digest, its subject, plain text and HTML, in the person's language and time zone."""
    with translation.override(person.effective_language), timezone.override(person.local_zone):
        digest = build(person, now)
        if digest.is_empty:
            return digest, "", "", ""
        for item in digest.waiting:
            item.url = site_link(item.url)
        context = {
            "digest": digest,
            "person": person,
            "language": translation.get_language(),
            "home_link": site_link(reverse("home")),
            "unsubscribe_link": mail.unsubscribe_link(person, mail.WEEKLY_DIGEST),
            "kind_label": mail.EMAILS[mail.WEEKLY_DIGEST].label,
            "preferences_link": site_link(reverse("accounts:profile") + "#email"),
            "waiting_more_text": _("and %(count)s more") % {"count": digest.waiting_more},
        }
        subject = render_to_string("notifications/email/digest_subject.txt", context)
        rendered = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    # The plain text's template keeps its tags on lines of their own: at most one empty line.
    text = re.sub(r"\n[ \t]*(\n[ \t]*)+\n", "\n\n", rendered).strip() + "\n"
    return digest, " ".join(subject.split()), text, html


def present(person: Person, today: date) -> bool:
    """Works here and may sign in: leavers and inactive accounts get no digest."""
    return bool(person.is_active and person.email) and (
        person.leave_date is None or person.leave_date >= today
    )


def deliver(digest_id: int) -> bool:
    """Build and send one claimed digest, once, as of when it was claimed; True when it went
    out (not when it is empty, or its person turned it off, left or is outside the pilot
    meanwhile). What it showed of other people's data is recorded in their access log once it
    went out."""
    from access.reads import EMAIL, collecting
    from notifications.models import WeeklyDigest
    from organisation import scope
    from trust import access_log

    claimed = WeeklyDigest.objects.select_related("person__team").filter(pk=digest_id).first()
    if claimed is None or claimed.sent_at is not None:
        return False
    person, at = claimed.person, claimed.created_at
    if not present(person, person.local_today()) or not scope.in_scope(person):
        return False
    if not mail.wants(person, mail.WEEKLY_DIGEST):
        return False
    # Claim it: a task run twice (a retry, a second worker) sends it once.
    sent_at = timezone.now()
    if not WeeklyDigest.objects.filter(pk=claimed.pk, sent_at__isnull=True).update(sent_at=sent_at):
        return False
    try:
        with collecting(EMAIL) as reads:
            digest, subject, text, html = message(person, at)
        if digest.is_empty or not mail.send_email(
            person, mail.WEEKLY_DIGEST, subject, text, html=html
        ):
            WeeklyDigest.objects.filter(pk=claimed.pk).update(sent_at=None)
            return False
    except Exception:
        WeeklyDigest.objects.filter(pk=claimed.pk).update(sent_at=None)
        raise
    access_log.write(reads, sent_at)
    return True


# --- The job ------------------------------------------------------------------------------------


def due(now: datetime) -> list[tuple[int, date]]:
    """(person id, week) of every digest due at `now` and not claimed before: people who work
    here, may sign in, are inside the pilot and did not turn it off, past the hour on the first
    day of their organisation's week.

    Bounded: whoever has this week's digest already (sent, or claimed and empty) and whoever
    turned it off are left out in SQL, so that once the week's digests are out a run reads
    nobody. "This week" is the latest week anyone can be in: every time zone's date lies within a
    day of UTC's, and nobody has a digest of a week that has not started for them."""
    from notifications.models import EmailOptOut, WeeklyDigest
    from organisation import current, scope
    from people.models import Person

    if not settings.WEEKLY_DIGEST:
        return []
    org = current.settings()
    utc_today = now.astimezone(UTC).date()
    latest = max(iso_week(org.week_of(utc_today + timedelta(days=d))) for d in (-1, 0, 1))
    people = (
        Person.objects.current()
        .filter(scope.in_scope_q(), is_active=True)
        .exclude(email="")
        .exclude(pk__in=WeeklyDigest.objects.filter(week=latest).values("person_id"))
        .exclude(pk__in=EmailOptOut.objects.filter(kind=mail.WEEKLY_DIGEST).values("person_id"))
        .only("pk", "time_zone", "leave_date", "is_active", "email")
        .order_by("pk")
    )
    candidates: list[tuple[int, date]] = []
    for person in people.iterator(chunk_size=2000):
        week = due_week(person, now)
        if week is not None and present(person, person.local_today(now)):
            candidates.append((person.pk, week))
    earlier = {week for _pk, week in candidates if week != latest}
    known = set(WeeklyDigest.objects.filter(week__in=earlier).values_list("person_id", "week"))
    return [(pk, week) for pk, week in candidates if (pk, week) not in known]


def send_due(now: datetime | None = None) -> int:
    """Claim every digest due and queue its e-mail; how many this run claimed. A digest
    another run claimed first (even at this very moment) is skipped."""
    from notifications.models import WeeklyDigest
    from notifications.tasks import send_weekly_digest

    now = now or timezone.now()
    claimed = 0
    for person_id, week in due(now):
        try:
            with transaction.atomic():
                row = WeeklyDigest.objects.create(person_id=person_id, week=week, created_at=now)
                # In the same transaction: with the database task backend, the e-mail is
                # queued exactly when the digest is claimed.
                send_weekly_digest.enqueue(row.pk)
        except IntegrityError:
            continue  # another run claimed it first: it sends it
        claimed += 1
    return claimed
