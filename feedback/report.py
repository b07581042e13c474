"""A participant's 360 report, built from their `ReviewAnswer` rows once the cycle is closed.

Before the close there is no report: no figure, no comment, no count, not even the named self
and manager answers (they are sealed until then, like all answers: `feedback.reviewing`). So
reading the report before and after one more reviewer answers shows nothing to subtract.
After the close the answers are final: no answer can be added (submitting needs the reviews
open, and a closed cycle never reopens), none is changed or removed (no path writes them but
the close itself; removing participants or questions needs a draft), and the cycle's k is
frozen since its reviews opened. The report is a pure function of those answers, the
questions and k, so it is the same every time it is read, before and after its release.

Everything the report shows comes out of `feedback.anonymity.summarise`, question by question:
the figures (self, manager, peers, direct reports, "others" when small groups are merged, and
"all raters" without self), the comments of the groups it shows, and the groups it withholds.
Nothing here counts or averages answers on its own:
- the number of people behind a figure or a comment block is the one summarise reports, so a
  group that is withheld is never counted ("Peers: 2 answered" cannot appear);
- a competency's summary pools the ratings of the per-question figures summarise showed, key by
  key (peers with peers, "others" with "others"…). Each of those figures is backed by at least
  k people and is on the page already, so the pooled mean reveals nothing that the questions
  do not; a group withheld for one question adds nothing to the competency's figure.

Questions are grouped by their competency's name: for a competency of the framework, its name
in the current version (`feedback.competencies`), so a renamed competency is shown, and grouped,
by its new name; text written without a framework, as written.

The report costs four queries (the participant, the questions with their competencies' names,
the answers, the groups that answered), however many answers and questions there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access.rules import min_group_size
from feedback.anonymity import ALL, OTHERS, Figure, QuestionResult, summarise
from feedback.competencies import with_competency_names
from feedback.models import (
    ANONYMOUS_GROUPS,
    MIN_ANONYMITY_THRESHOLD,
    OTHERS_GROUP,
    CycleStatus,
    QuestionKind,
    RaterGroup,
    ReviewAnswer,
    ReviewInvitation,
    ReviewParticipant,
    ReviewQuestion,
)

SCALE = 5  # ratings run from 1 to 5
ORDER = (RaterGroup.SELF, RaterGroup.MANAGER, RaterGroup.PEER, RaterGroup.REPORT, OTHERS, ALL)
# A self-rating this far from the others' is worth a conversation.
NOTABLE_GAP = 1.0


def group_name(group: str) -> str:
    return {
        RaterGroup.SELF: _("Self"),
        RaterGroup.MANAGER: _("Manager"),
        RaterGroup.PEER: _("Peers"),
        RaterGroup.REPORT: _("Direct reports"),
        ALL: _("All raters (excluding self)"),
    }.get(group, _("Others"))


def joined(groups) -> str:
    """ "Peers and direct reports" (the groups merged into "others")."""
    names = [group_name(g) for g in groups]
    if len(names) == 1:
        return names[0]
    text = _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
    return text[:1].upper() + text[1:].lower()


def label_of(key: str, groups) -> str:
    if key == OTHERS:
        return _("Others (%(groups)s combined)") % {"groups": joined(groups).lower()}
    return group_name(key)


@dataclass
class Row:
    """One mean on the report, with its bar."""

    key: str
    label: str
    mean: float
    count: int  # the ratings behind it

    @property
    def percent(self) -> int:
        """The bar's length, in steps of 5 % (the stylesheet has a class for each)."""
        return max(0, min(100, round(self.mean / SCALE * 20) * 5))

    @property
    def is_self(self) -> bool:
        return self.key == RaterGroup.SELF

    @property
    def is_all(self) -> bool:
        return self.key == ALL


@dataclass
class Comments:
    key: str
    label: str
    comments: list[str]
    respondents: int


@dataclass
class QuestionReport:
    question: ReviewQuestion
    result: QuestionResult
    rows: list[Row]
    comments: list[Comments]
    notes: list[str]  # what is merged or withheld, and why

    @property
    def is_rating(self) -> bool:
        return self.question.kind == QuestionKind.RATING

    @property
    def gap(self) -> float | None:
        return self_gap(self.rows)

    @property
    def gap_is_notable(self) -> bool:
        return self.gap is not None and abs(self.gap) >= NOTABLE_GAP

    @property
    def gap_size(self) -> float | None:
        return None if self.gap is None else abs(self.gap)


def self_gap(rows: list[Row]) -> float | None:
    """Self minus all raters (excluding self), when both are shown."""
    mine = next((r for r in rows if r.is_self), None)
    others = next((r for r in rows if r.is_all), None)
    if mine is None or others is None:
        return None
    return round(mine.mean - others.mean, 1)


@dataclass
class Section:
    """The questions about one competency (or, with no name, those without one)."""

    competency: str  # its name: the framework's now, or the text the questions have
    questions: list[QuestionReport] = field(default_factory=list)
    summary: list[Row] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        return self_gap(self.summary)

    @property
    def gap_is_notable(self) -> bool:
        return self.gap is not None and abs(self.gap) >= NOTABLE_GAP

    @property
    def gap_size(self) -> float | None:
        return None if self.gap is None else abs(self.gap)

    def cell(self, key: str) -> Row | None:
        return next((r for r in self.summary if r.key == key), None)


@dataclass
class Report:
    participant: ReviewParticipant
    k: int
    sections: list[Section]
    # False until the cycle closes: then there is nothing to show yet.
    is_ready: bool = True

    @property
    def has_answers(self) -> bool:
        return any(q.rows or q.comments or q.notes for s in self.sections for q in s.questions)

    @property
    def competencies(self) -> list[Section]:
        return [s for s in self.sections if s.competency]

    @property
    def summary_keys(self) -> list[tuple[str, str]]:
        """The columns of the summary table: the keys some competency shows."""
        keys = {r.key for s in self.competencies for r in s.summary}
        return [(key, group_name(key)) for key in ORDER if key in keys]

    @property
    def summary_table(self) -> list[tuple[Section, list[Row | None]]]:
        keys = [key for key, _label in self.summary_keys]
        return [(s, [s.cell(key) for key in keys]) for s in self.competencies]


def notes_for(result: QuestionResult, k: int, comments_withheld=()) -> list[str]:
    """What is merged or withheld, and why. `comments_withheld`: the groups whose answers
    summarise withholds altogether (rather than only their ratings)."""
    notes = []
    merged = [f.groups for f in result.figures if f.key == OTHERS]
    merged += [b.groups for b in result.comments if b.key == OTHERS]
    if merged:
        notes.append(
            ngettext(
                "%(groups)s are combined, as each had fewer than %(k)d person.",
                "%(groups)s are combined, as each had fewer than %(k)d people.",
                k,
            )
            % {"groups": joined(merged[0]), "k": k}
        )
    for group in result.withheld:
        if group not in comments_withheld:
            text = ngettext(
                "%(group)s: fewer than %(k)d person gave a rating, so their ratings are not shown.",
                "%(group)s: fewer than %(k)d people gave a rating, so their ratings are not shown.",
                k,
            )
        else:
            text = ngettext(
                "%(group)s: fewer than %(k)d person answered this question, so their answers "
                "are not shown.",
                "%(group)s: fewer than %(k)d people answered this question, so their answers "
                "are not shown.",
                k,
            )
        notes.append(text % {"group": group_name(group), "k": k})
    return notes


def row_of(figure: Figure) -> Row:
    assert figure.mean is not None  # rows are made of the figures that have a mean
    return Row(figure.key, label_of(figure.key, figure.groups), figure.mean, figure.count)


def question_report(
    question: ReviewQuestion,
    answers_by_group: dict[str, list[tuple[int | None, str]]],
    k: int,
    unkept: tuple[str, ...] = (),
) -> QuestionReport:
    """`unkept`: anonymous groups whose answers the close did not keep (fewer than k
    reviewers: `feedback.reviewing.stored_groups`), withheld on every question."""
    result = summarise(answers_by_group, k)
    if unkept:
        withheld = set(result.withheld) | set(unkept)
        result.withheld = [g for g in ORDER if g in withheld]
    # Which groups are withheld on the number of people who answered at all (the ratings
    # left out), to tell them apart from groups where only too few gave a rating.
    unrated: dict[str, list[tuple[int | None, str]]] = {
        g: [(None, c) for _r, c in rows] for g, rows in answers_by_group.items()
    }
    comments_withheld = (*summarise(unrated, k).withheld, *unkept) if result.withheld else ()
    rows = [row_of(f) for f in result.figures if f.mean is not None]
    comments = [
        Comments(b.key, label_of(b.key, b.groups), b.comments, b.respondents)
        for b in result.comments
    ]
    notes = notes_for(result, k, comments_withheld)
    return QuestionReport(question, result, rows, comments, notes)


def competency_summary(questions: list[QuestionReport]) -> list[Row]:
    """Pool, key by key, the ratings of the figures summarise showed for these questions."""
    pooled: dict[str, list[int]] = defaultdict(list)
    groups: dict[str, tuple[str, ...]] = {}
    for item in questions:
        for figure in item.result.figures:
            pooled[figure.key].extend(figure.ratings)
            groups.setdefault(figure.key, figure.groups)
    rows = []
    for key in ORDER:
        ratings = pooled.get(key)
        if ratings:
            rows.append(
                Row(key, label_of(key, groups[key]), sum(ratings) / len(ratings), len(ratings))
            )
    return rows


def build_report(participant: ReviewParticipant) -> Report:
    """The whole report: three queries (questions, answers, groups that answered) on top of
    the participant; none and an empty report before the cycle closes."""
    cycle = participant.cycle
    # The rule's smallest group for this report: the cycle's k, frozen when its reviews opened.
    k = min_group_size(ReviewParticipant, participant)
    assert k is not None and k >= MIN_ANONYMITY_THRESHOLD
    if cycle.status != CycleStatus.CLOSED:
        return Report(participant, k, [], is_ready=False)
    # Each with its competency's name now (`feedback.competencies`), in the same query.
    questions = list(with_competency_names(cycle.questions.order_by("position", "pk")))
    answers: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    # In the order of the answers' random ids: it says nothing about who answered or when.
    rows = (
        ReviewAnswer.objects.filter(participant=participant)
        .order_by("id")
        .values_list("question_id", "group", "rating", "comment")
    )
    stored: set[str] = set()
    for question_id, group, rating, comment in rows:
        answers[question_id][group].append((rating, comment or ""))
        stored.add(group)
    # Groups of fewer than k reviewers were not kept at the close: the report says they are
    # not shown, as it would say of any group too small (the answered flags tell no more).
    answered = ReviewInvitation.objects.filter(
        participant=participant, answered=True, group__in=ANONYMOUS_GROUPS
    ).values_list("group", flat=True)
    unkept = tuple(
        g
        for g in ANONYMOUS_GROUPS
        if g in set(answered) and g not in stored and OTHERS_GROUP not in stored
    )
    sections: dict[str, Section] = {}
    for question in questions:
        name = question.competency_name.strip()
        section = sections.get(name)
        if section is None:
            section = sections[name] = Section(name)
        section.questions.append(question_report(question, dict(answers[question.pk]), k, unkept))
    for section in sections.values():
        if section.competency:
            section.summary = competency_summary(section.questions)
    ordered = [s for s in sections.values() if s.competency] + [
        s for s in sections.values() if not s.competency
    ]
    return Report(participant, k, ordered)
