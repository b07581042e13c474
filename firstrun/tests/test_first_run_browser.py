"""From an empty database to a running pilot, in a real browser on a phone: the set-up code
printed on the server, the first administrator's account, the organisation named, the first HR
person named, the modules chosen (goals and conversations on); then HR accepts the invitation,
adds a team and three people by hand, runs the pilot in that team, keeps the default rhythm and
invites everyone not invited yet (the one outside the pilot is skipped, and the page says so),
while the "Getting started" list on Home shows the progress and is put away; last, an invited
person opens the link in their e-mail, chooses a password and lands on Home, with goals and
conversations."""

import re
from io import StringIO

from django.core import mail
from django.core.management import call_command

from cadence.tests.browser import playwright, pytestmark, snap  # noqa: F401
from people.models import Person

PHONE = {"width": 390, "height": 800}
PASSWORD = "a long walk in the park"
expect = playwright.expect if playwright else None


def fits_a_phone(page):
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px)"


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)
    fits_a_phone(page)


def invitation_path(address):
    message = next(m for m in mail.outbox if m.to == [address] and "invited" in m.subject)
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


def test_from_an_empty_database_to_a_team_with_goals_and_conversations(browser_page, live_server):
    page = browser_page
    page.set_viewport_size(PHONE)
    printed = StringIO()
    call_command("setup_code", stdout=printed)
    code = re.search(r"Set-up code: (\S+)", printed.getvalue()).group(1)

    # Whoever opens the fresh server lands on the sign-in page, which points to /setup/.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="set up Cadence").click()
    heading(page, "Set up Cadence")
    snap(page, "firstrun-claim")
    page.get_by_label("Set-up code").fill(code.lower())
    page.get_by_label("Your name").fill("Ada Admin")
    page.get_by_label("Your e-mail address").fill("ada@example.com")
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_label("The password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    # The guide: the organisation, then its first HR person.
    heading(page, "Name the organisation")
    expect(page.get_by_text("0 of 7 steps done")).to_be_visible()
    snap(page, "firstrun-organisation")
    page.get_by_label("Organisation name").fill("Acme")
    page.get_by_label("Default time zone").select_option("Europe/Amsterdam")
    page.get_by_role("button", name="Save and continue").click()
    heading(page, "Name the first HR person")
    page.get_by_role("textbox", name="Name", exact=True).fill("Hilde HR")
    page.get_by_label("E-mail address").fill("hilde@example.com")
    page.get_by_role("button", name="Save and continue").click()
    heading(page, "Add or import people")
    expect(page.get_by_text("Hilde HR is HR for the whole organisation")).to_be_visible()
    expect(page.get_by_text("This is HR’s step")).to_be_visible()

    # Modules: goals and conversations on, feedback off for now.
    page.get_by_role("link", name="Next").click()
    heading(page, "Choose the modules")
    page.get_by_label("Feedback", exact=True).uncheck()
    page.get_by_role("button", name="Save and continue").click()
    heading(page, "Choose where Cadence runs")
    # The pilot is HR's to choose (below), once there are teams and people.
    page.get_by_role("link", name="Next").click()
    heading(page, "Set the conversation rhythm")
    page.get_by_role("link", name="Next").click()
    heading(page, "Invite people")
    page.get_by_role("link", name="Next").click()
    heading(page, "Finish")
    snap(page, "firstrun-finish")
    page.get_by_role("button", name="Finish setting up").click()
    heading(page, "Hello, Ada")
    expect(page.get_by_text("3 of 7 steps done")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # HR accepts the invitation and finds the list on Home.
    page.goto(live_server.url + invitation_path("hilde@example.com"))
    page.get_by_label(re.compile(r"^New password\b(?! confirmation)")).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Save my password and sign in").click()
    heading(page, "Hello, Hilde")
    card = page.locator(".getting-started")
    expect(card.get_by_text("3 of 7 steps done")).to_be_visible()
    nav = page.get_by_role("navigation", name="Modules")
    expect(nav.get_by_role("link", name="Goals")).to_be_visible()
    expect(nav.get_by_role("link", name="Conversations")).to_be_visible()
    expect(nav.get_by_role("link", name="Feedback")).to_have_count(0)

    # One team and three people, by hand.
    page.goto(f"{live_server.url}/people/teams/new/")
    page.get_by_role("textbox", name="Name", exact=True).fill("Platform")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("The team Platform is added.")).to_be_visible()
    page.goto(f"{live_server.url}/")
    page.locator(".getting-started").get_by_role("link", name="Add a person").click()
    people = [
        ("Pia Pilot", "pia@example.com", "Platform"),
        ("Piet Pilot", "piet@example.com", "Platform"),
        ("Olga Outside", "olga@example.com", None),  # no team yet: outside the pilot
    ]
    for name, address, team in people:
        if name != "Pia Pilot":  # the list's step is done: its links are gone
            page.goto(f"{live_server.url}/people/new/")
        page.get_by_role("textbox", name="Name", exact=True).fill(name)
        page.get_by_label("E-mail address").fill(address)
        if team:
            page.get_by_role("combobox", name="Team", exact=True).select_option(label=team)
        page.get_by_role("button", name="Add").click()
        expect(page.get_by_text(f"{name} is added.")).to_be_visible()
    assert Person.objects.filter(team__name="Platform").count() == 2

    page.goto(f"{live_server.url}/")
    card = page.locator(".getting-started")
    expect(card.get_by_text("4 of 7 steps done")).to_be_visible()
    expect(card.locator(".checklist-item.done")).to_have_count(4)
    fits_a_phone(page)
    snap(page, "firstrun-hr-home")

    # The pilot: Platform only.
    card.get_by_role("link", name="Pilot teams").click()
    heading(page, "Administration")
    page.get_by_label("Run Cadence in the pilot teams only").check()
    page.get_by_label("Platform").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("2 people of 5 are in the pilot.")).to_be_visible()
    snap(page, "firstrun-pilot")

    # The default rhythm kept, from the list on Home.
    page.goto(f"{live_server.url}/")
    card = page.locator(".getting-started")
    expect(card.get_by_text("5 of 7 steps done")).to_be_visible()
    card.get_by_role("button", name="Keep the default rhythm").click()
    expect(card.get_by_text("6 of 7 steps done")).to_be_visible()

    # Invitations: everyone not invited yet, but Olga, outside the pilot.
    mail.outbox.clear()
    card.get_by_role("link", name="Invitations").click()
    heading(page, "Administration")
    expect(page.get_by_text("3 not invited · 0 waiting · 0 expired")).to_be_visible()
    olga = page.get_by_role("row", name=re.compile("Olga Outside"))
    expect(olga.get_by_text("outside the pilot")).to_be_visible()
    fits_a_phone(page)
    snap(page, "firstrun-invitations")
    page.get_by_role("button", name="Invite everyone not invited yet (3)").click()
    expect(page.get_by_text("2 invitations are on their way.")).to_be_visible()
    expect(
        page.get_by_text("1 person is outside the pilot teams and was not invited")
    ).to_be_visible()
    expect(page.get_by_text("1 not invited · 2 waiting · 0 expired")).to_be_visible()
    page.get_by_label("Show").select_option(label="Waiting: invited, the link still works")
    expect(page.get_by_role("row", name=re.compile("Olga Outside"))).to_have_count(0)
    expect(page.get_by_role("row", name=re.compile("Pia Pilot"))).to_be_visible()
    assert sorted(m.to[0] for m in mail.outbox) == ["pia@example.com", "piet@example.com"]

    page.goto(f"{live_server.url}/")
    card = page.locator(".getting-started")
    expect(card.get_by_text("7 of 7 steps done")).to_be_visible()
    card.get_by_role("button", name="Done: put this list away").click()
    expect(page.locator(".getting-started")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    # Pia opens the link in her e-mail, chooses a password and is on Home, in the pilot.
    page.goto(live_server.url + invitation_path("pia@example.com"))
    heading(page, "Welcome, Pia Pilot")
    page.get_by_label(re.compile(r"^New password\b(?! confirmation)")).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Save my password and sign in").click()
    heading(page, "Hello, Pia")
    expect(page.get_by_text("Welcome to Cadence: your password is saved.")).to_be_visible()
    nav = page.get_by_role("navigation", name="Modules")
    expect(nav.get_by_role("link", name="Goals")).to_be_visible()
    expect(nav.get_by_role("link", name="Conversations")).to_be_visible()
    snap(page, "firstrun-invited-home")

    assert page.problems == []

    # The link works once: a second visit says so (410 Gone, which the console reports).
    response = page.goto(live_server.url + invitation_path("pia@example.com"))
    assert response.status == 410
    heading(page, "This invitation was used already")
    expect(page.get_by_role("link", name="Go to Home")).to_be_visible()
    assert [problem for problem in page.problems if "410 (Gone)" not in problem] == []
