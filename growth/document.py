"""The competency framework as a readable text file (YAML), and back.

`read(text, previous)` parses and checks a file: a `Document`, or the `Problem`s it has, each
with its line and the field it is about ("competencies › communication › name"). `write(doc)`
is the file of a document: reading what it writes gives the same document (a round-trip), so
that a framework can live in version control. The format is described in docs/growth-framework.md.

The file is read with `yaml.safe_load` only (plain data: no tags, no objects), and with neither
anchors nor aliases (a small file must not expand to a huge one); its node tree
(`yaml.compose`) gives each problem its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.translation import gettext as _

FORMAT = "cadence-framework/1"
MAX_BYTES = 256 * 1024
MIN_LEVELS, MAX_LEVELS = 2, 9
MAX_COMPETENCIES = 60
MAX_TRACKS = 10
MAX_PROFILES = 20  # per track
MAX_EXAMPLES = 10
MAX_PERSON_LEVEL = 99  # a role profile's level is a `Person.level`
LEVEL_NAME, NAME, KEY, CATEGORY, ROLE = 60, 120, 50, 40, 120
TEXT, EXAMPLE = 2000, 500
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


# --- The document -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    description: str = ""


@dataclass(frozen=True)
class Behaviour:
    level: int
    description: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Competency:
    key: str
    name: str
    category: str
    description: str = ""
    behaviours: tuple[Behaviour, ...] = ()
    # Keys of the version before whose ratings this one takes over (merged or split). Only a
    # file being imported has them: they describe a change, not the framework.
    replaces: tuple[str, ...] = ()

    def without_replaces(self) -> Competency:
        return Competency(self.key, self.name, self.category, self.description, self.behaviours)


@dataclass(frozen=True)
class Profile:
    level: int  # the `Person.level` of the people it describes
    title: str
    summary: str = ""
    expects: tuple[tuple[str, int], ...] = ()  # (competency key, proficiency), in framework order

    @property
    def expected(self) -> dict[str, int]:
        return dict(self.expects)


@dataclass(frozen=True)
class Track:
    key: str
    name: str
    description: str = ""
    roles: tuple[str, ...] = ()  # job roles by name, sorted
    profiles: tuple[Profile, ...] = ()  # by level


@dataclass(frozen=True)
class Document:
    levels: tuple[Level, ...]
    competencies: tuple[Competency, ...]
    tracks: tuple[Track, ...] = ()

    def competency(self, key: str) -> Competency | None:
        return next((c for c in self.competencies if c.key == key), None)

    @property
    def keys(self) -> list[str]:
        return [competency.key for competency in self.competencies]

    def without_replaces(self) -> Document:
        """The framework itself, without what the file said about the version before."""
        return Document(
            self.levels, tuple(c.without_replaces() for c in self.competencies), self.tracks
        )


# --- Problems -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    line: int | None  # 1-based; None when it is about the file as a whole
    where: str  # the field, as a path of names: "competencies › communication › name"
    message: str

    def __str__(self) -> str:
        place = _("Line %(line)s") % {"line": self.line} if self.line else _("The file")
        if self.where:
            place = f"{place}, {self.where}"
        return f"{place}: {self.message}"


@dataclass(frozen=True)
class At:
    """Where in the file: the path of keys and indexes, and the same in readable names."""

    path: tuple[str | int, ...] = ()
    names: tuple[str, ...] = ()

    def field(self, name: str) -> At:
        return At((*self.path, name), (*self.names, name))

    def item(self, index: int, name: str = "") -> At:
        return At((*self.path, index), (*self.names, name or f"#{index + 1}"))


class Invalid(Exception):
    """The file has problems: nothing of it may be published."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


# --- Reading ------------------------------------------------------------------------------------


def read(text: str, previous: Document | None = None) -> Document:
    """The document in `text`, checked; `previous` (the current version) is what `replaces`
    may name. Raises `Invalid` with every problem found, in the order of the file."""
    if len(text.encode()) > MAX_BYTES:
        raise Invalid([Problem(None, "", _("The file is larger than 256 KB."))])
    if "\x00" in text:
        raise Invalid([Problem(None, "", _("The file holds null characters: is it text?"))])
    try:
        node = _compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        message = _("This is not valid YAML (%(problem)s).") % {"problem": problem}
        raise Invalid([Problem(line, "", message)]) from None
    except _AliasFound as found:
        message = _("Anchors and aliases (& and *) are not supported: write each value out.")
        raise Invalid([Problem(found.line, "", message)]) from None
    reader = _Reader(node, previous)
    document = reader.document(data)
    if reader.problems or document is None:
        raise Invalid(sorted(reader.problems, key=lambda p: p.line or 0))
    return document


class _AliasFound(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _compose(text: str) -> yaml.Node | None:
    """The file's node tree (for lines), refusing anchors and aliases before anything is
    built from it."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise _AliasFound(mark.line + 1 if mark is not None else 1)
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _node_at(root: yaml.Node | None, path: tuple[str | int, ...]) -> yaml.Node | None:
    """The deepest node of the tree along `path`."""
    node = root
    for step in path:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(step):
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step >= 0:
            child = node.value[step] if step < len(node.value) else None
        if child is None:
            break
        node = child
    return node


class _Reader:
    def __init__(self, root: yaml.Node | None, previous: Document | None) -> None:
        self.root = root
        self.previous = previous
        self.problems: list[Problem] = []

    # Problems and plain values

    def problem(self, at: At, message: str) -> None:
        node = _node_at(self.root, at.path)
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(line, " › ".join(at.names), message))

    def mapping(self, value: Any, at: At, fields: tuple[str, ...]) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(at, _("Expected fields (name: value) here."))
            return None
        for name in value:
            if name not in fields:
                allowed = ", ".join(fields)
                self.problem(
                    at.field(str(name)),
                    _("Unknown field “%(name)s” (expected: %(allowed)s).")
                    % {"name": name, "allowed": allowed},
                )
        return value

    def listed(self, value: Any, at: At, *, most: int, least: int = 0) -> list[Any]:
        if value is None and least == 0:
            return []
        if not isinstance(value, list):
            self.problem(at, _("Expected a list here (lines starting with “- ”)."))
            return []
        if len(value) < least:
            self.problem(at, _("List at least %(count)s.") % {"count": least})
        if len(value) > most:
            self.problem(at, _("At most %(count)s are allowed.") % {"count": most})
            return value[:most]
        return value

    def text(
        self, data: Mapping[str, Any], name: str, at: At, *, most: int, required: bool = True
    ) -> str:
        value = data.get(name)
        if value is None or value == "":
            if required:
                self.problem(at.field(name), _("This is missing: write %(name)s.") % {"name": name})
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(at.field(name), _("Expected text here."))
            return ""
        text = str(value).strip()
        if len(text) > most:
            self.problem(at.field(name), _("At most %(count)s characters.") % {"count": most})
        return text

    def number(self, data: Mapping[str, Any], name: str, at: At, low: int, high: int) -> int | None:
        value = data.get(name)
        if value is None:
            self.problem(at.field(name), _("This is missing: write %(name)s.") % {"name": name})
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(
                at.field(name),
                _("Expected a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
            )
            return None
        return value

    def key(self, data: Mapping[str, Any], at: At) -> str:
        key = self.text(data, "key", at, most=KEY)
        if key and not KEY_PATTERN.match(key):
            self.problem(
                at.field("key"),
                _("A key is lower-case letters and digits, joined by - or _ (“problem-solving”)."),
            )
        return key

    # The document

    def document(self, data: Any) -> Document | None:
        top = At()
        if data is None:
            self.problem(top, _("The file is empty."))
            return None
        data = self.mapping(data, top, ("format", "levels", "competencies", "tracks"))
        if data is None:
            return None
        if "format" in data and data["format"] != FORMAT:
            self.problem(
                top.field("format"),
                _("This file is in another format: “%(format)s” is read.") % {"format": FORMAT},
            )
        levels = self.levels(data.get("levels"), top.field("levels"))
        competencies = self.competencies(
            data.get("competencies"), top.field("competencies"), len(levels)
        )
        keys = {competency.key for competency in competencies}
        tracks = self.tracks(data.get("tracks"), top.field("tracks"), keys, len(levels))
        order = {competency.key: index for index, competency in enumerate(competencies)}
        tracks = [
            Track(
                t.key,
                t.name,
                t.description,
                t.roles,
                tuple(
                    Profile(
                        p.level,
                        p.title,
                        p.summary,
                        tuple(sorted(p.expects, key=lambda pair: order.get(pair[0], 0))),
                    )
                    for p in t.profiles
                ),
            )
            for t in tracks
        ]
        return Document(tuple(levels), tuple(competencies), tuple(tracks))

    def levels(self, value: Any, at: At) -> list[Level]:
        if value is None:
            self.problem(at, _("List the proficiency levels, from the first up."))
            return []
        levels = []
        for index, item in enumerate(self.listed(value, at, most=MAX_LEVELS, least=MIN_LEVELS)):
            here = at.item(index)
            data = self.mapping(item, here, ("level", "name", "description"))
            if data is None:
                continue
            number = self.number(data, "level", here, 1, MAX_LEVELS)
            if number is not None and number != index + 1:
                self.problem(
                    here.field("level"),
                    _("Levels are numbered 1, 2, 3… in order: this one is %(number)s.")
                    % {"number": index + 1},
                )
            name = self.text(data, "name", here, most=LEVEL_NAME)
            description = self.text(data, "description", here, most=TEXT, required=False)
            levels.append(Level(index + 1, name, description))
        return levels

    def competencies(self, value: Any, at: At, levels: int) -> list[Competency]:
        if value is None:
            self.problem(at, _("List the competencies."))
            return []
        found: list[Competency] = []
        seen_keys: set[str] = set()
        seen_names: set[str] = set()
        fields = ("key", "name", "category", "description", "replaces", "behaviours")
        for index, item in enumerate(self.listed(value, at, most=MAX_COMPETENCIES, least=1)):
            label = str(item.get("key") or "") if isinstance(item, dict) else ""
            here = at.item(index, label)
            data = self.mapping(item, here, fields)
            if data is None:
                continue
            key = self.key(data, here)
            if key in seen_keys:
                self.problem(
                    here.field("key"),
                    _("The key “%(key)s” is used twice: each competency has its own.")
                    % {"key": key},
                )
            seen_keys.add(key)
            name = self.text(data, "name", here, most=NAME)
            if name and name.casefold() in seen_names:
                self.problem(
                    here.field("name"),
                    _("Two competencies are named “%(name)s”.") % {"name": name},
                )
            seen_names.add(name.casefold())
            category = self.text(data, "category", here, most=CATEGORY)
            description = self.text(data, "description", here, most=TEXT, required=False)
            behaviours = self.behaviours(data.get("behaviours"), here.field("behaviours"), levels)
            replaces = self.replaces(data.get("replaces"), here.field("replaces"), key)
            found.append(Competency(key, name, category, description, behaviours, replaces))
        return found

    def behaviours(self, value: Any, at: At, levels: int) -> tuple[Behaviour, ...]:
        if value is None:
            self.problem(at, _("Describe the behaviour at each level (behaviours)."))
            return ()
        found: dict[int, Behaviour] = {}
        for index, item in enumerate(self.listed(value, at, most=MAX_LEVELS)):
            label = f"level {item.get('level')}" if isinstance(item, dict) else ""
            here = at.item(index, label)
            data = self.mapping(item, here, ("level", "description", "examples"))
            if data is None:
                continue
            number = self.number(data, "level", here, 1, max(levels, 1))
            description = self.text(data, "description", here, most=TEXT)
            examples = self.examples(data.get("examples"), here.field("examples"))
            if number is None:
                continue
            if number in found:
                self.problem(
                    here.field("level"),
                    _("Level %(number)s is described twice.") % {"number": number},
                )
            found[number] = Behaviour(number, description, examples)
        missing = [str(number) for number in range(1, levels + 1) if number not in found]
        if missing and levels:
            self.problem(
                at,
                _("Describe every level; missing: %(levels)s.") % {"levels": ", ".join(missing)},
            )
        return tuple(found[number] for number in sorted(found))

    def examples(self, value: Any, at: At) -> tuple[str, ...]:
        examples = []
        for index, item in enumerate(self.listed(value, at, most=MAX_EXAMPLES)):
            if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item):
                self.problem(at.item(index), _("Expected text here."))
                continue
            example = str(item).strip()
            if len(example) > EXAMPLE:
                self.problem(
                    at.item(index), _("At most %(count)s characters.") % {"count": EXAMPLE}
                )
            examples.append(example)
        return tuple(examples)

    def replaces(self, value: Any, at: At, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        keys: list[str] = []
        known = set(self.previous.keys) if self.previous else set()
        for index, item in enumerate(self.listed(value, at, most=MAX_COMPETENCIES)):
            here = at.item(index, str(item))
            if not isinstance(item, str):
                self.problem(here, _("Expected a competency's key here."))
            elif item == key:
                self.problem(here, _("A competency cannot replace itself: leave its key out."))
            elif self.previous is None:
                self.problem(
                    here, _("There is no published version yet: there is nothing to replace.")
                )
            elif item not in known:
                self.problem(
                    here,
                    _("“%(key)s” is not a competency of the current version.") % {"key": item},
                )
            elif item in keys:
                self.problem(here, _("“%(key)s” is listed twice.") % {"key": item})
            else:
                keys.append(item)
        return tuple(keys)

    def tracks(self, value: Any, at: At, keys: set[str], levels: int) -> list[Track]:
        found: list[Track] = []
        seen_keys: set[str] = set()
        role_track: dict[str, str] = {}
        fields = ("key", "name", "description", "roles", "profiles")
        for index, item in enumerate(self.listed(value, at, most=MAX_TRACKS)):
            label = str(item.get("key") or "") if isinstance(item, dict) else ""
            here = at.item(index, label)
            data = self.mapping(item, here, fields)
            if data is None:
                continue
            key = self.key(data, here)
            if key in seen_keys:
                self.problem(
                    here.field("key"),
                    _("The key “%(key)s” is used twice: each track has its own.") % {"key": key},
                )
            seen_keys.add(key)
            name = self.text(data, "name", here, most=NAME)
            description = self.text(data, "description", here, most=TEXT, required=False)
            roles = self.roles(data.get("roles"), here.field("roles"), name, role_track)
            profiles = self.profiles(data.get("profiles"), here.field("profiles"), keys, levels)
            found.append(Track(key, name, description, roles, profiles))
        return found

    def roles(self, value: Any, at: At, track: str, taken: dict[str, str]) -> tuple[str, ...]:
        roles: set[str] = set()
        for index, item in enumerate(self.listed(value, at, most=500)):
            here = at.item(index, str(item))
            if isinstance(item, bool) or not isinstance(item, str) or not item.strip():
                self.problem(here, _("Expected a job role's name here."))
                continue
            role = item.strip()
            if len(role) > ROLE:
                self.problem(here, _("At most %(count)s characters.") % {"count": ROLE})
            elif role in taken:
                self.problem(
                    here,
                    _("The role “%(role)s” is already on the track “%(track)s”: a role climbs one.")
                    % {"role": role, "track": taken[role]},
                )
            else:
                taken[role] = track
                roles.add(role)
        return tuple(sorted(roles))

    def profiles(self, value: Any, at: At, keys: set[str], levels: int) -> tuple[Profile, ...]:
        found: dict[int, Profile] = {}
        for index, item in enumerate(self.listed(value, at, most=MAX_PROFILES)):
            label = f"level {item.get('level')}" if isinstance(item, dict) else ""
            here = at.item(index, label)
            data = self.mapping(item, here, ("level", "title", "summary", "expects"))
            if data is None:
                continue
            number = self.number(data, "level", here, 1, MAX_PERSON_LEVEL)
            title = self.text(data, "title", here, most=NAME)
            summary = self.text(data, "summary", here, most=TEXT, required=False)
            expects = self.expects(data.get("expects"), here.field("expects"), keys, levels)
            if number is None:
                continue
            if number in found:
                self.problem(
                    here.field("level"),
                    _("This track has two profiles for level %(number)s.") % {"number": number},
                )
            found[number] = Profile(number, title, summary, expects)
        return tuple(found[number] for number in sorted(found))

    def expects(
        self, value: Any, at: At, keys: set[str], levels: int
    ) -> tuple[tuple[str, int], ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.problem(at, _("Expected competency keys with a level each (“communication: 2”)."))
            return ()
        pairs = []
        for key, level in value.items():
            here = at.field(str(key))
            if not isinstance(key, str) or key not in keys:
                self.problem(
                    here, _("“%(key)s” is not a competency of this framework.") % {"key": key}
                )
            elif isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= levels:
                self.problem(
                    here,
                    _("Expected a proficiency level from 1 to %(high)s.") % {"high": levels},
                )
            else:
                pairs.append((key, level))
        return tuple(pairs)


# --- Writing ------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with text over several lines written as a block (readable in a diff)."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)

HEADER = (
    "# A Cadence competency framework: proficiency levels, competencies with their behaviours,\n"
    "# and career tracks with a role profile per level. Import it under Growth › Framework.\n"
    "# The format is described in docs/growth-framework.md.\n"
)


def as_data(document: Document) -> dict[str, Any]:
    """The document as plain data, in the order the file shows it; empty optional fields left
    out."""

    def some(**fields: Any) -> dict[str, Any]:
        return {name: value for name, value in fields.items() if value not in ("", (), [], None)}

    return {
        "format": FORMAT,
        "levels": [
            some(level=level.number, name=level.name, description=level.description)
            for level in document.levels
        ],
        "competencies": [
            some(
                key=c.key,
                name=c.name,
                category=c.category,
                description=c.description,
                replaces=list(c.replaces),
                behaviours=[
                    some(level=b.level, description=b.description, examples=list(b.examples))
                    for b in c.behaviours
                ],
            )
            for c in document.competencies
        ],
        "tracks": [
            {
                **some(key=t.key, name=t.name, description=t.description),
                "roles": list(t.roles),
                "profiles": [
                    {
                        **some(level=p.level, title=p.title, summary=p.summary),
                        "expects": dict(p.expects),
                    }
                    for p in t.profiles
                ],
            }
            for t in document.tracks
        ],
    }


def write(document: Document) -> str:
    """The file of `document`: `read(write(document))` is `document` again."""
    body = yaml.dump(
        as_data(document),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,  # a line per value: readable in a diff
    )
    return HEADER + body


def iter_problems(error: Invalid) -> Iterator[str]:
    for problem in error.problems:
        yield str(problem)
