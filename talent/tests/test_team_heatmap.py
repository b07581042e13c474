"""The team skills heatmap: a manager's reports × the framework's competencies, through the
page and the API, for whoever may and may not open it."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from people.models import Person
from trust.models import AccessLogEntry

TEAM = reverse("talent:skills_team")
API = "/api/v1/talent/skills/team"


def row_of(answer, person):
    return next(row for row in answer["people"] if row["person"]["id"] == person.pk)


def cell_of(row, key):
    return next(cell for cell in row["cells"] if cell["competency"] == key)


def test_the_manager_sees_each_reports_level_against_their_role_profile(login, cast, platform):
    answer = login(cast.bob).get(API).json()
    assert answer["people"][0]["person"]["name"] == "Alice Employee"
    assert len(answer["people"]) == 6
    alice = row_of(answer, cast.alice)
    assert alice["step"] == "individual-contributor-2"
    assert cell_of(alice, "communication") == {
        "competency": "communication",
        "level": 3,
        "expected": 2,
        "assessed_on": timezone.localdate().isoformat(),
        "source": "manager",
        "state": "above",
    }
    assert cell_of(alice, "ownership")["state"] == "at"
    assert cell_of(alice, "craft")["state"] == "not_assessed"
    assert cell_of(alice, "leading-teams")["state"] == "not_expected"
    assert cell_of(row_of(answer, platform.engineers[1]), "communication")["state"] == "below"


def test_the_page_says_each_state_in_words_and_symbols_not_colour_alone(login, cast, platform):
    page = login(cast.bob).get(TEAM)
    assert page.status_code == 200
    text = page.content.decode()
    assert f'<th scope="row"><a href="/people/{cast.alice.pk}/">Alice Employee</a>' in text
    assert "▲</span> 3 / 2" in text and "above the expected" in text
    assert "▼</span> 1 / 2" in text and "below the expected" in text
    assert "?</span> not assessed" in text and "–</span> not expected" in text
    history = reverse("growth:competency_history", args=[cast.alice.pk, "communication"])
    assert f'href="{history}"' in text


def test_sorting_by_a_competency_puts_the_furthest_below_first(login, cast, platform):
    answer = login(cast.bob).get(API, {"sort": "ownership"}).json()
    states = [cell_of(row, "ownership")["state"] for row in answer["people"]]
    assert states[:2] == ["at", "above"] and set(states[2:]) == {"not_assessed"}
    names = [row["person"]["name"] for row in login(cast.bob).get(API).json()["people"]]
    assert names == sorted(names)


def test_below_expectation_only_and_a_category(login, cast, platform):
    answer = login(cast.bob).get(API, {"below": "true", "category": "core"}).json()
    assert {row["person"]["id"] for row in answer["people"]} == {
        p.pk for p in platform.engineers[1:]
    }
    assert {c["category"] for c in answer["competencies"]} == {"core"}
    page = login(cast.bob).get(TEAM, {"below": "1", "category": "craft"})
    assert "Nobody is below expectation in these competencies." in page.content.decode()


def test_an_unknown_sort_or_category_shows_everything_by_name(login, cast, platform):
    answer = login(cast.bob).get(API, {"sort": "nope", "category": "nope"}).json()
    assert len(answer["competencies"]) == 11 and len(answer["people"]) == 6
    assert login(cast.bob).get(TEAM, {"sort": "x" * 500}).status_code == 200


def test_a_manager_sees_only_their_direct_reports(login, cast, platform):
    answer = login(cast.carol).get(API).json()
    assert [row["person"]["id"] for row in answer["people"]] == [cast.bob.pk]
    # Bob has no assessment: his row is all "not assessed" or "not expected".
    assert {cell["state"] for cell in answer["people"][0]["cells"]} <= {
        "not_assessed",
        "not_expected",
    }


def test_a_leaver_is_not_on_it(login, cast, platform):
    leaver = platform.engineers[5]
    Person.objects.filter(pk=leaver.pk).update(leave_date=timezone.localdate() - timedelta(1))
    answer = login(cast.bob).get(API).json()
    assert leaver.pk not in {row["person"]["id"] for row in answer["people"]}


def test_nobody_else_sees_a_team_heatmap(login, cast, platform):
    for who in (cast.alice, cast.dave, cast.erin, cast.frank):
        client = login(who)
        assert client.get(TEAM).status_code == 403
        answer = client.get(API)
        assert answer.status_code == 403 and "detail" in answer.json()


def test_reading_it_is_in_each_reports_access_log(login, cast, platform):
    login(cast.bob).get(TEAM)
    logged = AccessLogEntry.objects.filter(viewer=cast.bob)
    assert {entry.subject_id for entry in logged} == {p.pk for p in platform.engineers}


def test_without_a_framework_it_says_so(login, cast):
    page = login(cast.bob).get(TEAM)
    assert "There is no competency framework yet" in page.content.decode()
    assert login(cast.bob).get(API).json() == {
        "framework_version": None,
        "competencies": [],
        "people": [],
    }


def test_a_level_assessed_over_a_year_ago_says_so(login, cast, platform):
    from growth.models import Assessment

    long_ago = timezone.now() - timedelta(days=400)
    Assessment.objects.filter(subject=cast.alice).update(manager_shared_at=long_ago)
    text = login(cast.bob).get(TEAM).content.decode()
    assert text.count("over a year ago") == 2  # Alice's communication and ownership
