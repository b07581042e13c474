"""360 participation: for the latest 360 cycles whose reviews have opened, of the people in a
group who were reviewed, how many of the reviewers asked answered or declined, and for how many
the report was released. Counts only, never a participant's own: a group is shown for a cycle
only when at least the smallest group of its people were reviewed in it, and no two shown
groups differ by fewer (`insights.grouping.released_among`, the rule Surveys keeps).

Which groups a cycle's figures are shown for never depends on who moved or left while one
might compare them: a cycle still open is shown for the whole organisation alone, as everyone
it reviews (fixed once its reviews opened: participants are added only before), whoever has
left or moved since; a closed one is counted once, just after it closed, for the groups of
then, with the same everyone as the organisation's, and kept (`insights.monthly.kept`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from feedback.models import CycleStatus, ReviewCycle, ReviewInvitation, ReviewParticipant
from insights import grouping
from insights.charts import Column, Computed, chart
from insights.monthly import kept
from insights.scopes import MANAGER, ORG, TEAM, Run, Scope

CYCLES = 8


@dataclass(frozen=True)
class Reviewed:
    invited: int
    answered: int
    declined: int
    released: bool


@dataclass
class Cycle:
    pk: int
    name: str
    start: date
    end: date
    closed: bool
    people: dict[int, Reviewed] = field(default_factory=dict)  # person id -> their figures


def _load(run: Run) -> list[Cycle]:
    """The latest `CYCLES` cycles past nominating, their participants and the counts of their
    invitations: three queries."""
    cycles = [
        Cycle(pk, name, start, end, status == CycleStatus.CLOSED)
        for pk, name, start, end, status in ReviewCycle.objects.filter(
            status__in=[CycleStatus.REVIEWING, CycleStatus.CLOSED]
        )
        .order_by("-period_end", "-pk")
        .values_list("pk", "name", "period_start", "period_end", "status")[:CYCLES]
    ]
    cycles.reverse()
    by_id = {cycle.pk: cycle for cycle in cycles}
    counts: dict[int, tuple[int, int, int]] = {
        row["participant_id"]: (row["invited"], row["answered"], row["declined"])
        for row in ReviewInvitation.objects.filter(participant__cycle__in=list(by_id))
        .order_by()
        .values("participant_id")
        .annotate(
            invited=Count("pk"),
            answered=Count("pk", filter=Q(answered=True)),
            declined=Count("pk", filter=Q(declined=True)),
        )
    }
    participants = ReviewParticipant.objects.filter(cycle__in=list(by_id)).values_list(
        "pk", "cycle_id", "person_id", "released_at"
    )
    for pk, cycle_id, person_id, released_at in participants.iterator(chunk_size=5000):
        invited, answered, declined = counts.get(pk, (0, 0, 0))
        by_id[cycle_id].people[person_id] = Reviewed(
            invited, answered, declined, released_at is not None
        )
    return cycles


def _figures(cycle: Cycle, members: frozenset[int]) -> dict[str, int | None]:
    people = [cycle.people[pk] for pk in members]
    invited = sum(p.invited for p in people)
    return {
        "reviewed": len(people),
        "invited": invited,
        "answered": grouping.share(sum(p.answered for p in people), invited),
        "declined": grouping.share(sum(p.declined for p in people), invited),
        "released": grouping.share(sum(p.released for p in people), len(people)),
    }


def _cycle(run: Run, cycle: Cycle) -> dict[str, dict[str, int | None]]:
    """{group: figures} of a cycle. Still open: the organisation's alone (`_open`). Closed: for
    every group released among those it reviewed, the organisation's being everyone it
    reviewed (as while it was open), as first counted once the cycle closed, so that a closed
    cycle's figures never follow who moved or left since (`insights.monthly.kept`)."""
    if not cycle.closed:
        found: dict[str, dict[str, int | None]] = run.once(
            f"insights.reviews.open:{cycle.pk}", lambda: _open(run, cycle)
        )
        return found

    def count() -> dict[str, dict[str, int | None]]:
        released = grouping.released_among(
            run, f"reviews.{cycle.pk}", cycle.people, whole=cycle.people
        )
        return {key: _figures(cycle, members) for key, members in released.items()}

    return kept(run, "reviews", "", f"c:{cycle.pk}", True, count)


def _open(run: Run, cycle: Cycle) -> dict[str, dict[str, int | None]]:
    """An open cycle's figures: the organisation's alone, of everyone the cycle reviews (fixed
    once its reviews opened), whoever has left or moved since, when they are at least the
    smallest group. No team's or manager's: counted from today's groups, a person moving out
    of a team (or leaving) would change its figures by their own from one day to the next,
    and no one's team at the launch is kept to count it from."""
    if len(cycle.people) < run.min_group:
        return {}
    return {grouping.ALL: _figures(cycle, frozenset(cycle.people))}


@chart(
    "reviews",
    title=_("360 participation: answers and released reports, per cycle"),
    definition=_(
        "For the latest 360 cycles whose reviews have opened, the people who were reviewed: "
        "how many reviewers were asked (self, manager, "
        "peers and direct reports), the share of them who answered and who declined, and the "
        "share of the reviewed whose report was released. A group is shown for a cycle only "
        "when at least the smallest group of its people were reviewed. n: the people reviewed "
        "in this group in the latest cycle shown. A cycle still open is shown for the whole "
        "organisation only (everyone it reviews, whoever has left or moved since), so that no "
        "figure changes when one person moves or leaves; once closed, it is shown for the "
        "groups too, with the figures counted just after it closed, with the teams of then, "
        "and everyone it reviewed as the whole organisation."
    ),
    columns=(
        Column("cycle", _("Cycle")),
        grouping.GROUP_COLUMN,
        Column("reviewed", _("People reviewed")),
        Column("invited", _("Reviewers asked")),
        Column("answered", _("Answered (%)")),
        Column("declined", _("Declined (%)")),
        Column("released", _("Reports released (%)")),
    ),
    labels={
        **grouping.GROUP_LABELS,
        "answered": _("Reviewers who answered"),
        "released": _("Reports released"),
        "percent": _("Per cent"),
    },
    audiences=(MANAGER, TEAM, ORG),
    order=70,
)
def reviews(scope: Scope) -> Computed | None:
    run = scope.run
    cycles: list[Cycle] = run.once("insights.reviews", lambda: _load(run))
    rows = []
    points: list[tuple[Cycle, int | None, int | None]] = []
    n = 0
    for cycle in cycles:
        figures = _cycle(run, cycle)
        for group in grouping.shown(scope):
            found = figures.get(group.key)
            if found is None:
                continue
            rows.append({"cycle": cycle.name, "group": grouping.label_of(group, scope), **found})
            if group.own:
                points.append((cycle, found["answered"], found["released"]))
                n = found["reviewed"] or 0
    if not points:
        return None
    return Computed(
        n=n,
        period=(min(c.start for c, _a, _r in points), max(c.end for c, _a, _r in points)),
        rows=rows,
        chart={
            "type": "bar",
            "x": [cycle.name for cycle, _a, _r in points],
            "series": [
                {"key": "answered", "values": [a for _c, a, _r in points]},
                {"key": "released", "values": [r for _c, _a, r in points]},
            ],
            "y": {"min": 0, "max": 100, "title_key": "percent"},
        },
    )
