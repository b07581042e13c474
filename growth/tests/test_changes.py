"""What a new version changes against the current one: each competency kept, changed, renamed,
merged, split or retired, and where its ratings carry over."""

from growth import document
from growth.changes import Carry, compare
from growth.models import CarryOver
from growth.tests.factories import competency, small

Kind = CarryOver.Kind
CURRENT = document.read(
    small(competency("a", "Alpha"), competency("b", "Beta"), competency("c"), competency("d"))
)


def changes_to(*competencies):
    return compare(CURRENT, document.read(small(*competencies), CURRENT))


def test_the_same_file_changes_nothing():
    changes = changes_to(
        *(competency(k, n) for k, n in [("a", "Alpha"), ("b", "Beta"), ("c", ""), ("d", "")])
    )
    assert not changes.any
    assert {carry.kind for carry in changes.carries} == {Kind.SAME}


def test_a_new_name_with_the_same_key_is_a_rename():
    changes = changes_to(
        competency("a", "Alpha two"), competency("b", "Beta"), competency("c"), competency("d")
    )
    assert [(old.name, new.name) for old, new in changes.renamed] == [("Alpha", "Alpha two")]
    assert Carry("a", "a", Kind.RENAMED) in changes.carries


def test_a_new_key_replacing_one_old_one_is_a_rename():
    changes = changes_to(
        competency("alpha", "Alpha", replaces="a"),
        competency("b", "Beta"),
        competency("c"),
        competency("d"),
    )
    assert [(old.key, new.key) for old, new in changes.renamed] == [("a", "alpha")]
    assert not changes.added and not changes.retired


def test_a_new_text_with_the_same_name_is_a_change_that_carries_over():
    changed = competency("c").replace("c at 2", "c at two")
    changes = changes_to(
        competency("a", "Alpha"), competency("b", "Beta"), changed, competency("d")
    )
    assert [c.key for c in changes.changed] == ["c"]
    assert Carry("c", "c", Kind.SAME) in changes.carries


def test_one_competency_replacing_two_merges_them():
    changes = changes_to(
        competency("ab", "Alpha and beta", replaces="a, b"), competency("c"), competency("d")
    )
    assert [([o.key for o in olds], new.key) for olds, new in changes.merged] == [
        (["a", "b"], "ab")
    ]
    assert {Carry("a", "ab", Kind.MERGED), Carry("b", "ab", Kind.MERGED)} <= set(changes.carries)
    assert not changes.added and not changes.retired


def test_two_competencies_replacing_one_split_it():
    changes = changes_to(
        competency("a", "Alpha"),
        competency("b1", replaces="b"),
        competency("b2", replaces="b"),
        competency("c"),
        competency("d"),
    )
    assert [(old.key, [n.key for n in news]) for old, news in changes.split] == [
        ("b", ["b1", "b2"])
    ]
    assert {Carry("b", "b1", Kind.SPLIT), Carry("b", "b2", Kind.SPLIT)} <= set(changes.carries)


def test_a_key_left_out_is_retired_and_a_new_one_added():
    changes = changes_to(
        competency("a", "Alpha"), competency("b", "Beta"), competency("c"), competency("e")
    )
    assert [c.key for c in changes.retired] == ["d"]
    assert [c.key for c in changes.added] == ["e"]
    assert not any(carry.source == "d" for carry in changes.carries)


def test_a_changed_expectation_is_listed_by_competency():
    def with_track(level):
        return small(
            competency("a", "Alpha"),
            tracks="tracks:\n- key: ic\n  name: IC\n  profiles:\n"
            f"  - {{level: 1, title: J, expects: {{a: {level}}}}}\n",
        )

    before = document.read(with_track(1))
    changes = compare(before, document.read(with_track(2), before))
    assert [(p.track, p.level, p.expectations) for p in changes.profiles] == [
        ("IC", 1, (("Alpha", 1, 2),))
    ]


def test_a_first_version_adds_everything():
    changes = compare(None, CURRENT)
    assert changes.first and changes.any
    assert [c.key for c in changes.added] == ["a", "b", "c", "d"]
