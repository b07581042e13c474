"""Talent reviews: HR runs one for a scope (a team with the teams within it, or the whole
organisation); managers place their reports on a performance × potential grid of nine boxes
with a rationale, in draft; the review meeting adjusts the placements; HR finalises, and the
placements are frozen. Every change of a placement is kept (`PlacementChange`, append-only).
When the organisation allows it (`OrgSettings.talent_placements_open`), a person sees their own
finalised placement with its rationale and may respond to it (`Response`).

A review's grid: box (performance, potential), each 1 (low) to 3 (high); its nine labels are
the review's own (`labels`, by box number `box_of`), defaulting to `DEFAULT_LABELS`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

PERSON = settings.AUTH_USER_MODEL
LOW, MEDIUM, HIGH = 1, 2, 3
LEVELS = ((LOW, _("low")), (MEDIUM, _("medium")), (HIGH, _("high")))


def box_of(performance: int, potential: int) -> int:
    """A box's number, 0 to 8: potential high to low from the top, performance low to high
    from the left (the grid as the page draws it, row by row)."""
    return (HIGH - potential) * 3 + (performance - 1)


# By box number: the top row is high potential, the left column low performance.
DEFAULT_LABELS = (
    _("Untested potential"),  # performance low, potential high
    _("Growing strongly"),  # medium, high
    _("Ready for more"),  # high, high
    _("Needs direction"),  # low, medium
    _("Steady contributor"),  # medium, medium
    _("Strong performer"),  # high, medium
    _("Needs support"),  # low, low
    _("Reliable in role"),  # medium, low
    _("Expert in role"),  # high, low
)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    MEETING = "meeting", _("In the meeting")
    FINALISED = "finalised", _("Finalised")


class TalentReview(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # The team reviewed, with the teams within it; None: the whole organisation.
    scope = models.ForeignKey(
        "people.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scope"),
    )
    # HR who leads it (started it); leading grants nothing the rules do not.
    led_by = models.ForeignKey(
        PERSON, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("led by")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    # The nine boxes' labels, by box number; empty: the defaults.
    labels = models.JSONField(_("box labels"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    meeting_opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    finalised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("talent review")
        verbose_name_plural = _("talent reviews")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.name

    def label(self, performance: int, potential: int) -> str:
        return self.box_labels()[box_of(performance, potential)]

    def box_labels(self) -> list[str]:
        """The nine labels in the language of the request (worked out once per review object
        and language: a grid names hundreds of placements)."""
        own = list(self.labels or [])
        key = (tuple(own), get_language())
        cached = self.__dict__.get("_box_labels")
        if cached is None or cached[0] != key:
            found = [
                (own[i] if i < len(own) and own[i] else str(DEFAULT_LABELS[i])) for i in range(9)
            ]
            cached = self.__dict__["_box_labels"] = (key, found)
        return cached[1]

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def in_meeting(self) -> bool:
        return self.status == Status.MEETING

    @property
    def is_finalised(self) -> bool:
        return self.status == Status.FINALISED


class Placement(models.Model):
    review = models.ForeignKey(
        TalentReview, on_delete=models.CASCADE, related_name="placements", verbose_name=_("review")
    )
    person = models.ForeignKey(
        PERSON, on_delete=models.CASCADE, related_name="talent_placements", verbose_name=_("whom")
    )
    performance = models.PositiveSmallIntegerField(_("performance"), choices=LEVELS)
    potential = models.PositiveSmallIntegerField(_("potential"), choices=LEVELS)
    rationale = models.TextField(_("rationale"))
    placed_by = models.ForeignKey(
        PERSON, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("placed by")
    )
    placed_at = models.DateTimeField(default=timezone.now)
    # Changed in the review meeting (after the manager's placement).
    adjusted = models.BooleanField(_("adjusted in the meeting"), default=False)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="one_placement_per_review")
        ]

    def __str__(self) -> str:
        return f"placement {self.pk}"

    @property
    def box(self) -> int:
        return box_of(self.performance, self.potential)

    @property
    def label(self) -> str:
        return self.review.label(self.performance, self.potential)


class PlacementChange(models.Model):
    """One change of a placement, kept as it was made (never changed nor deleted by the app):
    the first placement has no "before"."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="changes", verbose_name=_("placement")
    )
    changed_by = models.ForeignKey(
        PERSON, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    changed_at = models.DateTimeField(default=timezone.now)
    in_meeting = models.BooleanField(default=False)
    performance_before = models.PositiveSmallIntegerField(null=True, choices=LEVELS)
    potential_before = models.PositiveSmallIntegerField(null=True, choices=LEVELS)
    rationale_before = models.TextField(blank=True)
    performance_after = models.PositiveSmallIntegerField(choices=LEVELS)
    potential_after = models.PositiveSmallIntegerField(choices=LEVELS)
    rationale_after = models.TextField()

    class Meta:
        verbose_name = _("placement change")
        verbose_name_plural = _("placement changes")
        ordering = ("changed_at", "pk")

    def __str__(self) -> str:
        return f"placement change {self.pk}"


class Response(models.Model):
    """The person's response to their own finalised placement (when the organisation allows
    people to see it)."""

    placement = models.OneToOneField(
        Placement, on_delete=models.CASCADE, related_name="response", verbose_name=_("placement")
    )
    text = models.TextField(_("your response"))
    written_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("response to a placement")
        verbose_name_plural = _("responses to placements")

    def __str__(self) -> str:
        return f"response {self.pk}"
