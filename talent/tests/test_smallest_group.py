"""The organisation heatmap's smallest group is Insights' (`insights.rules.smallest_group`): a
figure of either never stands for fewer people than the other's would."""

from django.urls import reverse
from django.utils import timezone

from insights.rules import smallest_group
from surveys.models import SurveySettings
from talent import skills


def test_the_heatmap_keeps_the_surveys_threshold_as_insights_does(login, cast, platform):
    settings = SurveySettings.load()
    settings.anonymity_threshold = 7
    settings.save()
    assert smallest_group() == 7
    run = skills.count(timezone.now(), force=True)
    assert run.min_group == 7
    answer = login(cast.erin).get(reverse("api:skills_organisation")).json()
    assert answer["min_group"] == 7
    assert all(cell["n"] is None for group in answer["groups"] for cell in group["cells"])
