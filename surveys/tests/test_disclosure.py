"""The release of a round's groups: nothing about fewer than k respondents can be worked out
from the figures of the groups released, whatever they are; checked against exact linear
algebra (is a small group's sum a combination of the released groups' sums?), independently of
how `release` reasons (atoms)."""

from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.disclosure import Candidate, atoms, release, release_answers


def group(key, *members):
    return Candidate(key, frozenset(members))


def keys(released):
    return [candidate.key for candidate in released]


def rank(rows):
    """The rank of a matrix of Fractions, by Gaussian elimination."""
    rows = [list(row) for row in rows]
    found = 0
    width = len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(found, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[found], rows[pivot] = rows[pivot], rows[found]
        for r in range(len(rows)):
            if r != found and rows[r][column] != 0:
                factor = rows[r][column] / rows[found][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[found], strict=True)]
        found += 1
    return found


def indicator(members, n):
    return [Fraction(1 if person in members else 0) for person in range(n)]


def derivable(released, members, n):
    """Can the sum over `members` be computed from the released groups' sums?"""
    rows = [indicator(candidate.members, n) for candidate in released]
    if not rows:
        return False
    return rank([*rows, indicator(members, n)]) == rank(rows)


def test_a_group_below_the_threshold_is_hidden():
    assert keys(release([group("all", *range(12)), group("small", 0, 1, 2, 3)], k=5)) == ["all"]


def test_a_sub_team_is_hidden_when_the_rest_of_its_team_would_be_too_small():
    """Complementary suppression: the team of 8 is shown, so its sub-team of 5 is not (8 − 5 =
    3 people's answers); a sub-team of 3 is hidden, and with it its sibling of 5."""
    team = group("team", *range(8))
    five = group("five", *range(5))
    three = group("three", 5, 6, 7)
    assert keys(release([team, five, three], k=5)) == ["team"]


def test_two_groups_whose_difference_is_small_are_not_both_shown():
    """A team and the same team without one person: both are large, their difference is one."""
    released = release([group("team", *range(10)), group("team minus one", *range(9))], k=5)
    assert keys(released) == ["team"]


def test_combinations_are_held_to_the_same_rule():
    """Team × tenure: the newcomers (6) are shown with the team (12), the long-serving part is
    then the other 6; a band of 2 is not, and it stops its complement in the team too."""
    team = group("team", *range(12))
    new = group(("team", "< 1 year"), *range(6))
    senior = group(("team", "> 5 years"), 10, 11)
    assert keys(release([team, new, senior], k=5)) == ["team", ("team", "< 1 year")]


def test_siblings_large_enough_are_all_shown():
    whole = group("all", *range(30))
    teams = [group(f"team {i}", *range(10 * i, 10 * i + 10)) for i in range(3)]
    assert keys(release([whole, *teams], k=5)) == ["all", "team 0", "team 1", "team 2"]


def test_the_threshold_has_a_floor():
    with pytest.raises(ValueError, match="at least 3"):
        release([group("all", *range(10))], k=2)


def test_atoms_are_people_in_the_same_groups():
    found = atoms([frozenset({0, 1, 2, 3}), frozenset({2, 3, 4})])
    assert sorted(sorted(atom) for atom in found) == [[0, 1], [2, 3], [4]]


respondents = st.integers(min_value=4, max_value=9)


@st.composite
def rounds(draw):
    n = draw(respondents)
    people = list(range(n))
    candidates = draw(
        st.lists(
            st.frozensets(st.sampled_from(people), min_size=1),
            min_size=1,
            max_size=7,
        )
    )
    k = draw(st.integers(min_value=3, max_value=4))
    return n, [Candidate(i, members) for i, members in enumerate(candidates)], k


@settings(max_examples=150, deadline=None)
@given(rounds())
def test_nothing_about_fewer_than_k_people_can_be_worked_out(case):
    """For any candidates, no sum over fewer than k respondents — one person's answer, or a
    small group's — is a linear combination of the released groups' sums."""
    n, candidates, k = case
    released = release(candidates, k)
    for size in range(1, k):
        for members in combinations(range(n), size):
            assert not derivable(released, set(members), n), (members, keys(released))


@settings(max_examples=150, deadline=None)
@given(rounds())
def test_what_is_released_keeps_its_order_and_every_atom_is_large(case):
    _n, candidates, k = case
    released = release(candidates, k)
    assert keys(released) == [c.key for c in candidates if c in released]
    assert all(len(atom) >= k for atom in atoms([c.members for c in released]))


@settings(max_examples=100, deadline=None)
@given(rounds())
def test_any_part_of_a_release_is_safe_too(case):
    """Each reader sees part of the release (their scope, their filters): still nothing small."""
    n, candidates, k = case
    released = release(candidates, k)
    part = released[::2]
    for size in range(1, k):
        for members in combinations(range(n), size):
            assert not derivable(part, set(members), n)


# --- How a single choice's answers split ----------------------------------------------------


def test_a_split_is_shown_where_every_answer_has_k_on_each_side():
    whole = group("all", *range(10))
    answers = {p: "yes" if p < 5 else "no" for p in range(10)}
    assert keys(release_answers([whole], answers, k=5)) == ["all"]


def test_a_unanimous_group_keeps_its_split_hidden():
    """Everyone gave the same answer: the count would tell each of them what they said."""
    whole = group("all", *range(8))
    assert release_answers([whole], dict.fromkeys(range(8), "yes"), k=3) == []


def test_a_small_count_keeps_the_split_hidden_nobody_is_fine():
    whole = group("all", *range(12))
    answers = {p: "a" if p < 6 else "b" for p in range(12)}
    assert keys(release_answers([whole], answers, k=5)) == ["all"]  # "c": nobody, fine
    answers[0] = "c"  # one person alone
    assert release_answers([whole], answers, k=5) == []


def test_a_sub_team_s_split_is_hidden_when_the_rest_of_the_team_s_would_be_small():
    """The team's split is shown; the sub-team's too would leave the rest of the team (six
    people) with four "no" and two "yes": two, worked out by subtraction."""
    team = group("team", *range(16))
    sub = group("sub", *range(10))
    answers = {p: "yes" if p < 5 or p in (10, 11) else "no" for p in range(16)}
    assert keys(release_answers([team, sub], answers, k=3)) == ["team"]
    answers = {p: "yes" if p < 5 or p in (10, 11, 12) else "no" for p in range(16)}
    assert keys(release_answers([team, sub], answers, k=3)) == ["team", "sub"]


def unions_of(found):
    for size in range(1, len(found) + 1):
        for chosen in combinations(found, size):
            yield frozenset().union(*chosen)


@st.composite
def answered_rounds(draw):
    n = draw(st.integers(min_value=6, max_value=16))
    people = list(range(n))
    candidates = [
        Candidate(i, members)
        for i, members in enumerate(
            draw(st.lists(st.frozensets(st.sampled_from(people), min_size=1), max_size=6))
        )
    ]
    k = draw(st.integers(min_value=3, max_value=4))
    options = draw(st.integers(min_value=2, max_value=3))
    values = draw(st.lists(st.integers(0, options - 1), min_size=n, max_size=n))
    answered = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    answers = {p: values[p] for p in range(n) if answered[p] or p % 4}
    return n, candidates, k, answers


@settings(max_examples=200, deadline=None)
@given(answered_rounds())
def test_nobody_s_answer_can_be_told_from_the_splits_shown(case):
    """Checked apart from how `release_answers` reasons: of every set of people the shown
    groups delimit (any union of their atoms, which is all that adding and subtracting their
    counts can reach), every answer was given by nobody or by at least k, with at least k
    giving another; so nobody's answer is known, nor that of fewer than k. And the split is
    only ever shown for a group released for its figures."""
    _n, candidates, k, answers = case
    released = release(candidates, k)
    shown = release_answers(released, answers, k)
    assert all(group in released for group in shown)
    members = [frozenset(p for p in g.members if p in answers) for g in shown]
    for people in unions_of([a for a in atoms(members) if a]):
        for value in {answers[p] for p in people}:
            gave = sum(1 for p in people if answers[p] == value)
            assert gave >= k and len(people) - gave >= k, (people, value, gave)
