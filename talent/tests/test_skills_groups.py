"""The organisation heatmap's groups and cells (`talent.skills.groups_of`, `cells_of`), over
generated team trees and levels: no shown figure, and no difference of shown figures, stands
for fewer than k people."""

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from talent.skills import cells_of, groups_of

KEYS = ("a", "b", "c")


@st.composite
def organisations(draw):
    """A team tree (each team's parent an earlier team or none), its people (some without a
    team), each person's expectations and assessed levels, and k."""
    teams = draw(st.integers(min_value=0, max_value=12))
    parents = {}
    for team in range(1, teams + 1):
        parents[team] = draw(st.one_of(st.none(), st.integers(1, team - 1))) if team > 1 else None
    members: dict = {}
    person = 0
    for team in [*parents, None]:
        size = draw(st.integers(min_value=0, max_value=9))
        members[team] = list(range(person, person + size))
        person += size
    # Per person and key, an expected level and an assessed one (0: none).
    width = 2 * len(KEYS)
    drawn = draw(st.lists(st.integers(0, 4), min_size=person * width, max_size=person * width))
    expected, levels = {}, {}
    for pk in range(person):
        mine = drawn[pk * width : (pk + 1) * width]
        expected[pk] = {key: mine[i] for i, key in enumerate(KEYS) if mine[i]}
        levels[pk] = {key: mine[3 + i] for i, key in enumerate(KEYS) if mine[3 + i]}
    k = draw(st.sampled_from((5, 6, 8)))
    return parents, members, expected, levels, k


def ancestors(parents, team):
    found = []
    while team is not None:
        found.append(team)
        team = parents.get(team)
    return found


def population(group, expected, levels, key):
    """The people behind a cell: those with both an expectation and a level of `key`."""
    return {pk for pk in group.members if key in expected[pk] and key in levels[pk]}


@settings(max_examples=150, deadline=None)
@given(organisations())
def test_no_shown_figure_or_difference_of_figures_stands_for_fewer_than_k(organisation):
    parents, members, expected, levels, k = organisation
    groups = groups_of(parents, members, k)
    shown = {}  # (group index, key) -> the people behind the figure
    for index, group in enumerate(groups):
        assert len(group.members) >= k
        for key, (n, at) in cells_of(group, expected, levels, k).items():
            behind = population(group, expected, levels, key)
            assert n == len(behind) >= k
            assert at == sum(levels[pk][key] >= expected[pk][key] for pk in behind) <= n
            shown[(index, key)] = behind
    # Groups never overlap: no figure contains another, so no difference of two figures (a
    # team minus the teams within it, a total minus its parts) is about a smaller group; and
    # the figures of one competency are about people no other figure of it counts.
    for first, second in combinations(groups, 2):
        assert not first.members & second.members
    for (g1, key1), (g2, key2) in combinations(shown, 2):
        if key1 == key2:
            assert not shown[(g1, key1)] & shown[(g2, key2)]
    # Each group's people are of its team or of teams within it, each a member of one team.
    for group in groups:
        if group.team is None:
            assert group.members == set(members[None])
            continue
        for team in group.teams:
            assert group.team in ancestors(parents, team)
        assert group.members == {pk for team in group.teams for pk in members.get(team, [])}
    # Whoever is in no group was passed up to the top of the tree in a pool of fewer than k.
    everyone = {pk for pks in members.values() for pk in pks}
    grouped = {pk for group in groups for pk in group.members}
    left = everyone - grouped
    tops: dict = {}
    for team, pks in members.items():
        top = None if team is None else ancestors(parents, team)[-1]
        tops.setdefault(top, set()).update(pk for pk in pks if pk in left)
    assert all(len(pool) < k for pool in tops.values())


@settings(max_examples=100, deadline=None)
@given(organisations())
def test_every_part_of_the_tree_is_shown_as_whole_groups(organisation):
    """Whatever part a viewer sees (a team's subtree), it is made of whole groups of the one
    grouping: a viewer's part never splits or re-counts a group."""
    parents, members, _expected, _levels, k = organisation
    groups = groups_of(parents, members, k)
    for root in parents:
        mine = [g for g in groups if g.team is not None and root in ancestors(parents, g.team)]
        for group in mine:
            assert all(root in ancestors(parents, team) for team in group.teams)


def test_small_teams_merge_up_into_the_team_above():
    parents = {1: None, 2: 1, 3: 1, 4: 3}
    members = {1: [1, 2], 2: [3, 4], 3: [5], 4: [6, 7, 8, 9, 10, 11], None: [12]}
    groups = groups_of(parents, members, 5)
    assert [(g.team, set(g.teams), len(g.members)) for g in groups] == [
        (4, {4}, 6),
        # Engineering's own 2, Web's 2 and Platform's 1 (Platform's own 1 passed up).
        (1, {1, 2, 3}, 5),
    ]


def test_a_remainder_of_fewer_than_k_at_the_top_is_shown_nowhere():
    parents = {1: None, 2: 1}
    members = {1: [1, 2], 2: [3, 4, 5, 6, 7], None: [8, 9]}
    groups = groups_of(parents, members, 5)
    assert [(g.team, len(g.members)) for g in groups] == [(2, 5)]


def test_a_cell_of_fewer_than_k_people_is_not_kept():
    group = groups_of({1: None}, {1: list(range(6))}, 5)[0]
    expected = {pk: {"a": 3, "b": 3} for pk in range(6)}
    levels = {pk: {"a": 3 + (pk % 2) - (pk == 0)} for pk in range(6)}
    levels[0]["b"] = 4
    assert cells_of(group, expected, levels, 5) == {"a": (6, 5)}
