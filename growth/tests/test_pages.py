"""Growth's pages for everyone: where I stand, the framework, its download and the career map,
through the real views, with their query counts pinned."""

import pytest
from django.urls import reverse

from growth import document
from growth.tests.factories import publish
from organisation import current

INDEX, FRAMEWORK, CAREER = (reverse(f"growth:{name}") for name in ("index", "framework", "career"))


def test_where_i_stand_shows_my_profile_and_what_it_expects(login, cast, framework):
    page = login(cast.alice).get(INDEX).text
    assert "Software engineer" in page and "Intermediate" in page
    assert "Individual contributor" in page
    assert 'href="/growth/framework/#c-communication">Communication</a>' in page
    assert "2 · Practising" in page
    assert "Leading a team" not in page  # not expected of her


def test_where_i_stand_says_when_my_role_is_not_on_a_track(login, cast, framework):
    page = login(cast.dave).get(INDEX).text
    assert "Your job role and level are not recorded yet" in page
    cast.alice.level = 9
    cast.alice.save()
    page = login(cast.alice).get(INDEX).text
    assert "no role profile for Software engineer at level 9" in page


def test_without_a_framework_hr_is_offered_to_start_one(login, cast, client):
    assert "Start one" not in login(cast.alice).get(INDEX).text
    client.logout()
    page = login(cast.erin).get(INDEX).text
    assert "no competency framework yet" in page and "Start one" in page


def test_the_framework_page_shows_competencies_by_category_with_their_levels(
    login, cast, framework
):
    page = login(cast.alice).get(FRAMEWORK).text
    assert "Version 1, published" in page
    assert page.index(">Core</h2>") < page.index(">Craft</h2>") < page.index(">Leadership</h2>")
    assert 'id="c-developing-people"' in page
    assert "Keeps their team informed about their own work" in page
    assert "Posts a short update when a task is done or blocked." in page
    assert reverse("growth:export", args=[1]) in page
    assert reverse("growth:import") not in page  # HR's


def test_hr_sees_import_and_with_no_framework_the_starter(login, cast, client):
    page = login(cast.erin).get(FRAMEWORK).text
    assert "Start from the starter framework" in page
    assert reverse("growth:import") in page
    client.logout()
    page = login(cast.alice).get(FRAMEWORK).text
    assert "Start from the starter framework" not in page
    assert "HR has not published one yet." in page


def test_the_version_history_lists_every_version_the_newest_first(login, cast, framework):
    text = document.write(document.read(login(cast.alice).get(_download(1)).text))
    publish(text.replace("name: Communication", "name: Communicating"), note="Clearer words")
    page = login(cast.alice).get(FRAMEWORK).text
    assert "Version 2, published" in page
    assert page.index("Clearer words") < page.index(reverse("growth:export", args=[1]))


def _download(number):
    return reverse("growth:export", args=[number])


def test_the_download_is_the_yaml_an_import_reads_unchanged(login, cast, framework):
    response = login(cast.alice).get(_download(1))
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert 'filename="competency-framework-v1.yaml"' in response["Content-Disposition"]
    text = response.content.decode()
    assert "- Software engineer" in text
    client = login(cast.erin)
    preview = client.post(reverse("growth:import"), {"text": text})
    assert "there is nothing to publish" in preview.text


def test_a_version_that_does_not_exist_is_not_found(login, cast, framework):
    assert login(cast.alice).get(_download(2)).status_code == 404


def test_the_career_map_marks_where_i_am_and_compares_the_next_step(login, cast, framework):
    page = login(cast.alice).get(CAREER).text
    mine = page.index("You are here")
    assert page.rindex("Intermediate", 0, mine) > page.rindex("Senior", 0, mine)
    assert "From Intermediate to Senior (Individual contributor)" in page
    # Senior expects 3 of communication where she is expected 2; and mentoring, new to her.
    assert "Communication</a></td>" in page
    assert "2 · Practising" in page and "3 · Proficient" in page
    assert "Developing people" in page
    assert "1 level higher" in page and "2 levels higher" in page
    assert "Customer focus" not in page.split('id="comparison"')[1]  # 2 → 2: unchanged


def test_choosing_a_step_on_another_track_compares_with_it(login, cast, framework):
    page = login(cast.alice).get(CAREER, {"to": "management-4"}).text
    comparison = page.split('id="comparison"')[1]
    assert "From Intermediate to Manager (Management)" in comparison
    assert "Leading a team" in comparison
    assert "other competencies stay as they are" not in comparison  # every one changes


def test_with_htmx_only_the_comparison_comes_back(login, cast, framework):
    response = login(cast.alice).get(
        CAREER, {"to": "management-5"}, headers={"HX-Request": "true", "HX-Target": "comparison"}
    )
    assert response.text.lstrip().startswith('<section class="card comparison" id="comparison"')
    assert "From Intermediate to Head of department" in response.text
    assert "<html" not in response.text


def test_someone_without_a_step_sees_what_a_chosen_step_expects(login, cast, framework):
    page = login(cast.dave).get(CAREER, {"to": "individual-contributor-1"}).text
    assert "You are here" not in page
    assert "What Junior (Individual contributor) expects" in page
    page = login(cast.dave).get(CAREER, {"to": "nowhere"}).text
    assert "Choose a step to see what it expects." in page


def test_the_career_map_without_a_framework_says_so(login, cast):
    assert "There are no career tracks yet" in login(cast.alice).get(CAREER).text


@pytest.mark.parametrize(
    ("url", "who", "most"),
    [
        # The session, the person, the shell's navigation (HR role, what waits); then the
        # framework: its version, levels, competencies, behaviours, tracks, their roles,
        # profiles and expectations (`growth.queries.load`).
        # And my development plan, with its counts; my assessments and the levels that count
        # (read once, for my expectations and for the plan's readiness); whether I manage
        # anyone comes with the navigation's counts, read first.
        (INDEX, "alice", 8),
        (FRAMEWORK, "alice", 13),  # and the version history
        (FRAMEWORK, "erin", 13),
        (CAREER, "alice", 12),
        (reverse("growth:export", args=[1]), "alice", 10),
        (reverse("growth:import"), "erin", 5),
    ],
)
def test_each_page_costs_a_fixed_number_of_queries(
    login, cast, framework, django_assert_max_num_queries, url, who, most
):
    client = login(getattr(cast, who))
    client.get(url)  # the session and the settings, kept after the first request
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


def test_a_switched_off_module_is_gone(login, cast, framework):
    row = current.row()
    row.modules_off = ["growth"]
    row.save()
    client = login(cast.alice)
    for url in (INDEX, FRAMEWORK, CAREER, _download(1), "/api/v1/growth/framework"):
        assert client.get(url).status_code == 404, url


def test_the_plan_card_is_on_the_page_once_and_not_in_its_title_or_head(login, cast, framework):
    page = login(cast.alice).get(INDEX).text
    head = page.split("</head>", 1)[0]
    assert "my-plan-h" not in head
    assert page.count('id="my-plan-h"') == 1
