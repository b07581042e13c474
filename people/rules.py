"""Who may see and change people and teams: the rules of the people module, registered with
`access` (this module imports `access`; `people.models` never does).

- Everyone signed in sees the directory (names, job titles, teams, managers) of the people who
  work here today; a person who has left is seen by themselves and HR in scope.
- Employment details (role, level, start and leave dates, "view_employment"): the person,
  everyone above them in their management chain, and HR in scope.
- Changing a person (editing, marking a leaver): HR who may manage people, in scope; nobody,
  once they are anonymised.
- The team tree is organisation data: everyone signed in sees every team. Changing a team: HR
  who may manage people whose scope covers it; adding a top-level team (or moving one to the
  top) needs organisation-wide HR who may manage people.
- Administrators administer the installation: being one grants no read rights on people.

What belongs to the organisation rather than to one person or team (opening the people
pages, importing, adding teams) is decided by the plain functions at the end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from access import relations, rules
from access.rules import QuerySetT, Rules, register
from access.who import Group, in_words
from people.models import Person, Team, current_q

if TYPE_CHECKING:
    from access.viewer import Viewer

VIEW, VIEW_EMPLOYMENT, CHANGE = "view", "view_employment", "change"


@register
class PersonRules(Rules[Person]):
    model = Person
    actions = (VIEW, VIEW_EMPLOYMENT, CHANGE)
    reads = ("pk", "name", "leave_date", "chain", "team__path", "team__name")

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action == VIEW_EMPLOYMENT:
            condition = (
                relations.self_q(viewer) | relations.below_q(viewer) | relations.hr_covers_q(viewer)
            )
        elif action == CHANGE:
            if not can_manage_people(viewer):
                return queryset.none()
            # Someone anonymised is nobody to change: what was erased stays erased.
            condition = relations.hr_covers_q(viewer) & Q(anonymised_at__isnull=True)
        else:
            condition = current_q() | relations.self_q(viewer) | relations.hr_covers_q(viewer)
        return queryset.filter(condition)

    def can(self, viewer: Viewer, action: str, obj: Person) -> bool:
        if action == VIEW_EMPLOYMENT:
            return (
                relations.is_self(viewer, obj.pk)
                or relations.is_below(viewer, obj)
                or relations.hr_covers(viewer, obj)
            )
        if action == CHANGE:
            return (
                obj.anonymised_at is None
                and can_manage_people(viewer)
                and relations.hr_covers(viewer, obj)
            )
        if not obj.has_left:
            return True
        return relations.is_self(viewer, obj.pk) or relations.hr_covers(viewer, obj)

    def who(self, obj: Person, action: str = VIEW) -> list[Group]:
        if action == VIEW_EMPLOYMENT:
            return relations.the_person(obj) + relations.chain_of(obj) + relations.hr_covering(obj)
        if action == CHANGE:
            return [] if obj.anonymised_at else relations.hr_covering(obj, managing=True)
        if not obj.has_left:
            return relations.everyone()
        return relations.the_person(obj) + relations.hr_covering(obj)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("team")

    def who_can(self, obj: Person, action: str = VIEW) -> str:
        if action == VIEW_EMPLOYMENT:
            return in_words(rules.who(obj, VIEW_EMPLOYMENT))
        if action != VIEW:
            raise NotImplementedError("Only who may see a person and their details is in words.")
        if obj.has_left:
            return _("%(name)s and HR") % {"name": obj.name}
        return _("Everyone in the organisation")


@register
class TeamRules(Rules[Team]):
    model = Team
    actions = (VIEW, CHANGE)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action == CHANGE:
            if not can_manage_people(viewer):
                return queryset.none()
            return queryset.filter(relations.hr_covers_team_q(viewer))
        return queryset

    def can(self, viewer: Viewer, action: str, obj: Team) -> bool:
        if action == CHANGE:
            return can_manage_people(viewer) and relations.hr_covers_team(viewer, obj)
        return True

    def who(self, obj: Team, action: str = VIEW) -> list[Group]:
        if action == CHANGE:
            return relations.hr_covering_team(obj, managing=True)
        return relations.everyone()

    def who_can(self, obj: Team, action: str = VIEW) -> str:
        if action != VIEW:
            raise NotImplementedError("Only who may see a team is put in words.")
        return _("Everyone in the organisation")


# --- The organisation ---------------------------------------------------------------------------


def can_manage_people(viewer: Viewer) -> bool:
    """May open the people-management pages at all (add people, teams): HR who may manage
    people."""
    return viewer.is_authenticated and relations.hr_manages_people(viewer)


def is_organisation_wide_hr(viewer: Viewer) -> bool:
    return viewer.hr_scope_path == ""


def can_import_people(viewer: Viewer) -> bool:
    """CSV import touches anyone in the organisation, so it needs organisation-wide HR."""
    return can_manage_people(viewer) and is_organisation_wide_hr(viewer)


def can_add_team(viewer: Viewer) -> bool:
    """A new team may go anywhere, the top included: organisation-wide HR who may manage
    people."""
    return can_manage_people(viewer) and is_organisation_wide_hr(viewer)


def can_edit_person(viewer: Viewer, person: Person) -> bool:
    """Edit, or mark as leaving, this person (also one not saved yet, being added)."""
    return rules.can(viewer, CHANGE, person)


def can_invite(viewer: Viewer, person: Person) -> bool:
    """Send someone the invitation e-mail with a link to choose a password: HR who may manage
    that person, or an administrator (who runs the installation's accounts). Never for someone
    who has left or cannot sign in."""
    if viewer.person is None or not person.is_active or person.has_left:
        return False
    return viewer.is_admin or can_edit_person(viewer, person)


def can_invite_people(viewer: Viewer) -> bool:
    """Invite anyone at all (the list of who has not accepted, invitations in bulk): an
    administrator, or HR who may manage people; each person still by `can_invite`."""
    return viewer.is_authenticated and (viewer.is_admin or can_manage_people(viewer))


def invitable(viewer: Viewer, people: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """`can_invite` in SQL: `people` (everyone) narrowed to those the viewer may invite."""
    people = Person.objects.all() if people is None else people
    if viewer.person is None:
        return people.none()
    people = people.filter(current_q(), is_active=True)
    if viewer.is_admin:
        return people
    return rules.visible(viewer, people, CHANGE)


def can_edit_team(viewer: Viewer, team: Team | None) -> bool:
    """Change this team, or with None add one (or put one at the top)."""
    return can_add_team(viewer) if team is None else rules.can(viewer, CHANGE, team)
