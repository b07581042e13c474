"""`GET /api/v1/audit`: the audit log for organisation-wide HR and administrators, filtered as on
its page, each entry in stored values and in words, keyset paged."""

import pytest

from access.models import HRRole
from cadence.tests.paging import every_page
from trust import audit

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit"


@pytest.fixture
def history(cast):
    audit.record(
        "person.changed",
        actor=cast.erin,
        subject=cast.alice,
        target=cast.alice,
        changes={"manager": [cast.bob.pk, cast.carol.pk], "level": [2, 3]},
    )
    audit.record("hr_role.granted", subject=cast.dave, changes={"scope": [None, "organisation"]})


def test_hr_reads_the_entries_in_values_and_in_words(login, cast, history):
    response = login(cast.erin).get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    granted, changed = response.json()["items"]
    assert granted["actor"] is None and granted["subject"] == {
        "id": cast.dave.pk,
        "name": "Dave Peer",
    }
    assert granted["changes"][0]["after_text"] == "the whole organisation"
    assert changed["action"] == "person.changed" and changed["action_label"] == "Person changed"
    assert changed["actor"] == {"id": cast.erin.pk, "name": "Erin HR"}
    assert changed["target"] == f"people.person:{cast.alice.pk}"
    manager, level = changed["changes"]
    assert (manager["field"], manager["before"], manager["after"]) == (
        "manager",
        cast.bob.pk,
        cast.carol.pk,
    )
    assert (manager["before_text"], manager["after_text"]) == ("Bob Manager", "Carol Leader")
    assert (level["before"], level["after"], level["hidden"]) == (2, 3, False)


def test_an_administrator_gets_no_employment_values(login, cast, history):
    changed = login(cast.frank).get(URL, {"action": "person.changed"}).json()["items"][0]
    level = next(change for change in changed["changes"] if change["field"] == "level")
    assert (level["before"], level["after"], level["hidden"]) == (None, None, True)


def test_it_filters_as_the_page_does(login, cast, history):
    client = login(cast.erin)
    about_dave = client.get(URL, {"subject": cast.dave.pk}).json()["items"]
    assert [item["action"] for item in about_dave] == ["hr_role.granted"]
    by_erin = client.get(URL, {"actor": cast.erin.pk}).json()["items"]
    assert [item["action"] for item in by_erin] == ["person.changed"]


def test_filters_that_make_no_sense_are_422(login, cast):
    client = login(cast.erin)
    response = client.get(URL, {"since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "until"]
    assert client.get(URL, {"action": "person.invented"}).status_code == 422
    assert client.get(URL, {"actor": 0}).status_code == 422


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave"])
def test_nobody_else_reads_it(login, cast, history, who):
    response = login(getattr(cast, who)).get(URL)
    assert response.status_code == 403
    assert "detail" in response.json()


def test_hr_with_a_narrower_scope_does_not_read_it(login, cast):
    HRRole.objects.filter(person=cast.erin).update(scope=cast.sales)
    assert login(cast.erin).get(URL).status_code == 403


def test_every_entry_comes_once_page_after_page(login, cast):
    audit.append([audit.new_entry("person.changed", actor=cast.erin) for _ in range(25)])
    pages = every_page(login(cast.erin), URL, {"limit": 10})
    assert [len(page) for page in pages] == [10, 10, 5]
    ids = [item["id"] for page in pages for item in page]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 25


def test_a_page_reads_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries):
    audit.append(
        [
            audit.new_entry(
                "team.changed",
                actor=cast.erin,
                target=f"people.team:{cast.sales.pk}",
                changes={"lead": [None, cast.dave.pk], "parent": [None, cast.platform.pk]},
            )
            for _ in range(120)
        ]
    )
    client = login(cast.erin)
    with django_assert_max_num_queries(6):
        items = client.get(URL, {"limit": 100}).json()["items"]
    assert len(items) == 100 and items[0]["target_label"] == "Sales"
