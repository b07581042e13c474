"""Every page, as every persona, in a real browser on a phone (390 px wide): nothing scrolls
sideways, no id is used twice, radio buttons sit in a fieldset with a legend, every navigation
entry is in sight; and axe-core (node_modules, an npm development package) finds no
accessibility problem of any impact on any page (desktop width).

The pages are not listed here: they are the authorization matrix's routes that a persona may
open (`test_authorization_matrix.MATRIX`, outcome OK for a GET), on the generic rules tests'
generated organisation (`access/tests/population.py`, every app's objects) plus the matrix's
own objects; a new page is checked the moment its matrix entry lands. One Chromium serves the
whole module; each persona gets a fresh context, signed in by its session cookie.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from access.tests.population import build as build_population
from accounts.models import ApiToken
from cadence.tests.browser import chromium, playwright, pytestmark, snap  # noqa: F401
from cadence.tests.matrix import CAST, OK
from cadence.tests.test_authorization_matrix import MATRIX
from feedback.models import RaterGroup
from feedback.tests.factories import add_participant, answered_by, close, make_review_cycle
from people.tests.factories import add_people

PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 860}
PERSONAS = ["employee", "manager", "leader", "hr", "admin"]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# Routes that answer a GET with 200 but are not a page: a liveness probe.
NOT_PAGES = {"healthz"}


def pages_for(role):
    """The matrix's pages `role` may open: (route name, Route), in name order."""
    return [
        (name, route)
        for name, route in sorted(MATRIX.items())
        if route.method == "get"
        and not name.startswith(("api:", "admin:"))
        and name not in NOT_PAGES
        and route.outcome(role) == OK
    ]


# The elements that stick out on the right, deepest first, for the failure message.
WIDTH = """() => {
  const width = document.documentElement.clientWidth;
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && !el.querySelector('*')) {
      const classes = typeof el.className === 'string' ? el.className.trim() : '';
      const where = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (classes ? '.' + classes.split(/\\s+/).join('.') : '');
      sticking.push(where + ' ' + Math.round(box.right) + 'px');
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, sticking: sticking.slice(0, 5)};
}"""

DUPLICATE_IDS = """() => {
  const seen = {};
  for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
  return Object.keys(seen).filter((id) => seen[id] > 1);
}"""

# Radio buttons outside a fieldset named by its legend: their question is not announced.
UNGROUPED_RADIOS = """() => [...document.querySelectorAll('input[type=radio]')]
  .filter((radio) => !radio.closest('fieldset')?.querySelector(':scope > legend'))
  .map((radio) => radio.name)"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:  # one for the whole module
        yield launched


@pytest.fixture
def site(live_server, cast):
    """The generated organisation on the live server, with what its pages show at their widest:
    tokens on the profile, a 360 report with figures and comments, long words."""
    build_population(cast)
    for role in PERSONAS:
        ApiToken.issue(getattr(cast, CAST[role]), "Quarterly reporting script for the board")
    answered_report(cast)
    return live_server


def answered_report(cast):
    """Alice's 360 report in the matrix's cycle (`routes_reports.alices_report` finds it), with
    three peers, her manager and herself answering, and a comment without spaces."""
    participant = add_participant(make_review_cycle("Matrix 360"), cast.alice)
    peers = add_people(3, team=cast.platform, manager=cast.bob, prefix="peer")
    given = [
        (cast.alice, RaterGroup.SELF, 4),
        (cast.bob, RaterGroup.MANAGER, 3),
        *[(peer, RaterGroup.PEER, 5) for peer in peers],
    ]
    unbroken = "https://wiki.example.com/" + "notes" * 20
    answered_by(participant, [(who, group, value, unbroken) for who, group, value in given])
    close(participant.cycle)


def signed_in(browser, live_server, person, viewport):
    context = browser.new_context(viewport=viewport)
    if person is not None:
        client = Client()
        client.force_login(person)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return context, page


def open_page(page, live_server, name, route, cast):
    """Opens the route's page; None when it is not an HTML page (a download, a feed)."""
    kwargs = {key: make(cast) for key, make in route.kwargs.items()}
    url = live_server.url + reverse(name, kwargs=kwargs)
    try:
        response = page.goto(url)
    except playwright.Error as error:  # a file to download (a CSV template, an export)
        if "Download is starting" in str(error):
            return None
        raise
    assert response is not None and response.status == 200, (name, response and response.status)
    if not response.headers.get("content-type", "").startswith("text/html"):
        return None
    return url


@pytest.mark.parametrize("role", ["anonymous", *PERSONAS])
def test_no_page_is_wider_than_a_phone_ids_are_unique_radios_are_grouped(browser, site, cast, role):
    person = None if role == "anonymous" else getattr(cast, CAST[role])
    context, page = signed_in(browser, site, person, PHONE)
    too_wide, duplicates, ungrouped, seen = {}, {}, {}, 0
    for name, route in pages_for(role):
        if open_page(page, site, name, route, cast) is None:
            continue
        seen += 1
        measured = page.evaluate(WIDTH)
        if measured["scrollWidth"] > PHONE["width"]:
            too_wide[name] = measured
            snap(page, f"too-wide-{role}-{name.replace(':', '-')}")
        repeated = page.evaluate(DUPLICATE_IDS)
        if repeated:
            duplicates[name] = repeated
        loose = page.evaluate(UNGROUPED_RADIOS)
        if loose:
            ungrouped[name] = sorted(set(loose))
    context.close()
    assert seen >= 5, f"only {seen} pages for {role}: is the matrix read?"
    assert not too_wide, f"pages wider than {PHONE['width']} px for {role}: {too_wide}"
    assert not duplicates, f"ids used more than once, for {role}: {duplicates}"
    assert not ungrouped, f"radio buttons outside a fieldset with a legend: {ungrouped}"
    assert page.problems == []


@pytest.mark.parametrize("role", PERSONAS)
def test_every_navigation_entry_can_be_reached_on_a_phone(browser, site, cast, role):
    context, page = signed_in(browser, site, getattr(cast, CAST[role]), PHONE)
    page.goto(site.url + reverse("home"))
    navigation = page.get_by_role("navigation", name="Modules")
    links = navigation.get_by_role("link")
    count = links.count()
    assert count >= 5
    snap(page, f"phone-navigation-{role}")
    for index in range(count):
        link = links.nth(index)
        # Visible where it is, without scrolling the strip sideways: nothing is hidden off-screen.
        playwright.expect(link).to_be_in_viewport()
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    context.close()


def axe_violations(page):
    page.evaluate(AXE.read_text())
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
          .map((v) => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}))"""
    )


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
def test_axe_finds_no_violation_on_any_page(browser, site, cast):
    """Each page once, as the first persona who may open it (anonymous for the public ones)."""
    done, violations = set(), {}
    for role in ["anonymous", *PERSONAS]:
        person = None if role == "anonymous" else getattr(cast, CAST[role])
        context, page = signed_in(browser, site, person, DESKTOP)
        for name, route in pages_for(role):
            if name in done:
                continue
            done.add(name)
            if open_page(page, site, name, route, cast) is None:
                continue
            if not page.evaluate("!!document.querySelector('html[lang] title')"):
                continue  # a fragment for htmx, not a page
            found = axe_violations(page)
            if found:
                violations[f"{name} ({role})"] = found
        context.close()
    assert len(done) >= 40
    assert not violations, json.dumps(violations, indent=1)


def test_the_import_preview_fits_a_phone(browser, site, cast, tmp_path):
    """The preview is a POST's answer, so the walk above does not reach it: HR uploads a file
    that adds people with long addresses and changes Alice's job title and manager."""
    csv = tmp_path / "people.csv"
    csv.write_text(
        "email,name,job_title,level,team,manager_email\n"
        "maximiliana.vandenbroeck-oudshoorn@subsidiary.example.com,Maximiliana van den "
        "Broeck-Oudshoorn,Principal infrastructure reliability engineer,5,Platform,"
        "bob@example.com\n"
        "alice@example.com,Alice Employee,Staff software engineer (payments platform),3,"
        "Sales,carol@example.com\n"
    )
    context, page = signed_in(browser, site, cast.erin, PHONE)
    page.goto(site.url + reverse("people:import"))
    page.get_by_label("CSV file").set_input_files(csv)
    page.get_by_role("button", name="Check the file").click()
    playwright.expect(page.get_by_role("heading", name="People added and updated")).to_be_visible()
    snap(page, "phone-import-preview")
    measured = page.evaluate(WIDTH)
    assert measured["scrollWidth"] <= PHONE["width"], measured
    assert page.evaluate(DUPLICATE_IDS) == []
    context.close()


def test_an_hr_systems_import_and_its_column_mappings_fit_a_phone(browser, site, cast):
    """The import page with the column mapping form open (Workday's usual columns), then the
    preview of a Microsoft Entra ID export with what it leaves out: on a phone, and to axe."""
    from people.tests.presets_helpers import FIXTURES

    context, page = signed_in(browser, site, cast.erin, PHONE)
    page.goto(site.url + reverse("people:import") + "?system=workday")
    playwright.expect(page.get_by_label("Column of the work e-mail address")).to_be_visible()
    snap(page, "phone-import-mappings")
    assert page.evaluate(WIDTH)["scrollWidth"] <= PHONE["width"], page.evaluate(WIDTH)
    assert page.evaluate(DUPLICATE_IDS) == []
    if AXE.exists():
        assert axe_violations(page) == []
    page.get_by_label("Exported from").select_option("entra")
    page.get_by_label("CSV file").set_input_files(FIXTURES / "entra.csv")
    page.get_by_role("button", name="Check the file").click()
    playwright.expect(page.get_by_text("This export has no reporting lines")).to_be_visible()
    snap(page, "phone-import-preview-entra")
    assert page.evaluate(WIDTH)["scrollWidth"] <= PHONE["width"], page.evaluate(WIDTH)
    assert page.evaluate(DUPLICATE_IDS) == []
    if AXE.exists():
        assert axe_violations(page) == []
    context.close()
