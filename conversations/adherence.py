"""Rhythm adherence: the share of rhythm conversations held within their due window.

Over the 12 months before this one and this month so far (by due date: whole months, so that
the organisation-wide figures can be summed from monthly tallies, `conversations.tally`), a
rhythm conversation counts when it was held,
skipped, or is still open past its window; it is on time when held within its due window: from
the kind's grace days (`GRACE_DAYS`) before its due date to as many days after. Open
conversations still inside their window and cancelled ones (the pair ended) do not count either
way. Only conversations that took place are held (`scheduling.sign_off`: the manager signs off
after the meeting time or, without one, once the window has opened), and one held before its
window opened (an early meeting, or a sign-off before this rule) is counted but not on time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from conversations.models import GRACE_DAYS, RHYTHM_KINDS, Status, add_months

WINDOW_MONTHS = 12


def window_start(today: date) -> date:
    """The first due date counted: the first of the month, 12 months before this one."""
    return add_months(today.replace(day=1), -WINDOW_MONTHS)


@dataclass(frozen=True)
class Adherence:
    on_time: int = 0
    counted: int = 0

    @property
    def rate(self) -> float | None:
        return self.on_time / self.counted if self.counted else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)

    def __add__(self, other: Adherence) -> Adherence:
        return Adherence(self.on_time + other.on_time, self.counted + other.counted)


def counted_q(today: date) -> Q:
    since = window_start(today)
    missed = Q()
    for kind in RHYTHM_KINDS:
        missed |= Q(kind=kind, due_date__lt=today - timedelta(days=GRACE_DAYS[kind]))
    return Q(kind__in=RHYTHM_KINDS, due_date__gte=since, due_date__lte=today) & (
        Q(status__in=[Status.HELD, Status.SKIPPED]) | (Q(status=Status.SCHEDULED) & missed)
    )


def missed_q(today: date) -> Q:
    """Open rhythm conversations past their window's grace: what `counted_q` counts of the
    open ones (as missed), written so that the open conversations' index finds them
    (`conv_open_due_idx`): one due-date range per kind."""
    since = window_start(today)
    missed = Q()
    for kind in RHYTHM_KINDS:
        missed |= Q(kind=kind, due_date__lt=today - timedelta(days=GRACE_DAYS[kind]))
    # The range of all kinds together, for the index; each kind's end within it.
    latest = today - timedelta(days=min(GRACE_DAYS[kind] for kind in RHYTHM_KINDS))
    return Q(status=Status.SCHEDULED, due_date__gte=since, due_date__lt=latest) & missed


def on_time_q() -> Q:
    return Q(status=Status.HELD, held_in_window=True)


def adherence_by(conversations, group_by: str, today: date) -> dict:
    """{value of `group_by`: Adherence} over the given conversations, in one query."""
    return adherence_of_rows(adherence_rows(conversations, group_by, today), group_by)


def adherence_rows(conversations, group_by: str, today: date):
    """`adherence_by`'s query: counted and on time per value of `group_by` (`values()` rows,
    for whoever runs it: My team, with its SQL kept)."""
    return (
        conversations.filter(counted_q(today))
        .order_by()
        .values(group_by)
        .annotate(counted=Count("pk"), on_time=Count("pk", filter=on_time_q()))
    )


def adherence_of_rows(rows, group_by: str) -> dict:
    """{value of `group_by`: Adherence} from `adherence_rows`' rows."""
    return {row[group_by]: Adherence(row["on_time"], row["counted"]) for row in rows}


def adherence_by_pairs(conversations, fields: tuple[str, ...], today: date) -> dict:
    """{(value, value, …) of `fields`: Adherence}: several breakdowns from one scan."""
    rows = (
        conversations.filter(counted_q(today))
        .order_by()
        .values(*fields)
        .annotate(counted=Count("pk"), on_time=Count("pk", filter=on_time_q()))
    )
    return {
        tuple(row[field] for field in fields): Adherence(row["on_time"], row["counted"])
        for row in rows
    }


def adherence_of(conversations, today: date) -> Adherence:
    totals = conversations.filter(counted_q(today)).aggregate(
        counted=Count("pk"), on_time=Count("pk", filter=on_time_q())
    )
    return Adherence(totals["on_time"], totals["counted"])
