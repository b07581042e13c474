"""The "How this works" panels: a few plain sentences for the person reading a module's main page
(what the page is for, its rhythm, who sees what) and links to the sections of the role guides
that go further. A page shows its panel with `{% load help %}{% help "key" %}`
(`guides/templatetags/help.py`).

Every sentence about who sees what says what the rules decide (`<app>/rules.py`, docs/trust.md,
docs/anonymity.md), no more and no less: change it when a rule changes. The panels are tested
on their pages, as someone who may open them (`guides/tests/test_panels.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Panel:
    points: tuple[StrOrPromise, ...]  # three to six sentences
    guides: tuple[tuple[str, str], ...]  # (guide name, section anchor), the likeliest first


PANELS: dict[str, Panel] = {
    "goals": Panel(
        points=(
            _(
                "A goal is what you work towards in a period: a result to reach, a way of "
                "working to build (behavioural) or something to learn (learning)."
            ),
            _(
                "Update its progress whenever something moves. A goal without an update for a "
                "few weeks, at risk or off track, or ending soon well short of its target is "
                "listed under “Needs attention” and comes up in your next conversation with your "
                "manager."
            ),
            _(
                "You choose who sees each goal: everyone in the organisation (the default); your "
                "team, your managers up the line and HR; or only you and your manager."
            ),
            _(
                "You and your manager may update and adjust it; an adjustment keeps the old "
                "values and the reason you give."
            ),
        ),
        guides=(("employee", "set-a-goal-and-keep-it-current"), ("manager", "coach-on-goals")),
    ),
    "conversations": Panel(
        points=(
            _(
                "Conversations are the regular talks between an employee and their manager: a "
                "check-in every month, a quarterly review every three months and a development "
                "conversation every six months, unless HR, the team’s lead or the manager set "
                "another rhythm."
            ),
            _("A one-on-one can be added at any time."),
            _(
                "Cadence schedules the next one by itself and e-mails you a few days before; it "
                "stays open, overdue once its date has passed, until it is held or skipped with "
                "a reason."
            ),
            _(
                "Prepare beforehand: answer the questions (each is optional) and add talking "
                "points; goals needing attention and open action items join the agenda by "
                "themselves."
            ),
            _(
                "What the two of you write is read by you two only, and private notes by their "
                "writer alone; managers further up and HR see only when it was due and whether "
                "it was held."
            ),
            _(
                "Once both of you have signed off, the record is closed; open action items come "
                "back on every agenda until they are done."
            ),
        ),
        guides=(
            ("employee", "prepare-for-your-check-in"),
            ("manager", "hold-a-check-in"),
        ),
    ),
    "feedback": Panel(
        points=(
            _(
                "Give feedback to anyone working here, at any time: praise, or constructive "
                "feedback that helps them grow; it always carries your name."
            ),
            _(
                "Describe one situation, the behaviour you saw and its impact; hints point at "
                "what is missing while you write."
            ),
            _(
                "Constructive feedback is read only by its receiver and you, and so is praise "
                "unless you show it to their team or to everyone on the praise wall."
            ),
            _(
                "The receiver may share feedback they received with their manager; nobody else "
                "reads it: not managers further up, HR or administrators."
            ),
            _(
                "You may correct feedback you gave until it has been read, and ask colleagues "
                "for feedback under Requests."
            ),
        ),
        guides=(("employee", "give-specific-feedback"), ("manager", "give-specific-feedback")),
    ),
    "surveys": Panel(
        points=(
            _(
                "Surveys are short: a handful of statements on engagement and psychological "
                "safety, and eNPS. A pulse opens a round every few weeks with at most five of "
                "them, in turn."
            ),
            _(
                "Before you answer you see which groups your answers count in and whether each "
                "is large enough to be reported."
            ),
            _(
                "Answers are sealed until the round closes, then stored without a name or a "
                "time: nobody, HR and administrators included, sees whether you answered or "
                "what you said."
            ),
            _(
                "Results are shown only for groups in which enough people answered, and never "
                "for two groups whose difference would single out fewer people. HR reads its "
                "scope, team leads their part."
            ),
        ),
        guides=(("employee", "answer-a-survey"), ("hr", "run-a-survey")),
    ),
    "growth": Panel(
        points=(
            _(
                "Growth shows where you stand: your job role and level, the role profile that "
                "goes with them and the level of each competency it expects."
            ),
            _(
                "The competency framework describes each competency at every level, with "
                "examples; the career map puts the career tracks side by side and shows what "
                "any other step would expect of you."
            ),
            _(
                "The framework, the tracks and the career map are the same for everyone who "
                "works here; your role and level come from your details, which HR keeps."
            ),
            _(
                "Only HR for the whole organisation publishes a new version of the framework; "
                "earlier versions stay as they were, in its version history."
            ),
            _(
                "In an assessment you rate yourself on each competency, with your evidence, and "
                "your manager does the same: each sees the other's ratings once shared, side by "
                "side and never averaged, and your manager records the levels you agreed. HR "
                "sees how far an assessment is, not its ratings, unless you show them."
            ),
        ),
        guides=(("employee", "see-where-you-stand"), ("hr", "publish-the-competency-framework")),
    ),
    "talent": Panel(
        points=(
            _(
                "Talent shows where skills are strong and where they are thin, against what "
                "people's role profiles expect."
            ),
            _(
                "A manager's team skills heatmap shows each report's level that counts now (the "
                "agreed level, else the manager's shared rating) against their role profile; "
                "only the manager sees it, never the chain above or HR."
            ),
            _(
                "Team leads (for their teams) and HR (for their scope) see the organisation "
                "heatmap: shares of people at or above expectation, counted in the background, "
                "never for fewer than five people and without totals, with the competencies a "
                "team depends on one person for, unnamed."
            ),
        ),
        guides=(
            ("manager", "see-your-teams-skills"),
            ("hr", "read-the-organisation-skills-heatmap"),
        ),
    ),
    "insights": Panel(
        points=(
            _(
                "Insights gives managers (their direct reports), team leads (the teams they "
                "lead and those within them) and HR (their scope) a few pictures to act on: "
                "rhythm, goals, feedback, development, engagement and retention."
            ),
            _(
                "Every chart says how many people stand behind it, the period, what it counts "
                "and when it was computed, and has its figures as a table and a CSV file."
            ),
            _(
                "The figures are computed in the background every few hours (HR may ask for it "
                "now) and are counts of groups: no figure stands for fewer than five people (or "
                "the organisation's anonymity threshold, if larger), and none names a person."
            ),
            _(
                "Retention compares how long people with and without an active development plan "
                "stay: an association, not proof that plans keep people."
            ),
        ),
        guides=(("manager", "read-your-teams-insights"), ("hr", "read-insights-for-your-scope")),
    ),
    "plan": Panel(
        points=(
            _(
                "Your development plan is yours: your ambition, the step of the career tracks "
                "you aim for, the competencies you focus on, and the actions and learning goals "
                "that get you there."
            ),
            _(
                "Use it every month: it is on the agenda of your check-ins and development "
                "conversations, where you and your manager update its actions together."
            ),
            _(
                "Readiness is the share of your target's competencies you meet, from your latest "
                "assessments; without one in the last twelve months it shows as stale."
            ),
            _(
                "You and your current manager see the plan, and whoever you share it with; HR "
                "sees whether it is active, not what it says."
            ),
        ),
        guides=(
            ("employee", "keep-a-development-plan"),
            ("manager", "coach-with-the-development-plan"),
        ),
    ),
    "reviews": Panel(
        points=(
            _(
                "A 360 review gathers answers about you from yourself, your manager, peers and, "
                "when the cycle includes them, your direct reports, on the questions of the "
                "cycle."
            ),
            _(
                "HR runs it in cycles: you propose your peers, your manager approves them, and "
                "everyone invited answers by the due date."
            ),
            _(
                "Your own and your manager’s answers carry their role. Peers and direct reports "
                "answer anonymously: their answers are shown only for a group of at least the "
                "cycle’s minimum number of people (never fewer than three), and nobody sees any "
                "answer before the cycle closes."
            ),
            _(
                "After the close, your manager (or HR) reads your report and releases it to you; "
                "then you read exactly what they read."
            ),
        ),
        guides=(
            ("employee", "take-part-in-a-360-review"),
            ("manager", "approve-reviewers-and-release-a-360-report"),
            ("hr", "run-a-360-cycle"),
        ),
    ),
    "my_team": Panel(
        points=(
            _(
                "My team shows each of your direct reports: their next conversations, whether "
                "they prepared, open actions and how well the rhythm was kept."
            ),
            _(
                "Look at it once a week: open the next agenda, schedule what is missing, and "
                "nudge when it helps (a short e-mail in your name, at most once a day of each "
                "kind)."
            ),
            _(
                "You read what the two of you write in a conversation, never your report’s "
                "private notes. Feedback they received reaches you only when they share it with "
                "you, or when it is praise shown to their team or to everyone."
            ),
            _(
                "Coach rather than judge: let them prepare the agenda, ask questions (the GROW "
                "prompts on each conversation help) and agree on actions they own."
            ),
        ),
        guides=(("manager", "see-your-team-at-a-glance"),),
    ),
    "my_data": Panel(
        points=(
            _(
                "My data shows each kind of data Cadence holds about you and who can see it, by "
                "name and role, worked out from the rules that decide every page."
            ),
            _(
                "Who looked lists the people who were shown your data that not everyone may "
                "see, and when. Nobody can change an entry; they are kept for the "
                "organisation’s retention period."
            ),
            _(
                "Changes about me lists what HR or an administrator changed about you, field by "
                "field. Export gives you a copy of everything you may see about yourself."
            ),
            _("Being an administrator grants no right to see any of it."),
        ),
        guides=(("employee", "see-who-can-see-your-data"),),
    ),
    "settings": Panel(
        points=(
            _(
                "Administration holds the organisation’s settings. Each tab is for "
                "administrators or for HR for the whole organisation; you see the tabs that are "
                "yours."
            ),
            _(
                "A module switched off is gone from the navigation, Home, reminders and the API "
                "for everyone; what was written in it is kept and comes back when it is switched "
                "on again."
            ),
            _("Every change made here is recorded in the audit log: who, when, before and after."),
            _("Administering these settings gives no right to read anyone’s data."),
        ),
        guides=(
            ("administrator", "start-a-pilot"),
            ("hr", "set-the-rhythm-and-the-templates"),
        ),
    ),
}
