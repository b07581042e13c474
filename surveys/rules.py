"""Who may see and do what in Surveys.

A survey and its results are the organisation's, not anyone's personal data: HR creates and
runs surveys for the teams their scope covers (organisation-wide HR for everyone); the results
of a closed round are read by HR in scope and by the leads of teams in the audience, each for
their part: a group's figures only where the group lies within the viewer's part (a team they
cover or lead, or a team below it; the whole audience and the tenure bands across it only
when all of the audience is theirs). Which groups exist at all was decided when the round
closed (`surveys.disclosure`): nobody sees a group below the round's threshold, whoever they
are.

An invitation — that someone was asked and whether they answered — is the person's alone:
nobody else, HR and administrators included, learns who has or has not answered (reminders go
out by themselves).

An invitation's actions: view (the person), answer (the person, once, while the round is
open).

An action plan after a round is about one team (a released team group of that round): its
author, HR whose scope covers the team and the leads of the team and of every team above it
read it and change it (add and complete actions, share it); once shared, everyone in the team
or a team within it reads it too. Whoever owns one of its actions reads it as well (they were
given part of it to do: they read what it is for) and marks their own action done, nothing
more. Its actions follow their plan. Who may make one: whoever reads that team's figures of
the round (`Part.sees`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from access import relations, who
from access.rules import QuerySetT, Rules, register
from access.who import Group
from people.models import Team, ids_in
from surveys import groups
from surveys.models import (
    Comment,
    Invitation,
    Round,
    RoundStatus,
    Survey,
    SurveyAction,
    SurveyActionPlan,
)

if TYPE_CHECKING:
    from access.viewer import Viewer

VIEW, ANSWER, CHANGE = "view", "answer", "change"


# --- Surveys and their results --------------------------------------------------------------


def creates_surveys(viewer: Viewer) -> bool:
    """Create a survey: HR (for their scope or a team within it)."""
    return viewer.is_authenticated and viewer.is_hr


def edits_survey_settings(viewer: Viewer) -> bool:
    """The organisation's survey thresholds: organisation-wide HR who may manage people."""
    return relations.hr_manages_people(viewer) and viewer.hr_scope_path == ""


def manages_survey(viewer: Viewer, survey: Survey) -> bool:
    """Change, end and export a survey: HR whose scope covers its audience."""
    scope = viewer.hr_scope_path
    if scope is None:
        return False
    if survey.team_id is None:
        return scope == ""
    return relations.hr_covers_team(viewer, survey.team)


def _managed_q(viewer: Viewer) -> Q:
    scope = viewer.hr_scope_path
    if scope is None:
        return relations.NOTHING
    if scope == "":
        return Q(pk__isnull=False)
    return relations.hr_covers_team_q(viewer, "team")


def _led_q(viewer: Viewer) -> Q:
    """Surveys whose audience holds a team the viewer leads (or lies within one)."""
    paths = list(viewer.led_paths)
    if not paths:
        return relations.NOTHING
    condition = Q(team__isnull=True)
    above = {team for path in paths for team in ids_in(path)}
    condition |= Q(team__in=above)  # the audience holds a team the viewer leads
    for path in paths:
        condition |= Q(team__path__startswith=path)  # the audience lies within one
    return condition


def surveys_seen(viewer: Viewer, surveys: QuerySet[Survey] | None = None) -> QuerySet[Survey]:
    """The surveys whose results the viewer may read some part of."""
    surveys = Survey.objects.all() if surveys is None else surveys
    if not viewer.is_authenticated:
        return surveys.none()
    return surveys.filter(_managed_q(viewer) | _led_q(viewer))


@dataclass(frozen=True)
class Part:
    """The part of a survey's results a viewer reads: the team paths they cover (HR) or lead,
    and whether the whole audience is theirs."""

    paths: tuple[str, ...]
    whole: bool

    def sees(self, key: str, team_paths: Mapping[int, str]) -> bool:
        team = groups.team_of(key)
        if team is None:  # everyone, or a tenure band across the audience
            return self.whole
        path = team_paths.get(team)
        return path is not None and any(path.startswith(mine) for mine in self.paths)

    @property
    def nothing(self) -> bool:
        return not self.whole and not self.paths


def part_of(viewer: Viewer, survey: Survey) -> Part:
    """Which of the survey's groups the viewer may read (see the module's docstring)."""
    if not viewer.is_authenticated:
        return Part((), False)
    paths: list[str] = []
    scope = viewer.hr_scope_path
    if scope is not None:
        paths.append(scope or "/")
    paths.extend(list(viewer.led_paths))
    audience = survey.team.path if survey.team_id and survey.team else "/"
    whole = any(audience.startswith(path) for path in paths)
    if survey.team_id is None:
        # Everyone: only a part that is the whole organisation reads across it.
        whole = "/" in paths or any(path.count("/") == 2 for path in _top_led(paths))
    return Part(tuple(paths), whole)


def reads_comment(viewer: Viewer, comment: Comment) -> bool:
    """Whoever reads one of the comment's groups' comments on the results page."""
    found_round = comment.round
    if found_round.status != RoundStatus.CLOSED:
        return False
    keys = set(comment.groups) & set(found_round.released_comments)
    ids = {team for key in keys if (team := groups.team_of(key)) is not None}
    paths = dict(Team.objects.filter(pk__in=ids).values_list("pk", "path"))
    part = part_of(viewer, found_round.survey)
    return any(part.sees(key, paths) for key in keys)


def _top_led(paths: list[str]) -> list[str]:
    """Of the paths, those of a top-level team that is the organisation's only top team."""
    tops = list(Team.objects.filter(parent__isnull=True).values_list("path", flat=True)[:2])
    return [path for path in paths if len(tops) == 1 and path == tops[0]]


# --- Invitations ----------------------------------------------------------------------------


@register
class InvitationRules(Rules[Invitation]):
    model = Invitation
    actions = (VIEW, ANSWER)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        mine = relations.self_q(viewer, "person")
        if action == ANSWER:
            return queryset.filter(mine, answered=False, round__status=RoundStatus.OPEN)
        return queryset.filter(mine)

    def can(self, viewer: Viewer, action: str, obj: Invitation) -> bool:
        mine = relations.is_self(viewer, obj.person_id)
        if action == ANSWER:
            return mine and not obj.answered and obj.round.status == RoundStatus.OPEN
        return mine

    def who(self, obj: Invitation, action: str = VIEW) -> list[Group]:
        if action == ANSWER and (obj.answered or obj.round.status != RoundStatus.OPEN):
            return []
        return relations.the_person(obj.person)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("person", "round")


# --- Action plans ---------------------------------------------------------------------------


def _prefix(field: str) -> str:
    return f"{field}__" if field else ""


def plan_q(viewer: Viewer, action: str = VIEW, field: str = "") -> Q:
    """The plans (at `field`) the viewer may `action` (see the module's docstring)."""
    at = _prefix(field)
    condition = (
        relations.self_q(viewer, f"{at}created_by")
        | relations.hr_covers_team_q(viewer, f"{at}team")
        | relations.led_within_q(viewer, f"{at}team")
    )
    if action == VIEW:
        shared = Q(**{f"{at}shared_with_team": True})
        condition |= shared & relations.within_q(viewer, f"{at}team")
        owned = SurveyAction.objects.filter(relations.self_q(viewer, "owner"))
        condition |= Q(**{f"{field}__in" if field else "pk__in": owned.values("plan_id")})
    return condition


def _owns_an_action(viewer: Viewer, plan: SurveyActionPlan) -> bool:
    if plan.pk is None:
        return False  # an example, for My data
    return any(relations.is_self(viewer, action.owner_id) for action in plan.actions.all())


def _team(plan: SurveyActionPlan) -> Team | None:
    return plan.team if plan.team_id is not None else None  # None: an example, for My data


def may_on_plan(viewer: Viewer, action: str, plan: SurveyActionPlan) -> bool:
    team = _team(plan)
    if (
        relations.is_self(viewer, plan.created_by_id)
        or relations.hr_covers_team(viewer, team)
        or relations.is_led_within(viewer, team)
    ):
        return True
    if action != VIEW:
        return False
    return (plan.shared_with_team and relations.is_within(viewer, team)) or _owns_an_action(
        viewer, plan
    )


def who_on_plan(plan: SurveyActionPlan, action: str = VIEW) -> list[Group]:
    team = _team(plan)
    found = [
        *relations.the_person(plan.created_by, who.AUTHOR),
        *relations.hr_covering_team(team),
        *relations.leads_above(team),
    ]
    if action == VIEW and plan.shared_with_team:
        found += relations.members_within(team)
    if action == VIEW and plan.pk is not None:
        owners = sorted({a.owner_id for a in plan.actions.all() if a.owner_id is not None})
        if owners:
            found.append(Group(who.ACTION_OWNERS, about=team, ids=tuple(owners)))
    return found


@register
class ActionPlanRules(Rules[SurveyActionPlan]):
    model = SurveyActionPlan
    actions = (VIEW, CHANGE)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(plan_q(viewer, action))

    def can(self, viewer: Viewer, action: str, obj: SurveyActionPlan) -> bool:
        return may_on_plan(viewer, action, obj)

    def who(self, obj: SurveyActionPlan, action: str = VIEW) -> list[Group]:
        return who_on_plan(obj, action)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("created_by", "team").prefetch_related("actions")


@register
class ActionRules(Rules[SurveyAction]):
    """An action follows its plan; its owner also changes it (marks it done)."""

    model = SurveyAction
    actions = (VIEW, CHANGE)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        condition = plan_q(viewer, action, "plan")
        if action == CHANGE:
            condition |= relations.self_q(viewer, "owner")
        return queryset.filter(condition)

    def can(self, viewer: Viewer, action: str, obj: SurveyAction) -> bool:
        if action == CHANGE and relations.is_self(viewer, obj.owner_id):
            return True
        return may_on_plan(viewer, action, obj.plan)

    def who(self, obj: SurveyAction, action: str = VIEW) -> list[Group]:
        found = who_on_plan(obj.plan, action)
        if action == CHANGE:
            found += relations.the_person(obj.owner, who.ACTION_OWNER)
        return found

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("owner", "plan__created_by", "plan__team").prefetch_related(
            "plan__actions"
        )


def makes_plan(viewer: Viewer, survey: Survey, found_round: Round, key: str) -> bool:
    """Make an action plan for the team group `key` after a closed round: whoever may read
    that group's figures of the round (and only for a team, no band)."""
    if groups.team_of(key) is None or groups.band_in(key) is not None:
        return False
    if found_round.status != RoundStatus.CLOSED or key not in found_round.released:
        return False
    team_id = groups.team_of(key)
    team = Team.objects.filter(pk=team_id).only("path").first() if team_id else None
    if team is None:
        return False
    return part_of(viewer, survey).sees(key, {team.pk: team.path})
