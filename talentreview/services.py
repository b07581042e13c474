"""Every write to talent reviews, shared by the pages and the API: one function per write.

Each checks permission through `talentreview.rules` (`PermissionDenied`), locks what it
changes, checks the review's stage (`Conflict` when it moved on meanwhile) and the data
(`Refused`, on the field as the API names it), then writes. Every change of a placement
appends a `PlacementChange` (its history is never rewritten); a finalised review's placements
are frozen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import can
from cadence.refusals import Conflict, Refused, clean_text
from talentreview.models import (
    HIGH,
    LOW,
    Placement,
    PlacementChange,
    Response,
    Status,
    TalentReview,
)
from talentreview.rules import ADJUST, MANAGE, PLACE, RESPOND, may_place, may_start

if TYPE_CHECKING:
    from access.viewer import Viewer
    from people.models import Person, Team

MAX_RATIONALE = 5000
MAX_LABEL = 60


def _level(value: int, field: str) -> int:
    if not LOW <= value <= HIGH:
        raise Refused.on(field, _("Choose low (1), medium (2) or high (3)."))
    return value


# --- Reviews ----------------------------------------------------------------------------------


def start_review(
    viewer: Viewer, *, name: str, scope: Team | None, meeting_on: date | None = None
) -> TalentReview:
    """A new review of `scope` (None: the whole organisation), in draft, led by the viewer."""
    if not may_start(viewer, scope):
        raise PermissionDenied(_("Only HR covering the whole scope starts a review of it."))
    name = clean_text(name, "name", 200)
    return TalentReview.objects.create(
        name=name, scope=scope, led_by=viewer.person, meeting_on=meeting_on
    )


def _locked(viewer: Viewer, review: TalentReview) -> TalentReview:
    if not can(viewer, MANAGE, review):
        raise PermissionDenied(_("Only HR covering the review's scope runs it."))
    return TalentReview.objects.select_for_update().get(pk=review.pk)


@transaction.atomic
def set_labels(viewer: Viewer, review: TalentReview, labels: Sequence[str]) -> TalentReview:
    """The nine boxes' labels (by box number; an empty one: the default), until finalised."""
    locked = _locked(viewer, review)
    if locked.is_finalised:
        raise Conflict(_("The review is finalised: its labels stay as they are."))
    if len(labels) != 9:
        raise Refused.on("labels", _("Give the nine boxes' labels."))
    cleaned = [
        clean_text(label, f"labels.{i}", MAX_LABEL, required=False)
        for i, label in enumerate(labels)
    ]
    locked.labels = cleaned
    locked.save(update_fields=["labels"])
    review.labels = cleaned
    return locked


@transaction.atomic
def open_meeting(viewer: Viewer, review: TalentReview) -> TalentReview:
    """From draft to the meeting: managers' placements are now HR's to adjust."""
    locked = _locked(viewer, review)
    if not locked.is_draft:
        raise Conflict(_("The review's meeting has already been opened."))
    locked.status = Status.MEETING
    locked.meeting_opened_at = timezone.now()
    locked.save(update_fields=["status", "meeting_opened_at"])
    review.status = locked.status
    return locked


@transaction.atomic
def finalise(viewer: Viewer, review: TalentReview) -> TalentReview:
    """From the meeting to finalised: every placement is frozen from now on."""
    locked = _locked(viewer, review)
    if not locked.in_meeting:
        raise Conflict(_("Only a review in its meeting is finalised."))
    locked.status = Status.FINALISED
    locked.finalised_at = timezone.now()
    locked.save(update_fields=["status", "finalised_at"])
    review.status = locked.status
    return locked


# --- Placements -------------------------------------------------------------------------------


def _in_scope(review: TalentReview, person: Person) -> bool:
    if review.scope_id is None:
        return True
    team = person.team
    return team is not None and review.scope is not None and team.path.startswith(review.scope.path)


@transaction.atomic
def place(
    viewer: Viewer,
    review: TalentReview,
    person: Person,
    *,
    performance: int,
    potential: int,
    rationale: str,
) -> Placement:
    """The manager places one of their current reports in the review's scope, while in draft
    (again: a change of their placement)."""
    if not may_place(viewer, review, person):
        raise PermissionDenied(_("Managers place their own reports while the review is a draft."))
    locked = TalentReview.objects.select_for_update().get(pk=review.pk)
    if not locked.is_draft:
        raise Conflict(_("The review is no longer a draft: placements are changed in its meeting."))
    if person.has_left or not _in_scope(review, person):
        raise Refused.on("person", _("Choose one of your reports within the review's scope."))
    existing = Placement.objects.filter(review=review, person=person).first()
    if existing is not None:
        existing.review = locked
        return _change(viewer, existing, performance, potential, rationale, in_meeting=False)
    performance, potential, rationale = _values(performance, potential, rationale)
    placement = Placement.objects.create(
        review=locked,
        person=person,
        placed_by=viewer.person,
        performance=performance,
        potential=potential,
        rationale=rationale,
    )
    PlacementChange.objects.create(
        placement=placement,
        changed_by=viewer.person,
        performance_after=performance,
        potential_after=potential,
        rationale_after=rationale,
    )
    return placement


def _values(performance: int, potential: int, rationale: str) -> tuple[int, int, str]:
    return (
        _level(performance, "performance"),
        _level(potential, "potential"),
        clean_text(rationale, "rationale", MAX_RATIONALE),
    )


def _change(
    viewer: Viewer,
    placement: Placement,
    performance: int,
    potential: int,
    rationale: str,
    *,
    in_meeting: bool,
) -> Placement:
    after = _values(performance, potential, rationale)
    before = (placement.performance, placement.potential, placement.rationale)
    if before == after:
        return placement
    PlacementChange.objects.create(
        placement=placement,
        changed_by=viewer.person,
        in_meeting=in_meeting,
        performance_before=placement.performance,
        potential_before=placement.potential,
        rationale_before=placement.rationale,
        performance_after=after[0],
        potential_after=after[1],
        rationale_after=after[2],
    )
    placement.performance, placement.potential, placement.rationale = after
    placement.placed_by = viewer.person
    placement.placed_at = timezone.now()
    placement.adjusted = placement.adjusted or in_meeting
    placement.save()
    return placement


@transaction.atomic
def change_placement(
    viewer: Viewer, placement: Placement, *, performance: int, potential: int, rationale: str
) -> Placement:
    """A placement changed: by the manager while in draft, by HR covering the person in the
    meeting (marked adjusted); never once finalised."""
    review = TalentReview.objects.select_for_update().get(pk=placement.review_id)
    placement.review = review
    if can(viewer, PLACE, placement):
        in_meeting = False
    elif can(viewer, ADJUST, placement):
        in_meeting = True
    elif review.is_finalised:
        raise Conflict(_("The review is finalised: its placements stay as they are."))
    else:
        raise PermissionDenied(_("The manager places while in draft; HR adjusts in the meeting."))
    return _change(viewer, placement, performance, potential, rationale, in_meeting=in_meeting)


@transaction.atomic
def respond(viewer: Viewer, placement: Placement, *, text: str) -> Response:
    """The person's response to their own finalised placement (written again: changed)."""
    if not can(viewer, RESPOND, placement):
        raise PermissionDenied(_("Only the person placed responds, once the review is final."))
    text = clean_text(text, "text", MAX_RATIONALE)
    response, created = Response.objects.select_for_update().get_or_create(
        placement=placement, defaults={"text": text}
    )
    if not created:
        response.text = text
        response.updated_at = timezone.now()
        response.save(update_fields=["text", "updated_at"])
    return response
