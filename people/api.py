"""API for people, teams and "me", with the same visibility rules as the pages."""

from datetime import date

from django.http import Http404
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from access.rules import can, get_visible_or_404, read, shown, visible
from access.viewer import viewer_of
from cadence.api_kit import Id, Page, PersonRef
from people import search
from people.models import Person, Team
from people.rules import VIEW_EMPLOYMENT

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


PERSON_RELATED = ("team", "manager", "role")


def _person_qs(viewer):
    return visible(viewer, Person).select_related(*PERSON_RELATED)


def _detail(viewer, person: Person) -> Person:
    """The person with what PersonDetailOut adds: employment (only when allowed) and reports.

    Returned as the object, not a dict: the schemas read "role.name" from attributes.
    """
    # Attributes for the schema only, not fields of the model.
    shows_employment = can(viewer, VIEW_EMPLOYMENT, person)
    if shows_employment:
        read(viewer, person, VIEW_EMPLOYMENT)
    person.employment = person if shows_employment else None  # type: ignore[attr-defined]
    reports = list(
        visible(viewer, Person)
        .filter(manager=person)
        .order_by("name")
        .only("id", "name", "leave_date")
    )
    shown(viewer, reports)  # reports who left, for HR
    person.direct_reports = reports  # type: ignore[attr-defined]
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
        # As the directory searches: every word, in name, e-mail, job title or team, through
        # the index made for it (people.search).
        people = search.matching(people, q)
    if team is not None:
        people = people.filter(team__path__contains=f"/{team}/")
    return people


@router.get("/people/{id:person_id}", response=PersonDetailOut, summary="One person")
def get_person(request, person_id: Id):
    viewer = viewer_of(request)
    queryset = Person.objects.select_related(*PERSON_RELATED)
    try:
        person = get_visible_or_404(viewer, Person, person_id, queryset=queryset)
    except Http404:
        raise HttpError(404, gettext("Not found.")) from None
    return _detail(viewer, person)


@router.get("/teams", response=list[TeamOut], summary="All teams")
@paginate(Page)
def list_teams(request):
    return visible(viewer_of(request), Team).select_related("lead").order_by("path", "pk")


@router.get("/teams/{id:team_id}", response=TeamOut, summary="One team")
def get_team(request, team_id: Id):
    queryset = Team.objects.select_related("lead")
    return get_visible_or_404(viewer_of(request), Team, team_id, queryset=queryset)
