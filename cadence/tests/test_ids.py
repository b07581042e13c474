"""Ids in addresses are bounded once, by the `id` path converter: an id the database cannot
hold (or 0) matches no route, on the pages and in the API alike, so it is a 404 before any view
runs, and the hand-written checks in views are gone."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from cadence.ids import MAX_ID, IdConverter, parse_id


def routes(patterns=None, prefix=""):
    """(route, converters) for every URL pattern of the product, the API's included."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, getattr(entry.pattern, "converters", {})


# Django's admin keeps its own (`<path:object_id>`, and it looks ids up safely).
ID_ROUTES = [
    (route, converters)
    for route, converters in routes()
    if any(name.endswith("_id") for name in converters) and not route.startswith("admin/")
]


def test_every_id_in_an_address_goes_through_the_bounded_converter():
    assert len(ID_ROUTES) > 50  # pages and API
    assert any(route.startswith("api/") for route, _ in ID_ROUTES)
    for route, converters in ID_ROUTES:
        for name, converter in converters.items():
            if name.endswith("_id"):
                assert isinstance(converter, IdConverter), (route, name)


@pytest.mark.parametrize("value", [str(MAX_ID + 1), str(10**30), "0"])
def test_an_id_out_of_range_matches_no_route(value):
    for route, _converters in ID_ROUTES:
        path = "/" + re.sub(r"<(?:id|group):\w+>", value, route)  # group: SCIM's, an id too
        path = re.sub(r"<(?:str|slug):\w+>", "x", path)
        with pytest.raises(Resolver404):
            resolve(path)
        assert resolve(path.replace(value, "7")).func is not None


def test_the_api_answers_404_in_its_own_shape(client):
    for path in (f"/api/v1/goals/{MAX_ID + 1}", "/api/v1/conversations/0"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_a_page_answers_404(login, cast):
    client = login(cast.alice)
    assert client.get(f"/goals/{MAX_ID + 1}/").status_code == 404
    assert client.get(f"/feedback/reviews/participants/{MAX_ID + 1}/report/").status_code == 404


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12", 12),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("", None),
        ("-1", None),
        ("abc", None),
        ("١٢", None),
        (" 12", None),
    ],
)
def test_an_id_from_a_query_string_or_form(value, expected):
    assert parse_id(value) == expected
