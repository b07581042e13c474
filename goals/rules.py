"""Who may see and change goals: the rules of the goals module, registered with `access`.

A person's goal is seen by: the owner always; their direct manager always (even private:
"private" means the owner and their manager); the owner's team-mates and whole management
chain when shared with the team; everyone when public. HR in scope sees what is shared beyond
private. A team's goal is public or shared with everyone in that team and the teams below it,
its lead and the lead's chain, and HR in scope. Company goals are public.

Who sees a goal is one table, `AUDIENCE`: the SQL filter, the check on one goal and the
sentence on the goal's page ("who can see this") are all read from it.

Changing a goal (progress, adjustments, closing): the owner and their manager; a team's lead
and the lead's manager; company goals: HR who may manage people and the top of the
organisation. Key results, progress updates and adjustments follow their goal.

Sharing a goal (changing who sees it, "share"): for a person's goal, the owner alone: their
manager may change the goal, but not show it to more people than the owner chose. For a team's
and the company's goals, whoever may change them.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, Q
from django.utils.translation import gettext as _

from access import relations, who
from access.rules import Audience, QuerySetT, Rules, register
from access.who import Group
from goals.models import Adjustment, GoalTemplate, KeyResult, Objective, ProgressUpdate, Visibility
from organisation import scope
from people.models import Person, Team

if TYPE_CHECKING:
    from access.viewer import Viewer

VIEW, CHANGE, SHARE = "view", "change", "share"
PERSON, TEAM, COMPANY = "person", "team", "company"  # Objective.owner_kind

OWNED_BY = {
    PERSON: Q(owner_person__isnull=False),
    TEAM: Q(owner_team__isnull=False),
    COMPANY: Q(owner_person__isnull=True, owner_team__isnull=True),
}


EVERYONE = Audience[Objective](
    "everyone",
    lambda viewer: Q(pk__isnull=False),
    lambda viewer, goal: True,
    lambda goal: relations.everyone(),
)
OWNER = Audience[Objective](
    "owner",
    lambda viewer: relations.self_q(viewer, "owner_person"),
    lambda viewer, goal: relations.is_self(viewer, goal.owner_person_id),
    lambda goal: relations.the_person(goal.owner_person),
)
OWNERS_MANAGER = Audience[Objective](
    "owner's manager",
    lambda viewer: relations.reports_q(viewer, "owner_person"),
    lambda viewer, goal: relations.is_report(viewer, goal.owner_person),
    lambda goal: relations.manager_of(goal.owner_person),
)
OWNERS_CHAIN = Audience[Objective](
    "owner's management chain",
    lambda viewer: relations.below_q(viewer, "owner_person"),
    lambda viewer, goal: relations.is_below(viewer, goal.owner_person),
    lambda goal: relations.chain_of(goal.owner_person),
)
OWNERS_TEAM = Audience[Objective](
    "owner's team-mates",
    lambda viewer: relations.team_mates_q(viewer, "owner_person"),
    lambda viewer, goal: relations.is_team_mate(viewer, goal.owner_person),
    lambda goal: relations.team_mates_of(goal.owner_person),
)
HR_OVER_OWNER = Audience[Objective](
    "HR covering the owner",
    lambda viewer: relations.hr_covers_q(viewer, "owner_person"),
    lambda viewer, goal: relations.hr_covers(viewer, goal.owner_person),
    lambda goal: relations.hr_covering(goal.owner_person),
)
LEAD = Audience[Objective](
    "team's lead",
    lambda viewer: relations.self_q(viewer, "owner_team__lead"),
    lambda viewer, goal: (
        goal.owner_team is not None and relations.is_self(viewer, goal.owner_team.lead_id)
    ),
    lambda goal: relations.lead_of(goal.owner_team),
)
LEADS_CHAIN = Audience[Objective](
    "lead's management chain",
    lambda viewer: relations.below_q(viewer, "owner_team__lead"),
    lambda viewer, goal: (
        goal.owner_team is not None and relations.is_below(viewer, goal.owner_team.lead)
    ),
    lambda goal: relations.chain_of(
        goal.owner_team.lead if goal.owner_team else None, who.LEAD_CHAIN, goal.owner_team
    ),
)
TEAM_MEMBERS = Audience[Objective](
    "the team and the teams within it",
    lambda viewer: relations.within_q(viewer, "owner_team"),
    lambda viewer, goal: relations.is_within(viewer, goal.owner_team),
    lambda goal: relations.members_within(goal.owner_team),
)
HR_OVER_TEAM = Audience[Objective](
    "HR covering the team",
    lambda viewer: relations.hr_covers_team_q(viewer, "owner_team"),
    lambda viewer, goal: relations.hr_covers_team(viewer, goal.owner_team),
    lambda goal: relations.hr_covering_team(goal.owner_team),
)

# (whose goal, how it is shared) -> who sees it, in the order the checks run (cheapest first).
# A company goal is public whatever its stored visibility.
AUDIENCE: dict[tuple[str, str | None], tuple[Audience[Objective], ...]] = {
    (PERSON, Visibility.PUBLIC): (EVERYONE,),
    (PERSON, Visibility.TEAM): (OWNER, OWNERS_CHAIN, OWNERS_TEAM, HR_OVER_OWNER),
    (PERSON, Visibility.PRIVATE): (OWNER, OWNERS_MANAGER),
    (TEAM, Visibility.PUBLIC): (EVERYONE,),
    (TEAM, Visibility.TEAM): (LEAD, LEADS_CHAIN, TEAM_MEMBERS, HR_OVER_TEAM),
    (TEAM, Visibility.PRIVATE): (),  # the forms refuse it; nobody, should one exist
    (COMPANY, None): (EVERYONE,),
}


def audience_of(goal: Objective) -> tuple[Audience[Objective], ...]:
    kind = goal.owner_kind
    return AUDIENCE[(kind, None if kind == COMPANY else goal.visibility)]


def seen_by_everyone_q() -> Q:
    """The goals everyone in the organisation reads (`AUDIENCE`): the only goals that may be
    told outside Cadence (a webhook, a team's chat channel), where whoever reads them is nobody
    the rules know. A company goal is one of them whatever its stored visibility."""
    return reduce(
        or_,
        (
            OWNED_BY[kind] & (Q() if visibility is None else Q(visibility=visibility))
            for (kind, visibility), audience in AUDIENCE.items()
            if EVERYONE in audience
        ),
    )


def describe(audience: tuple[Audience[Objective], ...], goal: Objective) -> str:
    """The audience in words, with the names of the people and teams in it."""
    person, team = goal.owner_person, goal.owner_team
    if audience == (EVERYONE,):
        return _("Everyone in the organisation")
    if audience == (OWNER, OWNERS_MANAGER):
        assert person is not None  # these audiences are a person's goal's
        if person.manager is not None:
            names = {"owner": person.name, "manager": person.manager.name}
            return _("%(owner)s and their manager %(manager)s") % names
        return _("Only %(owner)s") % {"owner": person.name}
    if audience == (OWNER, OWNERS_CHAIN, OWNERS_TEAM, HR_OVER_OWNER):
        assert person is not None
        if person.team is not None:
            names = {"owner": person.name, "team": person.team.name}
            return _("%(owner)s, the %(team)s team, their management chain and HR") % names
        return _("%(owner)s, their management chain and HR") % {"owner": person.name}
    if audience == (LEAD, LEADS_CHAIN, TEAM_MEMBERS, HR_OVER_TEAM):
        assert team is not None  # this audience is a team's goal's
        if team.lead is not None:
            names = {"team": team.name, "lead": team.lead.name}
            return (
                _(
                    "Everyone in %(team)s and the teams within it, %(lead)s and their "
                    "management chain, and HR"
                )
                % names
            )
        return _("Everyone in %(team)s and the teams within it, and HR") % {"team": team.name}
    if audience == ():
        return _("Nobody: a team's goal cannot be private, share it with the team")
    # A new audience in AUDIENCE needs its sentence here: the generic rules test finds it.
    raise LookupError(f"No words for the audience {[a.name for a in audience]}")


def writes_company_goals(viewer: Viewer) -> bool:
    """HR who may manage people, and the top of the organisation (a manager with no manager)."""
    return relations.hr_manages_people(viewer) or (
        viewer.person is not None and viewer.person.manager_id is None and viewer.is_manager
    )


def company_goal_writers() -> list[Group]:
    """`writes_company_goals`'s people: HR who may manage people, and the managers with nobody
    above them."""
    top = Q(
        manager__isnull=True,
        pk__in=Person.objects.current().filter(manager__isnull=False).values("manager_id"),
    )
    return [*relations.hr_with_scope(managing=True), Group(who.TOP, where=top)]


def owners_for(viewer: Viewer) -> dict[str, Any]:
    """Whose goals the viewer may write: themselves, their direct reports, the teams they lead
    or whose lead reports to them, and the company (as for changing company goals); people
    and teams inside the pilot scope (`organisation.scope`)."""
    return {
        "people": Person.objects.current().filter(
            relations.self_q(viewer) | relations.reports_q(viewer), scope.in_scope_q()
        ),
        "teams": Team.objects.filter(
            relations.self_q(viewer, "lead") | relations.reports_q(viewer, "lead"),
            scope.team_in_scope_q(),
        ),
        "company": writes_company_goals(viewer),
    }


@register
class GoalRules(Rules[Objective]):
    model = Objective
    actions = (VIEW, CHANGE, SHARE)
    reads = (
        "visibility",
        "owner_person__name",
        "owner_person__manager",
        "owner_person__chain",
        "owner_person__leave_date",
        "owner_person__team__path",
        "owner_person__team__name",
        "owner_team__path",
        "owner_team__name",
        "owner_team__lead",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action == CHANGE:
            return queryset.filter(self._changers_q(viewer))
        if action == SHARE:
            mine = relations.self_q(viewer, "owner_person")
            return queryset.filter(self._changers_q(viewer), ~OWNED_BY[PERSON] | mine)
        condition = relations.NOTHING
        for (kind, visibility), audience in AUDIENCE.items():
            if not audience:
                continue
            goals = Q() if visibility is None else Q(visibility=visibility)
            if EVERYONE in audience:
                goals &= OWNED_BY[kind]
            else:
                # A relation on the owner's field holds only where that owner is set: the
                # owner kind needs no condition of its own (the planner does better without).
                goals &= reduce(or_, (group.q(viewer) for group in audience))
            condition |= goals
        return queryset.filter(condition)

    def can(self, viewer: Viewer, action: str, obj: Objective) -> bool:
        if action == CHANGE:
            return self._may_change(viewer, obj)
        if action == SHARE:
            if obj.owner_person_id:
                return relations.is_self(viewer, obj.owner_person_id)
            return self._may_change(viewer, obj)
        return any(group.holds(viewer, obj) for group in audience_of(obj))

    def who(self, obj: Objective, action: str = VIEW) -> list[Group]:
        if action == SHARE and obj.owner_person_id:
            return relations.the_person(obj.owner_person)
        if action in (CHANGE, SHARE):
            return self._changers(obj)
        return [group for audience in audience_of(obj) for group in audience.who(obj)]

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("owner_person__team", "owner_team__lead")

    def who_can(self, obj: Objective, action: str = VIEW) -> str:
        if action != VIEW:
            raise NotImplementedError("Only who may see a goal is put in words.")
        return describe(audience_of(obj), obj)

    @staticmethod
    def _changers(goal: Objective) -> list[Group]:
        """`_may_change`'s people."""
        if goal.owner_person_id:
            return relations.the_person(goal.owner_person) + relations.manager_of(goal.owner_person)
        if goal.owner_team is not None:
            lead = goal.owner_team.lead
            return relations.lead_of(goal.owner_team) + relations.manager_of(lead)
        return company_goal_writers()

    @staticmethod
    def _changers_q(viewer: Viewer) -> Q:
        owner = relations.self_q(viewer, "owner_person") | relations.reports_q(
            viewer, "owner_person"
        )
        lead = relations.self_q(viewer, "owner_team__lead") | relations.reports_q(
            viewer, "owner_team__lead"
        )
        condition = (OWNED_BY[PERSON] & owner) | (OWNED_BY[TEAM] & lead)
        if relations.hr_manages_people(viewer):
            condition |= OWNED_BY[COMPANY]
        elif viewer.person is not None and viewer.person.manager_id is None:
            # The top of the organisation (`writes_company_goals`), asked in the SQL: the
            # statement is then the same whether they manage anyone yet (the navigation's
            # counts keep it, `cadence.waiting`).
            manages = Person.objects.current().filter(manager=viewer.person)
            condition |= OWNED_BY[COMPANY] & Q(Exists(manages))
        return condition

    @staticmethod
    def _may_change(viewer: Viewer, goal: Objective) -> bool:
        if goal.owner_person_id:
            return relations.is_self(viewer, goal.owner_person_id) or relations.is_report(
                viewer, goal.owner_person
            )
        if goal.owner_team is not None:
            lead = goal.owner_team.lead
            return lead is not None and (
                relations.is_self(viewer, lead.pk) or relations.is_report(viewer, lead)
            )
        return writes_company_goals(viewer)


GOALS = GoalRules()


class _FollowsItsGoal(Rules[KeyResult | ProgressUpdate | Adjustment]):
    """Key results, progress updates and adjustments: whoever may see (change) the goal."""

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        goals = GOALS.visible(viewer, Objective.objects.all(), action)
        return queryset.filter(objective__in=goals.values("pk"))

    def can(
        self, viewer: Viewer, action: str, obj: KeyResult | ProgressUpdate | Adjustment
    ) -> bool:
        return GOALS.can(viewer, action, obj.objective)

    def who(self, obj: KeyResult | ProgressUpdate | Adjustment, action: str = VIEW) -> list[Group]:
        return GOALS.who(obj.objective, action)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related(
            "objective__owner_person__team", "objective__owner_team__lead"
        )

    def who_can(self, obj: KeyResult | ProgressUpdate | Adjustment, action: str = VIEW) -> str:
        return GOALS.who_can(obj.objective, action)


@register
class KeyResultRules(_FollowsItsGoal):
    model = KeyResult
    actions = (VIEW, CHANGE)


@register
class ProgressUpdateRules(_FollowsItsGoal):
    model = ProgressUpdate


@register
class AdjustmentRules(_FollowsItsGoal):
    model = Adjustment


def manages_templates(viewer: Viewer) -> bool:
    """Write and change goal templates: HR who may manage people."""
    return viewer.is_authenticated and relations.hr_manages_people(viewer)


@register
class GoalTemplateRules(Rules[GoalTemplate]):
    """Templates are offered to everyone signed in; HR who may manage people keeps them."""

    model = GoalTemplate
    actions = (VIEW, CHANGE)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action == CHANGE and not manages_templates(viewer):
            return queryset.none()
        return queryset

    def can(self, viewer: Viewer, action: str, obj: GoalTemplate) -> bool:
        return action == VIEW or manages_templates(viewer)

    def who(self, obj: GoalTemplate, action: str = VIEW) -> list[Group]:
        if action == VIEW:
            return relations.everyone()
        return relations.hr_with_scope(managing=True)

    def who_can(self, obj: GoalTemplate, action: str = VIEW) -> str:
        if action != VIEW:
            raise NotImplementedError("Only who may see a template is put in words.")
        return _("Everyone in the organisation")
