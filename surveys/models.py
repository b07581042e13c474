"""Pulse surveys: questions (the bank's and the organisation's own), surveys with their
audience and rhythm, rounds, and answers whose anonymity holds by how they are stored.

Who reads and does what is decided in `surveys/rules.py`. The storage keeps the promises the
rules cannot (as 360 answers do, `feedback.reviewing`):
- an `Invitation` says that a person was asked in a round and whether they answered: a flag,
  no time; with the groups they count in, frozen when the round opened (their team and every
  team above it, their tenure band), so a later move between teams changes nothing;
- while a round is open, a response is kept only sealed (`SealedResponse`: a random id, the
  round, and the groups and answers encrypted with a key derived from SECRET_KEY);
- when the round closes, every sealed response is opened and written, shuffled across all
  respondents, as `Response` and `Comment` rows: a random id, the round, the frozen groups and
  the answers; no person, no time but the round's, no order or transaction that joins them to
  an invitation; the sealed rows are deleted;
- in the same transaction the figures are computed once, for the groups that may be released
  together (`surveys.disclosure`), and kept as `Figure` rows; every page, filter, comparison,
  API route and export reads those, never the responses. The thresholds (`k`, `k_comments`)
  are the organisation's when the round opened, and stay with the round.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys import bank
from surveys.disclosure import MINIMUM_K

PERSON = settings.AUTH_USER_MODEL
MAX_THRESHOLD = 50
MIN_COMMENT_THRESHOLD = 5  # comments say more than a number: their own, higher floor
MAX_PER_ROUND = 5  # a pulse asks at most five questions a round


class SurveySettings(models.Model):
    """The organisation's survey settings (one row)."""

    anonymity_threshold = models.PositiveSmallIntegerField(
        _("fewest respondents behind any figure"),
        default=5,
        validators=[MinValueValidator(MINIMUM_K), MaxValueValidator(MAX_THRESHOLD)],
        help_text=_(
            "A group's results are shown only when at least this many people in it answered. "
            "A round keeps the value it had when it opened."
        ),
    )
    comment_threshold = models.PositiveSmallIntegerField(
        _("fewest respondents behind any comment"),
        default=MIN_COMMENT_THRESHOLD,
        validators=[MinValueValidator(MIN_COMMENT_THRESHOLD), MaxValueValidator(MAX_THRESHOLD)],
        help_text=_(
            "A group's comments are shown only when at least this many people in it answered."
        ),
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity_threshold__gte=MINIMUM_K),
                name="surveysettings_threshold_at_least_3",
            ),
            models.CheckConstraint(
                condition=Q(comment_threshold__gte=MIN_COMMENT_THRESHOLD),
                name="surveysettings_comments_at_least_5",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Survey settings"))

    @classmethod
    def load(cls) -> SurveySettings:
        return cls.objects.get_or_create(pk=1)[0]


class Construct(models.TextChoices):
    ENGAGEMENT = bank.ENGAGEMENT, _("Engagement")
    SAFETY = bank.SAFETY, _("Psychological safety")
    ENPS = bank.ENPS, _("eNPS")
    CUSTOM = bank.CUSTOM, _("Own question")


class QuestionKind(models.TextChoices):
    SCALE = bank.SCALE, _("Scale")
    ENPS = bank.NPS, _("0 to 10")
    CHOICE = bank.CHOICE, _("Single choice")
    TEXT = bank.TEXT, _("Open text")


class Question(models.Model):
    """A question a survey may ask: one of the bank's (by `key`; its wording comes from the
    bank, translated) or the organisation's own (`text`)."""

    key = models.SlugField(max_length=50, null=True, blank=True, unique=True)
    construct = models.CharField(max_length=12, choices=Construct.choices)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices)
    points = models.PositiveSmallIntegerField(null=True, blank=True)  # a scale's top
    reverse = models.BooleanField(default=False)
    text = models.CharField(_("question"), max_length=300, blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)  # single choice
    created_by = models.ForeignKey(
        PERSON, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.wording)

    @property
    def wording(self) -> str:
        item = bank.BY_KEY.get(self.key or "")
        return str(item.text) if item else self.text

    @property
    def values(self) -> list[int]:
        """The answers a scale or eNPS question takes."""
        if self.kind == QuestionKind.ENPS:
            return list(range(11))
        if self.kind == QuestionKind.SCALE and self.points:
            return list(range(1, self.points + 1))
        if self.kind == QuestionKind.CHOICE:
            return list(range(len(self.options)))
        return []


class Survey(models.Model):
    """A survey: its audience (a team with its sub-teams, or everyone), its questions and its
    rhythm: a pulse opens a round every `every_days` days with at most five of its questions,
    rotating; a one-off has one round with all of them."""

    name = models.CharField(_("name"), max_length=120)
    team = models.ForeignKey(
        "people.Team",
        verbose_name=_("audience"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The team and its sub-teams; empty: everyone."),
    )
    questions = models.ManyToManyField(Question, through="SurveyQuestion", related_name="+")
    every_days = models.PositiveSmallIntegerField(
        _("repeat every (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(7), MaxValueValidator(180)],
        help_text=_("Empty: a one-off survey."),
    )
    per_round = models.PositiveSmallIntegerField(
        _("questions per round"),
        default=MAX_PER_ROUND,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PER_ROUND)],
    )
    open_days = models.PositiveSmallIntegerField(
        _("open for (days)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    starts_on = models.DateField(_("first round opens"))
    created_by = models.ForeignKey(
        PERSON, null=True, on_delete=models.SET_NULL, related_name="surveys_created"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pulse(self) -> bool:
        return self.every_days is not None


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="asks")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "question"], name="survey_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.question_id}"


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Round(models.Model):
    """One round of a survey: who was asked (invitations), which questions, and the thresholds
    it opened with; once closed, the groups released (`released`, `released_comments`) and
    their figures."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    k = models.PositiveSmallIntegerField(validators=[MinValueValidator(MINIMUM_K)])
    k_comments = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_COMMENT_THRESHOLD)]
    )
    questions = models.ManyToManyField(Question, through="RoundQuestion", related_name="+")
    invited = models.PositiveIntegerField(default=0)
    sizes = models.JSONField(default=dict)  # group key -> how many were asked in it
    respondents = models.PositiveIntegerField(default=0)  # set when it closes
    released = models.JSONField(default=list)  # group keys whose figures may be shown
    released_comments = models.JSONField(default=list)  # group keys whose comments may be
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_round_number"),
            models.CheckConstraint(condition=Q(k__gte=MINIMUM_K), name="round_k_at_least_3"),
            models.CheckConstraint(
                condition=Q(k_comments__gte=MIN_COMMENT_THRESHOLD),
                name="round_comment_k_at_least_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


# A round's columns that only its results read: every group's size at launch and the groups
# released, JSON of 100 KB and more at 10,000 people, which the lists of rounds (Surveys, the
# replies to one's groups) never show. `deferred_round("round__")` for `.defer()`.
ROUND_RESULTS_COLUMNS = ("sizes", "released", "released_comments")


def deferred_round(prefix: str = "") -> tuple[str, ...]:
    """The round's results columns under `prefix` (the path to the round), to defer."""
    return tuple(prefix + name for name in ROUND_RESULTS_COLUMNS)


class RoundQuestion(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="asks")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "question"], name="round_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.question_id}"


class Invitation(models.Model):
    """That a person was asked in a round, and whether they answered: no time, no answer. The
    groups they count in were frozen when the round opened."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(PERSON, on_delete=models.CASCADE, related_name="survey_invitations")
    answered = models.BooleanField(default=False)
    groups = models.JSONField(default=list)
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="survey_invitation_once"),
        ]
        indexes = [models.Index(fields=["person", "answered"], name="survey_inv_person_idx")]

    def __str__(self) -> str:
        return f"survey invitation in {self.round_id}"


class SealedResponse(models.Model):
    """A response while its round is open: everything but the round sealed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("sealed survey response")
        verbose_name_plural = _("sealed survey responses")

    def __str__(self) -> str:
        return f"sealed survey response in {self.round_id}"


class Response(models.Model):
    """One respondent's answers to a closed round: no person, no time, a random id; written
    shuffled when the round closed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    groups = models.JSONField(default=list)
    answers = models.JSONField(default=dict)  # {question id: value}

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"survey response in {self.round_id}"


class Comment(models.Model):
    """An open answer of a closed round, apart from the respondent's other answers (so that
    a comment's tone cannot be matched to their scores): no person, no time, a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="comments")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    groups = models.JSONField(default=list)
    text = models.TextField(max_length=2000)

    class Meta:
        verbose_name = _("survey comment")
        verbose_name_plural = _("survey comments")

    def __str__(self) -> str:
        return f"survey comment in {self.round_id}"


class Figure(models.Model):
    """A released group's result for one question of a closed round: how many answered, their
    sum (of the scored value: reverse-scored questions are stored reversed), for eNPS their
    promoters minus detractors (`net`), and how many gave each answer — only where that split
    may be shown (`surveys.disclosure.release_answers`), empty elsewhere. With `question`
    empty: the group's participation (`n` respondents of `invited`)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="figures")
    group = models.CharField(max_length=80)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    n = models.PositiveIntegerField()
    invited = models.PositiveIntegerField(null=True, blank=True)
    total = models.IntegerField(default=0)
    net = models.IntegerField(null=True, blank=True)  # eNPS: promoters minus detractors
    counts = models.JSONField(default=dict)  # {answer: how many}; {} where the split is hidden

    class Meta:
        verbose_name = _("survey figure")
        verbose_name_plural = _("survey figures")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "group", "question"], name="survey_figure_once"
            ),
            models.UniqueConstraint(
                fields=["round", "group"],
                condition=Q(question__isnull=True),
                name="survey_participation_once",
            ),
        ]
        indexes = [models.Index(fields=["group", "round"], name="survey_figure_group_idx")]

    def __str__(self) -> str:
        return f"{self.group} in {self.round_id}"

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None


# --- After a round: action plans and replies to comments -------------------------------------


class SurveyActionPlan(models.Model):
    """What a team's manager or HR means to do after a round: focus areas picked from the
    results of one released team group (`group`, "t:<id>", the team kept in `team` for the
    rules), actions with an owner and a due date, shared with the team or not yet."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="plans")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="plans")
    group = models.CharField(max_length=80)
    team = models.ForeignKey("people.Team", on_delete=models.PROTECT, related_name="+")
    focus = models.ManyToManyField(Question, verbose_name=_("focus areas"), related_name="+")
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        PERSON, null=True, on_delete=models.SET_NULL, related_name="survey_plans"
    )
    created_at = models.DateTimeField(default=timezone.now)
    shared_with_team = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("survey action plan")
        verbose_name_plural = _("survey action plans")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"action plan after {self.round_id} for {self.group}"


class SurveyAction(models.Model):
    """One action of a plan: what, who sees to it, by when, and when it was done."""

    plan = models.ForeignKey(SurveyActionPlan, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        PERSON,
        verbose_name=_("owner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="survey_actions",
    )
    due_date = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey action")
        verbose_name_plural = _("survey actions")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"survey action {self.pk} of plan {self.plan_id}"


class SurveyCommentReply(models.Model):
    """A reader's reply to an anonymous comment: shown under it to its readers and, on their
    own view of the round, to the people of every one of the comment's groups (whoever wrote it
    is among them; the comment still names nobody)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("reply"), max_length=2000)
    author = models.ForeignKey(
        PERSON, null=True, on_delete=models.SET_NULL, related_name="survey_replies"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reply to a survey comment")
        verbose_name_plural = _("replies to survey comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "author"], name="survey_reply_once"),
        ]

    def __str__(self) -> str:
        return f"reply to survey comment {self.comment_id}"
