"""Who may see and do what in Growth.

The competency framework, the career tracks and the role profiles are the organisation's own
documents, not anyone's personal data: everyone signed in who may use the module reads them
(the module's switch and the pilot scope are `organisation.middleware`'s). Only
organisation-wide HR changes them, because a framework applies to everyone: importing a new
version, starting from the starter framework and publishing.

An assessment is between its subject and their current manager. HR whose scope covers the
subject sees that it exists, its status and dates (to follow a round up), never a rating or
its evidence, unless the subject shares the assessment with HR. The management chain above
the manager sees nothing of it. Each side's ratings are its own while it works on them: the
subject's self-ratings reach the manager once the subject shares their self-assessment, the
manager's ratings reach the subject once the manager shares theirs. The agreed levels (written
by the manager after the conversation) are seen by both.

An assessment's actions, each a SQL filter and a check on one loaded assessment:

- view: its existence, status and dates (the subject, their manager, HR in scope);
- rate_self: rate and share the self-assessment (the subject, until they shared it);
- rate_manager: rate and share the manager's assessment (the current manager, until shared);
- agree: record the agreed levels (the manager, once they shared their ratings, until closed);
- close: the subject or the manager, while it is open;
- share_with_hr: the subject, while HR does not see the ratings yet.

A round (HR starting assessments for a team or the organisation) is HR's whose scope covers
its team (for the whole organisation: organisation-wide HR): they see its progress, as counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from access import relations
from access.rules import QuerySetT, Rules, register
from access.who import Group
from growth.models import Assessment, AssessmentRound, Rating, Side
from organisation import scope
from people.models import Person, Team
from people.rules import is_organisation_wide_hr

if TYPE_CHECKING:
    from access.viewer import Viewer

VIEW = "view"
RATE_SELF, RATE_MANAGER, AGREE, CLOSE, SHARE_WITH_HR = (
    "rate_self",
    "rate_manager",
    "agree",
    "close",
    "share_with_hr",
)


def reads_framework(viewer: Viewer) -> bool:
    """The framework, the tracks and the career map: anyone signed in."""
    return viewer.is_authenticated and viewer.person is not None


def publishes_framework(viewer: Viewer) -> bool:
    """Import, start from the starter framework and publish a version: organisation-wide HR."""
    return reads_framework(viewer) and is_organisation_wide_hr(viewer)


# --- Assessments -----------------------------------------------------------------------------


def starts_assessment_of(viewer: Viewer, person: Person) -> bool:
    """Start an assessment of `person`: the person themselves or their current manager, while
    the person works here."""
    return not person.has_left and (
        relations.is_self(viewer, person.pk) or relations.is_report(viewer, person)
    )


def sees_assessments_of(viewer: Viewer, person: Person) -> bool:
    """A person's assessments at all (what of them: each rating's rule): the person, their
    current manager, HR in scope."""
    return (
        relations.is_self(viewer, person.pk)
        or relations.is_report(viewer, person)
        or relations.hr_covers(viewer, person)
    )


def sees_levels_of(viewer: Viewer, person: Person) -> bool:
    """A person's assessed levels as a whole (their gap and readiness, wherever shown): the
    person and their current manager, who see every agreed level and every shared manager
    rating. Anyone else (HR, someone a plan is shared with) sees no levels: they may see some
    ratings of some assessments (`RatingRules`), never a picture made of them."""
    return relations.is_self(viewer, person.pk) or relations.is_report(viewer, person)


def sides_people(viewer: Viewer, side: str | None = None) -> QuerySet[Person]:
    """The people whose assessments the viewer may be on a side of: themselves and their
    direct reports (`side`: `Side.SELF`, themselves; `Side.MANAGER`, their reports). Not a
    rule (the rules say which side and when); a narrowing that lets the database start from
    these few people (`on_a_side`)."""
    sides = {Side.SELF: relations.self_q(viewer), Side.MANAGER: relations.reports_q(viewer)}
    if side is None:
        return Person.objects.filter(sides[Side.SELF] | sides[Side.MANAGER])
    return Person.objects.filter(sides[Side(side)])


def assessable_reports(viewer: Viewer) -> QuerySet[Person]:
    """The viewer's reports working here today, inside the pilot scope: whom they may start an
    assessment of (besides themselves)."""
    return Person.objects.current().filter(
        relations.reports_q(viewer), scope.in_scope_q(), is_active=True
    )


def starts_rounds(viewer: Viewer) -> bool:
    """Start an assessment round: HR (for their scope or a team within it)."""
    return viewer.is_authenticated and viewer.is_hr


def round_teams(viewer: Viewer) -> tuple[list[Team], bool]:
    """The teams a round may be for (within the viewer's HR scope), and whether it may be for
    the whole organisation."""
    if viewer.hr_scope_path is None:
        return [], False
    teams = Team.objects.filter(relations.hr_covers_team_q(viewer)).order_by("name")
    return list(teams), viewer.hr_scope_path == ""


def round_people(viewer: Viewer, team: Team | None) -> QuerySet[Person]:
    """Whom a round of the viewer (HR) for `team` (None: the whole organisation) takes in:
    people working here today within the team and the viewer's HR scope, inside the pilot
    scope (`organisation.scope`)."""
    people = Person.objects.current().filter(
        relations.hr_covers_q(viewer), scope.in_scope_q(), is_active=True
    )
    if team is not None:
        people = people.filter(team__path__startswith=team.path)
    return people


# Each side's rating action: the subject rates themselves, their current manager rates them.
RATES: dict[str, str] = {Side.SELF: RATE_SELF, Side.MANAGER: RATE_MANAGER}


def side_of(viewer: Viewer, assessment: Assessment) -> str | None:
    """The viewer's side of the assessment: `Side.SELF` for its subject, `Side.MANAGER` for
    the subject's current manager, None for anyone else (HR in scope follows it from neither
    side; a former manager is on no side any more). What the side may do now is the rules'
    (`RATES`, `AssessmentRules`). The assessment is loaded with its subject."""
    if relations.is_self(viewer, assessment.subject_id):
        return Side.SELF
    if relations.is_report(viewer, assessment.subject):
        return Side.MANAGER
    return None


def on_a_side(viewer: Viewer, queryset: QuerySetT, side: str | None = None) -> QuerySetT:
    """Of `queryset` (assessments), those the viewer is on a side of, in SQL: their own and
    their current reports' (`side`: that side's only). Every one of them is visible to the
    viewer (`AssessmentRules`); HR in scope sees more assessments, from neither side: lists
    of "mine and my team's" (Growth's page, the API, what waits for someone) are made of
    these. Said as "the subject is one of these few people" (`sides_people`), so that the
    database starts from them rather than from every assessment."""
    return queryset.filter(subject__in=sides_people(viewer, side).values("pk"))


def _subject_q(viewer: Viewer, prefix: str = "") -> Q:
    return relations.self_q(viewer, f"{prefix}subject")


def _manager_q(viewer: Viewer, prefix: str = "") -> Q:
    return relations.reports_q(viewer, f"{prefix}subject")


def _hr_q(viewer: Viewer, prefix: str = "") -> Q:
    return relations.hr_covers_q(viewer, f"{prefix}subject")


def _shared(field: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}{field}__isnull": False})


@register
class AssessmentRules(Rules[Assessment]):
    model = Assessment
    actions = (VIEW, RATE_SELF, RATE_MANAGER, AGREE, CLOSE, SHARE_WITH_HR)
    reads = (
        "subject__name",
        "subject__manager",
        "subject__team__path",
        "subject__team__name",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(self.condition(viewer, action))

    @staticmethod
    def condition(viewer: Viewer, action: str = VIEW, prefix: str = "") -> Q:
        """The rule for `action` as a condition on the assessment at `prefix`."""
        subject, manager = _subject_q(viewer, prefix), _manager_q(viewer, prefix)
        is_open = Q(**{f"{prefix}closed_at__isnull": True})
        not_agreed = Q(**{f"{prefix}agreed_at__isnull": True})
        if action == VIEW:
            return subject | manager | _hr_q(viewer, prefix)
        if action == RATE_SELF:
            return subject & is_open & not_agreed & ~_shared("self_shared_at", prefix)
        if action == RATE_MANAGER:
            return manager & is_open & not_agreed & ~_shared("manager_shared_at", prefix)
        if action == AGREE:
            return manager & is_open & _shared("manager_shared_at", prefix)
        if action == CLOSE:
            return (subject | manager) & is_open
        if action == SHARE_WITH_HR:
            return subject & ~_shared("hr_shared_at", prefix)
        raise ValueError(action)

    def can(self, viewer: Viewer, action: str, obj: Assessment) -> bool:
        subject = relations.is_self(viewer, obj.subject_id)
        manager = relations.is_report(viewer, obj.subject)
        if action == VIEW:  # whoever it is about, open or closed (My data reads no more)
            return subject or manager or relations.hr_covers(viewer, obj.subject)
        is_open = obj.closed_at is None
        if action == RATE_SELF:
            return subject and is_open and obj.agreed_at is None and obj.self_shared_at is None
        if action == RATE_MANAGER:
            return manager and is_open and obj.agreed_at is None and obj.manager_shared_at is None
        if action == AGREE:
            return manager and is_open and obj.manager_shared_at is not None
        if action == CLOSE:
            return (subject or manager) and is_open
        if action == SHARE_WITH_HR:
            return subject and obj.hr_shared_at is None
        raise ValueError(action)

    def who(self, obj: Assessment, action: str = VIEW) -> list[Group]:
        person = relations.the_person(obj.subject)
        manager = relations.manager_of(obj.subject)
        if action == VIEW:
            return person + manager + relations.hr_covering(obj.subject)
        is_open = obj.closed_at is None
        if action == RATE_SELF:
            ok = is_open and obj.agreed_at is None and obj.self_shared_at is None
            return person if ok else []
        if action == RATE_MANAGER:
            ok = is_open and obj.agreed_at is None and obj.manager_shared_at is None
            return manager if ok else []
        if action == AGREE:
            return manager if is_open and obj.manager_shared_at is not None else []
        if action == CLOSE:
            return person + manager if is_open else []
        if action == SHARE_WITH_HR:
            return person if obj.hr_shared_at is None else []
        raise ValueError(action)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("subject__team")

    def who_can(self, obj: Assessment, action: str = VIEW) -> str:
        if action != VIEW:
            raise NotImplementedError("Only who may see an assessment is put in words.")
        names = {"name": obj.subject.name}
        if obj.hr_shared_at is not None:
            return _("%(name)s, their manager and HR: HR also sees the ratings, shared") % names
        return (
            _("%(name)s and their manager; HR sees its status and dates, never the ratings") % names
        )


ASSESSMENTS = AssessmentRules()


@register
class RatingRules(Rules[Rating]):
    """A side's ratings, as the module's docstring says: the self-ratings are the subject's
    until shared, the manager's the manager's until shared; the agreed levels both's; HR sees
    what both see once the subject shares the assessment with HR."""

    model = Rating
    reads = (
        "side",
        "rated_by",
        "assessment__self_shared_at",
        "assessment__manager_shared_at",
        "assessment__hr_shared_at",
        "assessment__subject__name",
        "assessment__subject__manager",
        "assessment__subject__team__path",
        "assessment__subject__team__name",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        p = "assessment__"
        subject, manager, hr = _subject_q(viewer, p), _manager_q(viewer, p), _hr_q(viewer, p)
        self_shared = _shared("self_shared_at", p)
        manager_shared = _shared("manager_shared_at", p)
        hr = hr & _shared("hr_shared_at", p)
        mine = Q(side=Side.SELF) & (subject | ((manager | hr) & self_shared))
        # A manager's unshared ratings are the one who wrote them (a manager after them, when
        # the reporting line changes, sees them only once shared).
        own = relations.self_q(viewer, "rated_by")
        managers = Q(side=Side.MANAGER) & (
            (manager & (manager_shared | own)) | ((subject | hr) & manager_shared)
        )
        agreed = Q(side=Side.AGREED) & (subject | manager | hr)
        return queryset.filter(mine | managers | agreed)

    def can(self, viewer: Viewer, action: str, obj: Rating) -> bool:
        assessment = obj.assessment
        subject = relations.is_self(viewer, assessment.subject_id)
        manager = relations.is_report(viewer, assessment.subject)
        hr = assessment.hr_shared_at is not None and relations.hr_covers(viewer, assessment.subject)
        if obj.side == Side.SELF:
            return subject or ((manager or hr) and assessment.self_shared_at is not None)
        if obj.side == Side.MANAGER:
            shared = assessment.manager_shared_at is not None
            own = relations.is_self(viewer, obj.rated_by_id)
            return (manager and (shared or own)) or ((subject or hr) and shared)
        if obj.side == Side.AGREED:
            return subject or manager or hr
        return False

    def who(self, obj: Rating, action: str = VIEW) -> list[Group]:
        assessment = obj.assessment
        subject = relations.the_person(assessment.subject)
        manager = relations.manager_of(assessment.subject)
        hr = (
            relations.hr_covering(assessment.subject) if assessment.hr_shared_at is not None else []
        )
        if obj.side == Side.SELF:
            return subject + (manager + hr if assessment.self_shared_at is not None else [])
        if obj.side == Side.MANAGER:
            if assessment.manager_shared_at is not None:
                return manager + subject + hr
            # Unshared: its author, while they are the manager.
            return manager if obj.rated_by_id == assessment.subject.manager_id else []
        if obj.side == Side.AGREED:
            return subject + manager + hr
        return []

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("assessment__subject__team")

    def who_can(self, obj: Rating, action: str = VIEW) -> str:
        names = {"name": obj.assessment.subject.name}
        if obj.side == Side.SELF and obj.assessment.self_shared_at is None:
            return _("Only %(name)s, until they share their self-assessment") % names
        if obj.side == Side.MANAGER and obj.assessment.manager_shared_at is None:
            return _("Only %(name)s's manager, until they share their assessment") % names
        return _("%(name)s and their manager") % names


def _round_q(viewer: Viewer) -> Q:
    condition = relations.hr_covers_team_q(viewer, "scope")
    if viewer.hr_scope_path == "":
        condition |= Q(scope__isnull=True)
    return condition


@register
class AssessmentRoundRules(Rules[AssessmentRound]):
    """HR whose scope covers the round's team; a round for the whole organisation:
    organisation-wide HR.

    A round's progress is counts of its assessments' statuses, with no smallest group
    (`min_group_size`): HR in scope already sees each of those assessments' status and dates
    (`AssessmentRules`), never a rating, so a count of one tells them nothing more. Counts of
    ratings would need one."""

    model = AssessmentRound

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(_round_q(viewer))

    def can(self, viewer: Viewer, action: str, obj: AssessmentRound) -> bool:
        if obj.scope is None:
            return viewer.hr_scope_path == ""
        return relations.hr_covers_team(viewer, obj.scope)

    def who(self, obj: AssessmentRound, action: str = VIEW) -> list[Group]:
        if obj.scope is None:
            return relations.hr_with_scope(("",))
        return relations.hr_covering_team(obj.scope)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("scope")

    def who_can(self, obj: AssessmentRound, action: str = VIEW) -> str:
        return _("HR whose scope covers the round (progress as counts only)")
