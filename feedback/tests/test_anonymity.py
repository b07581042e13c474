"""The 360 anonymity rule, checked over every shape of answers hypothesis can think of."""

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.anonymity import ALL, OTHERS, summarise
from feedback.models import ANONYMOUS_GROUPS, RaterGroup

answer = st.tuples(st.one_of(st.none(), st.integers(1, 5)), st.sampled_from(["", "", "Nice"]))
answers_by_group = st.fixed_dictionaries(
    {},
    optional={
        RaterGroup.SELF: st.lists(answer, min_size=1, max_size=1),
        RaterGroup.MANAGER: st.lists(answer, min_size=1, max_size=1),
        RaterGroup.PEER: st.lists(answer, max_size=9),
        RaterGroup.REPORT: st.lists(answer, max_size=9),
    },
)


def anonymous_ratings(figure, answers):
    """How many anonymous ratings a set of groups stands on."""
    return sum(
        1
        for group in figure
        if group in ANONYMOUS_GROUPS
        for rating, _comment in answers.get(group, [])
        if rating is not None
    )


@settings(max_examples=600)
@given(answers_by_group, st.integers(2, 5))
def test_no_shown_figure_or_difference_of_figures_rests_on_fewer_than_k(answers, k):
    result = summarise(answers, k)
    shown = [frozenset(f.groups) for f in result.figures]
    for figure in shown:
        count = anonymous_ratings(figure, answers)
        assert count == 0 or count >= k, (figure, answers)
    # Subtracting any set of disjoint shown figures from another leaves 0 or ≥ k ratings.
    for outer in shown:
        inner = [f for f in shown if f < outer]
        for size in range(1, len(inner) + 1):
            for parts in combinations(inner, size):
                if any(a & b for a, b in combinations(parts, 2)):
                    continue
                rest = outer - frozenset().union(*parts)
                count = anonymous_ratings(rest, answers)
                assert count == 0 or count >= k, (outer, parts, answers)


@settings(max_examples=400)
@given(answers_by_group, st.integers(2, 5))
def test_comments_are_shown_only_behind_k_respondents(answers, k):
    result = summarise(answers, k)
    for block in result.comments:
        if any(group in ANONYMOUS_GROUPS for group in block.groups):
            assert sum(len(answers[g]) for g in block.groups) >= k
            assert not set(block.groups) & {RaterGroup.SELF, RaterGroup.MANAGER}


@settings(max_examples=400)
@given(answers_by_group, st.integers(2, 5))
def test_every_rating_is_either_counted_in_a_figure_or_its_group_is_reported_withheld(answers, k):
    result = summarise(answers, k)
    covered = {g for f in result.figures for g in f.groups}
    for group, rows in answers.items():
        if any(rating is not None for rating, _comment in rows):
            assert group in covered or group in result.withheld
    all_raters = result.figure(ALL)
    if all_raters is not None:
        assert RaterGroup.SELF not in all_raters.groups


def test_a_peer_group_of_two_is_withheld_and_a_group_of_three_is_shown():
    two = summarise({RaterGroup.PEER: [(4, "Clear"), (2, "")]}, 3)
    assert two.figure(RaterGroup.PEER) is None and two.figure(ALL) is None
    assert two.withheld == [RaterGroup.PEER] and two.comments == []
    three = summarise({RaterGroup.PEER: [(4, "Clear"), (2, ""), (3, "")]}, 3)
    assert three.figure(RaterGroup.PEER).mean == 3
    assert [b.comments for b in three.comments] == [["Clear"]]


def test_small_groups_merge_into_others_when_together_they_reach_k():
    result = summarise(
        {
            RaterGroup.MANAGER: [(5, "")],
            RaterGroup.PEER: [(4, ""), (2, "")],
            RaterGroup.REPORT: [(3, ""), (3, "")],
        },
        3,
    )
    assert result.figure(RaterGroup.PEER) is None and result.figure(RaterGroup.REPORT) is None
    assert result.figure(OTHERS).count == 4 and result.figure(OTHERS).mean == 3
    assert result.figure(ALL).count == 5 and result.withheld == []


def test_the_all_raters_figure_leaves_out_what_is_withheld():
    result = summarise(
        {
            RaterGroup.SELF: [(2, "")],
            RaterGroup.MANAGER: [(5, "")],
            RaterGroup.PEER: [(4, ""), (4, ""), (4, "")],
            RaterGroup.REPORT: [(1, "")],
        },
        3,
    )
    assert result.withheld == [RaterGroup.REPORT]
    assert result.figure(ALL).ratings == [5, 4, 4, 4]
