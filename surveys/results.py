"""Reading a survey's results, as a viewer may: the one place pages, the API and the CSV export
get them from, in a fixed number of queries whatever the number of rounds or people.

Only figures of the groups a round released are stored (`surveys.rounds.close_round`), and of
those only the groups within the viewer's part are read (`surveys.rules.part_of`); comments
only of groups released for comments. Every figure carries its n and its round's dates.

How each figure is computed (said on the page too):
- a question's mean: the mean answer of those in the group who answered it; a reverse-worded
  statement is scored the other way round (on a 1–7 scale, 8 − the answer);
- engagement: the mean of the engagement statements asked in the round (1–5);
- psychological safety: the mean of the safety statements asked in the round, reverse-worded
  ones reversed (1–7);
- eNPS: the share of promoters (9–10) minus the share of detractors (0–6), in points from
  −100 to 100;
- participation: how many of those asked answered;
- how many gave each answer (a scale's values, eNPS's 0–10, a single choice's options): only
  for the groups whose split may be shown (`surveys.disclosure.release_answers`: each answer
  given in a group by nobody or by at least k, with at least k giving another), elsewhere
  only how many answered (and the mean); a single choice has no mean.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from people.models import Team
from surveys import bank, groups
from surveys.models import (
    Comment,
    Figure,
    Invitation,
    Question,
    QuestionKind,
    Round,
    RoundStatus,
    Survey,
    SurveyActionPlan,
    SurveyCommentReply,
    deferred_round,
)
from surveys.rules import part_of

if TYPE_CHECKING:
    from access.viewer import Viewer


@dataclass
class QuestionResult:
    question: Question
    n: int
    mean: float | None
    counts: list[tuple[str, int]]  # (answer's label, how many), in the scale's order
    # How the answers split is not shown for this group (`disclosure.release_answers`): only
    # how many answered, and a scale's mean.
    split_hidden: bool = False
    net: int | None = None  # eNPS: promoters minus detractors

    @property
    def top(self) -> int:
        return max((count for _label, count in self.counts), default=0)

    @property
    def bars(self) -> list[tuple[str, int, int]]:
        """(answer, how many, height in tenths of the highest bar) for a small bar chart drawn
        with classes (no inline styles)."""
        top = self.top
        return [
            (label, count, round(10 * count / top) if top else 0) for label, count in self.counts
        ]

    @property
    def share(self) -> float | None:
        """The mean's place on its scale, from 0 (lowest answer) to 1 (highest): the heatmap's
        shade."""
        values = self.question.values
        if self.mean is None or len(values) < 2:
            return None
        return (self.mean - values[0]) / (values[-1] - values[0])

    @property
    def shade(self) -> str:
        share = self.share
        if share is None:
            return ""
        return "low" if share < 0.5 else "mid" if share < 0.7 else "high"


@dataclass
class GroupRound:
    """One group's results in one round."""

    round: Round
    key: str
    label: str
    respondents: int
    invited: int
    questions: list[QuestionResult] = field(default_factory=list)
    engagement: float | None = None
    safety: float | None = None
    enps: int | None = None

    @property
    def participation(self) -> int | None:
        return round(100 * self.respondents / self.invited) if self.invited else None


@dataclass
class Results:
    survey: Survey
    rounds: list[Round]  # closed, newest first
    keys: list[str]  # the groups the viewer may read in any round, widest first
    labels: dict[str, str]
    by_round: dict[int, dict[str, GroupRound]]  # round id -> group key -> results
    comment_keys: dict[int, set[str]]  # round id -> groups whose comments may be read
    paths: dict[int, str] = field(default_factory=dict)  # team id -> materialised path

    def way_to(self, key: str) -> list[str]:
        """The groups (no band) from the widest down to `key`'s team: the page's way back up.
        Its way down is the heatmap of the teams right below."""
        team = groups.team_of(key)
        path = self.paths.get(team, "") if team is not None and not groups.band_in(key) else ""
        above = {groups.team_key(pk) for pk in groups.team_ids(path)}
        return [k for k in self.keys if k == groups.ALL or k in above]

    def bands_of(self, key: str) -> list[str]:
        """The tenure bands within `key`'s team (within everyone, for everyone or a band)."""
        team = groups.team_of(key)
        return [k for k in self.keys if groups.band_in(k) is not None and groups.team_of(k) == team]

    def of(self, found: Round, key: str) -> GroupRound | None:
        return self.by_round.get(found.pk, {}).get(key)

    def trend(self, key: str) -> list[GroupRound]:
        """The group's results, oldest round first (rounds where it was not released left out)."""
        return [found for r in reversed(self.rounds) if (found := self.of(r, key)) is not None]

    @property
    def latest(self) -> Round | None:
        return self.rounds[0] if self.rounds else None

    def teams_in(self, found: Round) -> list[GroupRound]:
        """The teams (no band) released in the round that the viewer may read: the heatmap."""
        return [
            result
            for key, result in self.by_round.get(found.pk, {}).items()
            if groups.team_of(key) is not None and groups.band_in(key) is None
        ]


def _answer_labels(question: Question) -> list[str]:
    if question.kind == QuestionKind.CHOICE:
        return [str(option) for option in question.options]
    return [str(value) for value in question.values]


def _question_result(question: Question, figure: Figure) -> QuestionResult:
    # A single choice has no mean: an option's place in the list is no score.
    mean = None if question.kind == QuestionKind.CHOICE else figure.mean
    if figure.n and not figure.counts:
        return QuestionResult(question, figure.n, mean, [], split_hidden=True, net=figure.net)
    labels = _answer_labels(question)
    counts = [
        (label, int(figure.counts.get(str(value), 0)))
        for label, value in zip(labels, question.values, strict=False)
    ]
    return QuestionResult(question, figure.n, mean, counts, net=figure.net)


def _construct_mean(results: list[QuestionResult], construct: str) -> float | None:
    picked = [r for r in results if r.question.construct == construct and r.n]
    n = sum(r.n for r in picked)
    if not n:
        return None
    return sum((r.mean or 0) * r.n for r in picked) / n


def _enps(results: list[QuestionResult]) -> int | None:
    for result in results:
        if result.question.kind == QuestionKind.ENPS and result.n and result.net is not None:
            return round(100 * result.net / result.n)
    return None


HEATMAP_ROWS = 100


def _heatmap_keys(keys: set[str], key: str | None, paths: dict[int, str]) -> list[str]:
    """The teams side by side with the group `key`: its own team and the teams right below it
    (for everyone or a tenure band, the top teams and the teams right below them), at most
    `HEATMAP_ROWS`; a reader goes further down by choosing a team."""
    team = groups.team_of(key) if key else None
    base = paths.get(team, "/") if team is not None else "/"
    levels = 2 if team is not None else 3  # depths below `base`: 1 is a team at its top
    chosen = []
    for candidate in keys:
        found = groups.team_of(candidate)
        if found is None or groups.band_in(candidate) is not None or found not in paths:
            continue
        path = paths[found]
        if path.startswith(base) and path.count("/") - base.count("/") < levels:
            chosen.append((path, candidate))
    return [candidate for _path, candidate in sorted(chosen)[:HEATMAP_ROWS]]


def load(
    viewer: Viewer,
    survey: Survey,
    *,
    key: str | None = None,
    round_id: int | None = None,
    every_group: bool = False,
    everything: bool = False,
    limit: int = 26,
) -> Results:
    """The survey's closed rounds (the latest `limit`), the groups the viewer may read in any
    of them, and figures of those groups: of the group `key` (default the widest) in every
    round (its trend) and of the round `round_id` (default the latest) the teams side by side
    with it (the heatmap), or `every_group` of it;
    or, `everything`, all of them (the export). Which groups a viewer may read never depends
    on what is loaded."""
    rounds = list(
        Round.objects.filter(survey=survey, status=RoundStatus.CLOSED)
        .defer("sizes")  # every group's size at launch: large, and not needed here
        .order_by("-opens_on", "-pk")[:limit]
    )
    part = part_of(viewer, survey)
    released = {key for found in rounds for key in found.released}
    team_ids = {team for key in released if (team := groups.team_of(key)) is not None}
    teams = Team.objects.filter(pk__in=team_ids).values_list("pk", "name", "path")
    paths: dict[int, str] = {}
    names: dict[int, str] = {}
    for pk, name, path in teams:
        paths[pk], names[pk] = path, name
    readable = {key for key in released if part.sees(key, paths)}
    depth = {pk: path.count("/") - 2 for pk, path in paths.items()}
    keys = groups.priority(readable, depth)
    bands = {band: str(name) for band, name in groups.BAND_LABELS.items()}
    labels = {key: groups.label(key, names, bands) for key in readable}
    figures_of = Figure.objects.filter(round__in=rounds)
    if everything:
        figures_of = figures_of.filter(group__in=readable)
    else:  # only groups of `keys`, all readable
        chosen = next((r for r in rounds if r.pk == round_id), rounds[0] if rounds else None)
        in_round = set(chosen.released) & readable if chosen else set()
        key = key if key in readable else (keys[0] if keys else None)
        if not every_group:
            in_round = set(_heatmap_keys(in_round, key, paths))
        wanted = Q(group=key) if key else Q(pk__in=[])
        if chosen is not None:
            wanted |= Q(round=chosen, group__in=in_round)
        figures_of = figures_of.filter(wanted)
    figures = list(figures_of.select_related("question"))
    by_round: dict[int, dict[str, GroupRound]] = defaultdict(dict)
    per_group: dict[tuple[int, str], list[Figure]] = defaultdict(list)
    for figure in figures:
        per_group[(figure.round_id, figure.group)].append(figure)
    round_by_id = {found.pk: found for found in rounds}
    for (figure_round, figure_key), rows in per_group.items():
        found = round_by_id[figure_round]
        participation = next((row for row in rows if row.question_id is None), None)
        questions = sorted(
            (row for row in rows if row.question is not None), key=lambda row: row.question_id or 0
        )
        result = GroupRound(
            found,
            figure_key,
            labels[figure_key],
            participation.n if participation else 0,
            participation.invited or 0 if participation else 0,
            [_question_result(row.question, row) for row in questions if row.question],
        )
        result.engagement = _construct_mean(result.questions, bank.ENGAGEMENT)
        result.safety = _construct_mean(result.questions, bank.SAFETY)
        result.enps = _enps(result.questions)
        by_round[figure_round][figure_key] = result
    order = {k: i for i, k in enumerate(keys)}
    for found in rounds:  # each round's groups in the order of `keys`
        present = by_round[found.pk]
        by_round[found.pk] = {k: present[k] for k in sorted(present, key=order.__getitem__)}
    comment_keys = {found.pk: set(found.released_comments) & readable for found in rounds}
    return Results(survey, rounds, keys, labels, dict(by_round), comment_keys, paths)


COMMENTS_SHOWN = 25  # a page of comments; "show more" adds as many again
COMMENTS_MOST = 2000


def comments_of(results: Results, found: Round, key: str) -> QuerySet[Comment]:
    """The comments of one group of one round, in the random order of their ids (no time: they
    are dated by their round); none unless the group is released for comments and readable
    (`results.comment_keys`). The group's key is found in the JSON text of each comment's
    groups, quoted as it stands there, so that "t:1" does not match "t:12"."""
    if key not in results.comment_keys.get(found.pk, set()):
        return Comment.objects.none().order_by("id")
    return (
        Comment.objects.filter(round=found)
        .alias(group_text=Cast("groups", TextField()))
        .filter(group_text__contains=f'"{key}"')
        .select_related("question")
        .order_by("id")
    )


def comments(
    results: Results, found: Round, key: str, limit: int = COMMENTS_SHOWN
) -> tuple[list[Comment], bool]:
    """The first `limit` of `comments_of` (one query), and whether there are more: the page's
    "show more"."""
    rows = list(comments_of(results, found, key)[: limit + 1])
    return rows[:limit], len(rows) > limit


def period(found: Round) -> tuple[date, date]:
    return found.opens_on, found.closes_on


# --- After a round --------------------------------------------------------------------------

# Action plans with what their pages and the API show of each: survey, round, team, author.
PLANS = SurveyActionPlan.objects.select_related("survey", "round", "team", "created_by")


@dataclass
class FocusMove:
    """A plan's focus area: its mean in the round the plan follows and in the latest round
    since that asked it (only figures of the plan's group, which only exist where it was
    released)."""

    question: Question
    then: Figure | None
    latest: Figure | None

    @property
    def moved(self) -> float | None:
        if self.then is None or self.latest is None or self.then.mean is None:
            return None
        return (self.latest.mean or 0) - self.then.mean


def focus_moves(plan: SurveyActionPlan) -> list[FocusMove]:
    """The plan's focus areas with where they stood and where they stand (one query for the
    questions, one for the figures)."""
    focus = list(plan.focus.all())
    figures = (
        Figure.objects.filter(
            round__survey=plan.survey_id,
            round__status=RoundStatus.CLOSED,
            round__opens_on__gte=plan.round.opens_on,
            group=plan.group,
            question__in=focus,
        )
        .select_related("round")
        .order_by("round__opens_on", "round_id")
    )
    then: dict[int, Figure] = {}
    latest: dict[int, Figure] = {}
    for figure in figures:
        if plan.group not in figure.round.released or figure.question_id is None:
            continue
        if figure.round_id == plan.round_id:
            then[figure.question_id] = figure
        elif figure.n:
            latest[figure.question_id] = figure
    return [FocusMove(q, then.get(q.pk), latest.get(q.pk)) for q in focus]


def with_replies(comments: list[Comment], reader_id: int | None) -> list[Comment]:
    """The comments, each with its replies (`reply_list`) and whether the reader has replied
    (`replied`): one query."""
    by_comment: dict[object, list[SurveyCommentReply]] = defaultdict(list)
    found = SurveyCommentReply.objects.filter(comment__in=[c.pk for c in comments])
    for reply in found.select_related("author").order_by("created_at", "pk"):
        by_comment[reply.comment_id].append(reply)
    for comment in comments:
        comment.reply_list = by_comment.get(comment.pk, [])  # type: ignore[attr-defined]
        comment.replied = any(  # type: ignore[attr-defined]
            r.author_id == reader_id
            for r in comment.reply_list  # type: ignore[attr-defined]
        )
    return comments


def replies_for_me(person_id: int, rounds: int = 10) -> list[SurveyCommentReply]:
    """Replies to comments from the person's groups: of the latest closed rounds they were
    asked in, replies to comments whose every group is one of theirs (whoever wrote the comment
    is among those people, who are at least the round's threshold for comments)."""
    invitations = list(
        Invitation.objects.filter(person=person_id, round__status=RoundStatus.CLOSED)
        .order_by("-round__opens_on", "-round_id")
        .values_list("round_id", "groups")[:rounds]
    )
    mine = {round_id: set(keys) for round_id, keys in invitations}
    if not mine:
        return []
    found = (
        SurveyCommentReply.objects.filter(comment__round__in=list(mine))
        .select_related("comment__round__survey", "author")
        .defer(*deferred_round("comment__round__"))
        .order_by("-comment__round__opens_on", "comment_id", "created_at", "pk")[:200]
    )
    return [
        r for r in found if r.comment.groups and set(r.comment.groups) <= mine[r.comment.round_id]
    ]
