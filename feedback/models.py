"""Feedback: continuous feedback and praise in every direction, feedback requests, and
360-degree reviews whose anonymity holds.

Who reads and does what is decided in `feedback/rules.py` (asked through `access.rules`). The
storage itself keeps the promises the rules cannot:
- constructive feedback is always private to its receiver (who may share it with their
  manager); only praise can be shown on a wall;
- a 360 answer (`ReviewAnswer`) has no link to who gave it: no reviewer column, a random id,
  no timestamp. That a reviewer has answered is a flag on their `ReviewInvitation`, with no
  time either. While the reviews are open a submission is kept only sealed (encrypted,
  `SealedSubmission`); the readable answers are written, shuffled, when the cycle closes, so
  no hidden column, order or time joins them back (see `feedback.reviewing`);
- k, the fewest people behind any anonymous 360 figure, is never below 3
  (`MIN_ANONYMITY_THRESHOLD`, checked by the database too), and a cycle keeps the k it opened
  its reviews with.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERSON = settings.AUTH_USER_MODEL
# Fewer than three people behind a figure lets two of them work out the third's answer.
MIN_ANONYMITY_THRESHOLD = 3
MAX_ANONYMITY_THRESHOLD = 20


class FeedbackSettings(models.Model):
    """The organisation's feedback settings (one row)."""

    anonymity_threshold = models.PositiveSmallIntegerField(
        _("fewest answers behind any 360 figure or comment"),
        default=MIN_ANONYMITY_THRESHOLD,
        validators=[
            MinValueValidator(MIN_ANONYMITY_THRESHOLD),
            MaxValueValidator(MAX_ANONYMITY_THRESHOLD),
        ],
        help_text=_(
            "A rater group's scores and comments are shown only when at least this many people "
            "answered. A cycle keeps the value it had when its reviews opened."
        ),
    )

    class Meta:
        verbose_name = _("feedback settings")
        verbose_name_plural = _("feedback settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity_threshold__gte=MIN_ANONYMITY_THRESHOLD),
                name="feedbacksettings_threshold_at_least_3",
            )
        ]

    def __str__(self):
        return str(_("Feedback settings"))

    @classmethod
    def load(cls) -> FeedbackSettings:
        return cls.objects.get_or_create(pk=1)[0]


# --- Feedback and praise -----------------------------------------------------------------------


class Kind(models.TextChoices):
    PRAISE = "praise", _("Praise")
    CONSTRUCTIVE = "constructive", _("Constructive")


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Only the receiver")
    TEAM = "team", _("The receiver's team")
    ORGANISATION = "organisation", _("Everyone")


class Feedback(models.Model):
    giver = models.ForeignKey(
        PERSON, verbose_name=_("from"), on_delete=models.CASCADE, related_name="feedback_given"
    )
    receiver = models.ForeignKey(
        PERSON, verbose_name=_("to"), on_delete=models.CASCADE, related_name="feedback_received"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PRAISE)
    text = models.TextField(_("feedback"), max_length=4000)
    goal = models.ForeignKey(
        "goals.Objective",
        verbose_name=_("about the goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    # The key of a competency of the framework (Growth) it is about, or empty: a key, not a
    # version's row, so that it stays the same competency when a new version is published.
    competency = models.SlugField(
        _("about the competency"), max_length=50, blank=True, default="", db_default=""
    )
    # Who may read it besides giver and receiver. Constructive feedback is always private.
    visibility = models.CharField(
        _("who can see it"), max_length=12, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    # The receiver chose to share it with their manager: with that person, the manager they
    # had when they shared it, not with whoever manages them later. Reads go by `shared_with`;
    # `shared_with_manager_at` says when.
    shared_with = models.ForeignKey(
        PERSON,
        verbose_name=_("shared with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_shared_with_me",
    )
    shared_with_manager_at = models.DateTimeField(null=True, blank=True)
    # The answer to a feedback request, when it is one.
    request = models.ForeignKey(
        "FeedbackRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Once the receiver has read it, nobody can change it any more: replies are added instead.
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [
            models.Index(fields=["receiver", "-created_at"], name="feedback_receiver_idx"),
            models.Index(fields=["giver", "-created_at"], name="feedback_giver_idx"),
            models.Index(fields=["kind", "visibility", "-created_at"], name="feedback_wall_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="praise") | Q(visibility="private"),
                name="feedback_constructive_is_private",
            ),
            models.CheckConstraint(
                condition=~Q(giver=models.F("receiver")), name="feedback_not_to_oneself"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.giver_id} → {self.receiver_id}"

    def get_absolute_url(self):
        return reverse("feedback:detail", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_shared_with_manager(self) -> bool:
        return self.shared_with_id is not None


class Reply(models.Model):
    """What giver and receiver add after the feedback (it is never edited once read)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("reply"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self):
        return self.text[:60]


class Reaction(models.Model):
    class Emoji(models.TextChoices):
        THANKS = "thanks", _("Thank you")
        CLAP = "clap", _("Well done")
        IDEA = "idea", _("Food for thought")
        HEART = "heart", _("Made my day")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="reactions")
    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=8, choices=Emoji.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "person", "emoji"], name="reaction_once_per_person"
            )
        ]

    def __str__(self):
        return self.emoji


# --- Feedback requests -------------------------------------------------------------------------


class FeedbackRequest(models.Model):
    """Someone asks chosen colleagues for feedback on a topic, by a date."""

    requester = models.ForeignKey(
        PERSON, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    topic = models.CharField(_("about"), max_length=200)
    goal = models.ForeignKey(
        "goals.Objective",
        verbose_name=_("about the goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_requests",
    )
    competency = models.SlugField(
        _("about the competency"), max_length=50, blank=True, default="", db_default=""
    )
    due_date = models.DateField(_("answer by"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("feedback:request", args=[self.pk])


class AskStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


class FeedbackAsk(models.Model):
    """One colleague asked in a request: their inbox item until answered or declined."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="asks")
    requestee = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="feedback_asks")
    status = models.CharField(max_length=10, choices=AskStatus.choices, default=AskStatus.PENDING)
    answer = models.OneToOneField(
        Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="ask"
    )
    declined_reason = models.CharField(_("reason"), max_length=300, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("feedback ask")
        verbose_name_plural = _("feedback asks")
        constraints = [
            models.UniqueConstraint(fields=["request", "requestee"], name="ask_once_per_person")
        ]
        indexes = [models.Index(fields=["requestee", "status"], name="ask_requestee_idx")]

    def __str__(self):
        return f"ask {self.request_id} → {self.requestee_id}"


# --- 360-degree reviews ------------------------------------------------------------------------


class RaterGroup(models.TextChoices):
    SELF = "self", _("Self")
    MANAGER = "manager", _("Manager")
    PEER = "peer", _("Peers")
    REPORT = "report", _("Direct reports")


# Self and manager answers are named by design (the invitation says so); the others are
# anonymous and shown only in groups of at least k.
NAMED_GROUPS = (RaterGroup.SELF, RaterGroup.MANAGER)
ANONYMOUS_GROUPS = (RaterGroup.PEER, RaterGroup.REPORT)
# Only on stored answers: peers and direct reports who were each fewer than k, stored together
# when the reviews close so that every stored anonymous group stands for at least k reviewers
# (`feedback.reviewing.stored_groups`).
OTHERS_GROUP = "others"
ANSWER_GROUPS = [*RaterGroup.choices, (OTHERS_GROUP, _("Others"))]


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NOMINATING = "nominating", _("Nominating reviewers")
    REVIEWING = "reviewing", _("Reviews open")
    CLOSED = "closed", _("Closed")


class ReviewCycle(models.Model):
    name = models.CharField(_("name"), max_length=150)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    nominations_due = models.DateField(_("nominations by"))
    answers_due = models.DateField(_("answers by"))
    status = models.CharField(max_length=12, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    min_peers = models.PositiveSmallIntegerField(_("fewest peers"), default=3)
    max_peers = models.PositiveSmallIntegerField(_("most peers"), default=8)
    include_reports = models.BooleanField(_("direct reports review their manager"), default=True)
    # Whose cycle it is: a team and the teams below it, or (empty) the whole organisation.
    # Participants come from within it; only HR whose scope covers it may run it.
    scope = models.ForeignKey(
        "people.Team",
        verbose_name=_("for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # a team that goes leaves its cycles to organisation-wide HR
        related_name="+",
        help_text=_("A team and the teams below it; empty for the whole organisation."),
    )
    # Taken from FeedbackSettings at creation, raised to the setting when the reviews open
    # (never lowered), and frozen from then on: see `save`.
    anonymity_threshold = models.PositiveSmallIntegerField(
        default=MIN_ANONYMITY_THRESHOLD,
        validators=[
            MinValueValidator(MIN_ANONYMITY_THRESHOLD),
            MaxValueValidator(MAX_ANONYMITY_THRESHOLD),
        ],
    )
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("360 review cycle")
        verbose_name_plural = _("360 review cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity_threshold__gte=MIN_ANONYMITY_THRESHOLD),
                name="reviewcycle_threshold_at_least_3",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def threshold_is_frozen(self) -> bool:
        return self.status in (CycleStatus.REVIEWING, CycleStatus.CLOSED)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuses to change k once the reviews have opened (as stored, whatever this copy
        of the row says)."""
        fields = kwargs.get("update_fields")
        if self.pk is not None and (fields is None or "anonymity_threshold" in fields):
            stored = (
                ReviewCycle.objects.filter(
                    pk=self.pk, status__in=[CycleStatus.REVIEWING, CycleStatus.CLOSED]
                )
                .values_list("anonymity_threshold", flat=True)
                .first()
            )
            if stored is not None and stored != self.anonymity_threshold:
                raise ValueError("A cycle keeps the anonymity threshold its reviews opened with.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("feedback:cycle", args=[self.pk])


SCALE_POINTS = 5  # a rating question is answered 1 to 5
SCALE_LABEL_LENGTH = 40


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating 1–5")
    OPEN = "open", _("Open answer")


class ReviewQuestion(models.Model):
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices, default=QuestionKind.RATING)
    # The competency the question is about, to group a report by: the key of a competency of
    # the framework (Growth) when the organisation has one, as `Feedback.competency`; text as
    # written when it had none (and for questions written before), shown as it is.
    competency = models.CharField(_("competency"), max_length=120, blank=True)
    # A rating question's words for the points of its scale, 1 to 5 (empty: numbers only).
    scale_labels = models.JSONField(_("scale labels"), default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("360 question")
        verbose_name_plural = _("360 questions")

    def __str__(self):
        return self.text

    @property
    def competency_name(self) -> str:
        """The competency as pages show it: when `competency` is a key of the framework, the
        competency's current name (annotated as `framework_name` by
        `feedback.competencies.with_competency_names`); otherwise the text as written."""
        return getattr(self, "framework_name", None) or self.competency


class ReviewParticipant(models.Model):
    """Someone reviewed in a cycle."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="reviews")
    # The manager when the cycle started: they approve nominations and release the report.
    manager = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominations_submitted_at = models.DateTimeField(null=True, blank=True)
    nominations_approved_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("360 participant")
        verbose_name_plural = _("360 participants")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="participant_once_per_cycle")
        ]

    def __str__(self):
        return f"{self.person_id} in {self.cycle_id}"


class Nomination(models.Model):
    """A peer the participant proposes; the manager approves or changes the list."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REMOVED = "removed", _("Removed by the manager")

    participant = models.ForeignKey(
        ReviewParticipant, on_delete=models.CASCADE, related_name="nominations"
    )
    reviewer = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    nominated_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "reviewer"], name="nomination_once_per_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.reviewer_id} for {self.participant_id}"


class ReviewInvitation(models.Model):
    """A reviewer asked to review a participant, in one rater group. Whether they have
    answered is a flag without a time: it cannot be matched to an answer."""

    participant = models.ForeignKey(
        ReviewParticipant, on_delete=models.CASCADE, related_name="invitations"
    )
    reviewer = models.ForeignKey(
        PERSON, on_delete=models.CASCADE, related_name="review_invitations"
    )
    group = models.CharField(max_length=8, choices=RaterGroup.choices)
    answered = models.BooleanField(default=False)
    declined = models.BooleanField(default=False)
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("360 invitation")
        verbose_name_plural = _("360 invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "reviewer"], name="invitation_once_per_reviewer"
            )
        ]
        indexes = [models.Index(fields=["reviewer", "answered"], name="invitation_reviewer_idx")]

    def __str__(self):
        return f"{self.reviewer_id} reviews {self.participant_id}"


class ReviewAnswer(models.Model):
    """One answer to one question. Deliberately without a reviewer, a timestamp or an
    increasing id: nothing in this table says who answered or in which order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        ReviewParticipant, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(ReviewQuestion, on_delete=models.CASCADE, related_name="answers")
    # The group is all there is: for self and manager (named by design) it says whose answer
    # it is; for peers and direct reports it says only that it is one of at least k of them
    # ("others": one of at least k peers and direct reports together).
    group = models.CharField(max_length=8, choices=ANSWER_GROUPS)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True, max_length=3000)

    class Meta:
        verbose_name = _("360 answer")
        verbose_name_plural = _("360 answers")
        indexes = [models.Index(fields=["participant", "group"], name="answer_participant_idx")]

    def __str__(self):
        return f"answer for {self.participant_id}"


class SealedSubmission(models.Model):
    """One reviewer's answers while the reviews are open, sealed: encrypted with a key that is
    not in the database (`feedback.reviewing`). Only the cycle is in clear, to open them all
    when it closes; who was reviewed, in which group and what was said are in `sealed` only.
    Written beside the invitation's "answered" flag; deleted when the cycle closes, in the
    same transaction that writes the readable `ReviewAnswer` rows, shuffled."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("sealed 360 submission")
        verbose_name_plural = _("sealed 360 submissions")

    def __str__(self):
        return f"sealed submission in {self.cycle_id}"
