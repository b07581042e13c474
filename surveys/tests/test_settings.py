"""The survey thresholds on Administration's privacy tab: organisation-wide HR who may manage
people changes them (audited), a number below the floor is refused on the form and nothing is
lost, others read them."""

import pytest
from django.urls import reverse

from access.models import HRRole
from surveys.models import SurveySettings
from trust.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = reverse("organisation:privacy")


@pytest.fixture
def erin_manages(cast):
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=True)


def test_hr_sets_the_thresholds_and_the_change_is_audited(login, cast, erin_manages):
    erin = login(cast.erin)
    saved = erin.post(
        URL,
        {"part": "surveys", "surveys-anonymity_threshold": "7", "surveys-comment_threshold": "9"},
    )
    assert saved.status_code == 302
    found = SurveySettings.load()
    assert (found.anonymity_threshold, found.comment_threshold) == (7, 9)
    entry = AuditEntry.objects.get(action="surveys.settings_changed")
    assert entry.changes == {"anonymity_threshold": [5, 7], "comment_threshold": [5, 9]}


def test_a_threshold_below_the_floor_is_refused_and_the_form_keeps_what_was_typed(
    login, cast, erin_manages
):
    page = login(cast.erin).post(
        URL,
        {"part": "surveys", "surveys-anonymity_threshold": "2", "surveys-comment_threshold": "4"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("errorlist") >= 2 or "Ensure this value is greater" in html
    assert 'value="2"' in html and 'value="4"' in html
    assert SurveySettings.load().anonymity_threshold == 5


def test_hr_who_may_not_manage_people_reads_them_only(login, cast):
    HRRole.objects.filter(person=cast.erin).update(can_manage_people=False)
    erin = login(cast.erin)
    page = erin.get(URL).content.decode()
    assert "at least 5 people in it answered" in page
    refused = erin.post(
        URL,
        {"part": "surveys", "surveys-anonymity_threshold": "7", "surveys-comment_threshold": "9"},
    )
    assert refused.status_code == 403
    assert SurveySettings.load().anonymity_threshold == 5
