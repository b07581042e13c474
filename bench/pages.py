"""The pages the benchmark measures, and the personas it measures them as.

Each module adds its pages here with `@page(...)`: a function that takes a persona and returns
the URL to request for them (or None to skip that persona). `scope` sets the target: personal
and team pages must stay under 50 ms at p95, organisation-wide pages under 150 ms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAL, ORGANISATION = "personal", "organisation"
TARGET_P95_MS = {PERSONAL: 50, ORGANISATION: 150}


@dataclass
class Persona:
    key: str  # employee, manager, leader, hr
    label: str
    person_id: int
    email: str
    team_id: int | None
    report_id: int | None  # one direct report, for pages about someone else
    goal_id: int | None = None  # their own goal with the most progress updates
    # Their next open check-in: their own as employee, or a manager's with their report.
    conversation_id: int | None = None
    # A 360 participant whose report they read: for a manager, a report of theirs in the
    # latest finished cycle.
    review_participant_id: int | None = None
    # A goal of that direct report (their goal with the most progress updates): a read the
    # access log records.
    report_goal_id: int | None = None
    # Their own latest assessment, and a competency (key) rated in it: the assessment page and
    # that competency's history.
    assessment_id: int | None = None
    competency_key: str | None = None
    # Ids the later modules' pages need, looked up where Django runs (`choose_personas`, in
    # bench._personas), by the name of their lookup in LOOKUPS: {name: id or None}.
    ids: dict = field(default_factory=dict)


@dataclass
class Page:
    name: str
    url: Callable[[Persona], str | None]
    scope: str
    personas: tuple[str, ...]


PAGES: list[Page] = []
ALL = ("employee", "manager", "leader", "hr")


def page(name: str, scope: str = PERSONAL, personas: tuple[str, ...] = ALL):
    def register(url: Callable[[Persona], str | None]):
        PAGES.append(Page(name, url, scope, personas))
        return url

    return register


def own_goal(person) -> int | None:
    """The person's goal with the most progress updates, this quarter's if they have one."""
    from django.db.models import Count

    from goals.models import Objective

    goals = Objective.objects.filter(owner_person=person).annotate(n=Count("updates"))
    for candidates in (goals.current(), goals):
        goal = candidates.order_by("-n", "pk").values_list("pk", flat=True).first()
        if goal is not None:
            return goal
    return None


def next_check_in(person, report_id: int | None = None) -> int | None:
    """The person's next open check-in as the employee; given a report, as their manager
    (with that report, or else with any of their reports)."""
    from conversations.models import Conversation, Kind

    open_ones = Conversation.objects.open().filter(kind=Kind.CHECK_IN).order_by("due_date", "pk")
    if report_id is None:
        return open_ones.filter(employee=person).values_list("pk", flat=True).first()
    mine = open_ones.filter(manager=person)
    return (
        mine.filter(employee_id=report_id).values_list("pk", flat=True).first()
        or mine.values_list("pk", flat=True).first()
    )


def finished_review_of(manager) -> int | None:
    """A report of the manager's in the latest finished 360 cycle, for their report page."""
    from feedback.models import CycleStatus, ReviewParticipant

    return (
        ReviewParticipant.objects.filter(cycle__status=CycleStatus.CLOSED, manager=manager)
        .order_by("-cycle__period_end", "-cycle_id", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def latest_assessment(person_id: int) -> tuple[int | None, str | None]:
    """The person's latest assessment and the key of a competency rated in it."""
    from growth.models import Assessment, Rating

    assessment = (
        Assessment.objects.filter(subject=person_id)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if assessment is None:
        return None, None
    key = (
        Rating.objects.filter(assessment=assessment)
        .order_by("pk")
        .values_list("competency__key", flat=True)
        .first()
    )
    return assessment, key


def choose_personas() -> list[Persona]:
    """The people to sign in as, found in the demo data (Django must be set up)."""
    from django.db.models import Count

    from access.models import HRRole
    from people.models import Person, current_q

    current = Person.objects.current().filter(is_active=True)

    def persona(key, label, person):
        report = current.filter(manager=person).order_by("pk").values_list("pk", flat=True)
        return Persona(
            key, label, person.pk, person.email, person.team_id, report.first(), own_goal(person)
        )

    manager = (
        current.annotate(n=Count("reports", filter=current_q("reports__")))
        .order_by("-n", "pk")
        .first()
    )
    employee = (
        current.filter(manager=manager, reports__isnull=True).order_by("pk").first()
        or current.filter(reports__isnull=True).order_by("pk").first()
    )
    top = current.filter(manager__isnull=True).annotate(n=Count("reports")).order_by("-n").first()
    # The leader of the largest part of the organisation below the top.
    heads = list(current.filter(manager=top))
    sizes = {h.pk: Person.objects.below(h).count() for h in heads}
    leader = max(heads, key=lambda h: sizes[h.pk]) if heads else top
    hr_role = HRRole.objects.filter(scope__isnull=True).select_related("person").first()
    # The demo organisation has all of them.
    assert manager is not None and leader is not None and hr_role is not None
    hr = hr_role.person
    chosen = [
        persona("employee", "employee", employee),
        persona("manager", f"manager of {manager.n}", manager),
        persona("leader", f"leader of {sizes.get(leader.pk, 0)}", leader),
        persona("hr", "HR", hr),
    ]
    chosen[0].conversation_id = next_check_in(employee)
    chosen[1].conversation_id = next_check_in(manager, chosen[1].report_id)
    chosen[1].review_participant_id = finished_review_of(manager)
    for boss in chosen[1:3]:
        if boss.report_id:
            boss.report_goal_id = own_goal(Person(pk=boss.report_id))
    for chosen_one in chosen:
        chosen_one.assessment_id, chosen_one.competency_key = latest_assessment(
            chosen_one.person_id
        )
        chosen_one.ids = {name: lookup(chosen_one.person_id) for name, lookup in LOOKUPS.items()}
    return chosen


# --- Foundation: people and organisation ---------------------------------------------------------


@page("Home")
def _home(p):
    return "/"


@page("Person page (own)")
def _me(p):
    return f"/people/{p.person_id}/"


@page("Person page (report)", personas=("manager", "leader"))
def _report(p):
    return f"/people/{p.report_id}/" if p.report_id else None


@page("Team page")
def _team(p):
    return f"/people/teams/{p.team_id}/" if p.team_id else None


@page("Directory", scope=ORGANISATION)
def _directory(p):
    return "/people/"


@page("Directory search", scope=ORGANISATION)
def _search(p):
    return "/people/?q=an"


@page("Team tree", scope=ORGANISATION, personas=("employee", "hr"))
def _tree(p):
    return "/people/teams/"


@page("Profile", personas=("employee",))
def _profile(p):
    return "/accounts/profile/"


@page("API me")
def _api_me(p):
    return "/api/v1/me"


@page("API people list", scope=ORGANISATION, personas=("employee", "hr"))
def _api_people(p):
    return "/api/v1/people?limit=50"


@page("API teams list", scope=ORGANISATION, personas=("employee",))
def _api_teams(p):
    return "/api/v1/teams?limit=50"


# --- Goals ----------------------------------------------------------------------------------------


@page("My goals")
def _my_goals(p):
    return "/goals/"


@page("My team's goals", personas=("manager", "leader"))
def _team_goals(p):
    return "/goals/team/"


@page("Company goals", scope=ORGANISATION)
def _company_goals(p):
    return "/goals/company/"


@page("Goal tree", scope=ORGANISATION)
def _goal_tree(p):
    return "/goals/tree/"


@page("Goal page (own)")
def _goal(p):
    return f"/goals/{p.goal_id}/" if p.goal_id else None


@page("Goal page (report's)", personas=("manager", "leader"))
def _report_goal(p):
    return f"/goals/{p.report_goal_id}/" if p.report_goal_id else None


@page("API goals list", scope=ORGANISATION)
def _api_goals(p):
    return "/api/v1/goals?limit=50"


# --- Conversations --------------------------------------------------------------------------------


@page("My team", personas=("manager", "leader"))
def _my_team(p):
    return "/my-team/"


@page("Conversations")
def _conversations(p):
    return "/conversations/"


@page("Conversation page", personas=("employee", "manager"))
def _conversation(p):
    return f"/conversations/{p.conversation_id}/" if p.conversation_id else None


@page("Adherence", scope=ORGANISATION, personas=("manager", "leader", "hr"))
def _adherence(p):
    return "/conversations/adherence/"


@page("API conversations list")
def _api_conversations(p):
    return "/api/v1/conversations?limit=50"


# --- Feedback -------------------------------------------------------------------------------------


@page("Feedback inbox")
def _feedback_inbox(p):
    return "/feedback/"


@page("Praise wall", scope=ORGANISATION)
def _praise_wall(p):
    return "/feedback/wall/"


@page("360 report", personas=("manager",))
def _review_report(p):
    if not p.review_participant_id:
        return None
    return f"/feedback/reviews/participants/{p.review_participant_id}/report/"


@page("API feedback list")
def _api_feedback(p):
    return "/api/v1/feedback?limit=50"


# --- Development plans ---------------------------------------------------------------------------


@page("My development plan")
def _my_plan(p):
    return "/growth/plan/"


@page("API: my development plan")
def _api_my_plan(p):
    return "/api/v1/growth/plan"


@page("API: my gap and readiness")
def _api_my_standing(p):
    return "/api/v1/growth/plan/standing"


@page("Career map")
def _career(p):
    return "/growth/career/"


# --- My data: export, sessions and tokens ---------------------------------------------------------


@page("My data: export")
def _my_data_export(p):
    return "/my-data/export/"


@page("My data: sessions and tokens")
def _my_data_sessions(p):
    return "/my-data/sessions/"


# --- My data (who can see what) -------------------------------------------------------------------


@page("My data")
def _my_data(p):
    return "/my-data/"


@page("API my data")
def _api_my_data(p):
    return "/api/v1/me/data"


@page("My data: who looked")
def _access_log(p):
    return "/my-data/who-looked/"


@page("API my access log")
def _api_access_log(p):
    return "/api/v1/me/access-log?limit=50"


# --- Growth: assessments -------------------------------------------------------------------


@page("Growth (own)")
def _growth(p):
    return "/growth/"


@page("Assessment (own, latest)")
def _assessment(p):
    return f"/growth/assessments/{p.assessment_id}/" if p.assessment_id else None


@page("Competency history (own)")
def _competency_history(p):
    if not p.competency_key:
        return None
    return f"/growth/people/{p.person_id}/competencies/{p.competency_key}/"


@page("API: my assessments")
def _api_assessments(p):
    return "/api/v1/growth/assessments?limit=50"


# --- Talent: skills -------------------------------------------------------------------------


@page("Team skills heatmap", personas=("manager",))
def _skills_team(p):
    return "/talent/skills/team/"


@page("API: team skills heatmap", personas=("manager",))
def _api_skills_team(p):
    return "/api/v1/talent/skills/team"


@page("Organisation skills heatmap", scope=ORGANISATION, personas=("leader", "hr"))
def _skills_organisation(p):
    return "/talent/skills/organisation/"


@page("API: organisation skills heatmap", scope=ORGANISATION, personas=("hr",))
def _api_skills_organisation(p):
    return "/api/v1/talent/skills/organisation"


# --- Surveys ------------------------------------------------------------------------------------


def _survey_id_of(name: str) -> int | None:
    from surveys.models import Survey

    return Survey.objects.filter(name=name).values_list("pk", flat=True).first()


def _open_invitation_of(person_id: int) -> int | None:
    from surveys.models import Invitation

    return (
        Invitation.objects.filter(person_id=person_id, round__status="open")
        .values_list("pk", flat=True)
        .first()
    )


@page("Surveys", personas=("employee", "hr"))
def _surveys(p):
    return "/surveys/"


@page("Survey answering page", personas=("employee", "manager"))
def _survey_answer(p):
    invitation = p.ids.get("survey_invitation")
    return f"/surveys/answer/{invitation}/" if invitation else None


@page("Survey results (pulse)", scope=ORGANISATION, personas=("leader", "hr"))
def _survey_results(p):
    survey = p.ids.get("pulse_survey")
    return f"/surveys/{survey}/" if survey else None


@page("Survey results: safety heatmap", scope=ORGANISATION, personas=("hr",))
def _survey_heatmap(p):
    survey = p.ids.get("safety_survey")
    return f"/surveys/{survey}/" if survey else None


@page("API: survey results", scope=ORGANISATION, personas=("hr",))
def _api_survey_results(p):
    survey = p.ids.get("pulse_survey")
    return f"/api/v1/surveys/{survey}/results" if survey else None


# --- Talent: key positions and succession --------------------------------------------------------
def key_position_with_most_candidates() -> int | None:
    """The key position with the most candidates (the fullest succession plan)."""
    from django.db.models import Count

    from succession.models import KeyPosition

    found = KeyPosition.objects.annotate(n=Count("candidates")).order_by("-n", "pk")
    return found.values_list("pk", flat=True).first()


@page("Key positions", scope=ORGANISATION, personas=("hr",))
def _key_positions(p):
    return "/talent/succession/"


@page("Succession plan", personas=("hr",))
def _succession_plan(p):
    position = p.ids.get("key_position")
    return f"/talent/succession/{position}/" if position else None


@page("API: key positions", scope=ORGANISATION, personas=("hr",))
def _api_key_positions(p):
    return "/api/v1/talent/key-positions?limit=50"


# --- Talent: internal mobility -------------------------------------------------------------------


@page("Openings", personas=("employee",))
def _openings(p):
    return "/talent/mobility/"


# HR's page of an opening ranks everyone open to a move in the organisation by fit (734 people
# at 10,000): an organisation-wide list, as the talent review grid, not a personal page.
@page("Opening", scope=ORGANISATION, personas=("hr",))
def _opening(p):
    found = p.ids.get("opening")
    return f"/talent/mobility/openings/{found}/" if found else None


def first_open_opening() -> int | None:
    from mobility.models import Opening, OpeningStatus

    found = Opening.objects.filter(status=OpeningStatus.OPEN).order_by("pk")
    return found.values_list("pk", flat=True).first()


# --- Talent reviews --------------------------------------------------------------------------


def finished_talent_review() -> int | None:
    """The latest finalised talent review (the demo's is one part of the organisation)."""
    from talentreview.models import Status, TalentReview

    finished = TalentReview.objects.filter(status=Status.FINALISED)
    return finished.order_by("-finalised_at", "-pk").values_list("pk", flat=True).first()


@page("Talent review grid", scope=ORGANISATION, personas=("hr",))
def _talent_review_grid(p):
    review = p.ids.get("talent_review")
    return f"/talent/reviews/{review}/" if review else None


# --- Insights -------------------------------------------------------------------------------


def _led_team_of(person_id: int) -> int | None:
    """The first team the person leads (their Insights page's default), if any."""
    from people.models import Team

    found = Team.objects.filter(lead_id=person_id).order_by("path")
    return found.values_list("pk", flat=True).first()


def _largest_team() -> int | None:
    """The team with the most people working in it (one team's figures, chosen on HR's page)."""
    from django.db.models import Count

    from people.models import Team, current_q

    found = Team.objects.annotate(n=Count("members", filter=current_q("members__")))
    return found.order_by("-n", "pk").values_list("pk", flat=True).first()


@page("Insights", personas=("employee", "manager"))
def _insights(p):
    return "/insights/"


@page("Insights: my team", personas=("manager",))
def _insights_team(p):
    return "/insights/team/"


@page("Insights: my part of the organisation", scope=ORGANISATION, personas=("leader",))
def _insights_organisation(p):
    return "/insights/organisation/" if p.ids.get("led_team") else None


@page("Insights: HR", scope=ORGANISATION, personas=("hr",))
def _insights_hr(p):
    return "/insights/hr/"


@page("Insights: HR, one team in a tenure band", scope=ORGANISATION, personas=("hr",))
def _insights_hr_team(p):
    team = p.ids.get("largest_team")
    return f"/insights/hr/?team={team}&band=1-3" if team else None


@page("API: Insights charts", scope=ORGANISATION, personas=("leader", "hr"))
def _api_insights_charts(p):
    if p.key == "leader" and not p.ids.get("led_team"):
        return None
    return "/api/v1/insights/charts"


@page("API: Insights retention", scope=ORGANISATION, personas=("hr",))
def _api_insights_retention(p):
    return "/api/v1/insights/retention"


# The ids the pages above need, looked up for each persona where Django runs (`choose_personas`).
LOOKUPS = {
    "survey_invitation": _open_invitation_of,
    "pulse_survey": lambda _person: _survey_id_of("Engagement pulse"),
    "safety_survey": lambda _person: _survey_id_of("Team psychological safety"),
    "key_position": lambda _person: key_position_with_most_candidates(),
    "opening": lambda _person: first_open_opening(),
    "talent_review": lambda _person: finished_talent_review(),
    "led_team": _led_team_of,
    "largest_team": lambda _person: _largest_team(),
}
