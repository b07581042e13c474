"""What the skills pages and their API show: a manager's team heatmap (their reports' levels
against their role profiles) and the organisation heatmap (the newest counted run, the groups
the viewer sees) with its skill concentration. Both in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from access.rules import shown
from growth import queries as growth_queries
from growth.models import Competency
from insights.rules import smallest_group
from plans.readiness import STALE_DAYS
from talent import rules
from talent.models import SkillCell, SkillGroup, SkillRun

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from access.viewer import Viewer
    from growth.queries import Framework, Step
    from people.models import Person, Team

BELOW, AT, ABOVE = "below", "at", "above"
NOT_ASSESSED, NOT_EXPECTED = "not_assessed", "not_expected"
# A competency column sorts the people with the largest shortfall first, then those not
# assessed, then at and above expectation, then those of whom nothing is expected.
_SORT_LAST = {NOT_ASSESSED: 100, NOT_EXPECTED: 200}


@dataclass(frozen=True)
class Cell:
    key: str
    level: int | None
    expected: int | None
    on: date | None  # when the level was agreed or shared
    source: str  # "agreed" | "manager" | ""
    state: str
    level_name: str = ""
    expected_name: str = ""

    @property
    def gap(self) -> int | None:
        if self.level is None or self.expected is None:
            return None
        return self.level - self.expected

    @property
    def stale(self) -> bool:
        """Assessed more than a year ago (as a plan's readiness counts evidence stale)."""
        return self.on is not None and (timezone.localdate() - self.on).days > STALE_DAYS

    def order(self) -> int:
        gap = self.gap
        if self.state in _SORT_LAST:
            return _SORT_LAST[self.state] + (self.level or 0)
        return gap if gap is not None else 0


def state_of(level: int | None, expected: int | None) -> str:
    if expected is None:
        return NOT_EXPECTED
    if level is None:
        return NOT_ASSESSED
    if level < expected:
        return BELOW
    return AT if level == expected else ABOVE


@dataclass
class Row:
    person: Person
    step: Step | None
    cells: list[Cell]

    @property
    def below(self) -> int:
        return sum(cell.state == BELOW for cell in self.cells)


@dataclass
class TeamHeatmap:
    framework: Framework | None
    competencies: list[Competency]  # the columns shown (the category chosen)
    categories: list[tuple[str, str]]  # (category, its label), in the framework's order
    rows: list[Row] = field(default_factory=list)
    sort: str = "name"  # "name" or a competency key
    category: str = ""
    below_only: bool = False


def team_heatmap(
    viewer: Viewer, *, sort: str = "name", category: str = "", below_only: bool = False
) -> TeamHeatmap:
    """The viewer's reports (`talent.rules.heatmap_reports`) × the framework's competencies
    (of `category`, if one of the framework's): each cell the level that counts now against
    the level their role profile expects. Only people of whom the viewer sees levels
    (`growth.rules.sees_levels_of`); what is shown goes to the access log. `below_only`: only
    people below expectation in a shown competency. A fixed number of queries."""
    framework = growth_queries.current()
    if framework is None:
        return TeamHeatmap(None, [], [], sort="name", category="", below_only=below_only)
    categories: list[tuple[str, str]] = []
    for competency in framework.competencies:
        if competency.category not in {c for c, _label in categories}:
            categories.append((competency.category, competency.category_label))
    if category not in {c for c, _label in categories}:
        category = ""
    columns = [c for c in framework.competencies if not category or c.category == category]
    keys = {c.key for c in columns}
    if sort not in keys:
        sort = "name"
    people = [
        person
        for person in rules.heatmap_reports(viewer).order_by("name", "pk")
        if rules.sees_levels_of(viewer, person)
    ]
    levels = growth_queries.assessed_levels(viewer, [person.pk for person in people])
    rows = []
    for person in people:
        step = framework.step_of(person.role_id, person.level)
        expected = step.expected if step is not None else {}
        mine = levels.get(person.pk, {})
        cells = []
        for competency in columns:
            found = mine.get(competency.key)
            level = found.level if found is not None else None
            wanted = expected.get(competency.key)
            cells.append(
                Cell(
                    competency.key,
                    level,
                    wanted,
                    found.on if found is not None else None,
                    found.source if found is not None else "",
                    state_of(level, wanted),
                    framework.level_name(level),
                    framework.level_name(wanted),
                )
            )
        rows.append(Row(person, step, cells))
    if below_only:
        rows = [row for row in rows if row.below]
    if sort != "name":
        index = [c.key for c in columns].index(sort)
        rows.sort(key=lambda row: row.cells[index].order())  # stable: by name within
    shown(
        viewer,
        [
            levels[row.person.pk][cell.key].as_rating()
            for row in rows
            for cell in row.cells
            if cell.level is not None
        ],
    )
    return TeamHeatmap(framework, columns, categories, rows, sort, category, below_only)


# --- The organisation heatmap -------------------------------------------------------------------


@dataclass(frozen=True)
class GroupCell:
    key: str
    n: int | None  # None: fewer than the smallest group (nothing shown)
    at_or_above: int | None

    @property
    def share(self) -> int | None:
        """The share at or above expectation, in whole percent."""
        if not self.n or self.at_or_above is None:
            return None
        return round(100 * self.at_or_above / self.n)


@dataclass
class GroupRow:
    group: SkillGroup
    cells: list[GroupCell]

    @property
    def team_name(self) -> str:
        return self.group.team.name if self.group.team is not None else ""

    @property
    def concentrated(self) -> list[str]:
        """The keys of the competencies where only one person of the group is at or above
        expectation (of at least the smallest group with a level and an expectation)."""
        return [cell.key for cell in self.cells if cell.n and cell.at_or_above == 1]


GROUPS_SHOWN = 50  # a page of groups; "next" shows as many again
CONCENTRATION_SHOWN = 50
MAX_PLACE = 1000  # the longest place in the tree (`Team.path`) a page starts from


@dataclass
class OrganisationHeatmap:
    run: SkillRun | None
    competencies: list[Competency]
    categories: list[tuple[str, str]]
    rows: list[GroupRow] = field(default_factory=list)
    category: str = ""
    under: Team | None = None  # only the groups within this team (None: all the viewer sees)
    # Where the groups before and after these are in the tree (`place_of`): the pages' links
    # start from them. None: there are none.
    previous: str | None = None
    next: str | None = None
    # Skill concentration, of all the groups (`under`), not only the page's: each group with
    # the competencies where only one of its people is at or above expectation.
    concentrated: list[tuple[GroupRow, list[Competency]]] = field(default_factory=list)
    more_concentrated: bool = False

    @property
    def min_group(self) -> int:
        return self.run.min_group if self.run is not None else smallest_group()


def team_to_show(team_id: int | None) -> Team | None:
    """The team a heatmap is narrowed to (`under`, an id read by `cadence.ids.id_in` or the
    API's `Id`); None when there is no such team."""
    from people.models import Team

    if team_id is None:
        return None
    found: Team | None = Team.objects.filter(pk=team_id).only("name", "path").first()
    return found


# A group's place in the organisation's tree: its team's path, "" for the people without a team
# (first). Groups of a run never share a team, so a place names one group, in any run: a page
# starts right after (or ends right before) one, with no OFFSET to skip and whatever was
# counted again in between.
PLACE = Coalesce("team__path", Value(""))


def place_of(group: SkillGroup) -> str:
    return group.team.path if group.team is not None else ""


def _page_of(
    groups: QuerySet[SkillGroup], after: str | None, before: str | None
) -> tuple[list[SkillGroup], str | None, str | None]:
    """The groups after the place `after` (or, without it, before `before`; the first ones
    without either) in the tree's order, and the places the pages before and after them end
    and start from (None: no such page). One query, with the groups' cells."""
    groups = groups.alias(place=PLACE).select_related("team")
    groups = groups.prefetch_related(Prefetch("cells", SkillCell.objects.all()))
    if after is None and before is not None:
        found: list[SkillGroup] = list(
            groups.filter(place__lt=before).order_by("-place")[: GROUPS_SHOWN + 1]
        )
        earlier, found = len(found) > GROUPS_SHOWN, found[:GROUPS_SHOWN][::-1]
        return (
            found,
            place_of(found[0]) if earlier else None,
            place_of(found[-1]) if found else None,
        )
    if after is not None:
        groups = groups.filter(place__gt=after)
    found = list[SkillGroup](groups.order_by("place")[: GROUPS_SHOWN + 1])
    later, found = len(found) > GROUPS_SHOWN, found[:GROUPS_SHOWN]
    previous = place_of(found[0]) if after is not None and found else None
    return found, previous, place_of(found[-1]) if later else None


def organisation_heatmap(
    viewer: Viewer,
    paths: list[str],
    *,
    category: str = "",
    under: Team | None = None,
    after: str | None = None,
    before: str | None = None,
) -> OrganisationHeatmap:
    """The newest run's groups the viewer sees (`talent.rules.heatmap_groups_q`), within the
    team `under` if given, in the order of the organisation's tree, `GROUPS_SHOWN` after the
    place `after` (or before `before`: `place_of`) × its competencies (of `category`); and the
    skill concentration of them all (the first `CONCENTRATION_SHOWN`). Counts only: nothing of
    it goes to the access log. `paths`: the teams the viewer leads (`talent.rules.led_paths`).
    Five queries at most, whatever the size of the organisation and the page."""
    run = SkillRun.objects.select_related("version").order_by("-pk").first()
    if run is None:
        return OrganisationHeatmap(None, [], [], under=under)
    competencies = list(Competency.objects.filter(version=run.version_id).order_by("position"))
    categories: list[tuple[str, str]] = []
    for competency in competencies:
        if competency.category not in {c for c, _label in categories}:
            categories.append((competency.category, competency.category_label))
    if category not in {c for c, _label in categories}:
        category = ""
    columns = [c for c in competencies if not category or c.category == category]
    seen = SkillGroup.objects.filter(run=run).filter(rules.heatmap_groups_q(viewer, paths))
    if under is not None:
        seen = seen.filter(team__path__startswith=under.path)
    groups, previous, following = _page_of(seen, after, before)
    rows = []
    for group in groups:
        kept = {cell.competency_key: cell for cell in group.cells.all()}
        cells = []
        for competency in columns:
            cell = kept.get(competency.key)
            if cell is None or cell.n < run.min_group:  # never kept; and never shown
                cells.append(GroupCell(competency.key, None, None))
            else:
                cells.append(GroupCell(competency.key, cell.n, cell.at_or_above))
        rows.append(GroupRow(group, cells))
    found = OrganisationHeatmap(
        run, columns, categories, rows, category, under, previous=previous, next=following
    )
    found.concentrated, found.more_concentrated = _concentration(run, seen, columns)
    return found


def _concentration(
    run: SkillRun, groups: QuerySet[SkillGroup], columns: list[Competency]
) -> tuple[list[tuple[GroupRow, list[Competency]]], bool]:
    """The groups with competencies (of `columns`) where exactly one of at least the smallest
    group is at or above expectation (one query), the first `CONCENTRATION_SHOWN`."""
    by_key = {c.key: c for c in columns}
    cells = (
        SkillCell.objects.filter(
            group__in=groups, competency_key__in=by_key, at_or_above=1, n__gte=run.min_group
        )
        .alias(place=Coalesce("group__team__path", Value("")))  # the tree's order (`PLACE`)
        .select_related("group__team")
        .order_by("place", "competency_key")
    )
    by_group: dict[int, tuple[GroupRow, list[str]]] = {}
    more = False
    for cell in cells[: CONCENTRATION_SHOWN * len(by_key) + 1]:
        if cell.group_id not in by_group:
            if len(by_group) == CONCENTRATION_SHOWN:
                more = True
                break
            by_group[cell.group_id] = (GroupRow(cell.group, []), [])
        by_group[cell.group_id][1].append(cell.competency_key)
    position = {c.key: i for i, c in enumerate(columns)}
    return [
        (row, [by_key[key] for key in sorted(keys, key=position.__getitem__)])
        for row, keys in by_group.values()
    ], more
