"""Insights' pages with every chart computed, in a real browser: each chart drawn on its canvas,
nothing wider than a phone, no id twice, and axe-core finds nothing (the generic browser test
opens the same pages before any figure is computed)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.tests.browser import chromium, snap
from cadence.tests.browser import pytestmark as browser_marks
from cadence.tests.test_every_page_in_a_browser import (
    AXE,
    DESKTOP,
    DUPLICATE_IDS,
    PHONE,
    WIDTH,
    axe_violations,
    signed_in,
)
from insights import compute
from insights.tests.acme import (  # noqa: F401 - the fixtures
    acme_fixture,
    development_fixture,
    flow_fixture,
    goals_fixture,
    pulse_fixture,
    reviews_fixture,
    rhythm_fixture,
    skills_fixture,
)

pytestmark = [*browser_marks, pytest.mark.django_db(transaction=True)]

KINDS = ("rhythm", "goals", "feedback", "development", "skills", "engagement", "reviews")
PAGES = [("insights:team", "max"), ("insights:organisation", "cleo"), ("insights:hr", "hana")]


@pytest.fixture
def site(live_server, acme, rhythm, goals, flow, development, skills, reviews, pulse):
    compute.compute(timezone.now())
    return live_server


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
def test_the_pages_with_every_chart_fit_a_phone_and_pass_axe(site, acme):
    with chromium() as browser:
        for name, who in PAGES:
            url = site.url + reverse(name)
            for viewport, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
                context, page = signed_in(browser, site, getattr(acme, who), viewport)
                assert page.goto(url).status == 200
                page.wait_for_function(
                    "() => [...document.querySelectorAll('canvas.insights-canvas')]"
                    ".every((c) => window.Chart && Chart.getChart(c))"
                )
                drawn = page.evaluate(
                    "() => [...document.querySelectorAll('canvas.insights-canvas')]"
                    ".map((c) => c.dataset.source)"
                )
                # A manager's skills are on Talent's team heatmap: no chart of theirs here.
                expected = {k for k in KINDS if not (k == "skills" and name == "insights:team")}
                assert {f"chart-{kind}-data" for kind in expected} <= set(drawn), drawn
                snap(page, f"insights-{name.split(':')[1]}-{label}")
                if viewport is PHONE:
                    measured = page.evaluate(WIDTH)
                    assert measured["scrollWidth"] <= PHONE["width"], (name, measured)
                    assert page.evaluate(DUPLICATE_IDS) == []
                else:
                    assert axe_violations(page) == [], name
                assert page.problems == []
                context.close()
