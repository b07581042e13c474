"""Who can see (or do) something, as groups of people by role, derived from the rules.

Every rule answers `who(obj, action)` besides `visible` and `can`: the people for whom `can`
holds, as a list of `Group`s, each a role ("your manager", "HR for Engineering", "everyone in
the organisation") and how to find the people in it. A rule builds its groups from the inverses
of the relationship primitives it decides with (`access.relations`: "who stands in this
relation to this person or team"), so the answer is the rule's own, never written by hand; a
generic test checks that `can` is true exactly for the people in the groups.

A rule's groups say how to find their people without loading them; `resolve` loads them for
many objects at once (My data asks about every item a person has), in a fixed number of
queries: one for people named by id or by team, one for HR, and one for each group of a team
with the teams within it (a count where the group is too large to name everyone). Only people
who can sign in today are listed: someone who has left, or whose account is off, opens nothing.
Administrators are never listed unless a rule grants them something.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from cadence.prepared import Prepared, PreparedValues, stand_in_ids, with_values
from people.models import Person, Team, current_q, ids_in

if TYPE_CHECKING:
    from access.models import HRRole

# The most people a group of a team and the teams within it names; beyond that it says how
# many (`Group.count`).
NAMES_SHOWN = 50

# --- Roles ------------------------------------------------------------------------------------
# A role is a key (stable: the API gives it) and its words, twice: for the person the role is
# relative to ("your manager") and for anyone else ("Alice Jansen’s manager"). %(name)s is that
# person's (or team's) name, %(team)s the team's, %(scope)s HR's scope.

SELF = "self"
MANAGER = "manager"
CHAIN = "chain"
TEAM = "team"
WITHIN = "within"
LEAD = "lead"
LEAD_CHAIN = "lead_chain"
HR = "hr"
HR_MANAGING = "hr_managing"
EVERYONE = "everyone"
TOP = "top"
GIVER = "giver"
RECEIVER = "receiver"
SHARED_WITH = "shared_with"
REQUESTER = "requester"
ASKED = "asked"
PLAN_SHARED = "plan_shared"
PARTNER = "partner"
AUTHOR = "author"
RECIPIENT = "recipient"
REVIEWER = "reviewer"
REVIEW_MANAGER = "review_manager"
REVIEWED = "reviewed"
REVIEWED_MANAGERS = "reviewed_managers"
REVIEWERS = "reviewers"
LINE_MANAGER = "line_manager"
ADMINISTRATORS = "administrators"
LEADS_ABOVE = "leads_above"
HIRING_MANAGER = "hiring_manager"
INTERESTED = "interested"
ACTION_OWNER = "action_owner"
ACTION_OWNERS = "action_owners"

ROLES: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    SELF: (_("you"), _("whom it is about")),
    MANAGER: (_("your manager"), _("%(name)s’s manager")),
    CHAIN: (_("your management chain"), _("%(name)s’s management chain")),
    TEAM: (_("your team, %(team)s"), _("%(name)s’s team, %(team)s")),
    WITHIN: (
        _("everyone in %(team)s and the teams within it"),
        _("everyone in %(team)s and the teams within it"),
    ),
    LEAD: (_("the lead of %(team)s"), _("the lead of %(team)s")),
    LEAD_CHAIN: (
        _("the management chain of the lead of %(team)s"),
        _("the management chain of the lead of %(team)s"),
    ),
    HR: (_("HR for %(scope)s"), _("HR for %(scope)s")),
    HR_MANAGING: (
        _("HR for %(scope)s who may manage people"),
        _("HR for %(scope)s who may manage people"),
    ),
    EVERYONE: (_("everyone in the organisation"), _("everyone in the organisation")),
    TOP: (_("the top of the organisation"), _("the top of the organisation")),
    GIVER: (_("you, who gave it"), _("who gave it")),
    RECEIVER: (_("you, who received it"), _("who received it")),
    SHARED_WITH: (
        _("the manager you shared it with"),
        _("the manager %(name)s shared it with"),
    ),
    REQUESTER: (_("you, who asked"), _("who asked")),
    ASKED: (_("the people you asked"), _("the people %(name)s asked")),
    PLAN_SHARED: (
        _("the people you shared it with"),
        _("the people %(name)s shared it with"),
    ),
    PARTNER: (_("your manager in the conversation"), _("%(name)s’s manager in the conversation")),
    AUTHOR: (_("you, who wrote it"), _("who wrote it")),
    RECIPIENT: (_("you"), _("to whom it is addressed")),
    REVIEWER: (_("you, the reviewer"), _("the reviewer")),
    REVIEW_MANAGER: (
        _("your manager when the cycle started"),
        _("%(name)s’s manager when the cycle started"),
    ),
    REVIEWED: (_("the people reviewed in it"), _("the people reviewed in it")),
    REVIEWED_MANAGERS: (
        _("the managers of the people reviewed"),
        _("the managers of the people reviewed"),
    ),
    REVIEWERS: (_("their reviewers"), _("their reviewers")),
    LINE_MANAGER: (_("the line manager"), _("the line manager")),
    # Only where a rule grants administrators something (the audit log): being one grants none.
    ADMINISTRATORS: (_("the administrators"), _("the administrators")),
    LEADS_ABOVE: (
        _("the leads of %(team)s and of the teams it is part of"),
        _("the leads of %(team)s and of the teams it is part of"),
    ),
    HIRING_MANAGER: (_("you, the hiring manager"), _("the hiring manager")),
    INTERESTED: (_("you, who showed interest"), _("the people who showed interest")),
    ACTION_OWNER: (_("you, who own it"), _("its owner")),
    ACTION_OWNERS: (_("you, who own one of its actions"), _("the owners of its actions")),
}


@dataclass(frozen=True)
class Group:
    """Some people who may see (do) something, in one role.

    As a rule gives it, a group says how to find its people (`ids`, `team_id`, `within`,
    `covering`, `where`, `everyone`); `resolve` fills in `people` and `count` (and for HR the
    `scope`: one group per scope)."""

    role: str  # a key of ROLES
    # Whom the role is relative to: the person ("Alice’s manager") or team ("lead of Sales").
    about: Person | Team | None = None
    ids: tuple[int, ...] = ()  # these people
    team_id: int | None = None  # the members of this team
    within: str | None = None  # the members of the team at this path and of the teams within it
    # HR whose scope covers every one of these team paths ("" stands for a person without a
    # team: only HR for the whole organisation covers them; no path at all: any HR).
    covering: tuple[str, ...] | None = None
    managing: bool = False  # HR: only those who may manage people
    where: Q | None = None  # the people matching this (one query of its own: for rare groups)
    # The leads of the team at this path and of the teams it is part of (found for all groups
    # at once, in one query).
    leading: str | None = None
    everyone: bool = False  # everyone signed in
    excluding: tuple[int, ...] = ()  # but these people
    # An example (My data, for a kind the person holds none of): the role, nobody named.
    example: bool = False
    # Filled in by `resolve`:
    people: tuple[Person, ...] = ()
    # How many people: `people` names them all, but for a team with the teams within it, where
    # it names at most NAMES_SHOWN.
    count: int = 0
    scope: Team | None = None  # HR's scope (None: the whole organisation)

    @property
    def is_complete(self) -> bool:
        """Whether `people` names everyone in the group."""
        return self.everyone or len(self.people) == self.count

    def is_mine(self, reader: Person | None) -> bool:
        """Whether the role is relative to the reader ("your manager", "you, who gave it")."""
        about = self.about
        return reader is not None and isinstance(about, Person) and about.pk == reader.pk

    def label(self, reader: Person | None = None) -> str:
        """The role in words, for `reader` ("your manager" when the role is relative to them)."""
        mine, theirs = ROLES[self.role]
        about = self.about
        words = str(mine if self.is_mine(reader) else theirs)
        values: dict[str, object] = {"name": getattr(about, "name", "")}
        if "%(team)s" in words:  # read only where it is said: a person's team is a query
            team = about if isinstance(about, Team) else getattr(about, "team", None)
            values["team"] = team.name if team is not None else ""
        if "%(scope)s" in words:
            values["scope"] = scope_words(self.scope.name if self.scope is not None else None)
        return words % values


def scope_words(scope_name: str | None) -> str:
    """HR's scope in words: the team's name, or (None) the whole organisation."""
    return str(_("the whole organisation")) if scope_name is None else scope_name


def hr_in_words(scope_name: str | None) -> str:
    """HR's role in words, as "who can see this" names it: "HR for Engineering", "HR for the
    whole organisation" (`scope_name` None). For pages that name someone's role elsewhere (who
    looked at my data), so that both say the same."""
    return str(ROLES[HR][1]) % {"scope": scope_words(scope_name)}


def resolve(answers: Sequence[Sequence[Group]]) -> list[list[Group]]:
    """The people in each group of each answer, loaded for all answers together.

    Groups that turn out to hold nobody who can sign in are left out (a manager who has left);
    HR groups come back one per scope. The order of an answer's groups is kept. Many items
    share their groups (a person's conversations all have the same two): each distinct group
    is worked out once."""
    answers = _leads_named(answers)
    groups = [group for answer in answers for group in answer]
    named = _named_people(groups)
    by_id = {person.pk: person for person in named}
    by_team: dict[int | None, list[Person]] = {}
    for person in named:
        by_team.setdefault(person.team_id, []).append(person)
    by_condition: dict[Q, list[Person]] = {}
    for group in groups:
        if group.where is not None and group.where not in by_condition:
            where = group.where
            by_condition[where] = _kept(
                ("where", where), lambda where=where: _signs_in().filter(where).only(*NAMED)
            ).run()
    within = _within(groups)
    hr_roles = _hr_roles() if any(group.covering is not None for group in groups) else []
    done: dict[tuple[Any, ...], list[Group]] = {}

    def filled(group: Group) -> list[Group]:
        if group.everyone or group.example:
            return [group]
        if group.covering is not None:
            return _hr_groups(group, hr_roles)
        if group.within is not None:
            first, count = within[group.within]
            return [_filled(group, first[:NAMES_SHOWN], count)] if count else []
        if group.where is not None:
            found = by_condition[group.where]
        else:
            found = [by_id[pk] for pk in dict.fromkeys(group.ids) if pk in by_id]
            if group.team_id is not None:
                found += [p for p in by_team.get(group.team_id, ()) if p.pk not in group.ids]
            found.sort(key=lambda person: person.name)
        found = [person for person in found if person.pk not in group.excluding]
        return [_filled(group, found, len(found))] if found else []

    resolved: list[list[Group]] = []
    for answer in answers:
        out: list[Group] = []
        for group in answer:
            key = _spec(group)
            if key not in done:
                done[key] = filled(group)
            out += done[key]
        resolved.append(out)
    return resolved


def _leads_named(answers: Sequence[Sequence[Group]]) -> list[list[Group]]:
    """The answers with each `leading` group naming its leads by id: the teams on every such
    path read in one query."""
    paths = {group.leading for answer in answers for group in answer if group.leading}
    if not paths:
        return [list(answer) for answer in answers]
    team_ids = sorted({pk for path in paths for pk in ids_in(path)})
    leads: dict[int, int] = {}
    if team_ids:
        ids_for = stand_in_ids(len(team_ids), 0)

        def build() -> Any:
            teams = Team.objects.filter(pk__in=ids_for, lead__isnull=False)
            return teams.values("pk", "lead_id")

        prepared = _kept(("leads", len(team_ids)), build, PreparedValues.of)
        found = prepared.run(
            with_values(prepared.params, dict(zip(ids_for, team_ids, strict=True)))
        )
        leads = {row["pk"]: row["lead_id"] for row in found}
    named = {
        path: tuple(dict.fromkeys(leads[pk] for pk in ids_in(path) if pk in leads))
        for path in paths
    }
    return [
        [replace(g, ids=named[g.leading]) if g.leading else g for g in answer] for answer in answers
    ]


def _spec(group: Group) -> tuple[Any, ...]:
    """What decides a group's people and words (its identity, for working it out once)."""
    about = None if group.about is None else (type(group.about).__name__, group.about.pk)
    return (
        group.role,
        about,
        group.ids,
        group.team_id,
        group.within,
        group.covering,
        group.managing,
        group.where,
        group.everyone,
        group.excluding,
        group.example,
    )


def holders(group: Group) -> set[int] | None:
    """Every person in a resolved group, by id, also beyond the names it shows (for tests and
    checks); None for everyone."""
    if group.everyone:
        return None
    if group.within is not None and not group.is_complete:
        members = _signs_in().filter(team__path__startswith=group.within)
        return set(members.values_list("pk", flat=True))
    return {person.pk for person in group.people}


# --- Loading ----------------------------------------------------------------------------------

# What is read of the people named: their name, and what a page shows beside it (the initials'
# colour is from the e-mail address).
NAMED = ("name", "email", "job_title", "team_id")


def _signs_in() -> Any:
    """People who can sign in today: they work here and their account is on."""
    return Person.objects.filter(current_q(), is_active=True)


def _named_people(groups: Iterable[Group]) -> list[Person]:
    """The people named by id or by team in any of `groups`, in one query, by name."""
    ids: set[int] = set()
    teams: set[int] = set()
    for group in groups:
        ids.update(group.ids)
        if group.team_id is not None:
            teams.add(group.team_id)
    if not ids and not teams:
        return []
    ids_for, teams_for = stand_in_ids(len(ids), 0), stand_in_ids(len(teams), len(ids))

    def build() -> Any:
        # A union, not an OR: each part through its own index (SQLite read every person for
        # the OR of the two).
        by_id = _signs_in().filter(pk__in=ids_for).only(*NAMED).order_by()
        by_team = _signs_in().filter(team_id__in=teams_for).only(*NAMED).order_by()
        if not teams:
            return by_id
        if not ids:
            return by_team
        return by_id.union(by_team)

    prepared: Prepared[Person] = _kept(("named", len(ids), len(teams)), build)
    values = dict(zip(ids_for, sorted(ids), strict=True))
    values.update(zip(teams_for, sorted(teams), strict=True))
    return prepared.run(with_values(prepared.params, values))


# The SQL of the queries that find the people in the groups, compiled once a day (it names
# today) per database and shape (how many ids): building them cost more than running them.
# Compiled with stand-ins for the ids (`stand_in_ids`), run with the real ones (`with_values`).
_KEPT: dict[tuple[Any, ...], Any] = {}
_KEPT_MAX = 512


def _kept(key: tuple[Any, ...], build: Any, prepare: Any = Prepared.of) -> Any:
    """`build()`'s SQL prepared, kept per database, day and `key`."""
    full = (Person.objects.db, timezone.localdate(), *key)
    prepared = _KEPT.get(full)
    if prepared is None:
        if len(_KEPT) >= _KEPT_MAX or any(kept[1] != full[1] for kept in _KEPT):
            _KEPT.clear()  # yesterday's, or too many shapes
        prepared = _KEPT[full] = prepare(build())
    return prepared


def _within(groups: Iterable[Group]) -> dict[str, tuple[list[Person], int]]:
    """For each team path of a `within` group: the first names, and how many in all (a second
    query only where there are more than the names shown)."""
    found: dict[str, tuple[list[Person], int]] = {}
    for group in groups:
        path = group.within
        if path is None or path in found:
            continue
        assert not group.excluding, "a group of teams excludes nobody"
        members = _signs_in().filter(team__path__startswith=path).only(*NAMED)
        first = list(members[: NAMES_SHOWN + 1])
        count = len(first) if len(first) <= NAMES_SHOWN else members.count()
        found[path] = (first, count)
    return found


# HR's roles as `_hr_roles` reads them: the SQL compiled once a day (it names today) per
# database, and run again (`cadence.prepared`). Nearly every "who can see this" asks for them,
# and building the query cost more than running it (0.9 ms against 0.2 at 10,000 people).
_HR_ROLES: dict[tuple[str, date], Prepared[HRRole]] = {}


def _hr_roles() -> list[HRRole]:
    from access.models import HRRole

    key = (HRRole.objects.db, timezone.localdate())
    prepared = _HR_ROLES.get(key)
    if prepared is None:
        roles = HRRole.objects.select_related("person", "scope")
        _HR_ROLES.clear()  # yesterday's
        prepared = _HR_ROLES[key] = Prepared.of(
            roles.filter(current_q("person__"), person__is_active=True)
        )
    return prepared.run()


def _covers(role: HRRole, path: str) -> bool:
    return role.scope is None or path.startswith(role.scope.path)


def _hr_groups(group: Group, roles: list[HRRole]) -> list[Group]:
    """HR whose scope covers every path of the group, one group per scope (the whole
    organisation first, then by the scope's name)."""
    assert group.covering is not None
    by_scope: dict[int | None, list[HRRole]] = {}
    for role in roles:
        if group.managing and not role.can_manage_people:
            continue
        if role.person_id in group.excluding:
            continue
        if all(_covers(role, path) for path in group.covering):
            by_scope.setdefault(role.scope_id, []).append(role)
    scopes = sorted(by_scope.values(), key=lambda members: _scope_order(members[0]))
    out = []
    for members in scopes:
        people = sorted((role.person for role in members), key=lambda person: person.name)
        out.append(replace(_filled(group, people, len(people)), scope=members[0].scope))
    return out


def _scope_order(role: HRRole) -> tuple[bool, str]:
    return (role.scope is not None, role.scope.name if role.scope is not None else "")


def _filled(group: Group, people: list[Person], count: int) -> Group:
    return replace(group, people=tuple(people), count=count)


def in_words(groups: Sequence[Group], reader: Person | None = None) -> str:
    """The groups in one line of words: "Alice Jansen (whom it is about); Bob Smit (Alice
    Jansen’s manager); HR for Sales: Erin Vos, Hans Bos"."""
    parts = []
    for group in groups:
        label = group.label(reader)
        if group.everyone or group.example:
            parts.append(label)
        elif len(group.people) == 1 and group.count == 1:
            parts.append(f"{group.people[0].name} ({label})")
        else:
            names = ", ".join(person.name for person in group.people)
            more = group.count - len(group.people)
            if more:
                names += " " + str(_("and %(count)s more") % {"count": more})
            parts.append(f"{label}: {names}")
    if not parts:
        return str(_("Nobody"))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


# --- For pages: who can see one item, or any of many -------------------------------------------


@dataclass
class Seen:
    """One line of "who can see this" for a reader: a role and the people in it, over one item
    or the union over many (My data: "who gave it: Bob (3), Dave (1)")."""

    role: str
    label: str  # the role in words, for the reader
    mine: bool  # relative to the reader: "your manager", "you, who gave it"
    everyone: bool
    example: bool  # a role nobody is named in yet (My data's example of a kind)
    people: list[Person]  # named, by name
    items_of: dict[int, int]  # person id -> how many of the items they see
    count: int  # how many people (more than named, for a team and the teams within it)
    items: int  # how many of the items this role sees
    total: int  # of how many items

    @property
    def more(self) -> int:
        """How many are not named."""
        return self.count - len(self.people)

    @property
    def each(self) -> list[tuple[Person, int | None]]:
        """The people, each with their number of items where it is not every item of the line."""
        return [
            (person, None if self.items_of[person.pk] == self.items else self.items_of[person.pk])
            for person in self.people
        ]

    @property
    def partial(self) -> bool:
        """Whether the role sees only some of the items."""
        return self.items < self.total


def seen(
    answers: Sequence[Sequence[Group]],
    reader: Person | None = None,
    *,
    times: int | Sequence[int] = 1,
    words: dict[int, tuple[Any, ...]] | None = None,
) -> list[Seen]:
    """The union of the resolved answers about some items, one line per role (HR one per scope),
    with how many of the items each role and person sees: the reader's own line first, then in
    the order they first come. `times`: each answer stands for that many items with the same
    audience (My data's kinds whose items all share one), as if it were repeated; or, one
    number per answer, for as many items each (My data asks once per audience). `words`: a
    dict to keep each group's words in across calls about answers `resolve` gave together
    (My data's kinds share most of their groups: each is put in words once a page); it must
    not outlive them, as it knows them by `id`."""
    weights = [times] * len(answers) if isinstance(times, int) else list(times)
    assert len(weights) == len(answers), "one number of items per answer"
    total = sum(weights)
    lines: dict[tuple[Any, ...], Seen] = {}
    # Items share their groups (`resolve` works each out once): their words, too.
    keys: dict[int, tuple[Any, ...]] = {} if words is None else words
    for answer, weight in zip(answers, weights, strict=True):
        counted: set[tuple[Any, ...]] = set()
        people_counted: set[tuple[tuple[Any, ...], int]] = set()
        for group in answer:
            # One line per role as the reader reads it: the givers of many items are one line.
            key = keys.get(id(group))
            if key is None:
                scope = group.scope.pk if group.scope is not None else None
                label = group.label(reader)
                key = keys[id(group)] = (group.role, label, scope, group.everyone, group.example)
            label = key[1]
            line = lines.get(key)
            if line is None:
                line = lines[key] = Seen(
                    role=group.role,
                    label=label,
                    mine=group.is_mine(reader),
                    everyone=group.everyone,
                    example=group.example,
                    people=[],
                    items_of={},
                    count=0,
                    items=0,
                    total=total,
                )
            if key not in counted:
                counted.add(key)
                line.items += weight
            for person in group.people:
                pk = person.pk
                if (key, pk) in people_counted:
                    continue
                people_counted.add((key, pk))
                if pk not in line.items_of:
                    line.people.append(person)
                    line.items_of[pk] = 0
                line.items_of[pk] += weight
            line.count = max(line.count, len(line.people), group.count)
    for line in lines.values():
        line.people.sort(key=lambda person: person.name)
    # The reader's own line first ("you"), then the others in the rule's order.
    reader_id = reader.pk if reader is not None else None
    return sorted(
        lines.values(),
        key=lambda line: len(line.people) != 1 or line.people[0].pk != reader_id,
    )


@dataclass
class WhoSees:
    """Who can see one item, or any of many, for a reader: what the include
    `cadence/who_sees.html` shows, on every item page and My data alike."""

    lines: list[Seen]
    reader: Person | None

    @property
    def only_reader(self) -> bool:
        return self.reader is not None and only(self.lines, self.reader)


def who_sees(
    answers: Sequence[Sequence[Group]],
    reader: Person | None,
    *,
    times: int | Sequence[int] = 1,
    words: dict[int, tuple[Any, ...]] | None = None,
) -> WhoSees:
    return WhoSees(seen(answers, reader, times=times, words=words), reader)


def only(lines: Sequence[Seen], person: Person) -> bool:
    """Whether the lines name this person alone (nobody else can see it)."""
    return bool(lines) and all(
        not line.everyone and not line.example and [p.pk for p in line.people] == [person.pk]
        for line in lines
    )
