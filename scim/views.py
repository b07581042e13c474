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
    Error,
    Group,
    InvalidFilterException,
    ListResponse,
    NotFoundException,
    ResponseParameters,
)

from people.models import Team
from scim import discovery, filters, groups, users
from scim.discovery import UserResource
from scim.protocol import body, page, query_of, respond, scim_view


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("scim:root"))


def _parameters(query: dict[str, Any], model: Any) -> Any:
    wanted = {name: query[name] for name in ("attributes", "excludedAttributes") if query.get(name)}
    return ResponseParameters[model].model_validate(wanted) if wanted else None


def _dump(request: HttpRequest, resource: Any, model: Any, context: Context) -> dict[str, Any]:
    parameters = _parameters(request.GET.dict(), model)
    return resource.model_dump(scim_ctx=context, response_parameters=parameters)


def _not_allowed(request: HttpRequest, allowed: list[str]) -> HttpResponse:
    message = Error(status=405, detail=f"{request.method} is not allowed here.")
    return respond(message.model_dump(), status=405, Allow=", ".join(allowed))


def _methods(request: HttpRequest, **handlers: Callable[[], HttpResponse]) -> HttpResponse:
    handler = handlers.get(request.method.lower() if request.method else "")
    if handler is None:
        return _not_allowed(request, [method.upper() for method in handlers])
    return handler()


def _listing(
    request: HttpRequest,
    found: QuerySet[Any],
    lookups: dict[str, filters.Lookup],
    serialise: Callable[[Any], Any],
    model: Any,
) -> HttpResponse:
    """A page of the resources the filter selects, by GET or by POST to `.search`."""
    query = query_of(request)
    if query.get("filter"):
        found = found.filter(filters.to_q(str(query["filter"]), lookups))
    start, count = page(query)
    total = found.count()
    items = [serialise(item) for item in found[start - 1 : start - 1 + count]] if count else []
    listing = ListResponse[model](
        total_results=total, start_index=start, items_per_page=len(items), resources=items
    )
    payload = listing.model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=_parameters(query, model)
    )
    return respond(payload)


# --- Users ---------------------------------------------------------------------------------------


def _collection(
    request: HttpRequest,
    listed: QuerySet[Any],
    lookups: Any,
    serialise: Callable[[Any], Any],
    model: Any,
    create: Callable[[], Any],
) -> HttpResponse:
    """A resource type's collection: GET lists it (`_listing`), POST creates one with `create`
    (which answers the new resource, serialised) and answers 201 with its location."""

    def created() -> HttpResponse:
        resource = create()
        payload = _dump(request, resource, model, Context.RESOURCE_CREATION_RESPONSE)
        return respond(payload, status=201, Location=resource.meta.location)

    return _methods(
        request,
        get=lambda: _listing(request, listed, lookups, serialise, model),
        post=created,
    )


@scim_view
def user_list(request: HttpRequest) -> HttpResponse:
    base = _base(request)

    def create() -> Any:
        user = users.parse(body(request), base, Context.RESOURCE_CREATION_REQUEST)
        return users.to_scim(users.create(request.scim_token, user), base)  # type: ignore[attr-defined]

    def serialise(person: Any) -> Any:
        return users.to_scim(person, base)

    return _collection(request, users.people(), filters.USERS, serialise, UserResource, create)


@scim_view
def user_detail(request: HttpRequest, person_id: int) -> HttpResponse:
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


@scim_view
def user_search(request: HttpRequest) -> HttpResponse:
    base = _base(request)
    return _methods(
        request,
        post=lambda: _listing(
            request,
            users.people(),
            filters.USERS,
            lambda person: users.to_scim(person, base),
            UserResource,
        ),
    )


# --- Groups -------------------------------------------------------------------------------------


@scim_view
def group_list(request: HttpRequest) -> HttpResponse:
    base = _base(request)

    def create() -> Any:
        group = groups.parse(body(request), Context.RESOURCE_CREATION_REQUEST)
        team = groups.create(request.scim_token, group)  # type: ignore[attr-defined]
        return groups.to_scim(groups.get(team.pk), base)

    def serialise(team: Any) -> Any:
        return groups.to_scim(team, base)

    return _collection(request, groups.teams(), filters.GROUPS, serialise, Group, create)


@scim_view
def group_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    base = _base(request)
    token = request.scim_token  # type: ignore[attr-defined]
    team = groups.get(team_id)

    def answer(context: Context, written: Team | None = None) -> HttpResponse:
        # Read again after a write: its members as they now are.
        fresh = team if written is None else groups.get(written.pk)
        return respond(_dump(request, groups.to_scim(fresh, base), Group, context))

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


@scim_view
def group_search(request: HttpRequest) -> HttpResponse:
    base = _base(request)
    return _methods(
        request,
        post=lambda: _listing(
            request, groups.teams(), filters.GROUPS, lambda team: groups.to_scim(team, base), Group
        ),
    )


def _matching(query: dict[str, Any], found: QuerySet[Any], lookups: dict[str, Any]) -> Any:
    """The resources of one type a root search selects; None when its filter names an
    attribute this type has not (RFC 7644 §3.4.2.1: false for that type)."""
    if not query.get("filter"):
        return found
    try:
        return found.filter(filters.to_q(str(query["filter"]), lookups))
    except InvalidFilterException:
        return None


@scim_view
def root_search(request: HttpRequest) -> HttpResponse:
    """POST /.search: Users and Groups together, people first."""
    if request.method != "POST":
        return _not_allowed(request, ["POST"])
    base = _base(request)
    query = query_of(request)
    people = _matching(query, users.people(), filters.USERS)
    teams = _matching(query, groups.teams(), filters.GROUPS)
    if people is None and teams is None:
        raise InvalidFilterException(detail=f"Cadence does not filter by “{query['filter']}”.")
    start, count = page(query)
    found = [
        *(users.to_scim(person, base) for person in people or []),
        *(groups.to_scim(team, base) for team in teams or []),
    ]
    items = found[start - 1 : start - 1 + count]
    model = UserResource | Group
    listing = ListResponse[model](
        total_results=len(found), start_index=start, items_per_page=len(items), resources=items
    )
    payload = listing.model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=_parameters(query, model)
    )
    return respond(payload)


# --- What the server says about itself ---------------------------------------------------------


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
    return _methods(request, get=lambda: respond(discovery.service_provider_config(_base(request))))


@scim_view
def resource_types(request: HttpRequest, name: str = "") -> HttpResponse:
    found = discovery.resource_types(_base(request))
    return _methods(request, get=lambda: _one_of(found, name) if name else respond(_list_of(found)))


@scim_view
def schemas(request: HttpRequest, urn: str = "") -> HttpResponse:
    found = discovery.schemas(_base(request))
    return _methods(request, get=lambda: _one_of(found, urn) if urn else respond(_list_of(found)))


@scim_view
def root(request: HttpRequest) -> HttpResponse:
    """The base URL itself serves nothing: the resources are below it."""
    raise NotFoundException(detail="No such SCIM endpoint.")
