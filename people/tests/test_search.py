"""The directory search (people.search) through the directory page: what it finds, and that its
index follows every way people and teams change (save, services, bulk writes, the CSV import,
team renames), on SQLite (FTS5) and PostgreSQL (trigram index) alike."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from access.viewer import Viewer
from people import services
from people.importing import import_people
from people.models import Person, Team
from people.search import normalise
from people.tests.factories import add_organisation, add_people

DIRECTORY = reverse("people:directory")
HTMX = {"HX-Request": "true", "HX-Target": "results"}


def found(client, q, **params):
    response = client.get(DIRECTORY, {"q": q, **params})
    assert response.status_code == 200
    return [person.name for person in response.context["page"].object_list]


def hr(cast):
    return Viewer(person=Person.objects.get(pk=cast.erin.pk))


def test_normalise_lowers_and_drops_accents():
    assert normalise("  José  NÚÑEZ-Çelik ") == "jose nunez-celik"


@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("ali", ["Alice Employee"]),  # the start of a name
        ("lice", ["Alice Employee"]),  # inside a name
        ("bob manager", ["Bob Manager"]),  # several words, all must match
        ("manager bob", ["Bob Manager"]),  # in any order
        ("carol@example.com", ["Carol Leader"]),  # an e-mail address
        ("platform", ["Alice Employee", "Bob Manager"]),  # a team's name
        ("engineer platform", ["Alice Employee", "Bob Manager"]),  # job title and team
        ("ENGINEER", ["Alice Employee", "Bob Manager", "Carol Leader"]),  # any case
        ("'\"%_\\", []),  # quotes and LIKE's wildcards are plain characters
    ],
)
def test_it_finds_people_by_name_email_job_title_and_team(login, cast, q, names):
    assert found(login(cast.alice), q) == names


def test_it_ignores_accents_both_ways(login, cast):
    add_people(1, team=cast.sales, prefix="x", name="José Núñez")
    client = login(cast.alice)
    assert found(client, "jose nunez") == ["José Núñez"]
    assert found(client, "NÚÑ") == ["José Núñez"]


def test_it_finds_by_short_words(login, cast):
    assert found(login(cast.alice), "ca le") == ["Carol Leader"]


def test_a_renamed_person_is_found_by_the_new_name_only(login, cast):
    data = services.PersonData(
        name="Alicia Renamed", email=cast.alice.email, job_title="Engineer", team=cast.platform
    )
    services.edit_person(hr(cast), cast.alice, data)
    client = login(cast.bob)
    assert found(client, "alicia") == ["Alicia Renamed"]
    assert found(client, "alice employee") == []


def test_a_person_moved_to_another_team_is_found_by_it(login, cast):
    data = services.PersonData(
        name=cast.alice.name,
        email=cast.alice.email,
        job_title="Engineer",
        team=cast.sales,
        manager=cast.bob,
    )
    services.edit_person(hr(cast), cast.alice, data)
    client = login(cast.bob)
    assert "Alice Employee" in found(client, "sales")
    assert found(client, "platform") == ["Bob Manager"]


def test_members_are_found_by_their_team_s_new_name(login, cast):
    services.edit_team(hr(cast), cast.platform, services.TeamData(name="Foundations"))
    client = login(cast.alice)
    assert found(client, "foundations") == ["Alice Employee", "Bob Manager"]
    assert found(client, "platform") == []


def test_members_of_a_deleted_team_are_no_longer_found_by_its_name(login, cast):
    cast.sales.delete()  # as the admin would: Dave's team is set to none
    client = login(cast.alice)
    assert found(client, "sales") == []
    assert found(client, "dave") == ["Dave Peer"]


def test_bulk_writes_keep_the_search_in_step(login, cast):
    add_people(3, team=cast.sales, prefix="bulk")  # bulk_create
    Person.objects.filter(email__startswith="bulk").update(job_title="Astronomer")
    Team.objects.filter(pk=cast.sales.pk).update(name="Stargazing")
    client = login(cast.alice)
    assert found(client, "astronomer stargazing") == ["Bulk 0000", "Bulk 0001", "Bulk 0002"]
    people = list(Person.objects.filter(email__startswith="bulk").only("pk", "name"))
    for person in people:
        person.name = person.name.replace("Bulk", "Heap")
    Person.objects.bulk_update(people, ["name"])
    assert found(client, "heap 0001") == ["Heap 0001"]


def test_imported_people_are_found_by_name_and_team(login, cast):
    source = (
        "email,name,job_title,team,manager_email\n"
        "zoe@example.com,Zoë Imported,Geologist,Rocks,\n"
        f"{cast.dave.email},Dave Peer,Cartographer,Maps,\n"
    )
    assert import_people(source).applied
    client = login(cast.alice)
    assert found(client, "zoe") == ["Zoë Imported"]
    assert found(client, "rocks geologist") == ["Zoë Imported"]
    assert found(client, "cartographer maps") == ["Dave Peer"]


def test_a_deleted_person_is_not_found(login, cast):
    add_people(1, team=cast.sales, prefix="gone")
    Person.objects.filter(email__startswith="gone").delete()
    assert found(login(cast.alice), "gone") == []


def test_leavers_are_found_only_by_hr_in_scope(login, cast):
    cast.dave.leave_date = timezone.localdate() - timedelta(days=1)
    cast.dave.save()
    assert found(login(cast.alice), "dave", include_left="on") == []
    assert found(login(cast.erin), "dave") == []
    assert found(login(cast.erin), "dave", include_left="on") == ["Dave Peer"]


def test_the_team_filter_and_the_search_combine(login, cast):
    client = login(cast.alice)
    assert found(client, "engineer", team=cast.platform.pk) == ["Alice Employee", "Bob Manager"]


def test_it_uses_the_search_index(login, cast):
    """The query goes through the index made for it: FTS5 on SQLite, the trigram index on
    PostgreSQL (as the migration built them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM people_person_search")
            assert cursor.fetchone()[0] == Person.objects.count()
        else:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'person_search_trgm_idx'")
            assert cursor.fetchone() is not None


@pytest.mark.parametrize("q", ["an", "unit", "org-m003 unit"])
def test_its_query_count_is_pinned_on_a_filled_organisation(
    login, cast, q, django_assert_max_num_queries
):
    add_organisation(300, team=cast.engineering, manager=cast.carol)
    client = login(cast.alice)
    with django_assert_max_num_queries(6):
        response = client.get(DIRECTORY, {"q": q}, headers=HTMX)
    assert response.context["page"].object_list
