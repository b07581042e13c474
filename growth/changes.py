"""What a new version of the framework changes against the current one, for the preview HR
reads before publishing, and where each competency's ratings go (`CarryOver`).

Per competency of the current version, its successors are the new competency with the same key
and those that name it in `replaces`:

- none: retired (its ratings stay with the version they were made in);
- two or more: split (each successor takes its ratings over);
- one, which has other predecessors too: merged;
- one with the same key and name: carried over (`changed` when its text or behaviours differ);
- one otherwise (a new name, or a new key that replaces it alone): renamed.

A new competency without predecessors was added.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from growth.document import Competency, Document, Profile, Track
from growth.models import CarryOver

Kind = CarryOver.Kind


@dataclass(frozen=True)
class Carry:
    source: str  # key in the current version
    target: str  # key in the new one
    kind: str  # a `CarryOver.Kind`


@dataclass(frozen=True)
class ProfileChange:
    track: str  # the track's name
    level: int
    title: str
    kind: str  # "added", "removed" or "changed"
    # (competency name, expected before, expected now), None where not expected
    expectations: tuple[tuple[str, int | None, int | None], ...] = ()
    retitled: bool = False


@dataclass
class Changes:
    first: bool  # no version yet: everything is new
    levels: list[tuple[int, str, str]] = field(default_factory=list)  # (number, was, now)
    added: list[Competency] = field(default_factory=list)
    changed: list[Competency] = field(default_factory=list)
    renamed: list[tuple[Competency, Competency]] = field(default_factory=list)
    merged: list[tuple[list[Competency], Competency]] = field(default_factory=list)
    split: list[tuple[Competency, list[Competency]]] = field(default_factory=list)
    retired: list[Competency] = field(default_factory=list)
    tracks_added: list[Track] = field(default_factory=list)
    tracks_removed: list[Track] = field(default_factory=list)
    tracks_changed: list[Track] = field(default_factory=list)  # name, description or roles
    profiles: list[ProfileChange] = field(default_factory=list)
    reordered: bool = False
    carries: list[Carry] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return self.first or any(
            (
                self.levels,
                self.added,
                self.changed,
                self.renamed,
                self.merged,
                self.split,
                self.retired,
                self.tracks_added,
                self.tracks_removed,
                self.tracks_changed,
                self.profiles,
                self.reordered,
            )
        )

    def counts(self) -> dict[str, int]:
        """How many of each, for the audit log."""
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "renamed": len(self.renamed),
            "merged": len(self.merged),
            "split": len(self.split),
            "retired": len(self.retired),
            "profiles": len(self.profiles),
        }


def compare(current: Document | None, new: Document) -> Changes:
    if current is None:
        return Changes(first=True, added=list(new.competencies), tracks_added=list(new.tracks))
    changes = Changes(first=False)
    _levels(current, new, changes)
    _competencies(current, new, changes)
    _tracks(current, new, changes)
    return changes


def _levels(current: Document, new: Document, changes: Changes) -> None:
    was = {level.number: level for level in current.levels}
    now = {level.number: level for level in new.levels}
    for number in sorted(set(was) | set(now)):
        before, after = was.get(number), now.get(number)
        if before != after:
            changes.levels.append(
                (number, before.name if before else "", after.name if after else "")
            )


def _competencies(current: Document, new: Document, changes: Changes) -> None:
    successors: dict[str, list[Competency]] = defaultdict(list)
    for competency in new.competencies:
        if current.competency(competency.key) is not None:
            successors[competency.key].append(competency)
        for key in competency.replaces:
            if competency not in successors[key]:
                successors[key].append(competency)
    predecessors: dict[str, list[Competency]] = defaultdict(list)
    for old in current.competencies:
        for successor in successors[old.key]:
            predecessors[successor.key].append(old)

    merged_into: set[str] = set()
    for old in current.competencies:
        after = successors[old.key]
        if not after:
            changes.retired.append(old)
            continue
        if len(after) > 1:
            changes.split.append((old, after))
            changes.carries += [Carry(old.key, c.key, Kind.SPLIT) for c in after]
            continue
        successor = after[0]
        if len(predecessors[successor.key]) > 1:
            changes.carries.append(Carry(old.key, successor.key, Kind.MERGED))
            if successor.key not in merged_into:
                merged_into.add(successor.key)
                changes.merged.append((predecessors[successor.key], successor))
        elif successor.key == old.key and successor.name == old.name:
            changes.carries.append(Carry(old.key, successor.key, Kind.SAME))
            if successor.without_replaces() != old:
                changes.changed.append(successor)
        else:
            changes.carries.append(Carry(old.key, successor.key, Kind.RENAMED))
            changes.renamed.append((old, successor))
    changes.added = [c for c in new.competencies if not predecessors[c.key]]
    kept = [key for key in new.keys if key in current.keys]
    changes.reordered = kept != [key for key in current.keys if key in new.keys]


def _tracks(current: Document, new: Document, changes: Changes) -> None:
    names = {c.key: c.name for c in (*current.competencies, *new.competencies)}
    was = {track.key: track for track in current.tracks}
    now = {track.key: track for track in new.tracks}
    changes.tracks_added = [track for key, track in now.items() if key not in was]
    changes.tracks_removed = [track for key, track in was.items() if key not in now]
    for key, after in now.items():
        before = was.get(key)
        if before is None:
            continue
        if (before.name, before.description, before.roles) != (
            after.name,
            after.description,
            after.roles,
        ):
            changes.tracks_changed.append(after)
        old_profiles = {p.level: p for p in before.profiles}
        new_profiles = {p.level: p for p in after.profiles}
        for level in sorted(set(old_profiles) | set(new_profiles)):
            change = _profile(after.name, old_profiles.get(level), new_profiles.get(level), names)
            if change is not None:
                changes.profiles.append(change)


def _profile(
    track: str, before: Profile | None, after: Profile | None, names: dict[str, str]
) -> ProfileChange | None:
    if before == after:
        return None
    if before is None or after is None:
        profile = after or before
        assert profile is not None
        kind = "added" if before is None else "removed"
        return ProfileChange(track, profile.level, profile.title, kind)
    was, now = before.expected, after.expected
    keys = [key for key, _level in after.expects] + [key for key in was if key not in now]
    expectations = tuple(
        (names.get(key, key), was.get(key), now.get(key))
        for key in keys
        if was.get(key) != now.get(key)
    )
    retitled = (before.title, before.summary) != (after.title, after.summary)
    return ProfileChange(track, after.level, after.title, "changed", expectations, retitled)
