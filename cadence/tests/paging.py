"""Reading an API list page by page, as a client does: following `next_cursor`."""

from __future__ import annotations

from typing import Any

MAX_PAGES = 1000


def every_page(
    client, url: str, params: dict[str, Any] | None = None, **extra: Any
) -> list[list[dict]]:
    """The items of every page of the list at `url`, a list per page, following `next_cursor`
    (and checking that `next` says the same) until it is null."""
    params = dict(params or {})
    pages = []
    for _ in range(MAX_PAGES):
        response = client.get(url, params, **extra)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"items", "next_cursor", "next"}, body
        pages.append(body["items"])
        if body["next_cursor"] is None:
            assert body["next"] is None
            return pages
        assert body["next"].startswith(url + "?") and "cursor=" in body["next"]
        params["cursor"] = body["next_cursor"]
    raise AssertionError(f"{url} has more than {MAX_PAGES} pages")


def every_item(client, url: str, params: dict[str, Any] | None = None, **extra: Any) -> list[dict]:
    return [item for page in every_page(client, url, params, **extra) for item in page]
