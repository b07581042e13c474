"""Invitations in the JSON API: sending one (`POST /people/{id}/invitation`) and the list of who
has not accepted yet (`GET /invitations`), as on the Invitations tab and the person page, through
the same service (`accounts.invitations`): audited, in the person's language, never to someone
outside the pilot.

Sending answers 404 for someone the caller may not see, 403 for someone they may see but not
invite (HR who may manage them, or an administrator, may), 409 for someone outside the pilot.
The list is for whoever may invite anyone (an administrator, or HR who may manage people; else
403), and holds the people they may invite, keyset paged."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from access.viewer import viewer_of
from accounts import invitations
from cadence.api_kit import Id, Page, PersonRef, loaded, written
from organisation import scope
from people import search
from people.models import Person
from people.rules import can_invite_people

router = Router(tags=["invitations"])


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }


class TeamRef(Schema):
    id: int
    name: str


class InvitationOut(Schema):
    id: int
    person: PersonRef
    sent_at: datetime
    expires_at: datetime = Field(description="The link works once, until then")


class WaitingOut(Schema):
    id: int = Field(description="The person's id")
    name: str
    email: str
    team: TeamRef | None = None
    state: Literal["not_invited", "waiting", "expired"] = Field(
        description="`not_invited`: never invited; `waiting`: invited, the link still works; "
        "`expired`: invited, the link no longer works"
    )
    last_invited_at: datetime | None = Field(description="When last invited; null: never")
    in_pilot: bool = Field(
        description="Inside the pilot scope (always true without a pilot): only they are invited"
    )

    @staticmethod
    def resolve_state(person: Person) -> str:
        return invitations.state_of(person)

    @staticmethod
    def resolve_in_pilot(person: Person) -> bool:
        return scope.in_scope(person)  # the team is loaded: no query


@router.post(
    "/people/{id:person_id}/invitation",
    response={201: InvitationOut},
    summary="Send someone an invitation",
    openapi_extra={
        "responses": {
            "403": _error("Only HR who may manage this person, or an administrator, invites."),
            "409": _error("The person is outside the pilot teams: nobody there is invited yet."),
        }
    },
)
def send_invitation(request: HttpRequest, person_id: Id) -> Status:
    """E-mail the person a link to choose their password (again, if invited before), in their
    language; it works once, for the installation's invitation period."""
    viewer = viewer_of(request)
    person = loaded(viewer, Person, person_id, queryset=Person.objects.select_related("team"))
    return Status(201, written(invitations.send_invitation, viewer, person))


@router.get(
    "/invitations",
    response=list[WaitingOut],
    summary="Who has not accepted an invitation",
    openapi_extra={
        "responses": {
            "403": _error("Only an administrator, or HR who may manage people, invites anyone.")
        }
    },
)
@paginate(Page)
def list_invitations(
    request: HttpRequest,
    state: Literal["not_invited", "waiting", "expired"] | None = None,
    q: str = Query("", max_length=100, description="Part of a name (or e-mail, job title, team)"),
) -> Any:
    """The people you may invite who can sign in but never have, in name order, with their
    state; of one `state`, or found by `q`."""
    viewer = viewer_of(request)
    if not can_invite_people(viewer):
        raise HttpError(
            403, gettext("Only an administrator, or HR who may manage people, invites anyone.")
        )
    people = invitations.not_accepted(viewer)
    if q.strip():
        people = search.matching(people, q)
    if state is not None:
        people = invitations.in_state(people, state)
    return people
