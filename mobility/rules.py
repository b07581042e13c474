"""Who may see and do what in internal mobility: the mobility module's one policy.

*Open to a move* (`MobilityPreference`) is the person's, and only they change it. Someone else
sees it only while it says the person is open to a move, and only if the person chose them:
HR whose scope covers the person ("hr"), or that HR and their current manager
("hr_and_manager"). Their current manager never sees it otherwise, not even when they are also
HR covering the person: being HR does not undo the person's choice. Nobody else (the chain
above the manager, peers, the administrator) sees it at all.

An opening is seen by everyone signed in while it is open; closed, by whoever may change it
and by whoever showed interest in it. HR whose scope covers the opening's team and its hiring
manager change it. Who may post one (`may_post_for`): HR, for a team in their scope (naming
anyone as its hiring manager), and a team's lead, for that team (they are its hiring manager).

An interest in an opening is seen by the person, by the opening's hiring manager (the person
chose this by showing interest, and the page says so) and by HR whose scope covers the person,
with the same exception as the preference: their current manager, as HR, only where the
person let their manager see their preference. Only the person withdraws it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from access import relations, who
from access.rules import QuerySetT, Rules, register
from access.who import Group
from mobility.models import Audience, Interest, MobilityPreference, Opening, OpeningStatus

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person, Team

VIEW, CHANGE, WITHDRAW = "view", "change", "withdraw"


# --- Open to a move -----------------------------------------------------------------------------


def _hr_q(viewer: Viewer, person: str, allowed: str) -> Q:
    """HR covering the person at `person`, but not their current manager unless the preference
    at `allowed` lets the manager see it."""
    allows = Q(**{allowed: Audience.HR_AND_MANAGER})
    return relations.hr_covers_q(viewer, person) & (~relations.reports_q(viewer, person) | allows)


def _hr_can(viewer: Viewer, person: Person, allows: bool) -> bool:
    return relations.hr_covers(viewer, person) and (
        allows or not relations.is_report(viewer, person)
    )


def _hr_who(person: Person, allows: bool) -> list[Group]:
    excluding = () if allows or person.manager_id is None else (person.manager_id,)
    return relations.hr_with_scope((relations.path_of(person),), excluding=excluding)


def _allows_manager(preference: MobilityPreference | None) -> bool:
    return preference is not None and preference.shows_manager


def may_have_shared_q(viewer: Viewer) -> Q:
    """Not a rule (`MobilityPreferenceRules.visible` is): a narrowing, in SQL on wishes to
    move, to the people who could have chosen the viewer (whom their HR scope covers, their
    direct reports), which every wish of someone else the rule lets them see lies within. It
    lets the database start from these people: through the rule's OR with the viewer's own
    wish SQLite uses no index (a person's wishes shared with them: 11 → 0.7 ms at 10,000)."""
    return relations.hr_covers_q(viewer, "person") | relations.reports_q(viewer, "person")


@register
class MobilityPreferenceRules(Rules[MobilityPreference]):
    model = MobilityPreference
    actions = (VIEW, CHANGE)
    reads = (
        "pk",
        "open_to_move",
        "audience",
        "person__manager",
        "person__name",
        "person__chain",
        "person__team__path",
        "person__team__name",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        owner = relations.self_q(viewer, "person")
        if action == CHANGE:
            return queryset.filter(owner)
        chosen = _hr_q(viewer, "person", "audience") | (
            relations.reports_q(viewer, "person") & Q(audience=Audience.HR_AND_MANAGER)
        )
        return queryset.filter(owner | (Q(open_to_move=True) & chosen))

    def can(self, viewer: Viewer, action: str, obj: MobilityPreference) -> bool:
        if relations.is_self(viewer, obj.person_id):
            return True
        if action == CHANGE or not obj.open_to_move:
            return False
        person = obj.person
        allows = obj.shows_manager
        return _hr_can(viewer, person, allows) or (allows and relations.is_report(viewer, person))

    def who(self, obj: MobilityPreference, action: str = VIEW) -> list[Group]:
        person = obj.person
        owner = relations.the_person(person)
        if action == CHANGE or (not obj.open_to_move and obj.pk is not None):
            return owner
        allows = obj.shows_manager
        return owner + _hr_who(person, allows) + (relations.manager_of(person) if allows else [])

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("person__team")


# --- Openings -----------------------------------------------------------------------------------


def _interested_q(viewer: Viewer) -> Q:
    mine = Interest.objects.filter(relations.self_q(viewer, "person"))
    return Q(pk__in=mine.values("opening_id"))


def _changes_q(viewer: Viewer, prefix: str = "") -> Q:
    return relations.hr_covers_team_q(viewer, f"{prefix}team") | relations.self_q(
        viewer, f"{prefix}hiring_manager"
    )


def _changes(viewer: Viewer, opening: Opening) -> bool:
    return relations.hr_covers_team(viewer, opening.team) or relations.is_self(
        viewer, opening.hiring_manager_id
    )


def _hiring_manager(opening: Opening) -> list[Group]:
    return [
        Group(who.HIRING_MANAGER, about=opening.hiring_manager, ids=(opening.hiring_manager_id,))
    ]


@register
class OpeningRules(Rules[Opening]):
    model = Opening
    actions = (VIEW, CHANGE)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action == CHANGE:
            return queryset.filter(_changes_q(viewer))
        return queryset.filter(
            Q(status=OpeningStatus.OPEN) | _changes_q(viewer) | _interested_q(viewer)
        )

    def can(self, viewer: Viewer, action: str, obj: Opening) -> bool:
        if action == CHANGE:
            return _changes(viewer, obj)
        if obj.is_open or _changes(viewer, obj):
            return True
        return obj.pk is not None and any(
            relations.is_self(viewer, interest.person_id) for interest in obj.interests.all()
        )

    def who(self, obj: Opening, action: str = VIEW) -> list[Group]:
        changers = relations.hr_covering_team(obj.team) + _hiring_manager(obj)
        if action == CHANGE:
            return changers
        if obj.is_open:
            return relations.everyone()
        ids = tuple(interest.person_id for interest in obj.interests.all()) if obj.pk else ()
        return changers + ([Group(who.INTERESTED, ids=ids)] if ids else [])

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("team", "hiring_manager").prefetch_related("interests")


def may_post(viewer: Viewer) -> bool:
    """May the viewer post an opening at all: HR, or the lead of a team."""
    return viewer.hr_scope_path is not None or (
        viewer.person is not None and viewer.person.teams_led.exists()
    )


def may_post_for(viewer: Viewer, team: Team) -> bool:
    """HR for a team in their scope; a team's lead for that team."""
    return relations.hr_covers_team(viewer, team) or relations.is_self(viewer, team.lead_id)


def names_hiring_manager(viewer: Viewer, team: Team) -> bool:
    """HR names an opening's hiring manager; a lead posting for their team is it."""
    return relations.hr_covers_team(viewer, team)


def postable_teams_q(viewer: Viewer) -> Q:
    """The teams the viewer may post an opening for, in SQL (on teams)."""
    return relations.hr_covers_team_q(viewer) | relations.self_q(viewer, "lead")


# --- Interests ----------------------------------------------------------------------------------


@register
class InterestRules(Rules[Interest]):
    model = Interest
    actions = (VIEW, WITHDRAW)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        owner = relations.self_q(viewer, "person")
        if action == WITHDRAW:
            return queryset.filter(owner)
        return queryset.filter(
            owner
            | relations.self_q(viewer, "opening__hiring_manager")
            | _hr_q(viewer, "person", "person__mobility_preference__audience")
        )

    def can(self, viewer: Viewer, action: str, obj: Interest) -> bool:
        if relations.is_self(viewer, obj.person_id):
            return True
        if action == WITHDRAW:
            return False
        if relations.is_self(viewer, obj.opening.hiring_manager_id):
            return True
        return _hr_can(viewer, obj.person, _allows_manager(_preference_of(obj.person)))

    def who(self, obj: Interest, action: str = VIEW) -> list[Group]:
        person = obj.person
        owner = relations.the_person(person)
        if action == WITHDRAW:
            return owner
        allows = _allows_manager(_preference_of(person))
        return owner + _hiring_manager(obj.opening) + _hr_who(person, allows)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related(
            "person__team", "person__mobility_preference", "opening__hiring_manager"
        )


def _preference_of(person: Person) -> MobilityPreference | None:
    try:
        return person.mobility_preference
    except MobilityPreference.DoesNotExist:
        return None


# --- Pages that are not about one object --------------------------------------------------------


def sees_supply_and_demand(viewer: Viewer) -> bool:
    """Supply and demand (target steps in development plans against openings): HR."""
    return viewer.hr_scope_path is not None


def sees_interested_people(viewer: Viewer, opening: Opening) -> bool:
    """Who is interested in an opening, ranked by fit on its page (each interest still as
    `InterestRules` lets the viewer see it): whoever may change the opening (HR covering its
    team, its hiring manager) and HR (of the people their scope covers). Anyone else sees only
    their own interest."""
    return _changes(viewer, opening) or viewer.hr_scope_path is not None


def sees_people_open_to_a_move(viewer: Viewer) -> bool:
    """The list of people open to a move on an opening's page: HR (of whom their scope covers
    and who chose HR: the rules above narrow it)."""
    return viewer.hr_scope_path is not None
