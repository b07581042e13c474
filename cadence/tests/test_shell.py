"""The app shell: home, the health check, module placeholders and the security headers."""

from datetime import timedelta
from unittest import mock

from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import timezone


def test_healthz_answers_ok_with_the_database_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("cadence.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is False


def test_home_greets_the_person_with_their_team_and_manager(login, cast):
    response = login(cast.alice).get("/")
    assert response.status_code == 200
    assert "Hello, Alice" in response.text
    assert "Platform" in response.text
    assert "Bob Manager" in response.text


def test_home_lists_a_managers_reports(login, cast):
    response = login(cast.bob).get("/")
    assert "Your reports" in response.text
    assert "Alice Employee" in response.text


def test_home_does_not_list_reports_for_someone_without_any(login, cast):
    response = login(cast.alice).get("/")
    assert "Your reports" not in response.text


def test_a_module_not_built_yet_says_so_plainly(login, cast, monkeypatch):
    # Every module is built now: a module still to come, as its placeholder would show it.
    from django.urls import path

    from cadence import modules, urls, views

    soon = modules.Module("soon", "Soon", "home", "What it will do.")
    monkeypatch.setitem(modules.BY_KEY, "soon", soon)
    route = path("soon/", views.module_placeholder, {"key": "soon"}, name="soon")
    monkeypatch.setattr(urls, "urlpatterns", [*urls.urlpatterns, route])
    from django.urls import clear_url_caches

    clear_url_caches()
    try:
        response = login(cast.alice).get("/soon/")
    finally:
        monkeypatch.undo()
        clear_url_caches()
    assert response.status_code == 200
    assert "This module is not built yet." in response.text


def test_the_navigation_shows_my_team_to_managers_only(login, cast, client):
    assert 'class="nav-my_team' in login(cast.bob).get("/").text
    client.logout()
    assert 'class="nav-my_team' not in login(cast.alice).get("/").text


def test_the_navigation_shows_organisation_to_hr_only(login, cast, client):
    assert 'class="nav-organisation' in login(cast.erin).get("/").text
    client.logout()
    assert 'class="nav-organisation' not in login(cast.frank).get("/").text


def test_pages_carry_a_strict_content_security_policy(login, cast):
    response = login(cast.alice).get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_no_template_contains_inline_scripts_or_styles():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/templates/**/*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", text):
            offenders.append(f"{path}: inline <script>")
        # An e-mail's HTML is not a page of the site (no CSP applies to it), and mail clients
        # read only inline styles.
        if re.search(r"<style|\sstyle=", text) and "email" not in path.parts:
            offenders.append(f"{path}: inline style")
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path}: inline event handler")
    assert offenders == []


def test_home_shows_my_next_conversations_with_whom_overdue_and_to_prepare(login, cast):
    from conversations.tests.factories import make_conversation

    past = timezone.localdate() - timedelta(days=3)
    conversation = make_conversation(cast.alice, due=past)
    alice_home = login(cast.alice).get("/").text
    assert "Your next conversations" in alice_home
    assert "with Bob Manager" in alice_home
    assert "overdue" in alice_home
    assert reverse("conversations:prepare", args=[conversation.pk]) in alice_home
    bob_home = login(cast.bob).get("/").text
    assert "with Alice Employee" in bob_home
    assert ">prepare<" not in bob_home  # the employee prepares, not the manager
    assert "No conversations are planned." in login(cast.dave).get("/").text


def test_home_does_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries):
    from conversations.tests.factories import make_conversation

    make_conversation(cast.alice)
    client = login(cast.bob)
    with django_assert_max_num_queries(15):
        client.get("/")


def test_the_navigation_shows_administration_to_administrators_and_hr_only(login, cast):
    """Administrators and organisation-wide HR each administer their part of the settings."""
    for person in (cast.frank, cast.erin):
        page = login(person).get("/").text
        assert 'class="nav-administration' in page
        assert 'href="/settings/"' in page
    for person in (cast.alice, cast.bob, cast.carol, cast.dave):
        assert 'class="nav-administration' not in login(person).get("/").text
