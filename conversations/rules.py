"""Who may see and do what in conversations: the rules of the conversations module, registered
with `access`.

What is said in a conversation (agenda, preparation, shared notes, action items) is between its
two participants, the employee and their manager: not the manager's manager, not HR, not
administrators. Private notes are their writer's alone. The rhythm itself (which conversations
were due, held, skipped or are overdue, and when) is seen by the two, the employee's
management chain and HR in scope, so that adherence can be looked after.

A conversation's actions, each a SQL filter and a check on one loaded conversation:

- view: read its content (the two participants);
- rhythm: see its dates and status, never its content (the two, the employee's chain, HR);
- adherence: count it in the adherence figures (the people below the viewer and, for HR, in
  scope; never the viewer's own);
- contribute: add talking points, shared notes and action items, sign off (the two, until the
  record is closed by both sign-offs, and not once skipped or cancelled);
- remark: append a dated remark to the closed record (the two, once both signed off);
- prepare: answer the prompts (the employee, while they may contribute);
- coach: the GROW panel (the manager);
- reschedule: set the meeting time (the two, while it is open);
- skip: call it off with a reason (the manager for a rhythm conversation, either for a
  one-on-one; while it is open).

Talking points, shared notes and action items follow their conversation; a private note is its
writer's. Rhythm rules (the organisation's default, a team's, a pair's) and HR's conversation
templates are organisation settings with rules of their own. What is not about one object
(whom one may meet, who may open the adherence page) is a plain function at the end.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from access import relations, who
from access.rules import QuerySetT, Rules, register, visible
from access.who import Group
from conversations.models import (
    RHYTHM_KINDS,
    ActionItem,
    AgendaItem,
    Conversation,
    ConversationTemplate,
    Note,
    PrivateNote,
    RhythmRule,
    RhythmTally,
    Status,
)
from organisation import scope
from people.models import Person, Team

if TYPE_CHECKING:
    from access.viewer import Viewer

VIEW, CHANGE, DELETE = "view", "change", "delete"
RHYTHM, ADHERENCE = "rhythm", "adherence"
CONTRIBUTE, REMARK, PREPARE, COACH, RESCHEDULE, SKIP = (
    "contribute",
    "remark",
    "prepare",
    "coach",
    "reschedule",
    "skip",
)
COMPLETE = "complete"  # an action item ticked off (or not): also after sign-off

PARTICIPANTS = ("employee", "manager")
OPEN_TO_CONTRIBUTIONS = (Status.SCHEDULED, Status.HELD)


# --- Organisation-level permissions -----------------------------------------------------------


def edits_default_rhythm(viewer: Viewer) -> bool:
    """The organisation's default rhythm and conversation templates: organisation-wide HR who
    may manage people."""
    return relations.hr_manages_people(viewer) and viewer.hr_scope_path == ""


def manages_templates(viewer: Viewer) -> bool:
    return edits_default_rhythm(viewer)


def edits_team_rhythm(viewer: Viewer, team: Team) -> bool:
    """A team's rhythm: its lead, or HR who may manage people with the team in scope."""
    return relations.is_self(viewer, team.lead_id) or (
        relations.hr_manages_people(viewer) and relations.hr_covers_team(viewer, team)
    )


def edits_pair_rhythm(viewer: Viewer, employee: Person) -> bool:
    """One pair's rhythm: the employee's manager, or HR who may manage the employee; never the
    employee themselves."""
    if viewer.person is None or relations.is_self(viewer, employee.pk):
        return False
    return relations.is_report(viewer, employee) or (
        relations.hr_manages_people(viewer) and relations.hr_covers(viewer, employee)
    )


def sees_rhythm_of(viewer: Viewer, person: Person) -> bool:
    """A person's conversation rhythm (dates, status, adherence): the person, their management
    chain, HR in scope."""
    return (
        relations.is_self(viewer, person.pk)
        or relations.is_below(viewer, person)
        or relations.hr_covers(viewer, person)
    )


def rhythm_people_q(viewer: Viewer, field: str = "") -> Q:
    """`sees_rhythm_of` in SQL, on the person at `field`."""
    return (
        relations.self_q(viewer, field)
        | relations.below_q(viewer, field)
        | relations.hr_covers_q(viewer, field)
    )


def may_nudge(viewer: Viewer, person: Person) -> bool:
    """A reminder e-mail from My team ("Remind Alice to prepare"): the person's manager only,
    for a report who works here today."""
    return relations.is_report(viewer, person) and not person.has_left


def sees_adherence(viewer: Viewer) -> bool:
    """The adherence overview: managers (for the people below them) and HR (in scope)."""
    return viewer.person is not None and (viewer.is_manager or viewer.is_hr)


def partners_of(viewer: Viewer) -> QuerySet[Person]:
    """Whom the viewer may start a one-on-one with: their manager and their direct reports,
    inside the pilot scope (`organisation.scope`)."""
    me = viewer.person
    if me is None:
        return Person.objects.none()
    mine = relations.reports_q(viewer) | Q(pk=me.manager_id or 0)
    return Person.objects.current().filter(mine, scope.in_scope_q()).exclude(pk=me.pk)


# --- Conversations ----------------------------------------------------------------------------


def _participant_q(viewer: Viewer, prefix: str = "") -> Q:
    return relations.participant_q(viewer, *(prefix + field for field in PARTICIPANTS))


def _is_participant(viewer: Viewer, conversation: Conversation) -> bool:
    return relations.is_participant(viewer, conversation, *PARTICIPANTS)


def _the_two(conversation: Conversation) -> list[Group]:
    """The participants' inverse: the employee, then their manager in the conversation."""
    return relations.participants(
        conversation, {"employee": who.SELF, "manager": who.PARTNER}, about=conversation.employee
    )


def _open_to_contributions(conversation: Conversation) -> bool:
    return not conversation.is_locked and conversation.status in OPEN_TO_CONTRIBUTIONS


@register
class ConversationRules(Rules[Conversation]):
    model = Conversation
    actions = (VIEW, RHYTHM, ADHERENCE, CONTRIBUTE, REMARK, PREPARE, COACH, RESCHEDULE, SKIP)
    reads = ("employee__name", "manager")

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action == ADHERENCE:
            # "employee in (these people)": a manager's figures read a few index entries.
            if viewer.hr_scope_path == "":
                return queryset.exclude(relations.self_q(viewer, "employee"))
            people = Person.objects.filter(
                relations.below_q(viewer) | relations.hr_covers_q(viewer)
            ).values("pk")
            return queryset.filter(employee_id__in=people).exclude(
                relations.self_q(viewer, "employee")
            )
        return queryset.filter(self.condition(viewer, action))

    @staticmethod
    def condition(viewer: Viewer, action: str = VIEW, prefix: str = "") -> Q:
        """The rule for `action` as a condition on the conversation at `prefix` (e.g.
        "conversation__"), for the rules of what follows a conversation."""
        participant = _participant_q(viewer, prefix)
        is_open = Q(**{f"{prefix}status": Status.SCHEDULED})
        locked = Q(
            **{
                f"{prefix}employee_signed_at__isnull": False,
                f"{prefix}manager_signed_at__isnull": False,
            }
        )
        contribute = participant & ~locked & Q(**{f"{prefix}status__in": OPEN_TO_CONTRIBUTIONS})
        if action == VIEW:
            return participant
        if action == RHYTHM:
            employee = f"{prefix}employee"
            return (
                participant
                | relations.below_q(viewer, employee)
                | relations.hr_covers_q(viewer, employee)
            )
        if action == CONTRIBUTE:
            return contribute
        if action == REMARK:
            return participant & locked
        if action == PREPARE:
            return contribute & relations.self_q(viewer, f"{prefix}employee")
        if action == COACH:
            return relations.self_q(viewer, f"{prefix}manager")
        if action == RESCHEDULE:
            return participant & is_open
        if action == SKIP:
            one_on_one = ~Q(**{f"{prefix}kind__in": RHYTHM_KINDS})
            return (
                participant & is_open & (one_on_one | relations.self_q(viewer, f"{prefix}manager"))
            )
        raise ValueError(action)

    def can(self, viewer: Viewer, action: str, obj: Conversation) -> bool:
        participant = _is_participant(viewer, obj)
        if action == VIEW:
            return participant
        if action == RHYTHM:
            return participant or self._over_employee(viewer, obj)
        if action == ADHERENCE:
            return not relations.is_self(viewer, obj.employee_id) and self._over_employee(
                viewer, obj
            )
        if action == CONTRIBUTE:
            return participant and not obj.is_locked and obj.status in OPEN_TO_CONTRIBUTIONS
        if action == REMARK:
            return participant and obj.is_locked
        if action == PREPARE:
            return self.can(viewer, CONTRIBUTE, obj) and relations.is_self(viewer, obj.employee_id)
        if action == COACH:
            return relations.is_self(viewer, obj.manager_id)
        if action == RESCHEDULE:
            return participant and obj.is_open
        if action == SKIP:
            return (
                participant
                and obj.is_open
                and (not obj.is_rhythm or relations.is_self(viewer, obj.manager_id))
            )
        raise ValueError(action)

    @staticmethod
    def _over_employee(viewer: Viewer, conversation: Conversation) -> bool:
        employee = conversation.employee
        return relations.is_below(viewer, employee) or relations.hr_covers(viewer, employee)

    def who(self, obj: Conversation, action: str = VIEW) -> list[Group]:
        two = _the_two(obj)
        if action == VIEW:
            return two
        over = relations.chain_of(obj.employee) + relations.hr_covering(obj.employee)
        if action == RHYTHM:
            return two + over
        if action == ADHERENCE:
            return [replace(group, excluding=(obj.employee_id,)) for group in over]
        if action == CONTRIBUTE:
            return two if _open_to_contributions(obj) else []
        if action == REMARK:
            return two if obj.is_locked else []
        if action == PREPARE:
            return relations.the_person(obj.employee) if _open_to_contributions(obj) else []
        if action == COACH:
            return _the_two(obj)[1:]
        if action == RESCHEDULE:
            return two if obj.is_open else []
        if action == SKIP:
            if not obj.is_open:
                return []
            return _the_two(obj)[1:] if obj.is_rhythm else two
        raise ValueError(action)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("employee__team", "manager")

    def who_can(self, obj: Conversation, action: str = VIEW) -> str:
        names = {"employee": obj.employee.name, "manager": obj.manager.name}
        if action == VIEW:
            return _("Only %(employee)s and %(manager)s") % names
        if action == RHYTHM:
            return (
                _(
                    "%(employee)s's management chain and HR see its dates and status, never "
                    "what is said"
                )
                % names
            )
        raise NotImplementedError("Only who may see a conversation is put in words.")


CONVERSATIONS = ConversationRules()


def conversation_q(viewer: Viewer, action: str = VIEW) -> Q:
    """The conversations the viewer may `action`, as a condition on a `conversation` field."""
    return ConversationRules.condition(viewer, action, prefix="conversation__")


# --- What follows its conversation ------------------------------------------------------------


class _FollowsItsConversation(Rules[Any]):
    """Talking points, shared notes and action items: whoever may see (contribute to) the
    conversation, with the author's own rights where an action declares them."""

    # action -> the conversation's action it needs
    needs: dict[str, str] = {VIEW: VIEW}
    reads = ("conversation__employee__name", "conversation__manager")

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(
            conversation_q(viewer, self.needs[action]) & self.own_q(viewer, action)
        )

    def can(self, viewer: Viewer, action: str, obj: Any) -> bool:
        return CONVERSATIONS.can(viewer, self.needs[action], obj.conversation) and self.owns(
            viewer, action, obj
        )

    def own_q(self, viewer: Viewer, action: str) -> Q:
        """What the object itself must be for `action` (e.g. written by the viewer)."""
        return Q()

    def owns(self, viewer: Viewer, action: str, obj: Any) -> bool:
        return True

    def who(self, obj: Any, action: str = VIEW) -> list[Group]:
        groups = CONVERSATIONS.who(obj.conversation, self.needs[action])
        only = self.owner(action, obj)
        if only is None:
            return groups
        # The author alone, where the conversation lets them.
        if any(only in group.ids for group in groups):
            return relations.the_person(obj.author, who.AUTHOR)
        return []

    def owner(self, action: str, obj: Any) -> int | None:
        """The one person who may `action` the object besides the conversation's rule (its
        author), or None when the rule of the conversation alone decides; `owns` in people."""
        return None

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("conversation__employee__team", "conversation__manager")

    def who_can(self, obj: Any, action: str = VIEW) -> str:
        if action != VIEW:
            raise NotImplementedError("Only who may see it is put in words.")
        return CONVERSATIONS.who_can(obj.conversation)


@register
class AgendaItemRules(_FollowsItsConversation):
    """change: marked discussed (either participant); delete: its author. Both while the two
    may contribute."""

    model = AgendaItem
    actions = (VIEW, CHANGE, DELETE)
    needs = {VIEW: VIEW, CHANGE: CONTRIBUTE, DELETE: CONTRIBUTE}

    def own_q(self, viewer: Viewer, action: str) -> Q:
        return relations.self_q(viewer, "author") if action == DELETE else Q()

    def owns(self, viewer: Viewer, action: str, obj: Any) -> bool:
        return action != DELETE or relations.is_self(viewer, obj.author_id)

    def owner(self, action: str, obj: Any) -> int | None:
        return obj.author_id if action == DELETE else None

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return super().for_who(queryset).select_related("author")


@register
class NoteRules(_FollowsItsConversation):
    """delete: its author, until both signed off; a remark stays."""

    model = Note
    actions = (VIEW, DELETE)
    needs = {VIEW: VIEW, DELETE: CONTRIBUTE}

    def own_q(self, viewer: Viewer, action: str) -> Q:
        if action == DELETE:
            return relations.self_q(viewer, "author") & Q(is_remark=False)
        return Q()

    def owns(self, viewer: Viewer, action: str, obj: Any) -> bool:
        return action != DELETE or (relations.is_self(viewer, obj.author_id) and not obj.is_remark)

    def owner(self, action: str, obj: Any) -> int | None:
        if action != DELETE:
            return None
        return 0 if obj.is_remark else obj.author_id  # a remark: nobody (no person has id 0)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return super().for_who(queryset).select_related("author")


@register
class ActionItemRules(_FollowsItsConversation):
    """complete: done or not, by either participant, also after sign-off; change (text, owner,
    due date): while the two may contribute."""

    model = ActionItem
    actions = (VIEW, COMPLETE, CHANGE)
    needs = {VIEW: VIEW, COMPLETE: VIEW, CHANGE: CONTRIBUTE}


@register
class PrivateNoteRules(Rules[PrivateNote]):
    """Its writer's alone, while they are one of the conversation's two: not the other
    participant, their managers, HR, administrators, exports or the API."""

    model = PrivateNote
    reads = ("author__name", "conversation__employee", "conversation__manager")

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        return queryset.filter(relations.self_q(viewer, "author") & conversation_q(viewer))

    def can(self, viewer: Viewer, action: str, obj: PrivateNote) -> bool:
        return relations.is_self(viewer, obj.author_id) and _is_participant(
            viewer, obj.conversation
        )

    def who(self, obj: PrivateNote, action: str = VIEW) -> list[Group]:
        if obj.author_id in obj.conversation.participant_ids():
            return relations.the_person(obj.author, who.AUTHOR)
        return []

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("author", "conversation")

    def who_can(self, obj: PrivateNote, action: str = VIEW) -> str:
        return _("Only %(name)s, who wrote it") % {"name": obj.author.name}


def private_notes_of(viewer: Viewer, conversation: Conversation) -> QuerySet[PrivateNote]:
    """The viewer's own private notes on a conversation."""
    return visible(viewer, PrivateNote).filter(conversation=conversation)


# --- Settings ---------------------------------------------------------------------------------

DEFAULT_LEVEL = Q(team__isnull=True, employee__isnull=True)


@register
class RhythmRuleRules(Rules[RhythmRule]):
    """The organisation's default and a team's rhythm: everyone signed in reads them; a pair's:
    whoever sees that person's rhythm. Changing: `edits_default_rhythm`, `edits_team_rhythm`,
    `edits_pair_rhythm`."""

    model = RhythmRule
    actions = (VIEW, CHANGE)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action == VIEW:
            return queryset.filter(Q(employee__isnull=True) | rhythm_people_q(viewer, "employee"))
        condition = Q(team__isnull=False) & (
            relations.self_q(viewer, "team__lead")
            | (
                relations.hr_covers_team_q(viewer, "team")
                if relations.hr_manages_people(viewer)
                else relations.NOTHING
            )
        )
        pair = relations.reports_q(viewer, "employee")
        if relations.hr_manages_people(viewer):
            pair |= relations.hr_covers_q(viewer, "employee")
        condition |= Q(employee__isnull=False) & pair & ~relations.self_q(viewer, "employee")
        if edits_default_rhythm(viewer):
            condition |= DEFAULT_LEVEL
        return queryset.filter(condition)

    def can(self, viewer: Viewer, action: str, obj: RhythmRule) -> bool:
        if obj.employee is not None:
            if action == VIEW:
                return sees_rhythm_of(viewer, obj.employee)
            return edits_pair_rhythm(viewer, obj.employee)
        if action == VIEW:
            return True
        if obj.team is not None:
            return edits_team_rhythm(viewer, obj.team)
        return edits_default_rhythm(viewer)

    def who(self, obj: RhythmRule, action: str = VIEW) -> list[Group]:
        employee = obj.employee
        if employee is not None:
            if action == VIEW:
                return (
                    relations.the_person(employee)
                    + relations.chain_of(employee)
                    + relations.hr_covering(employee)
                )
            # edits_pair_rhythm: never the employee themselves.
            editors = relations.manager_of(employee) + relations.hr_covering(
                employee, managing=True
            )
            return [replace(group, excluding=(employee.pk,)) for group in editors]
        if action == VIEW:
            return relations.everyone()
        if obj.team is not None:
            return relations.lead_of(obj.team) + relations.hr_covering_team(obj.team, managing=True)
        return relations.hr_with_scope(("",), managing=True)

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        return queryset.select_related("employee__team", "team")

    def who_can(self, obj: RhythmRule, action: str = VIEW) -> str:
        if action != VIEW:
            raise NotImplementedError("Only who may see a rhythm is put in words.")
        if obj.employee is not None:
            return _("%(name)s, their management chain and HR") % {"name": obj.employee.name}
        return _("Everyone in the organisation")


@register
class ConversationTemplateRules(Rules[ConversationTemplate]):
    """A kind's prompts are in every conversation of that kind (everyone signed in reads them);
    organisation-wide HR who may manage people keeps them."""

    model = ConversationTemplate
    actions = (VIEW, CHANGE)

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if action == CHANGE and not manages_templates(viewer):
            return queryset.none()
        return queryset

    def can(self, viewer: Viewer, action: str, obj: ConversationTemplate) -> bool:
        return action == VIEW or manages_templates(viewer)

    def who(self, obj: ConversationTemplate, action: str = VIEW) -> list[Group]:
        if action == VIEW:
            return relations.everyone()
        return relations.hr_with_scope(("",), managing=True)

    def who_can(self, obj: ConversationTemplate, action: str = VIEW) -> str:
        if action != VIEW:
            raise NotImplementedError("Only who may see a template is put in words.")
        return _("Everyone in the organisation")


def _bucket(tally: RhythmTally) -> tuple[Person | None, Team | None]:
    """The tally's line manager and team (None: none, 0 in the tally), as much of them as the
    rules read (a person's name and chain, a team's path): from what `for_who` loaded with
    it, or read for a tally loaded without (two queries), and kept on it."""
    found: tuple[Person | None, Team | None] | None = getattr(tally, "_bucket", None)
    if found is not None:
        return found
    if hasattr(tally, "team_path"):
        chain: str | None = tally.line_manager_chain  # type: ignore[attr-defined]
        path: str | None = tally.team_path
        name = tally.line_manager_name  # type: ignore[attr-defined]
        found = (
            None if chain is None else Person(pk=tally.line_manager_id, name=name, chain=chain),
            None if path is None else Team(pk=tally.team_id, path=path),
        )
    else:
        found = (
            Person.objects.filter(pk=tally.line_manager_id).only("name", "chain").first(),
            Team.objects.filter(pk=tally.team_id).only("path").first(),
        )
    tally._bucket = found  # type: ignore[attr-defined]
    return found


def bucket_of(person: Person) -> RhythmTally:
    """A tally of the person's bucket today (their team and line manager), not saved, with
    them read from the person (a query for the manager): whoever may read it reads the
    person's conversations counted in rhythm health (My data)."""
    tally = RhythmTally(team_id=person.team_id or 0, line_manager_id=person.manager_id or 0)
    tally._bucket = (person.manager, person.team)  # type: ignore[attr-defined]
    return tally


@register
class RhythmTallyRules(Rules[RhythmTally]):
    """Rhythm health's monthly counts of one bucket (a team, the employees' line manager, the
    conversations' manager): for whoever counts those employees' conversations in adherence —
    the management chain above the line manager and the line manager, and HR whose scope
    holds the team. Dates and counts only. A viewer's own conversations may be in a bucket
    they see (HR in their own team): rhythm health subtracts them, as adherence never counts
    them."""

    model = RhythmTally

    def visible(self, viewer: Viewer, queryset: QuerySetT, action: str = VIEW) -> QuerySetT:
        if viewer.hr_scope_path == "":
            return queryset
        me = viewer.person
        if me is None:
            return queryset.none()
        line_managers = Person.objects.filter(relations.below_q(viewer)).values("pk")
        teams = Team.objects.filter(relations.hr_covers_team_q(viewer)).values("pk")
        condition = Q(line_manager_id=me.pk) | Q(line_manager_id__in=line_managers)
        if viewer.hr_scope_path is not None:
            condition |= Q(team_id__in=teams)
        return queryset.filter(condition)

    def can(self, viewer: Viewer, action: str, obj: RhythmTally) -> bool:
        if viewer.hr_scope_path == "":
            return True  # everyone, with a team or without
        if viewer.person is None:
            return False
        if relations.is_self(viewer, obj.line_manager_id):
            return True
        line_manager, team = _bucket(obj)
        return relations.is_below(viewer, line_manager) or relations.hr_covers_team(viewer, team)

    def who(self, obj: RhythmTally, action: str = VIEW) -> list[Group]:
        line_manager, team = _bucket(obj)
        groups = relations.the_person(line_manager, who.LINE_MANAGER)
        groups += relations.chain_of(line_manager)
        # HR for the whole organisation sees every bucket; other HR, those of its teams.
        groups += relations.hr_with_scope((team.path if team is not None else "",))
        return groups

    def for_who(self, queryset: QuerySetT) -> QuerySetT:
        """The bucket's line manager (name and chain) and team (path), in the same query: a
        tally names them by plain ids, which `select_related` cannot follow."""
        line_manager = Person.objects.filter(pk=OuterRef("line_manager_id"))
        team = Team.objects.filter(pk=OuterRef("team_id"))
        return queryset.annotate(
            line_manager_name=Subquery(line_manager.values("name")[:1]),
            line_manager_chain=Subquery(line_manager.values("chain")[:1]),
            team_path=Subquery(team.values("path")[:1]),
        )

    def who_can(self, obj: RhythmTally, action: str = VIEW) -> str:
        return _("The employees' management chain and HR, as counts only")

    @staticmethod
    def holds_own(viewer: Viewer) -> bool:
        """Whether a bucket the viewer sees holds their own conversations: only HR whose scope
        holds their own team (the chain above their line manager is above them)."""
        return relations.hr_covers(viewer, viewer.person)
