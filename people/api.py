"""API for people, teams and "me", with the same visibility rules as the pages."""

from datetime import date

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from access.policy import (
    can_view_employment,
    can_view_person,
    people_visible_to,
    teams_visible_to,
    viewer_of,
)
from cadence.api_kit import Id, Page, PersonRef
from people.models import Person

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    name: str
    email: str
    job_title: str
    role: str | None = Field(None, alias="role.name")
    team: PersonRef | None = None
    manager: PersonRef | None = None


class EmploymentOut(Schema):
    level: int | None
    start_date: date | None
    leave_date: date | None


class PersonDetailOut(PersonOut):
    employment: EmploymentOut | None = None
    direct_reports: list[PersonRef] = []


class MeOut(PersonDetailOut):
    time_zone: str
    language: str
    is_hr: bool
    is_manager: bool
    is_admin: bool


class TeamOut(Schema):
    id: int
    name: str
    parent_id: int | None
    lead: PersonRef | None = None


def _person_qs(viewer):
    return people_visible_to(viewer).select_related("team", "manager", "role")


def _detail(viewer, person: Person) -> Person:
    """The person with what PersonDetailOut adds: employment (only when allowed) and reports.

    Returned as the object, not a dict: the schemas read "role.name" from attributes.
    """
    # Attributes for the schema only, not fields of the model.
    person.employment = person if can_view_employment(viewer, person) else None  # type: ignore[attr-defined]
    person.direct_reports = list(  # type: ignore[attr-defined]
        people_visible_to(viewer).filter(manager=person).order_by("name").only("id", "name")
    )
    return person


@router.get("/me", response=MeOut, summary="The signed-in person")
def me(request):
    viewer = viewer_of(request)
    person = _detail(viewer, _person_qs(viewer).get(pk=viewer.person.pk))
    person.is_hr = viewer.is_hr
    person.is_manager = viewer.is_manager
    person.is_admin = viewer.is_admin
    return person


@router.get("/people", response=list[PersonOut], summary="The people directory")
@paginate(Page)
def list_people(request, q: str = "", team: Id | None = None):
    people = _person_qs(viewer_of(request)).order_by("name", "pk")
    if q:
        people = people.filter(
            Q(name__icontains=q) | Q(email__icontains=q) | Q(job_title__icontains=q)
        )
    if team is not None:
        people = people.filter(team__path__contains=f"/{team}/")
    return people


@router.get("/people/{id:person_id}", response=PersonDetailOut, summary="One person")
def get_person(request, person_id: Id):
    viewer = viewer_of(request)
    person = _person_qs(viewer).filter(pk=person_id).first()
    if person is None or not can_view_person(viewer, person):
        raise HttpError(404, gettext("Not found."))
    return _detail(viewer, person)


@router.get("/teams", response=list[TeamOut], summary="All teams")
@paginate(Page)
def list_teams(request):
    return teams_visible_to(viewer_of(request)).select_related("lead").order_by("path")


@router.get("/teams/{id:team_id}", response=TeamOut, summary="One team")
def get_team(request, team_id: Id):
    return get_object_or_404(
        teams_visible_to(viewer_of(request)).select_related("lead"), pk=team_id
    )
