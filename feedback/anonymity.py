"""Which 360 figures and comments may be shown, so that no peer or upward answer can be told
apart: the rule that protects the people who answered.

For each question, per rater group:
- self and manager are named by design (their invitation says so) and always shown;
- a peer or direct-report group's mean is shown only when at least k people rated, and its
  comments only when at least k people answered the question;
- groups below k are merged into one "others" figure when together they reach k, otherwise
  withheld (the report says so); answers stored as "others" (groups of fewer than k reviewers
  each, merged when the reviews closed) are one such group, shown from k people;
- the "all raters" figure (self excluded) is computed only from what is shown, so that no
  hidden group can be worked out by subtracting shown figures from it.

Everything here is plain Python over counts and values, so that the rule can be checked
exhaustively (see tests/test_anonymity.py, with hypothesis).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from feedback.models import ANONYMOUS_GROUPS, NAMED_GROUPS, OTHERS_GROUP, RaterGroup

OTHERS = OTHERS_GROUP
ALL = "all"


@dataclass
class Figure:
    """A mean shown on the report: which groups it is made of, and how many ratings."""

    key: str  # a RaterGroup value, OTHERS or ALL
    groups: tuple[str, ...]
    ratings: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ratings)

    @property
    def mean(self) -> float | None:
        return sum(self.ratings) / len(self.ratings) if self.ratings else None


@dataclass
class CommentBlock:
    key: str  # a RaterGroup value or OTHERS
    groups: tuple[str, ...]
    comments: list[str]
    respondents: int


@dataclass
class QuestionResult:
    figures: list[Figure]
    comments: list[CommentBlock]
    withheld: list[str]  # anonymous groups whose answers to this question are not shown

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


def _merge(groups: list[str], values: dict[str, list]) -> list:
    merged: list = []
    for group in groups:
        merged.extend(values[group])
    return merged


def summarise(answers: dict[str, list[tuple[int | None, str]]], k: int) -> QuestionResult:
    """One question's answers by group ({group: [(rating or None, comment), ...]}, one entry
    per person who answered) reduced to what may be shown with threshold k."""
    ratings = {g: [r for r, _c in rows if r is not None] for g, rows in answers.items()}
    comments = {g: [c for _r, c in rows if c.strip()] for g, rows in answers.items()}
    respondents = {g: len(rows) for g, rows in answers.items()}

    figures: list[Figure] = []
    blocks: list[CommentBlock] = []
    withheld: set[str] = set()

    for group in NAMED_GROUPS:
        if ratings.get(group):
            figures.append(Figure(group, (group,), list(ratings[group])))
        if comments.get(group):
            blocks.append(CommentBlock(group, (group,), comments[group], respondents[group]))

    small_ratings: list[str] = []
    small_comments: list[str] = []
    for group in ANONYMOUS_GROUPS:
        if ratings.get(group):
            if len(ratings[group]) >= k:
                figures.append(Figure(group, (group,), list(ratings[group])))
            else:
                small_ratings.append(group)
        if respondents.get(group):
            if respondents[group] >= k:
                if comments[group]:
                    blocks.append(
                        CommentBlock(group, (group,), comments[group], respondents[group])
                    )
            else:
                small_comments.append(group)

    # Answers stored as "others" (peers and direct reports of fewer than k each, together at
    # least k reviewers: `feedback.reviewing.stored_groups`) are one anonymous group.
    if ratings.get(OTHERS):
        if len(ratings[OTHERS]) >= k:
            figures.append(Figure(OTHERS, ANONYMOUS_GROUPS, list(ratings[OTHERS])))
        else:
            withheld.add(OTHERS)
    if respondents.get(OTHERS):
        if respondents[OTHERS] >= k:
            if comments[OTHERS]:
                blocks.append(
                    CommentBlock(OTHERS, ANONYMOUS_GROUPS, comments[OTHERS], respondents[OTHERS])
                )
        else:
            withheld.add(OTHERS)

    if small_ratings:
        merged = _merge(small_ratings, ratings)
        if len(small_ratings) > 1 and len(merged) >= k:
            figures.append(Figure(OTHERS, tuple(small_ratings), merged))
        else:
            withheld.update(small_ratings)
    if small_comments:
        total = sum(respondents[g] for g in small_comments)
        if len(small_comments) > 1 and total >= k:
            merged_comments = _merge(small_comments, comments)
            if merged_comments:
                blocks.append(CommentBlock(OTHERS, tuple(small_comments), merged_comments, total))
        else:
            withheld.update(small_comments)

    shown = [f for f in figures if f.key != RaterGroup.SELF]
    if shown:
        groups = tuple(g for f in shown for g in f.groups)
        figures.append(Figure(ALL, groups, [r for f in shown for r in f.ratings]))
    order = [RaterGroup.SELF, RaterGroup.MANAGER, RaterGroup.PEER, RaterGroup.REPORT, OTHERS, ALL]
    figures.sort(key=lambda f: order.index(f.key))
    blocks.sort(key=lambda b: order.index(b.key))
    return QuestionResult(figures, blocks, sorted(withheld, key=order.index))
