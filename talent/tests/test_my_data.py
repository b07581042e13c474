"""My data says that the organisation skills heatmap counts one's assessed levels: an
aggregate, which holds no person (its rows are counts of groups)."""

from django.urls import reverse

from talent.models import SkillCell, SkillGroup, SkillRun


def test_my_data_lists_the_heatmap_as_a_report_that_counts_me(login, cast, platform):
    response = login(cast.alice).get(reverse("trust:my_data"))
    counted = {c.aggregate.key: c.count for c in response.context["data"].aggregates}
    assert counted["talent.skills_heatmap"] == 1  # Bob shared his ratings of her assessment
    assert "Organisation skills heatmap" in response.text


def test_the_counts_hold_no_person():
    for model in (SkillRun, SkillGroup, SkillCell):
        related = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
        assert not any(m._meta.label == "people.Person" for m in related), model
