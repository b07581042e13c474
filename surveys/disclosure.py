"""Which groups of a survey round's respondents may be reported, so that no answer of anyone,
and no figure of fewer than `k` people, can be worked out from what is shown.

Every figure a survey shows of a group — a mean, an index, eNPS, how many chose each option,
participation — is a sum over its respondents (divided by a count that is shown too). From the
figures of several groups, a reader can compute any sum over a combination of those groups:
a team minus one of its sub-teams, a team minus its filtered part (team × tenure), the whole
minus the teams shown. A group is safe to show only together with the others, never alone.

The rule, one for every page, filter, comparison, API route and export: the groups released
for a round split its respondents into *atoms* — people who are in exactly the same released
groups. Any sum the released figures can yield is the same for everyone in one atom and nothing
for anyone outside them all, so whatever can be worked out stands for a whole number of
atoms. Every atom of at least `k` people, then, means that nothing can be worked out about
fewer than `k`. That one condition holds all the guards at once:

1. a group of fewer than `k` is never released (it would be an atom of its own, or split one);
2. complementary suppression: once a team is shown, a sub-team is shown only if the rest of
   the team is at least `k` too (else the rest would be an atom below `k`);
3. two groups whose difference is below `k` are never both shown;
4. combinations (team × tenure band × …) are candidates like any group, held to the same atoms.

`release` decides once, for every candidate group a round could show to anyone (computed when
the round closes, with the round's threshold, fixed when it opened); every reader is then
shown a subset of it, and a subset of a safe release is safe (its atoms are unions of the
release's). Rounds are separate: a person's answers in two rounds are different values, and
the groups they count in are frozen when a round opens.

The order of the candidates is their priority: the greedy pass keeps a candidate if it leaves
every atom at 0 or at least `k`, so put what matters most first (the whole round, then
teams from the top down, then combinations). Sufficient, not minimal: it may hide a figure
that could not in fact be worked out, never the other way round.

A closed question's split (how many gave each value of a scale, of eNPS, each option of a
single choice) needs more than sums over k people: a count that is all of a set of people
anyone can delimit tells each of them what they answered. `release_answers` chooses, among
the released groups, those whose split may be shown: in every atom of them, each answer given
by nobody or by at least `k`, with at least `k` giving another (docs/anonymity.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

MINIMUM_K = 3


@dataclass(frozen=True)
class Candidate:
    """A group a round could report: `key` names it (a team, a team and a tenure band), and
    `members` are the respondents in it (each a response's id or index)."""

    key: Hashable
    members: frozenset[int]


def release(candidates: Iterable[Candidate], k: int) -> list[Candidate]:
    """The candidates that may be shown together, in their order: each kept while every atom of
    the respondents (people in the same kept groups) has none or at least `k` people."""
    if k < MINIMUM_K:
        raise ValueError(f"the threshold must be at least {MINIMUM_K}")
    atom_of: dict[int, int] = {}  # respondent -> the id of their atom (absent: in no group)
    size: dict[int, int] = {}  # atom id -> its number of people
    next_atom = 0
    kept: list[Candidate] = []
    for candidate in candidates:
        members = candidate.members
        if len(members) < k:
            continue
        # How many members fall in each atom (None: in no released group yet).
        inside: dict[int | None, int] = {}
        for person in members:
            atom = atom_of.get(person)
            inside[atom] = inside.get(atom, 0) + 1
        splits_badly = any(
            count < k or (atom is not None and 0 < size[atom] - count < k)
            for atom, count in inside.items()
        )
        if splits_badly:
            continue
        kept.append(candidate)
        # Each atom the group touches splits into its part inside and its part outside.
        new_id: dict[int | None, int] = {}
        for atom, count in inside.items():
            if atom is not None and count == size[atom]:
                continue  # wholly inside: the atom stays as it is
            new_id[atom] = next_atom
            size[next_atom] = count
            if atom is not None:
                size[atom] -= count
            next_atom += 1
        for person in members:
            atom = atom_of.get(person)
            if atom in new_id:
                atom_of[person] = new_id[atom]
    return kept


def release_answers(
    groups: Iterable[Candidate], answers: Mapping[int, Hashable], k: int
) -> list[Candidate]:
    """Of groups released together (`release`), those whose split of one closed question's
    answers — how many gave each answer — may be shown together, in their order.

    A count per answer is a sum too (of "gave this answer": 1 or 0), so the atoms keep any one
    person's from being worked out as a number; but a 1 or a 0 is all it can be, and a count
    that is the whole of a set of people anyone can delimit (everyone in it gave it) tells
    each of them what they answered. So each group is kept only while, in every atom of the
    kept groups' respondents (`answers`: respondent -> their answer; those without one are
    left out), every answer was given by nobody or by at least `k` people, and at least `k`
    people there gave another. Any set of people the figures delimit is a union of atoms, so
    the same holds for it: whatever one reads or subtracts, each answer anyone gave stands
    among at least `k` who gave it and `k` who did not."""
    if k < MINIMUM_K:
        raise ValueError(f"the threshold must be at least {MINIMUM_K}")
    atom_of: dict[int, int] = {}
    counts: dict[int, Counter[Hashable]] = {}  # atom -> how many gave each answer
    next_atom = 0
    kept: list[Candidate] = []

    def fine(tally: Counter[Hashable]) -> bool:
        size = sum(tally.values())
        return all(count == 0 or (count >= k and size - count >= k) for count in tally.values())

    for group in groups:
        inside: dict[int | None, Counter[Hashable]] = {}
        for person in group.members:
            if person in answers:
                atom = atom_of.get(person)
                tally = inside.get(atom)
                if tally is None:  # not a Counter made for every person only to be dropped
                    tally = inside[atom] = Counter()
                tally[answers[person]] += 1
        parts: dict[int | None, tuple[Counter[Hashable], Counter[Hashable]]] = {}
        for atom, tally in inside.items():
            outside = counts[atom] - tally if atom is not None else Counter()
            if atom is not None and not outside:
                continue  # wholly inside: the atom stays as it is
            parts[atom] = (tally, outside)
        if not all(fine(tally) and fine(outside) for tally, outside in parts.values()):
            continue
        kept.append(group)
        new_id: dict[int | None, int] = {}
        for atom, (tally, outside) in parts.items():
            new_id[atom] = next_atom
            counts[next_atom] = tally
            if atom is not None:
                counts[atom] = outside
            next_atom += 1
        for person in group.members:
            atom = atom_of.get(person)
            if person in answers and atom in new_id:
                atom_of[person] = new_id[atom]
    return kept


def atoms(groups: Iterable[frozenset[int]]) -> list[frozenset[int]]:
    """The atoms the groups make of their members: people in exactly the same groups."""
    found: dict[frozenset[int], set[int]] = {}
    listed = list(groups)
    for person in set().union(*listed) if listed else set():
        signature = frozenset(i for i, group in enumerate(listed) if person in group)
        found.setdefault(signature, set()).add(person)
    return [frozenset(atom) for atom in found.values()]
