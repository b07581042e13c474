"""My data's "Changes about me": the audit log's entries about me, and only those, newest
first, with who made each change and its values before and after (my own employment details
included)."""

import pytest
from django.urls import reverse

from trust import audit
from trust.tabs import TABS

pytestmark = pytest.mark.django_db

CHANGES = reverse("trust:changes")


def text(response):
    return " ".join(response.content.decode().split())


def test_it_is_a_tab_of_my_data():
    assert ("trust:changes", "Changes about me") in [(name, str(label)) for name, label in TABS]


def test_i_see_the_changes_about_me_with_who_made_them(login, cast):
    audit.record(
        "person.changed",
        actor=cast.erin,
        subject=cast.alice,
        changes={"manager": [cast.bob.pk, cast.carol.pk], "level": [2, 3]},
    )
    audit.record(
        "person.left",
        actor=cast.erin,
        subject=cast.dave,
        changes={"leave_date": [None, "2030-01-31"]},
    )
    audit.record("goals.settings_changed", actor=cast.erin, changes={"stale_after_weeks": [3, 4]})
    response = login(cast.alice).get(CHANGES)
    assert response.status_code == 200
    assert [row.entry.action for row in response.context["rows"]] == ["person.changed"]
    page = text(response)
    assert "Erin HR" in page
    before, after = '<span class="audit-before">', '<span class="audit-after">'
    assert f"{before}Bob Manager</span> → {after}Carol Leader</span>" in page
    assert '<span class="audit-before">2</span> → <span class="audit-after">3</span>' in page
    assert 'aria-current="page">Changes about me' in page


def test_someone_nothing_was_changed_about_is_told_so(login, cast):
    audit.record("person.changed", actor=cast.erin, subject=cast.alice, changes={"level": [2, 3]})
    assert "Nothing has been changed about you" in text(login(cast.bob).get(CHANGES))


def test_hr_sees_only_the_changes_about_themselves_here(login, cast):
    audit.record("person.changed", actor=cast.erin, subject=cast.alice, changes={"level": [2, 3]})
    assert login(cast.erin).get(CHANGES).context["rows"] == []


def test_it_pages_and_reads_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries):
    audit.append(
        [
            audit.new_entry(
                "person.changed",
                actor=cast.erin,
                subject=cast.alice,
                changes={
                    "team": [cast.platform.pk, cast.sales.pk],
                    "manager": [None, cast.dave.pk],
                },
            )
            for _ in range(60)
        ]
    )
    client = login(cast.alice)
    client.get(CHANGES)
    with django_assert_max_num_queries(7):
        first = client.get(CHANGES)
    assert len(first.context["rows"]) == 50
    second = client.get(CHANGES, {"cursor": first.context["older"]})
    assert len(second.context["rows"]) == 10
    assert client.get(CHANGES, {"cursor": "nonsense"}).status_code == 400
