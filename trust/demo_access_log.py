"""The demo organisation's access log: a year of who looked at whose data, as Cadence would have
recorded it.

Managers open their reports' goals (shared with the team, or private) while those goals run,
read the conversations they held with them around the day they met, open My team and the team's
goals list now and then, and read their reports' 360 reports once a cycle closes. The chain
above looks at a goal of someone further down once in a while; HR opens people's pages (their
employment details), more often for those in their own part of the organisation. A few reads
come through the API. Only the last `DAYS` are written (the log keeps 24 months by default):
at 10,000 people that is a few hundred thousand rows, written with `insert_rows` (COPY on
PostgreSQL).

The same seed gives the same log. Everyone's own reads are never logged, so none are made up.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.utils.module_loading import autodiscover_modules

from access.models import HRRole
from conversations.models import Conversation, Status
from feedback.models import CycleStatus, ReviewParticipant
from goals.models import Objective, Visibility
from people.demo import DemoOrg, flush_step, history_builder, insert_rows
from trust.models import AccessLogEntry

DAYS = 365
FIELDS = ("at", "viewer", "subject", "kind", "item", "count", "channel", "path")
API_SHARE = 0.06  # reads through the API (a manager's script, a reporting tool)
MY_TEAM_VISITS = 6  # a manager's My team visits a year that the log keeps per report
TEAM_GOALS_VISITS = 4  # and visits to the team's goal list
HR_READS = 0.35  # the chance in a year that HR opens a given person's page


@flush_step
def delete_access_log() -> None:
    """The log names people without a constraint: it would outlive them."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608


class _Log:
    def __init__(self, org: DemoOrg) -> None:
        self.org = org
        self.rng = org.random("access-log")
        self.sqlite = connection.vendor == "sqlite"
        # Up to the start of today, not "now": two builds on the same day write the same log.
        self.now = datetime.combine(org.today, time(0), tzinfo=UTC)
        self.since = org.today - timedelta(days=DAYS)
        self.rows: list[tuple] = []

    def moment(self, day: date) -> datetime | str | None:
        """A working-hours moment on `day`, if it is within the log and not in the future."""
        if day < self.since or day > self.org.today:
            return None
        rng = self.rng
        at = datetime.combine(day, time(rng.randint(7, 18), rng.randint(0, 59)), tzinfo=UTC)
        at += timedelta(seconds=rng.randint(0, 59))
        if at >= self.now:
            return None
        return at.replace(tzinfo=None).isoformat(" ") if self.sqlite else at

    def day_between(self, first: date, last: date) -> date:
        first, last = max(first, self.since), min(last, self.org.today)
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def add(self, day, viewer, subject, kind, item, path, count=1, api_path=""):
        at = self.moment(day)
        if at is None or viewer == subject:
            return
        channel = "page"
        if api_path and self.rng.random() < API_SHARE:
            channel, path = "api", api_path
        self.rows.append((at, viewer, subject, kind, item, count, channel, path))

    # --- Managers and the chain -----------------------------------------------------------------

    def goals(self, reports: dict[int, int], chain: dict[int, list[int]]) -> None:
        """Managers open their reports' goals while they run; the chain above, now and then."""
        rng = self.rng
        goals = (
            Objective.objects.filter(
                owner_person_id__in=list(reports),
                visibility__in=[Visibility.TEAM, Visibility.PRIVATE],
                end_date__gte=self.since,
            )
            .order_by("pk")
            .values_list("pk", "owner_person_id", "visibility", "start_date", "end_date")
        )
        for pk, owner, visibility, start, end in goals.iterator(chunk_size=5000):
            kind = f"goals.{visibility}"
            path, api = f"/goals/{pk}/", f"/api/v1/goals/{pk}"
            for _read in range(rng.choice((0, 1, 1, 2, 3))):
                self.add(
                    self.day_between(start, end), reports[owner], owner, kind, pk, path, 1, api
                )
            above = chain.get(owner, [])[1:2]  # the skip level
            if visibility == Visibility.TEAM and above and rng.random() < 0.25:
                self.add(self.day_between(start, end), above[0], owner, kind, pk, path, 1, api)

    def conversations(self) -> None:
        """The manager reads the record around the day they met (the employee's own reads are
        not logged), and again when they sign off."""
        rng = self.rng
        held = (
            Conversation.objects.filter(status=Status.HELD, held_on__gte=self.since)
            .order_by("pk")
            .values_list("pk", "employee_id", "manager_id", "held_on")
        )
        for pk, employee, manager, held_on in held.iterator(chunk_size=5000):
            assert held_on is not None  # the filter above
            path, api = f"/conversations/{pk}/", f"/api/v1/conversations/{pk}"
            for offset in rng.sample((-2, -1, 0, 0, 1), rng.choice((1, 1, 2))):
                day = held_on + timedelta(days=offset)
                self.add(day, manager, employee, "conversations.record", pk, path, 1, api)
            if rng.random() < 0.6:
                day = held_on - timedelta(days=rng.randint(0, 2))
                count = rng.randint(1, 4)
                self.add(day, manager, employee, "conversations.preparation", None, path, count)

    def lists(self, reports_of: dict[int, list[int]]) -> None:
        """My team and the team's goals list: a list entry for each report shown."""
        rng = self.rng
        for manager, reports in reports_of.items():
            for _visit in range(MY_TEAM_VISITS):
                day = self.since + timedelta(days=rng.randint(0, DAYS))
                for report in reports:
                    count = rng.choice((1, 1, 2))
                    self.add(day, manager, report, "conversations.record", None, "/my-team/", count)
            for _visit in range(TEAM_GOALS_VISITS):
                day = self.since + timedelta(days=rng.randint(0, DAYS))
                for report in reports:
                    count = rng.randint(1, 3)
                    self.add(day, manager, report, "goals.team", None, "/goals/team/", count)

    def reports(self) -> None:
        """A closed cycle's reports: the manager reads them (and releases them); HR some."""
        rng = self.rng
        participants = (
            ReviewParticipant.objects.filter(
                cycle__status=CycleStatus.CLOSED,
                cycle__answers_due__gte=self.since,
                manager__isnull=False,
            )
            .order_by("pk")
            .values_list("pk", "person_id", "manager_id", "cycle__answers_due")
        )
        for pk, person, manager, due in participants.iterator(chunk_size=5000):
            path = f"/feedback/reviews/participants/{pk}/report/"
            for _read in range(rng.choice((1, 1, 2, 3))):
                day = due + timedelta(days=rng.randint(1, 20))
                self.add(day, manager, person, "feedback.review_reports", pk, path)
                self.add(day, manager, person, "feedback.reviews", pk, path)
            if rng.random() < 0.1:
                day = due + timedelta(days=rng.randint(1, 30))
                self.add(day, self.org.hr.pk, person, "feedback.review_reports", pk, path)

    # --- HR ---------------------------------------------------------------------------------

    def employment(self) -> None:
        """HR opens people's pages: their own part of the organisation's HR more often."""
        rng = self.rng
        whole: list[int] = []
        scoped: dict[str, list[int]] = defaultdict(list)
        for person_id, path in HRRole.objects.order_by("pk").values_list(
            "person_id", "scope__path"
        ):
            (scoped[path] if path else whole).append(person_id)
        team_paths = {team.pk: team.path for team in self.org.teams}
        for person in self.org.current:
            path = team_paths.get(person.team_id or 0, "/")
            covering = [
                hr for scope, people in scoped.items() if path.startswith(scope) for hr in people
            ]
            readers = covering or whole
            if not readers or rng.random() >= HR_READS * (2 if covering else 1):
                continue
            viewer = rng.choice(readers)
            day = self.since + timedelta(days=rng.randint(0, DAYS))
            page, api = f"/people/{person.pk}/", f"/api/v1/people/{person.pk}"
            self.add(day, viewer, person.pk, "people.employment", person.pk, page, 1, api)

    def build(self) -> None:
        org = self.org
        current = {person.pk: person for person in org.current}
        reports = {p.pk: p.manager_id for p in org.current if p.manager_id in current}
        chain = {p.pk: p.chain_ids[::-1] for p in org.current}
        self.goals(reports, chain)
        self.conversations()
        self.lists({manager: [r.pk for r in people] for manager, people in org.reports.items()})
        self.reports()
        self.employment()

    def write(self) -> None:
        self.rows.sort(key=lambda row: str(row[0]))  # ids in time order, as the log grows
        insert_rows(AccessLogEntry, FIELDS, self.rows)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {AccessLogEntry._meta.db_table}")
        self.org.counts["access-log entries"] = len(self.rows)


# The log reads the history the other apps write: their builders register first, in the order
# of INSTALLED_APPS, whatever imported this module first.
autodiscover_modules("demo")


@history_builder
def access_log_history(org: DemoOrg) -> None:
    log = _Log(org)
    log.build()
    log.write()
