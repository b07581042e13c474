"""Our starter framework, in English and Dutch: valid, the same framework in two languages,
and what "Start from the starter framework" publishes."""

import pytest

from growth import document, services
from growth.models import Category


@pytest.fixture(params=services.STARTER_LANGUAGES)
def starter(request):
    return document.read(services.starter_text(request.param))


def test_each_language_is_a_valid_framework(starter):
    assert len(starter.levels) == 4
    assert 10 <= len(starter.competencies) <= 12
    assert [track.key for track in starter.tracks] == ["individual-contributor", "management"]


def test_each_language_reads_back_as_written(starter):
    assert document.read(document.write(starter)) == starter


def test_each_has_core_and_leadership_competencies_in_our_categories(starter):
    categories = {competency.category for competency in starter.competencies}
    assert categories <= set(Category.values)
    assert {"core", "leadership"} <= categories


def test_both_languages_are_the_same_framework_in_other_words():
    english, dutch = (document.read(services.starter_text(code)) for code in ("en", "nl"))
    assert english.keys == dutch.keys
    assert [len(c.behaviours) for c in english.competencies] == [
        len(c.behaviours) for c in dutch.competencies
    ]
    assert [[len(b.examples) for b in c.behaviours] for c in english.competencies] == [
        [len(b.examples) for b in c.behaviours] for c in dutch.competencies
    ]

    def shape(framework):
        return [
            (track.key, [(profile.level, profile.expects) for profile in track.profiles])
            for track in framework.tracks
        ]

    assert shape(english) == shape(dutch)
    assert [c.name for c in english.competencies] != [c.name for c in dutch.competencies]


def test_the_organisation_language_chooses_the_file():
    assert "name: Lerend" in services.starter_text("nl")
    assert "name: Learning" in services.starter_text("en")
    assert "name: Learning" in services.starter_text("de")  # none of ours: English


def test_a_step_up_a_track_never_expects_less():
    for code in services.STARTER_LANGUAGES:
        for track in document.read(services.starter_text(code)).tracks:
            for lower, higher in zip(track.profiles, track.profiles[1:], strict=False):
                for key, level in lower.expects:
                    assert higher.expected.get(key, 0) >= level, (track.key, higher.level, key)
