"""Who may see and do what with talent reviews: the talentreview module's one policy.

A placement (where someone stands on a review's grid, and why) is seen by HR whose scope covers
the person and by the person's management chain (their manager and everyone above), and, when
the organisation allows it (`talent_placements_open`) and the review is finalised, by the
person themselves; never by peers, never by an administrator as such. Its history and the
person's response are seen by the same people. The person's current manager places them while
the review is in draft; HR covering them adjusts it in the meeting; nobody changes a finalised
placement. The person responds to their own visible placement.

A review itself (its name, scope, status, labels: nobody's placement) is run by HR whose scope
covers the review's whole scope (`MANAGE`), and known to them and to the management chains of
the people working in its scope (who place and read placements in it). Starting one is for HR
covering the scope (`may_start`): a write power that grants no read beyond the rules above.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from access import relations, who
from access.rules import QuerySetT, Rules, register
from access.who import Group
from organisation import current, scope
from people.models import Person, Team, current_q
from talentreview.models import Placement, PlacementChange, Response, Status, TalentReview

if TYPE_CHECKING:
    from access.viewer import Viewer

VIEW, MANAGE = "view", "manage"
# Placements: the manager places (draft), HR adjusts (meeting), the person responds.
PLACE, ADJUST, RESPOND = "place", "adjust", "respond"
# That a review placed someone (not where): the person and whoever sees the placement (My data).
KNOW = "know"


def placements_open() -> bool:
    """Does the organisation let people see their own finalised placement?"""
    return current.settings().talent_placements_open


# --- Reviews --------------------------------------------------------------------------------


def _runs_q(viewer: Viewer) -> Q:
    condition = relations.hr_covers_team_q(viewer, "scope")
    if viewer.hr_scope_path == "":
        condition |= Q(scope__isnull=True)
    return condition


def _runs(viewer: Viewer, review: TalentReview) -> bool:
    if review.scope_id is None:
        return viewer.hr_scope_path == ""
    return relations.hr_covers_team(viewer, review.scope)


def _scope_path(review: TalentReview) -> str:
    return review.scope.path if review.scope is not None else ""


def _below_me(viewer: Viewer) -> QuerySet[Person]:
    """The people working here today who report to the viewer at any depth."""
    return Person.objects.filter(current_q(), relations.below_q(viewer))


def _leads_in_q(viewer: Viewer) -> Q:
    """Someone working in the review's scope today reports to the viewer (at any depth)."""
    if viewer.person is None:
        return relations.NOTHING
    below = _below_me(viewer)
    in_scope = below.filter(team__path__startswith=OuterRef("scope__path"))
    return (Q(scope__isnull=True) & Exists(below)) | Exists(in_scope)


def _leads_in(viewer: Viewer, review: TalentReview) -> bool:
    if viewer.person is None:
        return False
    below = _below_me(viewer)
    if review.scope_id is not None:
        below = below.filter(team__path__startswith=_scope_path(review))
    return below.exists()


def _leaders_in(review: TalentReview) -> list[Group]:
    """Inverse of `_leads_in`: everyone in the chain of someone working in the scope today."""
    members = Person.objects.filter(current_q())
    if review.scope_id is not None:
        members = members.filter(team__path__startswith=_scope_path(review))
    above = members.filter(
        chain__contains=Concat(Value("/"), Cast(OuterRef("pk"), CharField()), Value("/"))
    )
    return [Group(who.REVIEWED_MANAGERS, where=Q(Exists(above)))]


@register
class TalentReviewRules(Rules[TalentReview]):
    model = TalentReview
    actions = (VIEW, MANAGE)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action == MANAGE:
            return queryset.filter(_runs_q(viewer))
        return queryset.filter(_runs_q(viewer) | _leads_in_q(viewer))

    def can(self, viewer: Viewer, action: str, obj: TalentReview) -> bool:
        if _runs(viewer, obj):
            return True
        return action == VIEW and _leads_in(viewer, obj)

    def who(self, obj: TalentReview, action: str = VIEW) -> list[Group]:
        runs = relations.hr_with_scope((_scope_path(obj),))
        if action == MANAGE:
            return runs
        return runs + _leaders_in(obj)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("scope")


def may_start(viewer: Viewer, scope: Team | None) -> bool:
    """Starting a review of `scope` (None: the whole organisation): HR covering all of it."""
    if scope is None:
        return viewer.hr_scope_path == ""
    return relations.hr_covers_team(viewer, scope)


def starts_reviews(viewer: Viewer) -> bool:
    """May the viewer start a review of some scope (HR)?"""
    return viewer.is_hr


def may_place(viewer: Viewer, review: TalentReview, person: Person) -> bool:
    """A new placement: the person's current manager, while the review is in draft."""
    return review.status == Status.DRAFT and relations.is_report(viewer, person)


# --- Placements -----------------------------------------------------------------------------

FINALISED = Status.FINALISED


def _own_q(viewer: Viewer, prefix: str) -> Q:
    if not placements_open():
        return relations.NOTHING
    return relations.self_q(viewer, f"{prefix}person") & Q(**{f"{prefix}review__status": FINALISED})


# HR covering the person, but not the person themselves: HR placed in a review sees their own
# placement as everyone does (only once finalised, where the organisation allows it).
def _hr_q(viewer: Viewer, person: str) -> Q:
    return relations.hr_covers_q(viewer, person) & ~relations.self_q(viewer, person)


def _hr(viewer: Viewer, person: Person) -> bool:
    return relations.hr_covers(viewer, person) and not relations.is_self(viewer, person.pk)


def _hr_covering(person: Person) -> list[Group]:
    paths = (relations.path_of(person),)
    return relations.hr_with_scope(paths, excluding=(person.pk,)) if person is not None else []


def _q(viewer: Viewer, action: str, prefix: str = "") -> Q:
    """The placements (at `prefix`: "placement__" for their history) the viewer may `action`."""
    person = f"{prefix}person"
    status = f"{prefix}review__status"
    if action == PLACE:
        return relations.reports_q(viewer, person) & Q(**{status: Status.DRAFT})
    if action == ADJUST:
        return _hr_q(viewer, person) & Q(**{status: Status.MEETING})
    if action == RESPOND:
        return _own_q(viewer, prefix)
    if action == KNOW:
        return relations.self_q(viewer, person) | _q(viewer, VIEW, prefix)
    return _hr_q(viewer, person) | relations.below_q(viewer, person) | _own_q(viewer, prefix)


def _status(placement: Placement) -> str | None:
    """The review's status (None: an example placement of no review, for My data)."""
    return placement.review.status if placement.review_id is not None else None


def _own(viewer: Viewer, placement: Placement) -> bool:
    # An example (My data, no review): as it would be once finalised.
    return (
        placements_open()
        and relations.is_self(viewer, placement.person_id)
        and _status(placement) in (FINALISED, None)
    )


def _can(viewer: Viewer, action: str, placement: Placement) -> bool:
    person = placement.person
    if action == PLACE:
        return _status(placement) == Status.DRAFT and relations.is_report(viewer, person)
    if action == ADJUST:
        return _status(placement) == Status.MEETING and _hr(viewer, person)
    if action == RESPOND:
        return _own(viewer, placement)
    if action == KNOW:
        return relations.is_self(viewer, placement.person_id) or _can(viewer, VIEW, placement)
    return _hr(viewer, person) or relations.is_below(viewer, person) or _own(viewer, placement)


def _who(placement: Placement, action: str) -> list[Group]:
    person = placement.person
    status = _status(placement)
    # An example (My data): as it would be once finalised.
    own = placements_open() and status in (FINALISED, None)
    if action == PLACE:
        return relations.manager_of(person) if status == Status.DRAFT else []
    if action == ADJUST:
        return _hr_covering(person) if status == Status.MEETING else []
    if action == RESPOND:
        return relations.the_person(person) if own else []
    mine = relations.the_person(person) if own or action == KNOW else []
    return mine + relations.chain_of(person) + _hr_covering(person)


@register
class PlacementRules(Rules[Placement]):
    model = Placement
    actions = (VIEW, PLACE, ADJUST, RESPOND, KNOW)
    reads = (
        "review__status",
        "person__name",
        "person__chain",
        "person__team__path",
        "person__team__name",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(_q(viewer, action))

    def can(self, viewer: Viewer, action: str, obj: Placement) -> bool:
        return _can(viewer, action, obj)

    def who(self, obj: Placement, action: str = VIEW) -> list[Group]:
        return _who(obj, action)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("person__team", "review")


@register
class PlacementChangeRules(Rules[PlacementChange]):
    """A placement's history (the manager's draft boxes, earlier rationales, who adjusted what
    in the meeting): whoever sees the placement, but not the person. What they may be shown is
    the finalised placement; the drafts behind it are the reviewers' working."""

    model = PlacementChange
    reads = (
        "placement__person__name",
        "placement__person__chain",
        "placement__person__team__path",
        "placement__person__team__name",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        person = "placement__person"
        return queryset.filter(_hr_q(viewer, person) | relations.below_q(viewer, person))

    def can(self, viewer: Viewer, action: str, obj: PlacementChange) -> bool:
        return reads_history(viewer, obj.placement)

    def who(self, obj: PlacementChange, action: str = VIEW) -> list[Group]:
        person = obj.placement.person
        return relations.chain_of(person) + _hr_covering(person)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("placement__person__team", "placement__review")


@register
class ResponseRules(Rules[Response]):
    """The person's response: seen by whoever sees the placement; changed by the person while
    they may respond."""

    model = Response
    actions = (VIEW, RESPOND)
    reads = (
        "placement__review__status",
        "placement__person__name",
        "placement__person__chain",
        "placement__person__team__path",
        "placement__person__team__name",
    )

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(_q(viewer, action, "placement__"))

    def can(self, viewer: Viewer, action: str, obj: Response) -> bool:
        return _can(viewer, action, obj.placement)

    def who(self, obj: Response, action: str = VIEW) -> list[Group]:
        return _who(obj.placement, action)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("placement__person__team", "placement__review")


# --- What a page offers -----------------------------------------------------------------------


def placeable(viewer: Viewer, review: TalentReview) -> QuerySet[Person]:
    """The people the viewer may place in the review now: their current reports working in its
    scope (and in the pilot's, during one), while it is a draft (a queryset of people; those
    placed already included)."""
    if review.status != Status.DRAFT or viewer.person is None:
        return Person.objects.none()
    people = Person.objects.filter(current_q(), relations.reports_q(viewer), scope.in_scope_q())
    if review.scope_id is not None:
        people = people.filter(team__path__startswith=_scope_path(review))
    return people


def startable_scopes(viewer: Viewer) -> QuerySet[Team]:
    """The teams the viewer may start a review of (HR: the teams within their scope)."""
    return Team.objects.filter(relations.hr_covers_team_q(viewer))


def reads_history(viewer: Viewer, placement: Placement) -> bool:
    """Whether the viewer may read the placement's history (`PlacementChangeRules`), and so
    what the placement keeps of it: who placed it last, when, and whether the meeting
    adjusted it. Not the person: they see where they stand and why, not the working behind it."""
    if relations.is_self(viewer, placement.person_id):
        return False
    person = placement.person
    return _hr(viewer, person) or relations.is_below(viewer, person)
