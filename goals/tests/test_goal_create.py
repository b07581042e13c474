"""Writing a goal: whose it is, its period, who sees it, what it supports and its key results."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.models import GoalTemplate, KeyResult, Objective, quarter_of
from goals.tests.factories import make_goal

CREATE = reverse("goals:create")


def key_result_rows(rows, prefix="kr", total=5):
    data = {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "5",
    }
    blank = {"title": "", "type": "metric", "start_value": "", "target_value": ""}
    for index in range(total):
        row = rows[index] if index < len(rows) else {}
        values = {**blank, "unit": "", "direction": "", "weight": "1", **row}
        data.update({f"{prefix}-{index}-{name}": value for name, value in values.items()})
    return data


def goal_data(owner, key_results=(), **changes):
    """What the form posts: `owner` is a person, a team or "company"."""
    if owner == "company":
        owner_value = "company"
    elif hasattr(owner, "email"):
        owner_value = f"person:{owner.pk}"
    else:
        owner_value = f"team:{owner.pk}"
    data = {
        "title": "Close 12 enterprise deals",
        "description": "Enterprise customers fund the roadmap.",
        "kind": "result",
        "owner": owner_value,
        "period": "this_quarter",
        "start_date": "",
        "end_date": "",
        "visibility": "public",
        "parent": "",
        "template": "",
        **key_result_rows(key_results),
    }
    return {**data, **changes}


DEALS = {"title": "Deals closed", "start_value": "0", "target_value": "12", "unit": "deals"}


def owner_choices(response):
    return [value for value, _label in response.context["form"].fields["owner"].widget.choices]


# --- Whose goal -------------------------------------------------------------------------------


def test_the_form_offers_myself_my_reports_and_the_teams_i_lead(login, cast):
    response = login(cast.bob).get(CREATE)
    assert response.status_code == 200
    owners = response.context["form"].owners
    assert set(owners) == {
        f"person:{cast.bob.pk}",
        f"person:{cast.alice.pk}",
        f"team:{cast.platform.pk}",
    }


def test_only_hr_and_the_top_of_the_organisation_may_set_company_goals(login, cast):
    assert "company" not in login(cast.alice).get(CREATE).context["form"].owners
    assert "company" not in login(cast.bob).get(CREATE).context["form"].owners
    assert "company" in login(cast.carol).get(CREATE).context["form"].owners
    assert "company" in login(cast.erin).get(CREATE).context["form"].owners


def test_it_saves_a_goal_with_its_key_results_and_shows_it(login, cast):
    response = login(cast.alice).post(CREATE, goal_data(cast.alice, [DEALS]))
    goal = Objective.objects.get()
    assert response.status_code == 302
    assert response.url == goal.get_absolute_url()
    assert (goal.owner_person, goal.created_by) == (cast.alice, cast.alice)
    assert (goal.start_date, goal.end_date) == quarter_of(timezone.localdate())
    result = goal.key_results.get()
    assert (result.title, result.start_value, result.target_value) == ("Deals closed", 0, 12)
    assert (result.current_value, result.weight, result.direction) == (0, 1, "increase")
    followed = login(cast.alice).get(response.url)
    assert "is saved" in followed.text


def test_an_objective_without_key_results_is_allowed(login, cast):
    data = goal_data(cast.alice, title="Learn to give feedback well", kind="learning")
    login(cast.alice).post(CREATE, data)
    goal = Objective.objects.get()
    assert goal.key_results.count() == 0
    assert goal.progress is None


def test_a_manager_sets_a_goal_for_a_report_and_a_team(login, cast):
    client = login(cast.bob)
    client.post(CREATE, goal_data(cast.alice, title="Alice's goal"))
    client.post(CREATE, goal_data(cast.platform, title="Platform's goal", visibility="team"))
    assert Objective.objects.get(title="Alice's goal").owner_person == cast.alice
    assert Objective.objects.get(title="Platform's goal").owner_team == cast.platform


def test_nobody_sets_a_goal_for_someone_who_does_not_report_to_them(login, cast):
    response = login(cast.alice).post(CREATE, goal_data(cast.dave))
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Objective.objects.exists()


def test_an_employee_may_not_set_a_company_goal(login, cast):
    response = login(cast.alice).post(CREATE, goal_data("company"))
    assert response.status_code == 200
    assert not Objective.objects.exists()


# --- Period -----------------------------------------------------------------------------------


def test_next_quarter_and_this_year_set_the_dates(login, cast):
    today = timezone.localdate()
    client = login(cast.alice)
    client.post(CREATE, goal_data(cast.alice, title="Next", period="next_quarter"))
    client.post(CREATE, goal_data(cast.alice, title="Year", period="this_year"))
    following = quarter_of(quarter_of(today)[1] + timedelta(days=1))
    assert Objective.objects.get(title="Next").start_date == following[0]
    year = Objective.objects.get(title="Year")
    assert (year.start_date, year.end_date) == (date(today.year, 1, 1), date(today.year, 12, 31))


def test_custom_dates_are_kept(login, cast):
    data = goal_data(cast.alice, period="custom", start_date="2026-02-10", end_date="2026-05-20")
    login(cast.alice).post(CREATE, data)
    goal = Objective.objects.get()
    assert (goal.start_date, goal.end_date) == (date(2026, 2, 10), date(2026, 5, 20))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-05-20", "2026-02-10", "The end date must be after the start date."),
        ("2026-05-20", "2026-05-20", "The end date must be after the start date."),
        ("", "", "Give the dates, or choose a period above."),
    ],
)
def test_custom_dates_need_an_end_after_the_start(login, cast, start, end, message):
    data = goal_data(cast.alice, period="custom", start_date=start, end_date=end)
    response = login(cast.alice).post(CREATE, data)
    assert response.status_code == 200
    assert message in response.text
    assert not Objective.objects.exists()


def test_custom_dates_are_ignored_for_a_named_period(login, cast):
    data = goal_data(cast.alice, start_date="not a date", end_date="2020-01-01")
    assert login(cast.alice).post(CREATE, data).status_code == 302


# --- Visibility ------------------------------------------------------------------------------


def test_a_team_goal_cannot_be_private(login, cast):
    data = goal_data(cast.platform, visibility="private")
    response = login(cast.bob).post(CREATE, data)
    assert "Only a person&#x27;s goal can be private" in response.text
    assert not Objective.objects.exists()


def test_a_company_goal_is_always_public(login, cast):
    response = login(cast.erin).post(CREATE, goal_data("company", visibility="team"))
    assert "A company goal is always seen by everyone." in response.text
    login(cast.erin).post(CREATE, goal_data("company"))
    assert Objective.objects.get().visibility == "public"


def test_a_private_goal_of_a_person_is_allowed(login, cast):
    login(cast.alice).post(CREATE, goal_data(cast.alice, visibility="private"))
    assert Objective.objects.get().visibility == "private"


# --- Alignment -------------------------------------------------------------------------------


def test_it_aligns_to_a_goal_the_owner_may_see_in_an_overlapping_period(login, cast):
    team_goal = make_goal(team=cast.platform, title="Platform goal", visibility="team")
    response = login(cast.alice).get(CREATE)
    assert team_goal in response.context["form"].fields["parent"].queryset
    login(cast.alice).post(CREATE, goal_data(cast.alice, parent=team_goal.pk))
    goal = Objective.objects.get(owner_person=cast.alice)
    assert goal.parent == team_goal
    assert goal.path == f"/{team_goal.pk}/{goal.pk}/"


def test_it_does_not_offer_goals_the_viewer_cannot_see(login, cast):
    hidden = make_goal(cast.bob, title="Bob private", visibility="private")
    response = login(cast.alice).post(CREATE, goal_data(cast.alice, parent=hidden.pk))
    assert "Select a valid choice" in response.text
    assert "Bob private" not in response.text
    assert Objective.objects.count() == 1


def test_it_refuses_a_parent_in_another_period(login, cast):
    parent = make_goal(team=cast.platform, title="Platform this quarter")
    data = goal_data(cast.alice, period="next_quarter", parent=parent.pk)
    response = login(cast.alice).post(CREATE, data)
    assert "choose a goal whose period overlaps this one" in response.text
    assert Objective.objects.count() == 1


# --- Key results --------------------------------------------------------------------------------


def test_a_falling_target_means_a_decreasing_key_result(login, cast):
    churn = {"title": "Monthly churn", "start_value": "8", "target_value": "5", "unit": "%"}
    login(cast.alice).post(CREATE, goal_data(cast.alice, [churn]))
    assert KeyResult.objects.get().direction == "decrease"


def test_a_direction_against_the_target_is_refused(login, cast):
    churn = {"title": "Churn", "start_value": "8", "target_value": "5", "direction": "increase"}
    response = login(cast.alice).post(CREATE, goal_data(cast.alice, [churn]))
    assert "The target does not go in the chosen direction." in response.text
    assert not Objective.objects.exists()


def test_a_measurable_key_result_needs_a_start_and_a_target(login, cast):
    response = login(cast.alice).post(CREATE, goal_data(cast.alice, [{"title": "Deals"}]))
    assert "A measurable key result needs a" in response.text
    assert not Objective.objects.exists()


def test_a_milestone_needs_no_numbers(login, cast):
    milestone = {"title": "Launch the portal", "type": "milestone"}
    login(cast.alice).post(CREATE, goal_data(cast.alice, [DEALS, milestone]))
    results = list(KeyResult.objects.order_by("position"))
    assert [(r.title, r.type, r.position) for r in results] == [
        ("Deals closed", "metric", 0),
        ("Launch the portal", "milestone", 1),
    ]


@pytest.mark.parametrize("number", ["nan", "inf", "-Infinity", "1e400"])
def test_numbers_must_be_finite(login, cast, number):
    row = {**DEALS, "target_value": number}
    response = login(cast.alice).post(CREATE, goal_data(cast.alice, [row]))
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors["target_value"]
    assert errors[0] in (
        "Enter a number, such as 42 or 3.5.",
        "Enter a finite number below a trillion.",
    )
    assert not Objective.objects.exists()


def test_no_more_than_five_key_results(login, cast):
    data = goal_data(cast.alice)
    data.update(key_result_rows([DEALS] * 6, total=6))
    response = login(cast.alice).post(CREATE, data)
    assert response.status_code == 200
    assert not Objective.objects.exists()


def test_bad_input_keeps_everything_typed(login, cast):
    data = goal_data(cast.alice, [DEALS], title="", description="Because customers ask")
    response = login(cast.alice).post(CREATE, data)
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Because customers ask" in response.text
    assert 'value="Deals closed"' in response.text
    assert not Objective.objects.exists()


# --- Templates ---------------------------------------------------------------------------------


@pytest.fixture
def template(db):
    rows = [{"title": "Reviews done", "type": "metric", "unit": "reviews", "start": 0, "target": 4}]
    return GoalTemplate.objects.create(
        title="Grow as a reviewer", kind="learning", key_results=rows
    )


def test_a_template_fills_in_the_form(login, cast, template):
    response = login(cast.alice).get(CREATE, {"template": template.pk})
    assert response.context["form"]["title"].value() == "Grow as a reviewer"
    assert response.context["form"]["kind"].value() == "learning"
    assert response.context["formset"].forms[0]["title"].value() == "Reviews done"
    assert response.context["formset"].forms[0]["target_value"].value() == Decimal(4)


def test_a_goal_from_a_template_keeps_the_template_key_results_left_as_they_are(
    login, cast, template
):
    row = {"title": "Reviews done", "start_value": "0", "target_value": "4", "unit": "reviews"}
    data = goal_data(cast.alice, [row], title="Grow as a reviewer", template=template.pk)
    login(cast.alice).post(CREATE, data)
    goal = Objective.objects.get()
    assert goal.template == template
    assert goal.key_results.get().target_value == 4


def test_an_unknown_template_gives_an_empty_form(login, cast):
    response = login(cast.alice).get(CREATE, {"template": "999"})
    assert response.status_code == 200
    assert response.context["form"]["title"].value() in (None, "")


def test_the_form_needs_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries):
    for index in range(30):
        make_goal(team=cast.platform, title=f"Platform goal {index}")
    client = login(cast.bob)
    with django_assert_max_num_queries(9):
        assert client.get(CREATE).status_code == 200


# --- Key-result rows, added as needed -----------------------------------------------------------


def test_a_new_goal_starts_with_one_key_result_row_and_an_add_button(login, cast):
    response = login(cast.alice).get(CREATE)
    assert len(response.context["formset"].forms) == 1
    assert 'name="kr-TOTAL_FORMS" value="1"' in response.text
    assert 'name="add_key_result"' in response.text
    assert 'id="kr-row-template"' in response.text  # what key-results.js adds
    assert "goals/key-results.js" in response.text
    # The form's first submit button saves: Enter in a field saves, it does not add a row.
    form = response.text[response.text.index('<form method="post" action="/goals/new/"') :]
    first = form[form.index("<button") : form.index(">", form.index("<button"))]
    assert 'type="submit"' in first and "name=" not in first


def test_a_template_starts_with_as_many_rows_as_it_has(login, cast):
    rows = [
        {"title": f"Result {n}", "type": "metric", "unit": "", "start": 0, "target": n}
        for n in (1, 2, 3)
    ]
    template = GoalTemplate.objects.create(title="Three results", key_results=rows)
    response = login(cast.alice).get(CREATE, {"template": template.pk})
    titles = [form["title"].value() for form in response.context["formset"].forms]
    assert titles == ["Result 1", "Result 2", "Result 3"]


def test_add_key_result_without_javascript_keeps_everything_typed(login, cast):
    data = goal_data(cast.alice, [DEALS], title="", description="Because customers ask")
    data.update(key_result_rows([DEALS], total=1), add_key_result="1")
    response = login(cast.alice).post(CREATE, data)
    assert response.status_code == 200
    assert not Objective.objects.exists()
    formset = response.context["formset"]
    assert len(formset.forms) == 2
    assert formset.forms[0]["title"].value() == "Deals closed"
    assert formset.forms[0]["unit"].value() == "deals"
    assert formset.forms[1]["title"].value() in (None, "")
    assert "Because customers ask" in response.text
    assert 'name="kr-TOTAL_FORMS" value="2"' in response.text
    # Nothing is judged yet: the empty title is not an error until the goal is saved.
    assert "This field is required." not in response.text
    # Posted again with the second row filled in, it saves both key results.
    demos = {"title": "Demos given", "start_value": "0", "target_value": "5"}
    data = goal_data(cast.alice)
    data.update(key_result_rows([DEALS, demos], total=2))
    assert login(cast.alice).post(CREATE, data).status_code == 302
    titles = Objective.objects.get().key_results.values_list("title", flat=True)
    assert sorted(titles) == ["Deals closed", "Demos given"]


def test_no_add_button_once_there_are_five_rows(login, cast):
    data = goal_data(cast.alice)
    data.update(key_result_rows([DEALS] * 4, total=4), add_key_result="1")
    response = login(cast.alice).post(CREATE, data)
    assert len(response.context["formset"].forms) == 5
    assert 'name="add_key_result"' not in response.text
    data.update(key_result_rows([DEALS] * 5, total=5))
    response = login(cast.alice).post(CREATE, data)  # tampered with: still five
    assert len(response.context["formset"].forms) == 5


@pytest.mark.parametrize("template", ["²", "abc", str(2**63), "9" * 30])
def test_a_template_that_is_no_id_starts_an_empty_form(login, cast, template):
    page = login(cast.alice).get(reverse("goals:create"), {"template": template})
    assert page.status_code == 200
    assert page.context["form"].initial == {}


# --- What a learning goal develops ---------------------------------------------------------------


@pytest.mark.parametrize(("kind", "linked"), [("learning", True), ("result", False)])
def test_only_a_learning_goal_is_written_with_the_competency_it_develops(cast, kind, linked):
    """The plans module links a learning goal to a competency through this write, and only a
    learning goal: a competency's id on any other goal is refused, and nothing is written."""
    from access.viewer import Viewer
    from cadence.refusals import Refused
    from goals import services
    from goals.forms import GoalForm, KeyResultFormSet

    viewer = Viewer(person=cast.alice)
    form = GoalForm(goal_data(cast.alice, kind=kind, visibility="private"), viewer=viewer)
    results = KeyResultFormSet(
        {"kr-TOTAL_FORMS": "0", "kr-INITIAL_FORMS": "0"}, instance=Objective(), prefix="kr"
    )
    if linked:
        goal = services.create_goal(viewer, form, results, competency_id=7)
        assert Objective.objects.get(pk=goal.pk).competency_id == 7
    else:
        with pytest.raises(Refused) as refused:
            services.create_goal(viewer, form, results, competency_id=7)
        assert [field for field, _message in refused.value.errors] == ["competency"]
        assert not Objective.objects.exists()
