"""Publishing a version: all or nothing, a new version with rows of its own, the version before
untouched, where ratings carry over, roles created, HR only, and in the audit log."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.forms.models import model_to_dict

from access.viewer import Viewer
from cadence.refusals import Conflict, Refused
from growth import services
from growth.models import (
    Behaviour,
    CarryOver,
    Competency,
    Expectation,
    FrameworkVersion,
    ProficiencyLevel,
    RoleProfile,
    Track,
)
from growth.tests.factories import competency, publish, publish_starter, small
from people.models import Role
from trust.models import AuditEntry

TRACK = (
    "tracks:\n- key: ic\n  name: IC\n  roles: [Engineer]\n  profiles:\n"
    "  - {level: 1, title: J, expects: {a: 1}}\n"
)
FIRST = small(competency("a", "Alpha"), competency("b", "Beta"), competency("c"), tracks=TRACK)

ROWS = (ProficiencyLevel, Competency, Behaviour, Track, RoleProfile, Expectation, CarryOver)


def snapshot():
    """Every row of every framework table, as stored."""
    return {
        model.__name__: sorted(
            (row.pk, sorted(model_to_dict(row).items(), key=str)) for row in model.objects.all()
        )
        for model in (FrameworkVersion, *ROWS)
    }


def test_the_first_version_is_number_one_with_its_rows(db):
    version = publish(FIRST, note="Our first")
    assert (version.number, version.note, version.published_by) == (1, "Our first", None)
    assert list(version.competencies.values_list("key", flat=True)) == ["a", "b", "c"]
    assert Behaviour.objects.filter(competency__version=version).count() == 9
    track = version.tracks.get()
    assert [role.name for role in track.roles.all()] == ["Engineer"]
    assert not CarryOver.objects.exists()


def test_a_role_the_organisation_lacks_is_created(db):
    Role.objects.create(name="Designer")
    publish(FIRST)
    assert set(Role.objects.values_list("name", flat=True)) == {"Designer", "Engineer"}


def test_a_new_version_never_changes_the_rows_of_the_one_before(db):
    first = publish(FIRST)
    before = snapshot()
    second = publish(
        small(
            competency("a", "Alpha renamed"),
            competency("bc", "Beta and c", replaces="b, c"),
            tracks=TRACK.replace("a: 1", "a: 2"),
        )
    )
    after = snapshot()
    for table, rows in before.items():
        assert set(map(repr, rows)) <= set(map(repr, after[table])), table
    assert second.number == 2
    assert first.competencies.count() == 3  # still its own three
    assert second.competencies.count() == 2


def test_where_ratings_carry_over_is_stored_from_old_rows_to_new(db):
    publish(FIRST)
    publish(
        small(
            competency("a", "Alpha renamed"),
            competency("b1", replaces="b"),
            competency("b2", replaces="b"),
            tracks=TRACK,
        )
    )
    carried = {
        (c.source.version.number, c.source.key, c.target.version.number, c.target.key, c.kind)
        for c in CarryOver.objects.select_related("source__version", "target__version")
    }
    assert carried == {
        (1, "a", 2, "a", CarryOver.Kind.RENAMED),
        (1, "b", 2, "b1", CarryOver.Kind.SPLIT),
        (1, "b", 2, "b2", CarryOver.Kind.SPLIT),
    }  # c is retired: no carry-over


def test_the_same_file_again_is_refused_and_publishes_nothing(db):
    publish(FIRST)
    with pytest.raises(Refused) as refused:
        publish(FIRST)
    assert "nothing to publish" in refused.value.errors[0][1]
    assert FrameworkVersion.objects.count() == 1


def test_a_file_with_a_problem_publishes_nothing(db):
    with pytest.raises(Refused) as refused:
        publish(small(competency("a"), competency("a", "Again")))
    assert refused.value.errors[0][0] == "framework"
    assert "Line 13" in refused.value.errors[0][1]
    assert not FrameworkVersion.objects.exists() and not Competency.objects.exists()


def test_a_preview_made_against_an_older_version_is_a_conflict(db):
    publish(FIRST)
    with pytest.raises(Conflict):
        services.publish_as(None, small(competency("a")), note="", base=0)
    assert FrameworkVersion.objects.count() == 1


def test_only_organisation_wide_hr_may_publish(cast):
    for person in (cast.alice, cast.bob, cast.frank):
        with pytest.raises(PermissionDenied):
            services.publish(Viewer.of(person), FIRST, note="", base=0)
    version = services.publish(Viewer.of(cast.erin), FIRST, note="", base=0)
    assert version.published_by == cast.erin


def test_hr_with_a_narrower_scope_may_not_publish(cast):
    from access.models import HRRole

    HRRole.objects.filter(person=cast.erin).update(scope=cast.engineering)
    erin = type(cast.erin).objects.get(pk=cast.erin.pk)
    with pytest.raises(PermissionDenied):
        services.publish(Viewer.of(erin), FIRST, note="", base=0)


def test_publishing_is_in_the_audit_log(cast):
    services.publish(Viewer.of(cast.erin), FIRST, note="First", base=0)
    services.publish(
        Viewer.of(cast.erin), small(competency("a", "Alpha 2"), tracks=TRACK), note="", base=1
    )
    entries = AuditEntry.objects.filter(action="growth.framework_published").order_by("pk")
    assert [entry.actor_id for entry in entries] == [cast.erin.pk, cast.erin.pk]
    assert entries[0].changes["version"] == [None, 1]
    assert entries[0].changes["note"] == "First"
    assert entries[1].changes["version"] == [1, 2]
    assert entries[1].changes["renamed"] == 1 and entries[1].changes["retired"] == 2


def test_start_from_the_starter_publishes_version_one_in_the_language(cast):
    version = services.start_from_starter(Viewer.of(cast.erin), "nl")
    assert version.number == 1
    assert version.levels.get(number=1).name == "Lerend"
    with pytest.raises(Conflict):
        services.start_from_starter(Viewer.of(cast.erin), "nl")


def test_the_command_exports_what_it_imports(db, tmp_path, capsys):
    publish_starter(roles={"management": ["Engineering manager"]})
    exported = tmp_path / "framework.yaml"
    call_command("framework", "export", str(exported))
    call_command("framework", "import", str(exported))
    assert "nothing to publish" in capsys.readouterr().out
    changed = exported.read_text().replace("name: Communication", "name: Communicating")
    exported.write_text(changed)
    call_command("framework", "import", str(exported), "--note", "Words")
    out = capsys.readouterr().out
    assert "Renamed: communication → communication" in out and "Version 2 published." in out
    assert FrameworkVersion.objects.get(number=2).note == "Words"


def test_the_command_lists_the_problems_and_publishes_nothing(db, tmp_path, capsys):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.yaml"
    bad.write_text(small(competency("a").replace("  name: A\n", "")))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("framework", "import", str(bad))
    assert "Line 6, competencies › a › name" in capsys.readouterr().err
    assert not FrameworkVersion.objects.exists()
