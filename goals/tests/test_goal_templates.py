"""Goal templates: everyone starts from one; HR who may manage people writes them."""

import pytest
from django.urls import reverse

from access.models import HRRole
from goals.models import GoalTemplate
from people.models import Role

LIST, ADD = reverse("goals:templates"), reverse("goals:template_create")


def edit_url(template):
    return reverse("goals:template_edit", args=[template.pk])


def template_data(rows=(), **changes):
    data = {
        "title": "Grow as a reviewer",
        "description": "Reviews spread knowledge.",
        "kind": "learning",
        "role": "",
        "kr-TOTAL_FORMS": "5",
        "kr-INITIAL_FORMS": "0",
        "kr-MIN_NUM_FORMS": "0",
        "kr-MAX_NUM_FORMS": "5",
    }
    for index in range(5):
        row = rows[index] if index < len(rows) else {}
        values = {"title": "", "type": "metric", "start": "", "target": "", "unit": "", **row}
        data.update({f"kr-{index}-{name}": value for name, value in values.items()})
    return {**data, **changes}


REVIEWS = {"title": "Reviews done", "start": "0", "target": "4.5", "unit": "reviews"}


@pytest.fixture
def template(db):
    rows = [{"title": "Reviews done", "type": "metric", "unit": "reviews", "start": 0, "target": 4}]
    return GoalTemplate.objects.create(title="Grow as a reviewer", key_results=rows)


def test_everyone_sees_the_templates_with_a_link_to_start_from_one(login, cast, template):
    response = login(cast.alice).get(LIST)
    assert response.status_code == 200
    assert "Grow as a reviewer" in response.text
    assert f"{reverse('goals:create')}?template={template.pk}" in response.text
    assert edit_url(template) not in response.text


def test_hr_gets_the_edit_links(login, cast, template):
    response = login(cast.erin).get(LIST)
    assert edit_url(template) in response.text
    assert ADD in response.text


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "frank"])
def test_only_hr_who_may_manage_people_writes_templates(login, cast, template, who):
    client = login(getattr(cast, who))
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, template_data()).status_code == 403
    assert client.get(edit_url(template)).status_code == 403
    assert client.post(edit_url(template), template_data(title="Changed")).status_code == 403
    assert GoalTemplate.objects.get().title == "Grow as a reviewer"


def test_hr_without_people_management_may_not_write_templates(login, cast):
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=False)
    assert login(cast.erin).get(ADD).status_code == 403


def test_hr_adds_a_template_with_key_results(login, cast):
    role = Role.objects.create(name="Software engineer")
    data = template_data([REVIEWS, {"title": "Talk given", "type": "milestone"}], role=role.pk)
    response = login(cast.erin).post(ADD, data)
    assert response.status_code == 302
    template = GoalTemplate.objects.get()
    assert (template.title, template.kind, template.role) == (
        "Grow as a reviewer",
        "learning",
        role,
    )
    assert template.key_results == [
        {"title": "Reviews done", "type": "metric", "unit": "reviews", "start": 0, "target": 4.5},
        {"title": "Talk given", "type": "milestone", "unit": "", "start": None, "target": None},
    ]


def test_the_edit_form_shows_the_stored_key_results(login, cast, template):
    response = login(cast.erin).get(edit_url(template))
    assert response.status_code == 200
    assert 'value="Reviews done"' in response.text


def test_hr_edits_a_template_and_an_emptied_row_is_left_out(login, cast, template):
    data = template_data(
        [{"title": ""}, {**REVIEWS, "title": "Reviews given"}], title="Review well"
    )
    data["kr-INITIAL_FORMS"] = "1"
    login(cast.erin).post(edit_url(template), data)
    template.refresh_from_db()
    assert template.title == "Review well"
    assert [row["title"] for row in template.key_results] == ["Reviews given"]


@pytest.mark.parametrize("number", ["nan", "inf", "1e400"])
def test_template_numbers_must_be_finite(login, cast, number):
    response = login(cast.erin).post(ADD, template_data([{**REVIEWS, "target": number}]))
    assert response.status_code == 200
    assert not GoalTemplate.objects.exists()


def test_an_unknown_template_is_not_found(login, cast):
    assert login(cast.erin).get(reverse("goals:template_edit", args=[999])).status_code == 404


def test_the_list_needs_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries):
    role = Role.objects.create(name="Software engineer")
    GoalTemplate.objects.bulk_create(GoalTemplate(title=f"T{i}", role=role) for i in range(60))
    client = login(cast.alice)
    with django_assert_max_num_queries(6):
        assert client.get(LIST).status_code == 200


def test_the_template_form_adds_key_result_rows_as_needed(login, cast):
    client = login(cast.erin)
    assert len(client.get(ADD).context["formset"].forms) == 1
    data = template_data([REVIEWS], **{"kr-TOTAL_FORMS": "1"}, add_key_result="1")
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert not GoalTemplate.objects.exists()
    forms = response.context["formset"].forms
    assert [form["title"].value() for form in forms][:1] == ["Reviews done"]
    assert len(forms) == 2
