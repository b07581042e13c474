"""The framework's YAML file: what it reads, what it refuses (with the line and the field),
and that writing a document and reading it back gives the same document."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from growth import document
from growth.document import Behaviour, Competency, Document, Level, Profile, Track
from growth.tests.factories import LEVELS, competency, small


def problems(text, previous=None):
    with pytest.raises(document.Invalid) as raised:
        document.read(text, previous)
    return raised.value.problems


def only_problem(text, previous=None):
    found = problems(text, previous)
    assert len(found) == 1, found
    return found[0]


def test_it_reads_a_small_framework():
    read = document.read(small(competency("communication"), competency("craft", "Craft")))
    assert [level.name for level in read.levels] == ["Learning", "Practising", "Proficient"]
    assert read.keys == ["communication", "craft"]
    assert read.competencies[1].behaviours[2] == Behaviour(3, "craft at 3")


def test_writing_and_reading_back_gives_the_same_document():
    read = document.read(small(competency("communication")))
    assert document.read(document.write(read)) == read


def test_text_over_several_lines_is_written_as_a_block():
    doc = Document((Level(1, "One"), Level(2, "Two")), (), ())
    doc = Document(
        doc.levels,
        (
            Competency(
                "c",
                "C",
                "core",
                "First line.\nSecond line.",
                (Behaviour(1, "a"), Behaviour(2, "b")),
            ),
        ),
    )
    text = document.write(doc)
    assert "description: |-\n    First line.\n    Second line.\n" in text
    assert document.read(text) == doc


@pytest.mark.parametrize(
    ("text", "line", "where", "message"),
    [
        (
            small(competency("a"), competency("a", "Another")),
            13,
            "competencies › a › key",
            "The key “a” is used twice",
        ),
        (
            small(competency("a").replace("  name: A\n", "")),
            6,
            "competencies › a › name",
            "This is missing: write name.",
        ),
        (
            small(competency("a").replace("a at 3}", "a at 3, d: x}")),
            12,
            "competencies › a › behaviours › level 3 › d",
            "Unknown field “d”",
        ),
        (
            small(
                competency("a"),
                tracks="tracks:\n- key: ic\n  name: IC\n  profiles:\n"
                "  - level: 1\n    title: Junior\n    expects: {a: 1, b: 2}\n",
            ),
            19,
            "tracks › ic › profiles › level 1 › expects › b",
            "“b” is not a competency of this framework.",
        ),
        (
            small(
                competency("a"),
                tracks="tracks:\n- key: ic\n  name: IC\n  profiles:\n"
                "  - level: 1\n    title: Junior\n    expects: {a: 4}\n",
            ),
            19,
            "tracks › ic › profiles › level 1 › expects › a",
            "Expected a proficiency level from 1 to 3.",
        ),
        (
            small(competency("a", replaces="gone")),
            9,
            "competencies › a › replaces › gone",
            "There is no published version yet: there is nothing to replace.",
        ),
        (
            small(competency("a", "Has an upper-case key").replace("key: a", "key: Alpha")),
            6,
            "competencies › Alpha › key",
            "A key is lower-case letters and digits",
        ),
        (
            small(competency("a").replace("  - {level: 2, description: a at 2}\n", "")),
            10,
            "competencies › a › behaviours",
            "Describe every level; missing: 2.",
        ),
        (
            LEVELS.replace("level: 3", "level: 4") + "competencies:\n" + competency("a"),
            4,
            "levels › #3 › level",
            "Levels are numbered 1, 2, 3… in order: this one is 3.",
        ),
        ("levels: [\n", 2, "", "This is not valid YAML"),
        ("a: &anchor 1\nb: *anchor\n", 1, "", "Anchors and aliases"),
        ("", None, "", "The file is empty."),
        ("- just\n- a list\n", 1, "", "Expected fields (name: value) here."),
        (small(competency("a")) + "colour: blue\n", 13, "colour", "Unknown field “colour”"),
    ],
    ids=[
        "duplicate-key",
        "missing-name",
        "unknown-field",
        "unknown-competency-in-profile",
        "level-out-of-range",
        "replaces-without-a-version",
        "bad-key",
        "level-not-described",
        "levels-out-of-order",
        "not-yaml",
        "anchors",
        "empty",
        "not-a-mapping",
        "unknown-top-level-field",
    ],
)
def test_each_problem_is_named_with_its_line_and_field(text, line, where, message):
    problem = only_problem(text)
    assert (problem.line, problem.where) == (line, where)
    assert message in problem.message


def test_replaces_names_a_competency_of_the_current_version():
    current = document.read(small(competency("a"), competency("b")))
    problem = only_problem(small(competency("c", replaces="a, x")), current)
    assert problem.message == "“x” is not a competency of the current version."
    problem = only_problem(small(competency("a", replaces="a")), current)
    assert "cannot replace itself" in problem.message


def test_a_role_climbs_one_track():
    tracks = (
        "tracks:\n"
        "- {key: ic, name: IC, roles: [Engineer], profiles: []}\n"
        "- {key: mgmt, name: Management, roles: [Engineer, Manager], profiles: []}\n"
    )
    problem = only_problem(small(competency("a"), tracks=tracks))
    assert problem.where == "tracks › mgmt › roles › Engineer"
    assert "already on the track “IC”" in problem.message


def test_a_track_has_one_profile_per_level():
    tracks = (
        "tracks:\n- key: ic\n  name: IC\n  profiles:\n"
        "  - {level: 2, title: A}\n  - {level: 2, title: B}\n"
    )
    assert "two profiles for level 2" in only_problem(small(competency("a"), tracks=tracks)).message


def test_every_problem_of_a_file_is_listed_in_file_order():
    text = small(competency("a").replace("  name: A\n", ""), competency("a"))
    found = problems(text)
    assert [p.line for p in found] == sorted(p.line for p in found)
    assert len(found) == 2


def test_a_file_larger_than_256_kb_is_refused_before_it_is_read():
    problem = only_problem("# " + "x" * document.MAX_BYTES)
    assert problem.message == "The file is larger than 256 KB."


def test_a_problem_reads_as_a_sentence():
    problem = only_problem(small(competency("a").replace("  name: A\n", "")))
    assert str(problem) == "Line 6, competencies › a › name: This is missing: write name."


# --- Generated frameworks: write then read is the identity ------------------------------------

words = (
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
paragraphs = st.lists(words, min_size=1, max_size=3).map("\n".join)
keys = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5})?", fullmatch=True)


@st.composite
def frameworks(draw):
    count = draw(st.integers(2, 5))
    levels = tuple(
        Level(n, draw(words), draw(st.one_of(st.just(""), paragraphs))) for n in range(1, count + 1)
    )
    competency_keys = draw(st.lists(keys, min_size=1, max_size=5, unique=True))
    names = draw(
        st.lists(
            words,
            min_size=len(competency_keys),
            max_size=len(competency_keys),
            unique_by=str.casefold,
        )
    )
    competencies = tuple(
        Competency(
            key,
            name,
            draw(st.sampled_from(["core", "craft", "leadership", "Sales craft"])),
            draw(st.one_of(st.just(""), paragraphs)),
            tuple(
                Behaviour(n, draw(paragraphs), tuple(draw(st.lists(words, max_size=2))))
                for n in range(1, count + 1)
            ),
        )
        for key, name in zip(competency_keys, names, strict=True)
    )
    track_keys = draw(st.lists(keys, max_size=2, unique=True))
    tracks = []
    for index, key in enumerate(track_keys):
        profile_levels = draw(st.lists(st.integers(1, 9), max_size=3, unique=True))
        tracks.append(
            Track(
                key,
                draw(words),
                draw(st.one_of(st.just(""), words)),
                (f"Role {index}",),
                tuple(
                    Profile(
                        level,
                        draw(words),
                        "",
                        tuple(
                            (c, draw(st.integers(1, count)))
                            for c in competency_keys
                            if draw(st.booleans())
                        ),
                    )
                    for level in sorted(profile_levels)
                ),
            )
        )
    return Document(levels, competencies, tuple(tracks))


@given(frameworks())
def test_any_framework_reads_back_as_written(framework):
    assert document.read(document.write(framework)) == framework
