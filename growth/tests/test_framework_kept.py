"""A published framework version's rows never change, so each process reads them once; the
tracks' roles (people's data) are read on every load, and a newly published version is read
as soon as it is the current one."""

from growth import queries
from growth.models import Track
from growth.tests.factories import competency as competency_text
from growth.tests.factories import publish, publish_starter, small
from people.models import Role


def test_the_second_load_reads_only_the_version_and_the_roles(db, django_assert_num_queries):
    publish_starter()
    queries.current()
    with django_assert_num_queries(2):
        framework = queries.current()
    assert len(framework.competencies) == 11 and framework.tracks


def test_a_role_put_on_a_track_shows_at_once(db):
    publish_starter()
    before = queries.current()
    track = Track.objects.filter(version=before.version).first()
    track.roles.add(Role.objects.create(name="Data engineer"))
    after = queries.current()
    kept = next(t for t in after.tracks if t.pk == track.pk)
    assert "Data engineer" in {role.name for role in kept.roles.all()}
    # The kept track is not changed for everyone else: each load has its own roles.
    assert all(
        "roles" not in vars(t).get("_prefetched_objects_cache", {})
        for t in queries._PUBLISHED[next(iter(queries._PUBLISHED))][2]
    )


def test_a_new_version_is_read_when_published(db):
    publish(small(competency_text("a"), competency_text("b")))
    assert [c.key for c in queries.current().competencies] == ["a", "b"]
    publish(small(competency_text("a"), competency_text("c")))
    assert [c.key for c in queries.current().competencies] == ["a", "c"]


def test_the_step_of_a_role_and_level_is_the_first_track_holding_the_role(db):
    """`step_of` answers from a look-up built once per load: the profile at that level of the
    first track (in the framework's order) that holds the role; nothing for a role on no
    track, a level without a profile, or no role or level at all."""
    publish_starter(roles={"individual-contributor": ["Engineer"], "management": ["Lead"]})
    framework = queries.current()
    engineer, lead = (Role.objects.get(name=name) for name in ("Engineer", "Lead"))
    for role, track in ((engineer, "individual-contributor"), (lead, "management")):
        for step in framework.steps:
            if step.track.key == track:
                assert framework.step_of(role.pk, step.profile.level) is step
    missing = max(step.profile.level for step in framework.steps) + 1
    assert framework.step_of(engineer.pk, missing) is None
    assert framework.step_of(Role.objects.create(name="Nobody's").pk, 1) is None
    assert framework.step_of(None, 1) is None and framework.step_of(engineer.pk, None) is None
    # The same role on two tracks: the first track's profile, as before the look-up.
    second = next(t for t in framework.tracks if t.key == "management")
    second.roles.add(engineer)
    framework = queries.current()
    level = next(s.profile.level for s in framework.steps if s.track.key == "management")
    found = framework.step_of(engineer.pk, level)
    holding = [s for s in framework.steps if engineer in s.track.roles.all()]
    first = next((s for s in holding if s.profile.level == level), None)
    assert found is first and found is not None


def test_the_current_competencies_are_kept_and_a_new_version_is_read_at_once(
    db, django_assert_num_queries
):
    """`CURRENT_COMPETENCIES` (a plan's focus on an agenda) reads the newest version once per
    process, and again as soon as a version is published in this process."""
    publish(small(competency_text("a"), competency_text("b")))
    assert sorted(queries.CURRENT_COMPETENCIES.get()) == ["a", "b"]
    with django_assert_num_queries(0):
        assert sorted(queries.CURRENT_COMPETENCIES.get()) == ["a", "b"]
    publish(small(competency_text("a"), competency_text("c")))
    assert sorted(queries.CURRENT_COMPETENCIES.get()) == ["a", "c"]
