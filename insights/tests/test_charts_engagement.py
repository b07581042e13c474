"""Engagement, psychological safety and eNPS, read only as Surveys releases them: a closed round
of an organisation-wide pulse that all sixteen people of Acme answered
(`insights.tests.acme`); Alpha, Beta and the rest of Acme answer differently.

Released by the round (k = 5): everyone, Acme, Alpha and Beta; Tiny (three) is not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from access.viewer import Viewer
from insights import compute, scopes
from insights.models import Snapshot
from insights.tests.acme import acme_fixture, answer, pulse_fixture  # noqa: F401 - fixtures
from insights.tests.reading import block, csv_rows, html_of
from surveys import results, rounds
from surveys.tests.factories import make_survey

pytestmark = pytest.mark.django_db


def test_hr_reads_the_whole_audience_as_surveys_released_it(client, login, acme, pulse):
    login(acme.hana)
    rows = csv_rows(client, "hr", "engagement")
    assert [(r["Survey"], r["Group"], r["Respondents"], r["Figure"]) for r in rows] == [
        ("Acme pulse", "Everyone", "16", "3.06"),  # (6 × 4 + 5 × 2 + 5 × 3) / 16
        ("Acme pulse", "Alpha", "6", "4.0"),
        ("Acme pulse", "Beta", "5", "2.0"),
    ]
    safety = csv_rows(client, "hr", "engagement", measure="safety")
    assert safety[0]["Figure"] == "6.0"  # 2 on a reverse-worded statement: 8 − 2
    enps = csv_rows(client, "hr", "engagement", measure="enps")
    assert enps[0]["Figure"] == "6"  # (6 promoters − 5 detractors) / 16
    found = block(client, "hr", "engagement", measure="enps")
    assert found.snapshot.n == 16
    assert found.drawing()["y"] == {"min": -100, "max": 100, "title": "eNPS (−100 to 100)"}


def test_the_figures_are_surveys_own(acme, pulse):
    survey, found = pulse
    published = results.load(Viewer(acme.hana), survey, everything=True).of(found, "all")
    snapshot = Snapshot.objects.get(kind="engagement", scope=scopes.ORG, variant="")
    assert snapshot.data["rows"][0]["value"] == round(published.engagement, 2)
    enps = Snapshot.objects.get(kind="engagement", scope=scopes.ORG, variant="enps")
    assert enps.data["rows"][0]["value"] == published.enps


def test_a_leader_reads_their_team_and_the_teams_below_it(client, login, acme, pulse):
    login(acme.cleo)
    rows = {r["Group"]: r for r in csv_rows(client, "organisation", "engagement")}
    # Acme is the only top-level team: its readers read everyone, as on Surveys' page, and
    # the round released Acme (the same sixteen people) under that name alone.
    assert {group: row["Figure"] for group, row in rows.items()} == {
        "Everyone": "3.06",
        "Alpha": "4.0",
        "Beta": "2.0",
    }
    assert rows["Beta"]["Respondents"] == "5"


def test_a_team_below_the_minimum_shows_no_engagement_figure(client, login, acme, pulse):
    login(acme.hana)
    found = block(client, "hr", "engagement", team=acme.tiny.pk)  # three people
    assert found.snapshot is not None and found.empty
    for measure in ("", "safety", "enps"):
        assert not Snapshot.objects.get(
            kind="engagement", scope=scopes.team_scope(acme.tiny.pk), variant=measure
        ).data
    body = html_of(client, "hr", team=acme.tiny.pk)
    assert "Nothing to show" in body
    acme_rows = csv_rows(client, "hr", "engagement", team=acme.acme.pk)
    assert "Tiny" not in {row["Group"] for row in acme_rows}


def test_a_manager_reads_the_team_they_lead_as_surveys_shows_it_them(client, login, acme, pulse):
    login(acme.max)
    rows = csv_rows(client, "team", "engagement")
    assert [(r["Group"], r["Figure"]) for r in rows] == [("Alpha", "4.0")]
    login(acme.bea)
    assert [r["Figure"] for r in csv_rows(client, "team", "engagement")] == ["2.0"]


def test_nothing_the_round_did_not_release_is_shown(client, login, acme):
    """Only Beta's four answer: the round releases nothing, and nothing is shown anywhere."""
    survey = make_survey(
        keys=("engagement-energy", "safety-mistakes", "enps"),
        name="Quiet pulse",
        starts_on=acme.today - timedelta(days=10),
    )
    found = rounds.open_round(survey, acme.today - timedelta(days=10))
    answering = {p.pk for p in acme.b}
    answer(found, acme.everyone, lambda p: (1, 1, 0) if p.pk in answering else None)
    found.refresh_from_db()
    assert found.released == []
    compute.compute(timezone.now(), kinds=["engagement"])
    assert not Snapshot.objects.filter(kind="engagement").exclude(data={}).exists()
    login(acme.bea)
    assert block(client, "team", "engagement").empty
