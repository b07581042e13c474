"""The 404 and 403 pages: in Cadence's layout (the navigation for someone signed in), saying
what may have happened without telling whether anything hidden exists, with the way home (or
to sign in); the API keeps answering in its own shape."""

from django.urls import reverse

from goals.tests.factories import make_goal
from organisation import current

HOME = reverse("home")


def test_an_unknown_address_shows_the_404_page_in_the_layout(login, cast):
    response = login(cast.alice).get("/no/such/page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "<title>Page not found · Cadence</title>" in page
    assert "There is nothing here" in page
    assert f'<a class="button primary" href="{HOME}">Go to Home</a>' in page
    assert 'class="sidebar"' in page  # the shell, with the navigation


def test_something_hidden_looks_like_nothing_at_all(login, cast):
    private = make_goal(cast.alice, visibility="private")
    hidden = login(cast.dave).get(reverse("goals:goal", args=[private.pk]))
    missing = login(cast.dave).get(reverse("goals:goal", args=[private.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert "There is nothing here" in hidden.content.decode()
    assert private.title not in hidden.content.decode()


def test_a_switched_off_module_shows_the_404_page(login, cast):
    row = current.row()
    row.modules_off = ["goals"]
    row.save()
    response = login(cast.alice).get(reverse("goals:mine"))
    assert response.status_code == 404
    assert "There is nothing here" in response.content.decode()


def test_signed_out_the_404_page_offers_to_sign_in(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is nothing here" in page
    assert f'href="{reverse("accounts:login")}">Sign in</a>' in page
    assert 'class="sidebar"' not in page


def test_the_api_still_answers_404_in_its_own_shape(login, cast):
    response = login(cast.alice).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_a_page_for_others_shows_the_403_page_with_the_way_home(login, cast):
    response = login(cast.alice).get(reverse("organisation:general"))
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "<title>Not allowed · Cadence</title>" in page
    assert "You may not open this page" in page
    assert "ask your HR team" in page
    assert f'<a class="button primary" href="{HOME}">Go to Home</a>' in page
    assert 'class="sidebar"' in page


def test_a_server_error_shows_a_page_that_needs_neither_the_request_nor_the_database():
    """No database mark: any query would fail the test."""
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/anything/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "<title>Something went wrong · Cadence</title>" in page
    assert "try again in a moment" in page.lower()
    assert '<a class="button primary" href="/">Go to Home</a>' in page
