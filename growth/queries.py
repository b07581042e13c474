"""Reading the framework: the current version with everything its pages show, in a fixed
number of queries, as rows (`Framework`) and as a document (`Framework.document`); and reading
assessments: the level of each competency that counts for people now (`assessed_levels`, for
other modules, the development plan's gap and readiness) and one competency's history."""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from access.rules import shown, visible
from cadence.kept import Kept
from cadence.prepared import ById
from goals.models import Objective, period_label
from growth import document as doc
from growth.models import (
    Assessment,
    AssessmentRound,
    Behaviour,
    CarryOver,
    Competency,
    Expectation,
    FrameworkVersion,
    ProficiencyLevel,
    Rating,
    RoleProfile,
    Side,
    Track,
)

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person


@dataclass
class Step:
    """A role profile on its track, with its expectations by competency key."""

    track: Track
    profile: RoleProfile
    expected: dict[str, int]

    @property
    def id(self) -> str:
        """How a page names the step (in a URL): "management-4"."""
        return f"{self.track.key}-{self.profile.level}"


@dataclass
class Framework:
    version: FrameworkVersion
    levels: list[ProficiencyLevel]
    competencies: list[Competency]  # each with `behaviours` loaded
    tracks: list[Track]  # each with `roles` and `profiles` (with `expectations`) loaded
    steps: list[Step] = field(default_factory=list)
    # The step of each (role id, level), built on first asking (`step_of`).
    _role_steps: dict[tuple[int, int], Step] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        keys = {competency.pk: competency.key for competency in self.competencies}
        self.steps = [
            Step(
                track,
                profile,
                {keys[e.competency_id]: e.level for e in profile.expectations.all()},
            )
            for track in self.tracks
            for profile in track.profiles.all()
        ]

    def level_name(self, number: int | None) -> str:
        return next((level.name for level in self.levels if level.number == number), "")

    def step(self, step_id: str) -> Step | None:
        return next((step for step in self.steps if step.id == step_id), None)

    def step_of(self, role_id: int | None, level: int | None) -> Step | None:
        """The role profile of someone with this job role and level, if the framework has
        one."""
        if role_id is None or level is None:
            return None
        if self._role_steps is None:
            # The first step (in the tracks' order) of each role and level: a look-up for the
            # pages that ask it of many openings or people.
            found: dict[tuple[int, int], Step] = {}
            for step in self.steps:
                for role in step.track.roles.all():
                    found.setdefault((role.pk, step.profile.level), step)
            self._role_steps = found
        return self._role_steps.get((role_id, level))

    def document(self) -> doc.Document:
        keys = {competency.pk: competency.key for competency in self.competencies}
        order = {competency.pk: index for index, competency in enumerate(self.competencies)}
        return doc.Document(
            levels=tuple(doc.Level(lv.number, lv.name, lv.description) for lv in self.levels),
            competencies=tuple(
                doc.Competency(
                    c.key,
                    c.name,
                    c.category,
                    c.description,
                    tuple(
                        doc.Behaviour(b.level, b.description, tuple(b.examples))
                        for b in c.behaviours.all()
                    ),
                )
                for c in self.competencies
            ),
            tracks=tuple(
                doc.Track(
                    t.key,
                    t.name,
                    t.description,
                    tuple(sorted(role.name for role in t.roles.all())),
                    tuple(
                        doc.Profile(
                            p.level,
                            p.title,
                            p.summary,
                            tuple(
                                (keys[e.competency_id], e.level)
                                for e in sorted(
                                    p.expectations.all(), key=lambda e: order[e.competency_id]
                                )
                            ),
                        )
                        for p in t.profiles.all()
                    ),
                )
                for t in self.tracks
            ),
        )


def current_version() -> FrameworkVersion | None:
    return FrameworkVersion.objects.order_by("-number").first()


# A published version's rows never change (levels, competencies and behaviours, tracks,
# profiles and expectations): each process keeps the few versions it read, by id, and reads
# them once. The roles on each track are people's data, read again on every load.
Published = tuple[list[ProficiencyLevel], list[Competency], list[Track]]
_PUBLISHED: dict[tuple[int, int, datetime], Published] = {}
_KEPT_VERSIONS = 4


def _published(
    version: FrameworkVersion,
) -> tuple[list[ProficiencyLevel], list[Competency], list[Track]]:
    # (A version's id alone could come back for another version after a deletion.)
    key = (version.pk, version.number, version.published_at)
    found = _PUBLISHED.get(key)
    if found is None:
        competencies = Competency.objects.filter(version=version).prefetch_related(
            Prefetch("behaviours", Behaviour.objects.order_by("level"))
        )
        tracks = Track.objects.filter(version=version).prefetch_related(
            Prefetch(
                "profiles",
                RoleProfile.objects.order_by("level").prefetch_related(
                    Prefetch("expectations", Expectation.objects.all())
                ),
            ),
        )
        found = (
            list(ProficiencyLevel.objects.filter(version=version)),
            list(competencies),
            list(tracks),
        )
        while len(_PUBLISHED) >= _KEPT_VERSIONS:
            _PUBLISHED.pop(next(iter(_PUBLISHED)))
        _PUBLISHED[key] = found
    return found


def version_rows(version: FrameworkVersion) -> tuple[list[ProficiencyLevel], list[Competency]]:
    """A version's levels and competencies (each with its behaviours, by level), as this
    process keeps them (`_published`): an assessment's page and a competency's history read
    them on every visit. Lists of their own; the rows are shared, not to be changed."""
    levels, competencies, _tracks = _published(version)
    return list(levels), list(competencies)


def load(version: FrameworkVersion | None) -> Framework | None:
    """The version with its levels, competencies and tracks: one query for the tracks' roles,
    and the version's own rows the first time this process reads it (6 queries)."""
    if version is None:
        return None
    levels, competencies, kept_tracks = _published(version)
    tracks = []
    for kept in kept_tracks:
        track = copy.copy(kept)  # its own roles: the kept one is shared by every request
        loaded = vars(kept).get("_prefetched_objects_cache", {})
        track.__dict__["_prefetched_objects_cache"] = {
            name: rows for name, rows in loaded.items() if name != "roles"
        }
        tracks.append(track)
    _load_roles(version, tracks)
    # Lists of their own too: the kept rows are shared, the lists are not.
    return Framework(
        version=version, levels=list(levels), competencies=list(competencies), tracks=tracks
    )


# The roles on a version's tracks, its SQL prepared once per process and run with the version's
# id: `prefetch_related_objects` built and compiled the same query on every page that reads
# the framework (1.5-2 ms, against 0.1 to run it).
_TRACK_ROLES = ById(
    lambda pk: (
        Track.roles.through.objects.filter(track__version=pk)
        .select_related("role")
        .order_by("role__name")
    )
)


def _load_roles(version: FrameworkVersion, tracks: list[Track]) -> None:
    """Each track's `roles`, as `prefetch_related_objects(tracks, "roles")` leaves them (in
    the roles' order: their names, which are unique)."""
    found: dict[int, list[Any]] = defaultdict(list)
    for row in _TRACK_ROLES.run(version.pk):
        found[row.track_id].append(row.role)
    for track in tracks:
        roles: Any = track.roles.all()
        roles._result_cache = found.get(track.pk, [])
        roles._prefetch_done = True
        track.__dict__.setdefault("_prefetched_objects_cache", {})["roles"] = roles


def _read_current_competencies() -> dict[str, Competency]:
    latest = FrameworkVersion.objects.order_by("-number").values("pk")[:1]
    return {c.key: c for c in Competency.objects.filter(version=Subquery(latest))}


# The current version's competencies by key, kept in each process (`cadence.kept`), for pages
# that name a few of them (a plan's focus on a conversation's agenda): a version's rows do
# not change once published; a new version is seen in this process at once, in the others
# within `ORGANISATION_SETTINGS_SECONDS`.
CURRENT_COMPETENCIES = Kept(_read_current_competencies, changed_by=(FrameworkVersion, Competency))


def competency_choices() -> list[tuple[str, str]]:
    """The current version's competencies as (key, name), in its order (one query): what
    feedback, feedback requests and 360 questions may be about."""
    competencies = Competency.objects.filter(version__number=_latest_number())
    return list(competencies.order_by("position").values_list("key", "name"))


def competency_name(key_field: str) -> Subquery:
    """For annotating rows that name a competency by its key (in their field `key_field`): its
    name in the newest version that has that key, the current version's name (a competency
    retired since keeps its last one); NULL when no version has the key (the field holds
    something else, such as text written before there was a framework). Part of the rows' own
    query: no query of its own, however many rows."""
    return Subquery(
        Competency.objects.filter(key=OuterRef(key_field))
        .order_by("-version__number")
        .values("name")[:1]
    )


def current() -> Framework | None:
    return load(current_version())


def versions() -> list[FrameworkVersion]:
    """Every version, the newest first, with who published it."""
    return list(FrameworkVersion.objects.select_related("published_by").order_by("-number"))


# --- Assessments -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessed:
    """The level of one competency that counts for a person now: the latest agreed level, else
    the latest shared manager rating (never a self-rating, never an average)."""

    level: int
    on: date
    source: str  # "agreed" | "manager"
    assessment_id: int
    rating_id: int
    subject_id: int

    def as_rating(self) -> Rating:
        """The rating behind it, enough of it for the access log (`access.rules.shown`)."""
        side = Side.AGREED if self.source == "agreed" else Side.MANAGER
        assessment = Assessment(pk=self.assessment_id, subject_id=self.subject_id)
        return Rating(pk=self.rating_id, side=side, assessment=assessment)


def carried_forward(
    rows: Iterable[tuple[int, str]], latest: int | None
) -> dict[tuple[int, str], set[str]]:
    """For each (version number, competency key), the keys of the current version its ratings
    carry over to (`CarryOver`, version by version): empty for a competency retired since. At
    most one query, none when every row is of the current version."""
    wanted = set(rows)
    if latest is None:
        return {row: set() for row in wanted}
    oldest = min((number for number, _key in wanted), default=latest)
    carries: dict[tuple[int, str], list[str]] = defaultdict(list)
    if oldest < latest:
        for number, source, target in CarryOver.objects.filter(
            source__version__number__gte=oldest
        ).values_list("source__version__number", "source__key", "target__key"):
            carries[(number, source)].append(target)
    found = {}
    for number, key in wanted:
        keys = {key}
        for step in range(number, latest):
            keys = {target for source in keys for target in carries.get((step, source), ())}
        found[(number, key)] = keys
    return found


def _latest_number() -> Subquery:
    return Subquery(FrameworkVersion.objects.order_by("-number").values("number")[:1])


def assessed_levels(
    viewer: Viewer, person_ids: Iterable[int], today: date | None = None
) -> dict[int, dict[str, Assessed]]:
    """For each person, per competency key of the current framework (older ratings carried
    forward through `CarryOver`), the level that counts now: the latest agreed level, else the
    latest manager rating the manager shared; with its date and source. Self-ratings never
    count. A person with no level at all is left out (read with `.get(person_id, {})`).
    Only ratings the viewer may see count (`RatingRules`); a page that shows them as someone's
    gap or readiness asks `growth.rules.sees_levels_of` first, and passes what it shows to
    `access.rules.shown` (`Assessed.as_rating`). Two queries at most, whatever the number of
    people. With `today` (the viewer's day: a personal page that asks it of one or two people
    on every visit), the SQL is kept per viewer state, day and people (`cadence.waiting.
    kept_values`): building it through the rules cost several times more than running it."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}

    def ratings() -> QuerySet[Rating]:
        return visible(viewer, Rating.objects.filter(assessment__subject__in=ids))

    if today is None:
        return _counting(ratings())
    from cadence.waiting import kept_values

    rows = kept_values(
        viewer, today, ("growth.assessed_levels", *ids), lambda: _counting_query(ratings())
    )
    return _counted([tuple(row[name] for name in _COUNTED) for row in rows])


def counted_levels(people: QuerySet[Person]) -> dict[int, dict[str, Assessed]]:
    """`assessed_levels` of `people` (a query of them) as the system counts them, whoever may
    see them: only for figures over groups of people that no viewer sees per person (the
    skills heatmap of the organisation, `talent.skills`), never to show one person's levels.
    Two queries at most."""
    return _counting(Rating.objects.filter(assessment__subject__in=people.values("pk")))


# What the counting reads of each rating, in `_counted`'s order.
_COUNTED = (
    "assessment__subject_id",
    "competency__version__number",
    "competency__key",
    "side",
    "level",
    "updated_at",
    "assessment__manager_shared_at",
    "assessment_id",
    "latest",
    "pk",
)


def _counting_query(ratings: QuerySet[Rating]) -> QuerySet[Rating, dict[str, Any]]:
    """The ratings that may count (`_COUNTED` of each, as dicts)."""
    counting: QuerySet[Rating, dict[str, Any]] = (
        ratings.filter(level__isnull=False)
        .filter(
            Q(side=Side.AGREED) | Q(side=Side.MANAGER, assessment__manager_shared_at__isnull=False)
        )
        .annotate(latest=_latest_number())
        .values(*_COUNTED)
    )
    return counting


def _counting(ratings: QuerySet[Rating]) -> dict[int, dict[str, Assessed]]:
    """The level that counts now of each person and competency key among `ratings`."""
    return _counted(list(_counting_query(ratings).values_list(*_COUNTED)))


def _counted(rows: list[tuple[Any, ...]]) -> dict[int, dict[str, Assessed]]:
    """The level that counts now of each person and competency key among the rows
    (`_COUNTED`)."""
    result: dict[int, dict[str, Assessed]] = {}
    if not rows:
        return result
    forward = carried_forward(((row[1], row[2]) for row in rows), rows[0][8])
    best: dict[tuple[int, str], tuple[bool, date, int, Assessed]] = {}
    for person, number, key, side, level, updated, shared, assessment, _latest, pk in rows:
        agreed = side == Side.AGREED
        on = timezone.localdate(updated if agreed or shared is None else shared)
        assert level is not None  # filtered above
        source = "agreed" if agreed else "manager"
        found = Assessed(level, on, source, assessment, pk, person)
        rank = (agreed, on, assessment, found)
        for target in forward[(number, key)]:
            kept = best.get((person, target))
            if kept is None or rank[:3] > kept[:3]:
                best[(person, target)] = rank
    for (person, key), rank in best.items():
        result.setdefault(person, {})[key] = rank[3]
    return result


# --- Links to a person's assessments (other modules' lists and pages) ---------------------------

OPEN_ASSESSMENT = "growth_open_assessment"  # the id of the person's open assessment, or None
FRAMEWORK_PUBLISHED = "growth_framework_published"  # whether there is anything to assess against


def with_open_assessment(viewer: Viewer, people: QuerySet[Person]) -> QuerySet[Person]:
    """`people` (a query of people) annotated with each one's open assessment the viewer may
    see (`OPEN_ASSESSMENT`: its id, None when none), and whether a framework is published
    (`FRAMEWORK_PUBLISHED`): in the people's own query, so that a list of them (My team) links
    to their assessments at no query of its own. `growth.templatetags.growth` shows the link."""
    open_one = visible(viewer, Assessment).filter(subject=OuterRef("pk"), closed_at__isnull=True)
    return people.annotate(
        **{
            OPEN_ASSESSMENT: Subquery(open_one.values("pk")[:1]),
            FRAMEWORK_PUBLISHED: Exists(FrameworkVersion.objects.all()),
        }
    )


def open_assessment_of(viewer: Viewer, person: Person) -> tuple[int | None, bool]:
    """One person's `OPEN_ASSESSMENT` and `FRAMEWORK_PUBLISHED`, in one query (a person's
    page)."""
    from people.models import Person

    row = (
        with_open_assessment(viewer, Person.objects.filter(pk=person.pk))
        .values_list(OPEN_ASSESSMENT, FRAMEWORK_PUBLISHED)
        .first()
    )
    return (row[0], bool(row[1])) if row is not None else (None, False)


# A round's progress: how many of its assessments reached each step. Counts only, never a
# rating (`growth.rules.AssessmentRoundRules` says why they need no smallest group).
ROUND_COUNTS = {
    "started": Count("pk"),
    "self_done": Count("pk", filter=Q(self_shared_at__isnull=False)),
    "manager_done": Count("pk", filter=Q(manager_shared_at__isnull=False)),
    "agreed": Count("pk", filter=Q(agreed_at__isnull=False)),
}


def round_progress(viewer: Viewer, found: AssessmentRound) -> dict[str, int]:
    """The round's counts (`ROUND_COUNTS`) of the assessments the viewer may know exist (HR:
    those of people within their scope), in one query: for its page and the API alike."""
    return visible(viewer, Assessment).filter(round=found).aggregate(**ROUND_COUNTS)


@dataclass(frozen=True)
class HistoryRow:
    """One dated level of a competency in a person's history."""

    on: date
    side: str
    level: int | None
    level_name: str
    assessment: Assessment
    competency: Competency  # the row of the assessment's version (its name then)
    note: str


def history(viewer: Viewer, person: Person, key: str) -> list[HistoryRow]:
    """The levels of one competency (a key of the current version) in the person's assessments,
    the newest first, across versions (carried forward through `CarryOver`): what the viewer
    may see of them (`growth.rules`). A fixed number of queries."""
    ratings = list(
        visible(viewer, Rating)
        .filter(assessment__subject=person)
        .select_related("assessment", "competency__version")
        .order_by("-assessment__created_at", "-assessment_id")
    )
    latest = current_version()
    forward = carried_forward(
        ((r.competency.version.number, r.competency.key) for r in ratings),
        latest.number if latest else None,
    )
    mine = [r for r in ratings if key in forward[(r.competency.version.number, r.competency.key)]]
    versions = {r.competency.version_id: r.competency.version for r in mine}
    names = {
        (level.version_id, level.number): level.name
        for version in versions.values()
        for level in version_rows(version)[0]
    }
    shown(viewer, mine)
    order: dict[str, int] = {Side.SELF: 0, Side.MANAGER: 1, Side.AGREED: 2}
    rows = [
        HistoryRow(
            on=timezone.localdate(_dated(r)),
            side=r.side,
            level=r.level,
            level_name=names.get((r.competency.version_id, r.level or 0), ""),
            assessment=r.assessment,
            competency=r.competency,
            note=r.text,
        )
        for r in mine
    ]
    return sorted(rows, key=lambda row: (row.on, row.assessment.pk, -order[row.side]), reverse=True)


def _dated(rating: Rating) -> datetime:
    """When a side's level was said: shared (self, manager) or written (agreed, drafts)."""
    assessment = rating.assessment
    if rating.side == Side.SELF and assessment.self_shared_at:
        return assessment.self_shared_at
    if rating.side == Side.MANAGER and assessment.manager_shared_at:
        return assessment.manager_shared_at
    return rating.updated_at


# What an assessment's rating offers as evidence: the goals of the year it looks back on.
EVIDENCE_GOALS = 50
EVIDENCE_DAYS = 366


def evidence_goals(
    viewer: Viewer, assessment: Assessment, ratings: Iterable[Rating]
) -> list[tuple[int, str]]:
    """The subject's goals the viewer may see whose period touches the year before the
    assessment began (or began since), newest first, named with their period so that a goal
    set again each quarter can be told apart; and the goals already attached to `ratings`
    (prefetched as `goals`), whenever they were, so that saving never drops one."""
    since = timezone.localtime(assessment.created_at).date() - timedelta(days=EVIDENCE_DAYS)
    recent = list(
        visible(viewer, Objective)
        .filter(owner_person=assessment.subject_id, end_date__gte=since)
        .order_by("-end_date", "-pk")
        .only("pk", "title", "start_date", "end_date")[:EVIDENCE_GOALS]
    )
    offered = {goal.pk for goal in recent}
    attached = {
        goal.pk: goal for rating in ratings for goal in rating.goals.all() if goal.pk not in offered
    }
    return [
        (goal.pk, f"{goal.title} · {period_label(goal.start_date, goal.end_date)}")
        for goal in [*recent, *sorted(attached.values(), key=lambda g: g.end_date, reverse=True)]
    ]
