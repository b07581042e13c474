"""Audit entries in words, for the audit pages, their CSV, "Changes about me" and the API: the
action's label, people and teams by name, values as the field's kind says (`trust.actions`).

`readable(entries, viewer)` reads the names a page of entries needs in at most three queries
(people, teams, 360 cycles), however many entries. An administrator without HR sees that an
employment detail changed, not its values (`trust.rules.sees_employment_values`); a redacted
entry (its person erased) keeps which fields changed, not what they said.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from cadence.ids import parse_id
from people.models import Person, Team
from trust import actions
from trust.models import AuditEntry
from trust.rules import sees_employment_values

if TYPE_CHECKING:
    from access.viewer import Viewer

PERSON_TARGET, TEAM_TARGET, CYCLE_TARGET = "people.person", "people.team", "feedback.reviewcycle"


@dataclass(frozen=True)
class Change:
    field: str  # the key, as stored
    label: str
    before: str  # in words ("" for a single value: `single`)
    after: str
    single: bool  # a value the entry holds, not a before and after
    raw_before: Any  # as stored (None where hidden or erased)
    raw_after: Any
    hidden: bool  # an employment detail the reader may not see, or erased


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    action: str
    actor: str
    subject: str  # "" when the entry is about nobody in particular
    target: str  # the team or cycle it is about, in words ("" for none or a person)
    changes: list[Change]


def _target(entry: AuditEntry) -> tuple[str, int | None]:
    label, _sep, pk = entry.target.partition(":")
    return label, parse_id(pk)


def _pair(value: Any) -> tuple[Any, Any, bool]:
    """(before, after, single): a stored `[before, after]`, or one value."""
    if isinstance(value, list) and len(value) == 2:
        return value[0], value[1], False
    return None, value, True


def readable(entries: Sequence[AuditEntry], viewer: Viewer, *, own: bool = False) -> list[Row]:
    """`entries` in words for `viewer`; `own`: they are all about the viewer, who sees their
    own employment details."""
    person_ids: set[int] = set()
    team_ids: set[int] = set()
    cycle_ids: set[int] = set()
    for entry in entries:
        person_ids.update(pk for pk in (entry.actor_id, entry.subject_id) if pk)
        label, pk = _target(entry)
        if pk is not None:
            {PERSON_TARGET: person_ids, TEAM_TARGET: team_ids, CYCLE_TARGET: cycle_ids}.get(
                label, set()
            ).add(pk)
        for key, value in entry.changes.items():
            kind = actions.field(key).kind
            if kind in (actions.PERSON, actions.TEAM):
                ids = {v for v in _pair(value)[:2] if isinstance(v, int)}
                (person_ids if kind == actions.PERSON else team_ids).update(ids)
    names = Names(person_ids, team_ids, cycle_ids)
    shows_employment = own or sees_employment_values(viewer)
    return [names.row(entry, shows_employment) for entry in entries]


class Names:
    """The names of the people, teams and cycles some entries name, read once."""

    def __init__(
        self, person_ids: Iterable[int], team_ids: Iterable[int], cycle_ids: Iterable[int]
    ):
        self.people = _names(Person, person_ids)
        self.teams = _names(Team, team_ids)
        self.cycles: dict[int, str] = {}
        if cycle_ids:
            from feedback.models import ReviewCycle

            self.cycles = _names(ReviewCycle, cycle_ids)

    def person(self, pk: int | None) -> str:
        if pk is None:
            return _("Cadence (on the server)")
        return self.people.get(pk) or _("someone no longer in Cadence (#%(id)s)") % {"id": pk}

    def team(self, value: Any) -> str:
        if value == actions.ORGANISATION:
            return _("the whole organisation")
        if isinstance(value, int):
            return self.teams.get(value) or _("a team no longer in Cadence (#%(id)s)") % {
                "id": value
            }
        return _text(value)

    def target(self, entry: AuditEntry) -> str:
        label, pk = _target(entry)
        if pk is None:
            return ""
        if label == TEAM_TARGET:
            return self.team(pk)
        if label == CYCLE_TARGET:
            return self.cycles.get(pk, "")
        if label == PERSON_TARGET and entry.subject_id is None:
            return self.person(pk)
        return ""

    def row(self, entry: AuditEntry, shows_employment: bool) -> Row:
        changes = []
        # Something new (a person added, a role granted) reads as its values, not "— → …".
        new = entry.action.endswith((".added", "_created", ".granted"))
        for key, value in sorted(entry.changes.items(), key=_field_order):
            field = actions.field(key)
            before, after, single = _pair(value)
            single = single or (new and before is None)
            hidden = entry.redacted or (field.employment and not shows_employment)
            if hidden:
                shown = _("erased") if entry.redacted else _("not shown")
                words_before, words_after = ("" if single else shown), shown
                before = after = None
            else:
                words_before = "" if single else self.value(field, before)
                words_after = self.value(field, after)
            changes.append(
                Change(
                    key,
                    str(field.label),
                    words_before,
                    words_after,
                    single,
                    before,
                    after,
                    hidden,
                )
            )
        return Row(
            entry=entry,
            action=str(actions.label(entry.action)),
            actor=self.person(entry.actor_id),
            subject=self.person(entry.subject_id) if entry.subject_id else "",
            target=self.target(entry),
            changes=changes,
        )

    def value(self, field: actions.Field, value: Any) -> str:
        if value is None and field.kind != actions.MONTHS:
            return "—"
        if field.kind == actions.PERSON:
            return self.person(value) if isinstance(value, int) else _text(value)
        if field.kind == actions.TEAM:
            return self.team(value)
        if field.kind == actions.BOOLEAN:
            return _("yes") if value else _("no")
        if field.kind == actions.DATE:
            try:
                return date_format(dt.date.fromisoformat(value))
            except (TypeError, ValueError):
                return _text(value)
        if field.kind == actions.CHOICE and field.choices is not None:
            return str(field.choices().get(value, value))
        if field.kind == actions.MONTHS:
            if value is None:
                return _("as the level above")
            return npgettext(
                "a rhythm in the audit log", "every month", "every %(count)s months", value
            ) % {"count": value}
        return _text(value)


_ORDER = {key: number for number, key in enumerate(actions.FIELDS)}


def _field_order(item: tuple[str, Any]) -> tuple[int, str]:
    """Fields in the order `trust.actions.FIELDS` lists them (the database may keep another),
    those it does not know last, by key."""
    return _ORDER.get(item[0], len(_ORDER)), item[0]


def _names(model: type[Any], ids: Iterable[int]) -> dict[int, str]:
    """Names by id, a query per 500 (a page of entries names far fewer)."""
    wanted = sorted(set(ids))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(model._default_manager.filter(pk__in=chunk).values_list("pk", "name"))
    return found


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
