"""Reading internal mobility: the openings a viewer may see (inside the pilot scope), the
viewer's own preference, fit (openings ranked for a person; people ranked for an opening, by
what the viewer may see of them) and supply and demand (HR).

Fit for me: each open opening's role profile (the step of its role and level in the current
framework) against my own assessed levels (`plans.readiness`), a boost when the step is my
development plan's target, and one per interest of mine it matches (its track, role, team).
Fit for an opening: the same parts, each only where the viewer may see it: interests where they
see the person's preference, the target where they see the person's plan, levels where Growth
lets them see the person's levels as a whole (`growth.rules.sees_levels_of`: HR never). What
a ranking used is said on the page (`Ranking.uses`). Everything used of someone else is passed
to `access.rules.shown` (the person's access log).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    Max,
    Model,
    OuterRef,
    QuerySet,
    Value,
    When,
    Window,
)
from django.utils.translation import gettext_lazy as _

from access.rules import shown, visible
from feedback.models import MIN_ANONYMITY_THRESHOLD, FeedbackSettings
from growth.models import Side
from growth.queries import Assessed, Framework, Step, assessed_levels
from growth.rules import sees_levels_of, sides_people
from mobility import rules
from mobility.models import Interest, MobilityPreference, Opening, OpeningStatus
from organisation import scope
from people.models import Person, current_q
from plans import readiness as ready
from plans.models import Plan
from plans.queries import own_plan
from plans.rules import VIEW_COVERAGE

if TYPE_CHECKING:
    from access.viewer import Viewer

TARGET_BOOST = 50  # the opening is the step my plan aims for
INTEREST_BOOST = 20  # per interest it matches: its track, its role, its team
SHOWN_CANDIDATES = 50  # people open to a move listed on an opening's page
SUPPLY_MIN = 5  # the fewest people a supply figure may stand for


def openings(viewer: Viewer) -> QuerySet[Opening]:
    """The open openings the viewer may see, in teams inside the pilot scope."""
    return (
        visible(viewer, Opening)
        .filter(status=OpeningStatus.OPEN)
        .filter(scope.team_in_scope_q("team__"))
        .select_related("team", "role", "hiring_manager")
    )


def listed_openings(viewer: Viewer) -> QuerySet[Opening]:
    """`openings` with only what their list and their fit read (not the hiring manager nor
    the description)."""
    return (
        openings(viewer)
        .select_related(None)
        .select_related("team", "role")
        .only("title", "role_id", "level", "team_id", "opened_on", "team__name", "role__name")
    )


def opening_with_all() -> QuerySet[Opening]:
    return Opening.objects.select_related("team__lead", "role", "hiring_manager")


def my_preference(viewer: Viewer) -> MobilityPreference | None:
    if viewer.person is None:
        return None
    found: MobilityPreference | None = my_preferences(viewer).first()
    return found


def my_preferences(viewer: Viewer) -> QuerySet[MobilityPreference]:
    """The viewer's own wish to move (one at most: the rules', their own), by id as `first()`
    takes it (a signed-in person's)."""
    assert viewer.person is not None
    return visible(viewer, MobilityPreference).filter(person=viewer.person).order_by("pk")


def my_interests(viewer: Viewer) -> QuerySet[Interest]:
    if viewer.person is None:
        return Interest.objects.none()
    return (
        visible(viewer, Interest)
        .filter(person=viewer.person)
        .select_related("opening__team", "opening__role")
    )


def shared_with_me(viewer: Viewer) -> QuerySet[MobilityPreference]:
    """The wishes to move of others the viewer may see: HR, of the people in their scope who
    chose HR; a manager, of their reports who chose to let them see it. Working here, inside
    the pilot scope, by name."""
    return (
        _open_to_move(viewer)
        .exclude(person=viewer.person)
        .select_related("person__team")
        .order_by("person__name", "pk")
    )


def _open_to_move(viewer: Viewer) -> QuerySet[MobilityPreference]:
    """The wishes to move the viewer may see that say the person is open to one, of people
    working here, inside the pilot scope: narrowed to those who could have chosen the viewer
    (`rules.may_have_shared_q`) and asking the person's own row whether they work here, so
    that the database starts from those few people (not from a list of everyone working
    here)."""
    return (
        visible(viewer, MobilityPreference.objects.filter(open_to_move=True))
        .filter(rules.may_have_shared_q(viewer))
        .filter(current_q("person__"), person__is_active=True)
        .filter(scope.in_scope_q("person__"))
    )


# --- Fit ----------------------------------------------------------------------------------------

TRACK, ROLE, TEAM = "track", "role", "team"
MATCH_WORDS = {
    TRACK: _("a track of interest"),
    ROLE: _("a role of interest"),
    TEAM: _("a team of interest"),
}


@dataclass
class Fit:
    """How well an opening and a person fit, from what the viewer may see."""

    opening: Opening
    person: Person | None = None
    step: Step | None = None
    gaps: list[ready.Gap] = field(default_factory=list)
    readiness: ready.Readiness | None = None  # None: no levels the viewer may see
    target: bool = False  # the step is the person's plan's target (seen by the viewer)
    matches: list[str] = field(default_factory=list)  # TRACK, ROLE, TEAM
    interest: Interest | None = None
    preference: MobilityPreference | None = None

    @property
    def score(self) -> int:
        points = self.readiness.percent if self.readiness is not None else 0
        return points + TARGET_BOOST * self.target + INTEREST_BOOST * len(self.matches)

    @property
    def match_words(self) -> list[str]:
        return [str(MATCH_WORDS[match]) for match in self.matches]


def _matches(
    preference: MobilityPreference | None, opening: Opening, step: Step | None
) -> list[str]:
    if preference is None:
        return []
    found = []
    if step is not None and step.track.key in preference.tracks:
        found.append(TRACK)
    if opening.role_id in preference.roles:
        found.append(ROLE)
    if opening.team_id in preference.teams:
        found.append(TEAM)
    return found


def _target_of(plan: Plan | None) -> str:
    return plan.target_step_id if plan is not None else ""


_Prepared = dict[str, tuple[list[ready.Gap], ready.Readiness | None]]


def _fit(
    framework: Framework | None,
    opening: Opening,
    today: date,
    *,
    levels: dict | None,
    target: str,
    preference: MobilityPreference | None,
    prepared: _Prepared | None = None,
) -> Fit:
    """`prepared`: the gap and readiness of one person's `levels` for each step already
    worked out (by step id), filled in as they are (openings for the same role and level
    share their step)."""
    step = framework.step_of(opening.role_id, opening.level) if framework else None
    found = Fit(opening, step=step, preference=preference)
    if step is not None and framework is not None:
        if levels is not None:
            kept = prepared.get(step.id) if prepared is not None else None
            if kept is None:
                gaps = ready.gaps(framework, step, levels)
                kept = (gaps, ready.readiness(gaps, today) if levels and gaps else None)
                if prepared is not None:
                    prepared[step.id] = kept
            found.gaps, found.readiness = kept
        found.target = bool(target) and target == step.id
    found.matches = _matches(preference, opening, step)
    return found


@dataclass
class Own:
    """What fit for me uses of the viewer's own: their assessed levels, their plan's target
    step ("": none) and their wish to move (None: none)."""

    levels: dict[str, Assessed]
    target: str
    preference: MobilityPreference | None


def own(viewer: Viewer, preference: MobilityPreference | bool | None = False) -> Own:
    """The viewer's own levels, plan target and wish to move (`preference`: already loaded;
    False: load it). Three queries at most (two for the levels)."""
    me = viewer.person
    assert me is not None
    levels = dict(assessed_levels(viewer, [me.pk]).get(me.pk, {}))
    target = _target_of(own_plan(viewer))
    if preference is False:
        preference = my_preference(viewer)
    assert preference is None or isinstance(preference, MobilityPreference)
    return Own(levels, target, preference)


def fit_for_me(
    viewer: Viewer,
    found: Iterable[Opening],
    framework: Framework | None,
    today: date,
    preference: MobilityPreference | bool | None = False,
    *,
    mine: Own | None = None,
) -> list[Fit]:
    """The openings for the viewer, the best fit first (the newest first among equals);
    `preference`: the viewer's own, already loaded (False: load it); `mine`: everything of
    the viewer's own it uses, already loaded (`own`). The gap to each step is worked out
    once, however many openings are for it."""
    mine = mine or own(viewer, preference)
    prepared: _Prepared = {}
    fits = [
        _fit(
            framework,
            opening,
            today,
            levels=mine.levels,
            target=mine.target,
            preference=mine.preference,
            prepared=prepared,
        )
        for opening in found
    ]
    fits.sort(key=lambda fit: (-fit.score, -fit.opening.opened_on.toordinal(), -fit.opening.pk))
    return fits


@dataclass
class Ranking:
    """People ranked for an opening, and what the ranking could use."""

    fits: list[Fit]
    uses: list[str]  # "interests", "target", "levels"
    more: int = 0  # how many more there are than listed


_Known = tuple[dict[int, Plan], list[int], dict[int, dict[str, Any]]]


def _known(
    viewer: Viewer, people: Sequence[Person]
) -> tuple[_Known, dict[str, Assessed], Plan | None]:
    """What ranking uses of the people that the viewer may see: their plans with a target
    step, and their levels; and, read with them, the viewer's own levels and plan with a
    target (for their own fit). Two queries (three when ratings of an older version carry
    over), for as many people as there are."""
    me = viewer.person
    assert me is not None
    ids = [person.pk for person in people]
    plans = {
        plan.person_id: plan
        for plan in visible(viewer, Plan.objects.filter(person__in=[*ids, me.pk])).exclude(
            target_track=""
        )
    }
    mine = plans.get(me.pk) if me.pk in ids else plans.pop(me.pk, None)
    leveled = [person.pk for person in people if sees_levels_of(viewer, person)]
    levels = assessed_levels(viewer, [*leveled, me.pk])
    my_levels = levels.get(me.pk, {}) if me.pk in leveled else levels.pop(me.pk, {})
    return (plans, leveled, levels), dict(my_levels), mine


def _ranked(
    viewer: Viewer,
    opening: Opening,
    people: Sequence[Person],
    framework: Framework | None,
    today: date,
    *,
    known: _Known,
    preferences: dict[int, MobilityPreference],
    interests: dict[int, Interest],
    limit: int | None = None,
    unread: int = 0,
    planned: bool = False,
) -> Ranking:
    """`people` ranked by what the viewer may see of them (`known`, read for every list of the
    page at once), the first `limit` listed. `unread`: how many more there are, not read
    (they rank below these); `planned`: the viewer may read the target of one of those."""
    plans, leveled, levels = known
    fits = []
    for person in people:
        fit = _fit(
            framework,
            opening,
            today,
            levels=dict(levels.get(person.pk, {})) if person.pk in leveled else None,
            target=_target_of(plans.get(person.pk)),
            preference=preferences.get(person.pk),
        )
        fit.person, fit.interest = person, interests.get(person.pk)
        fits.append(fit)
    fits.sort(
        key=lambda fit: (
            -fit.score,
            fit.person.name if fit.person else "",
            fit.person.pk if fit.person else 0,
        )
    )
    listed = fits if limit is None else fits[:limit]
    # What the listed rows used of each person, for their access log.
    used: list[Model] = []
    for fit in listed:
        assert fit.person is not None
        if fit.preference is not None:
            used.append(fit.preference)
        if fit.person.pk in plans:
            used.append(plans[fit.person.pk])
        used += [level.as_rating() for level in levels.get(fit.person.pk, {}).values()]
    shown(viewer, used)
    # What this list used: of its own people, not of the page's other list.
    uses = ["interests"]
    if planned or any(person.pk in plans for person in people):
        uses.append("target")
    if any(person.pk in leveled for person in people):
        uses.append("levels")
    return Ranking(listed, uses, len(fits) - len(listed) + unread)


def interests_in(viewer: Viewer, opening: Opening) -> QuerySet[Interest]:
    """The interests in the opening the viewer may see, of people inside the pilot scope."""
    return (
        visible(viewer, Interest.objects.filter(opening=opening))
        .filter(scope.in_scope_q("person__"))
        .select_related("person__team")
    )


class _Holds(Func):
    """Whether a JSON list column holds a value (a track's key, a role's or team's id), in SQL:
    `@>` on PostgreSQL, `json_each` on SQLite (Django's `contains` has no SQLite form)."""

    output_field = BooleanField()

    def __init__(self, column: str, value: str | int):
        super().__init__(F(column))
        self.value = value

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"({column} @> %s::jsonb)", (*params, json.dumps([self.value]))
        # The column is Django's own, compiled; the value is a parameter.
        held = f"EXISTS (SELECT 1 FROM json_each({column}) AS held WHERE held.value = %s)"  # noqa: S608
        return held, (*params, self.value)


def _points(viewer: Viewer, opening: Opening, step: Step | None) -> Any:
    """`Fit.score` in SQL, without the levels: the interests the opening matches and whether it
    is the target of a plan the viewer may read."""
    matches: list[tuple[str, str | int]] = [("roles", opening.role_id), ("teams", opening.team_id)]
    if step is not None:
        matches.append(("tracks", step.track.key))
    points: Any = Value(0)
    for column, value in matches:
        points += Case(When(_Holds(column, value), then=INTEREST_BOOST), default=0)
    if step is not None:
        aims = Plan.objects.filter(
            person=OuterRef("person_id"),
            target_track=step.track.key,
            target_level=step.profile.level,
        )
        points += Case(When(Exists(visible(viewer, aims)), then=TARGET_BOOST), default=0)
    return points


@dataclass
class _Wishes:
    """The wishes to move an opening's page ranks: the best by `_points` and those of whom the
    viewer sees levels; how many others there are, and whether the viewer may read the plan
    target of any of those."""

    read: list[MobilityPreference]
    unread: int
    planned: bool


WISH_FIELDS = (
    *(f.name for f in MobilityPreference._meta.concrete_fields),
    "person__name",
    "person__manager_id",
    "person__team__name",
    "person__team__path",
)


def _wishes(viewer: Viewer, opening: Opening, framework: Framework | None) -> _Wishes:
    """The people open to a move whose wish the viewer may see, working here, inside the pilot
    scope, narrowed by the database to those the page may list: the first `SHOWN_CANDIDATES`
    by their interests and plans (`_points`), and the viewer's reports (whose levels add to
    their fit: ranked in Python, `_ranked`). Two queries, however many are open to a move."""
    wishes = (
        _open_to_move(viewer)
        .exclude(person=viewer.person)
        .exclude(person=opening.hiring_manager_id)
        .select_related("person__team")
        # Of the person, what the ranking and the page read: the database orders every wish
        # (the window totals read them all), and narrower rows cost it less (10 -> 4.5 ms).
        .only(*WISH_FIELDS)
    )
    step = framework.step_of(opening.role_id, opening.level) if framework else None
    reports = sides_people(viewer, Side.MANAGER).values("pk")
    planned = Exists(
        visible(viewer, Plan.objects.filter(person=OuterRef("person_id"))).exclude(target_track="")
    )
    best = list(
        wishes.exclude(person__in=reports)
        # Every wish to move is scored: starting from those open to one (`mobility_open_idx`,
        # which SQLite uses for `= true` but not for the bare column Django writes for
        # `open_to_move=True`) rather than from everyone working here (10 → 6 ms at 10,000).
        .filter(open_to_move=Value(True))
        .annotate(
            points=_points(viewer, opening, step),
            total=Window(Count("pk")),  # of them all, before the limit
            planned=Window(Max(Case(When(planned, then=1), default=0))),
        )
        .order_by("-points", "person__name", "person_id")[:SHOWN_CANDIDATES]
    )
    first = best[0] if best else None
    return _Wishes(
        best + list(wishes.filter(person__in=reports)),
        unread=first.total - len(best) if first else 0,
        planned=bool(first and first.planned),
    )


def rankings(
    viewer: Viewer,
    opening: Opening,
    framework: Framework | None,
    today: date,
    *,
    interested: bool,
    open_to_move: bool,
) -> tuple[Ranking | None, Ranking | None, Own]:
    """For an opening's page, ranked by fit: the people interested in it whose interest the
    viewer may see (`interested`), and the people open to a move whose wish the viewer may see
    (HR: whom their scope covers and who chose HR), working here, inside the pilot scope, the
    first `SHOWN_CANDIDATES` (`open_to_move`: `_wishes`). Their plans and levels are read once
    for both; each list says what it used of its own people. And what the viewer's own fit
    uses of their own (`Own`), read with the others' (no query of its own)."""
    me = viewer.person
    assert me is not None
    found = list(interests_in(viewer, opening)) if interested else []
    shown(viewer, found)
    wishes = _wishes(viewer, opening, framework) if open_to_move else _Wishes([], 0, False)
    interested_people = [interest.person for interest in found]
    preferences = {preference.person_id: preference for preference in wishes.read}
    unknown = [person.pk for person in interested_people if person.pk not in preferences]
    # The wishes of those interested that the ranking has not read yet, and the viewer's own.
    read = {
        preference.person_id: preference
        for preference in visible(
            viewer, MobilityPreference.objects.filter(person__in=[*unknown, me.pk])
        )
    }
    my_preference = read.pop(me.pk, None)
    preferences.update(read)
    pool = {person.pk: person for person in interested_people}
    pool.update((wish.person_id, wish.person) for wish in wishes.read)
    known, my_levels, my_plan = _known(viewer, list(pool.values()))
    of_interest = (
        _ranked(
            viewer,
            opening,
            interested_people,
            framework,
            today,
            known=known,
            preferences={pk: preferences[pk] for pk in pool if pk in preferences},
            interests={interest.person_id: interest for interest in found},
        )
        if interested
        else None
    )
    of_wishes = (
        _ranked(
            viewer,
            opening,
            [wish.person for wish in wishes.read],
            framework,
            today,
            known=known,
            preferences={wish.person_id: wish for wish in wishes.read},
            interests={},
            limit=SHOWN_CANDIDATES,
            unread=wishes.unread,
            planned=wishes.planned,
        )
        if open_to_move
        else None
    )
    return of_interest, of_wishes, Own(my_levels, _target_of(my_plan), my_preference)


# --- Supply and demand --------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplyRow:
    label: str  # the step's title ("Senior engineer") or the role and level without one
    track: str
    level: int
    aiming: int | None  # people whose plan targets it; None: fewer than the threshold
    openings: int


def supply_threshold() -> int:
    """The fewest people a figure may stand for: 5, or the organisation's anonymity threshold
    where larger."""
    return max(SUPPLY_MIN, FeedbackSettings.load().anonymity_threshold, MIN_ANONYMITY_THRESHOLD)


def supply_and_demand(
    viewer: Viewer, framework: Framework | None, threshold: int
) -> list[SupplyRow]:
    """For each step of the career tracks: how many people (whose plans' coverage the viewer
    sees: HR, those in scope) aim for it in their development plan, hidden under the threshold,
    against the open openings (the viewer may see) for its role and level. Two queries."""
    aims = Counter(
        {
            (row["target_track"], row["target_level"]): row["n"]
            for row in visible(viewer, Plan, VIEW_COVERAGE)
            .filter(person__in=Person.objects.current().filter(is_active=True))
            .filter(scope.in_scope_q("person__"))
            .exclude(target_track="")
            .filter(target_level__isnull=False)
            .values("target_track", "target_level")
            .annotate(n=Count("pk"))
        }
    )
    demand: Counter[tuple[str, int]] = Counter()
    elsewhere: Counter[tuple[str, int]] = Counter()
    found = openings(viewer).select_related(None).select_related("role")
    for opening in found.only("role_id", "level", "role__name"):
        step = framework.step_of(opening.role_id, opening.level) if framework else None
        if step is None:
            elsewhere[(opening.role.name, opening.level)] += 1
        else:
            demand[(step.track.key, step.profile.level)] += 1
    rows = []
    for step in framework.steps if framework else []:
        key = (step.track.key, step.profile.level)
        count = aims.get(key, 0)
        if not count and not demand.get(key):
            continue
        rows.append(
            SupplyRow(
                f"{step.profile.title}",
                step.track.name,
                step.profile.level,
                count if count == 0 or count >= threshold else None,
                demand.get(key, 0),
            )
        )
    for (role, level), count in sorted(elsewhere.items()):
        rows.append(SupplyRow(role, "", level, 0, count))
    return rows
