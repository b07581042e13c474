"""The SCIM protocol's plumbing (RFC 7644): the bearer token, JSON in and out as
`application/scim+json`, errors with their status and `scimType`, and paging.

A view decorated with `scim_view` runs only with a working SCIM token (`ScimToken`), never
with a session or a personal API token, reads requests under `PROVIDERS`, and answers every
`SCIMException` it raises as the RFC's error message.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from scim2_models import (
    Error,
    InvalidSyntaxException,
    InvalidValueException,
    NotFoundException,
    SCIMException,
    ScimPolicy,
    UnauthorizedException,
)

from scim.models import ScimToken

CONTENT_TYPE = "application/scim+json"
DEFAULT_COUNT = 100
MAX_COUNT = 200  # the page size ServiceProviderConfig announces as filter.maxResults
# How providers write, read as they mean it: Entra ID removes a member by its value and
# replaces `emails[type eq "work"].value` on a user who has none yet; an attribute Cadence does
# not declare (a provider's custom one) is dropped rather than failing the whole request.
PROVIDERS = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)


def respond(body: dict[str, Any] | None, status: int = 200, **headers: str) -> HttpResponse:
    content = json.dumps(body) if body is not None else ""
    response = HttpResponse(content, status=status, content_type=CONTENT_TYPE)
    # People's data, fetched with a token a shared cache ignores: never stored (as the API).
    patch_cache_control(response, no_store=True, private=True)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error(exception: SCIMException) -> HttpResponse:
    message: Error = exception.to_error()
    response = respond(message.model_dump(), status=int(message.status or 400))
    if message.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response


def not_found(request: HttpRequest) -> HttpResponse:
    """404 for an address below /scim/v2/ that no route matches (an id out of range, an
    unknown resource type): in SCIM's shape, as `cadence.views.not_found` answers it."""
    return error(NotFoundException(detail="No such SCIM endpoint."))


def _token(request: HttpRequest) -> ScimToken | None:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    return ScimToken.authenticate(raw.strip())


def scim_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Authenticate with a SCIM token (`request.scim_token`) and answer SCIM errors."""

    @csrf_exempt  # a bearer token, never a cookie: nothing for a forged request to ride on
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = _token(request)
        if token is None:
            return error(UnauthorizedException(detail="A valid SCIM bearer token is required."))
        request.scim_token = token  # type: ignore[attr-defined]
        try:
            with PROVIDERS:
                return view(request, *args, **kwargs)
        except SCIMException as exception:
            return error(exception)

    return wrapped


def body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object, or a SCIM `invalidSyntax` error."""
    try:
        payload = json.loads(request.body or b"null")
    except (UnicodeDecodeError, ValueError):
        raise InvalidSyntaxException(detail="The body is not JSON.") from None
    if not isinstance(payload, dict):
        raise InvalidSyntaxException(detail="The body is not a JSON object.")
    return payload


def _whole_number(query: Mapping[str, Any], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise InvalidValueException(detail=f"{name} is not a whole number.") from None


def page(query: Mapping[str, Any]) -> tuple[int, int]:
    """`startIndex` (1-based; below 1 counts as 1) and `count` (negative counts as 0, capped at
    `MAX_COUNT`), as RFC 7644 §3.4.2.4 reads them."""
    start = max(_whole_number(query, "startIndex", 1), 1)
    count = min(max(_whole_number(query, "count", DEFAULT_COUNT), 0), MAX_COUNT)
    return start, count


def query_of(request: HttpRequest) -> dict[str, Any]:
    """A listing's parameters: the query string's for GET, the body's for POST `.search`
    (RFC 7644 §3.4.3), where `attributes` are a list rather than commas."""
    if request.method == "POST":
        found = body(request)
        for name in ("attributes", "excludedAttributes"):
            if isinstance(found.get(name), list):
                found[name] = ",".join(str(item) for item in found[name])
        return found
    return request.GET.dict()
