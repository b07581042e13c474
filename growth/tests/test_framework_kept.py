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
