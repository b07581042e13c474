"""The SCIM 2.0 service (RFC 7644) at /scim/v2/: Users and Groups, and what the server says
about itself. Each view only reads the request and answers; `scim.users` and `scim.groups`
do the work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from scim2_models import (
    Context,
    Group,
    ListResponse,
    NotFoundException,
    NotImplementedException,
    ResponseParameters,
)

from scim import discovery, filters, groups, users
from scim.discovery import UserResource
from scim.protocol import body, page, respond, scim_view


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("scim:root"))


def _parameters(request: HttpRequest, model: Any) -> Any:
    wanted = {
        name: request.GET[name]
        for name in ("attributes", "excludedAttributes")
        if request.GET.get(name)
    }
    return ResponseParameters[model].model_validate(wanted) if wanted else None


def _dump(request: HttpRequest, resource: Any, model: Any, context: Context) -> dict[str, Any]:
    return resource.model_dump(scim_ctx=context, response_parameters=_parameters(request, model))


def _methods(request: HttpRequest, **handlers: Callable[[], HttpResponse]) -> HttpResponse:
    handler = handlers.get(request.method.lower() if request.method else "")
    if handler is None:
        raise NotImplementedException(detail=f"{request.method} is not supported here.")
    return handler()


def _listing(
    request: HttpRequest,
    found: QuerySet[Any],
    lookups: dict[str, filters.Lookup],
    serialise: Callable[[Any], Any],
    model: Any,
) -> HttpResponse:
    if request.GET.get("filter"):
        found = found.filter(filters.to_q(request.GET["filter"], lookups))
    start, count = page(request)
    total = found.count()
    items = [serialise(item) for item in found[start - 1 : start - 1 + count]] if count else []
    listing = ListResponse[model](  # type: ignore[valid-type]
        total_results=total, start_index=start, items_per_page=len(items), resources=items
    )
    return respond(_dump(request, listing, model, Context.RESOURCE_QUERY_RESPONSE))


# --- Users ---------------------------------------------------------------------------------------


@scim_view
def user_list(request: HttpRequest) -> HttpResponse:
    base = _base(request)

    def create() -> HttpResponse:
        user = users.parse(body(request), base, Context.RESOURCE_CREATION_REQUEST)
        person = users.create(request.scim_token, user)  # type: ignore[attr-defined]
        created = users.to_scim(person, base)
        payload = _dump(request, created, UserResource, Context.RESOURCE_CREATION_RESPONSE)
        return respond(payload, status=201, Location=created.meta.location)

    return _methods(
        request,
        get=lambda: _listing(
            request,
            users.people(),
            filters.USERS,
            lambda person: users.to_scim(person, base),
            UserResource,
        ),
        post=create,
    )


@scim_view
def user_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    base = _base(request)
    token = request.scim_token  # type: ignore[attr-defined]
    person = users.get(person_id)

    def answer(context: Context, found: Any = person) -> HttpResponse:
        return respond(_dump(request, users.to_scim(found, base), UserResource, context))

    def put() -> HttpResponse:
        user = users.parse(body(request), base, Context.RESOURCE_REPLACEMENT_REQUEST)
        return answer(Context.RESOURCE_REPLACEMENT_RESPONSE, users.replace(token, person, user))

    def patch() -> HttpResponse:
        operations = users.parse_patch(body(request), base)
        return answer(Context.RESOURCE_PATCH_RESPONSE, users.patch(token, person, operations, base))

    def delete() -> HttpResponse:
        users.deactivate(token, person)
        return respond(None, status=204)

    return _methods(
        request,
        get=lambda: answer(Context.RESOURCE_QUERY_RESPONSE),
        put=put,
        patch=patch,
        delete=delete,
    )


# --- Groups -------------------------------------------------------------------------------------


@scim_view
def group_list(request: HttpRequest) -> HttpResponse:
    base = _base(request)

    def create() -> HttpResponse:
        group = groups.parse(body(request), Context.RESOURCE_CREATION_REQUEST)
        team = groups.create(request.scim_token, group)  # type: ignore[attr-defined]
        created = groups.to_scim(team, base)
        payload = _dump(request, created, Group, Context.RESOURCE_CREATION_RESPONSE)
        return respond(payload, status=201, Location=created.meta.location)

    return _methods(
        request,
        get=lambda: _listing(
            request,
            groups.teams(),
            filters.GROUPS,
            lambda team: groups.to_scim(team, base),
            Group,
        ),
        post=create,
    )


@scim_view
def group_detail(request: HttpRequest, team_id: str) -> HttpResponse:
    base = _base(request)
    token = request.scim_token  # type: ignore[attr-defined]
    team = groups.get(team_id)

    def answer(context: Context, found: Any = team) -> HttpResponse:
        return respond(_dump(request, groups.to_scim(found, base), Group, context))

    def put() -> HttpResponse:
        group = groups.parse(body(request), Context.RESOURCE_REPLACEMENT_REQUEST)
        return answer(Context.RESOURCE_REPLACEMENT_RESPONSE, groups.replace(token, team, group))

    def patch() -> HttpResponse:
        operations = groups.parse_patch(body(request))
        return answer(Context.RESOURCE_PATCH_RESPONSE, groups.patch(token, team, operations, base))

    def delete() -> HttpResponse:
        groups.delete(token, team)
        return respond(None, status=204)

    return _methods(
        request,
        get=lambda: answer(Context.RESOURCE_QUERY_RESPONSE),
        put=put,
        patch=patch,
        delete=delete,
    )


# --- What the server says about itself ---------------------------------------------------------


def _only_get(request: HttpRequest) -> None:
    if request.method != "GET":
        raise NotImplementedException(detail=f"{request.method} is not supported here.")


def _list_of(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": len(items),
        "startIndex": 1,
        "itemsPerPage": len(items),
        "Resources": items,
    }


def _one_of(items: list[dict[str, Any]], wanted: str) -> HttpResponse:
    for item in items:
        if item["id"] == wanted:
            return respond(item)
    raise NotFoundException(detail=f"No {wanted}.")


@scim_view
def service_provider_config(request: HttpRequest) -> HttpResponse:
    _only_get(request)
    return respond(discovery.service_provider_config(_base(request)))


@scim_view
def resource_types(request: HttpRequest, name: str = "") -> HttpResponse:
    _only_get(request)
    found = discovery.resource_types(_base(request))
    return _one_of(found, name) if name else respond(_list_of(found))


@scim_view
def schemas(request: HttpRequest, urn: str = "") -> HttpResponse:
    _only_get(request)
    found = discovery.schemas(_base(request))
    return _one_of(found, urn) if urn else respond(_list_of(found))


@scim_view
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    raise NotFoundException(detail="No such SCIM endpoint.")
