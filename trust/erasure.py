"""Erasure: anonymising a person who left, once the retention period has passed
(`TrustSettings.erase_after_months`, counted from the leave date: `manage.py erase_leavers`),
or at once when HR asks (`trust.services.erase_on_request`). A legal hold stops both.

Anonymising keeps every record, so that every count and aggregate (rhythm tallies, goal
counts, 360 figures) stays what it was, and replaces what tells who the person was: their
name becomes "A former employee", their address one no mailbox answers; free text they wrote,
and free text written about them, becomes "(removed)"; what only served them (sign-in,
notifications, tokens) goes. Anonymous 360 answers are not touched: nothing links them to
anyone, the erased person included. docs/trust.md lists what is erased and what is kept.

Each module says what it holds in its own `erasure.py`, found when the first erasure runs:

    # growth/erasure.py
    from trust.erasure import Replace, keep, register

    register(
        Replace(Plan, ("ambition", "support"), lambda pk: Q(person=pk) | Q(written_by=pk)),
    )
    keep(Framework, ("name",), "the organisation's competency framework")

- `Replace(model, fields, where)`: the non-empty `fields` of the rows `where(person id)`
  selects become the placeholder;
- `Delete(model, where)`: those rows are removed;
- a `Step` of its own for anything else (JSON values, other people's notifications);
- `keep(model, fields, why)`: text that stays, and why (the organisation's own content).
`trust/tests/test_erasure_coverage.py` fails while a text column of any model is in none of
them, so that a module added later cannot forget its part.

One person is erased in one transaction, with their row locked, so that two runs at once
erase them once; `dry_run` does the same work and rolls it back, so that what it reports is
exactly what a run would change.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from django_tasks_db.models import DBTaskResult

from organisation import current
from people import search
from people.models import Person
from trust import audit
from trust.models import AccessLogEntry, AuditEntry, AuditHead, DataExport, TrustSettings

# What an anonymised person is called, and what replaces free text: stored in the
# organisation's language (Administration › Organisation) when the person is erased.
ERASED_NAME = _("A former employee")
REMOVED = _("(removed)")
BATCH = 500

Where = Callable[[int], Q]


def erased_address(person_id: int) -> str:
    """A unique address that no mailbox answers (.invalid is reserved for that, RFC 2606)."""
    return f"former-employee-{person_id}@erased.invalid"


@dataclass(frozen=True)
class Erasing:
    """What every step knows about the person being erased, as it was before."""

    person: Person  # the row, locked
    name: str
    addresses: frozenset[str]  # their address and every address a change of theirs named
    # Their name and every name they had before, as the audit log recorded each change (read
    # before it is redacted): what they were called when a notification or history was written.
    names: frozenset[str]
    erased_name: str  # ERASED_NAME and REMOVED in the organisation's language
    removed: str


# "app.Model" -> the ids of the rows a step changed or removed; counted once per row however
# many steps change it.
Changed = dict[str, set[Any]]


class Step:
    """One part of an erasure: `run` changes what it must and says how many rows, per model.
    `covers` names the text columns it takes care of ("app.Model.field", "app.Model.*" for
    every column), for the coverage test; `order` places it (the person's row last, at 90)."""

    order: int = 50

    def covers(self) -> Iterable[str]:
        return ()

    def run(self, erasing: Erasing) -> Changed:
        raise NotImplementedError


def changes(model: type[models.Model], ids: Iterable[Any]) -> Changed:
    """What a step returns: the rows of `model` it changed or removed."""
    found = set(ids)
    return {model._meta.label: found} if found else {}


def _ids(queryset: QuerySet[Any]) -> list[Any]:
    return list(queryset.order_by().values_list("pk", flat=True).distinct())


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


@dataclass
class Replace(Step):
    """The non-empty `fields` of the rows `where(person id)` selects become the placeholder
    (or, with `blank`, empty: for optional text that the page has words for when it is empty,
    such as a conversation's topic)."""

    model: type[models.Model]
    fields: tuple[str, ...]
    where: Where
    blank: bool = False

    def covers(self) -> Iterable[str]:
        return (f"{self.model._meta.label}.{name}" for name in self.fields)

    def run(self, erasing: Erasing) -> Changed:
        manager = self.model._default_manager
        rows = manager.filter(self.where(erasing.person.pk))
        value = "" if self.blank else erasing.removed
        changed: set[Any] = set()
        for name in self.fields:
            ids = _ids(rows.exclude(**{name: ""}).exclude(**{name: value}))
            for chunk in _chunks(ids):
                manager.filter(pk__in=chunk).update(**{name: value})
            changed.update(ids)
        return changes(self.model, changed)


@dataclass
class Delete(Step):
    """The rows `where(person id)` selects are removed (with what cascades from them)."""

    model: type[models.Model]
    where: Where

    def covers(self) -> Iterable[str]:
        return (f"{self.model._meta.label}.*",)

    def run(self, erasing: Erasing) -> Changed:
        manager = self.model._default_manager
        ids = _ids(manager.filter(self.where(erasing.person.pk)))
        for chunk in _chunks(ids):
            manager.filter(pk__in=chunk).delete()
        return changes(self.model, ids)


@dataclass(frozen=True)
class Kept:
    """Text that erasure leaves as it is, and why."""

    model: type[models.Model]
    fields: tuple[str, ...]
    why: StrOrPromise


_steps: list[Step] = []
_kept: list[Kept] = []
_blockers: list[Callable[[Person], str | None]] = []
_discovered = False


def register(*steps: Step) -> None:
    _steps.extend(steps)


def keep(model: type[models.Model], fields: Iterable[str], why: StrOrPromise) -> None:
    _kept.append(Kept(model, tuple(fields), why))


def blocker(check: Callable[[Person], str | None]) -> Callable[[Person], str | None]:
    """Register `check(person)`: why the person cannot be erased yet (None: nothing stops it).
    For what would bring their words back later, such as sealed 360 answers."""
    _blockers.append(check)
    return check


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("erasure")
        _discovered = True


def steps() -> list[Step]:
    _discover()
    return sorted(_steps, key=lambda step: step.order)


def kept() -> list[Kept]:
    _discover()
    return list(_kept)


# --- Who is due, and what stops it --------------------------------------------------------------


def _months_before(day: date, months: int) -> date:
    month0 = day.month - 1 - months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):  # the same day, or the last of a shorter month
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def erase_after_months() -> int:
    """The retention period, read without writing the settings' row (a dry run writes
    nothing)."""
    stored = TrustSettings.objects.filter(pk=1).values_list("erase_after_months", flat=True)
    return stored.first() or TrustSettings().erase_after_months


def due(today: date | None = None) -> QuerySet[Person]:
    """People whose retention period has passed: they left at least `erase_after_months` ago,
    are not anonymised yet, and no legal hold keeps them."""
    today = today or timezone.localdate()
    cutoff = _months_before(today, erase_after_months())
    return Person.objects.filter(
        leave_date__lte=cutoff, anonymised_at__isnull=True, legal_hold=False
    ).order_by("leave_date", "pk")


class NotErasable(Exception):
    """Why a person cannot be anonymised (now)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_erasable(person: Person) -> None:
    """Raises NotErasable when the person has not left, is on legal hold, or something a
    module registered (`blocker`) stops it for now."""
    if not person.has_left:
        raise NotErasable(gettext("Only people who have left can be anonymised."))
    if person.legal_hold:
        raise NotErasable(
            gettext("%(name)s is on legal hold: lift the hold first.") % {"name": person.name}
        )
    _discover()
    for check in _blockers:
        if (reason := check(person)) is not None:
            raise NotErasable(reason)


# --- Erasing --------------------------------------------------------------------------------------


@dataclass
class Erasure:
    """What erasing one person changed (or, in a dry run, would change)."""

    person_id: int
    name: str  # as it was
    rows: dict[str, int] = field(default_factory=dict)  # "app.Model" -> rows changed
    audit_entries: int = 0  # entries about them redacted
    done: bool = False  # False: they were anonymised already

    @property
    def total(self) -> int:
        return sum(self.rows.values()) + self.audit_entries


def _addresses(person: Person) -> frozenset[str]:
    from accounts.models import EmailChange

    asked = EmailChange.objects.filter(person=person).values_list("old_email", "new_email")
    found = {person.email, *itertools.chain.from_iterable(asked)}
    return frozenset(address.lower() for address in found if address)


def _names(person: Person) -> frozenset[str]:
    """Their name now and every name the audit log's entries about them recorded."""
    recorded = AuditEntry.objects.filter(
        subject_id=person.pk, redacted=False, changes__has_key="name"
    ).values_list("changes", flat=True)
    found = {person.name}
    for changes in recorded:
        value = changes["name"]
        found.update(value if isinstance(value, list) else [value])
    return frozenset(name for name in found if isinstance(name, str) and name.strip())


def erase(person: Person, *, by: Person | None = None, dry_run: bool = False) -> Erasure:
    """Anonymise `person` (see the module's docstring): one transaction, their row locked.

    `by`: HR who asked, or None for the retention period. Raises NotErasable when they may not
    be erased; does nothing for someone already anonymised (`done` is then False). With
    `dry_run`, everything is done and then rolled back: the result says what would change."""
    with transaction.atomic():
        locked = Person.objects.select_for_update().filter(pk=person.pk).first()
        if locked is None or locked.anonymised_at is not None:
            return Erasure(person.pk, person.name)
        check_erasable(locked)
        with translation.override(current.settings().language):
            erasing = Erasing(
                person=locked,
                name=locked.name,
                addresses=_addresses(locked),
                names=_names(locked),
                erased_name=str(ERASED_NAME),
                removed=str(REMOVED),
            )
        changed: dict[str, set[Any]] = defaultdict(set)
        for step in steps():
            for label, ids in step.run(erasing).items():
                changed[label] |= ids
        rows = {label: len(ids) for label, ids in sorted(changed.items())}
        result = Erasure(locked.pk, erasing.name, rows, done=True)
        result.audit_entries = audit.redact(locked.pk, by=by)
        if dry_run:
            transaction.set_rollback(True)
            return result
        audit.record(
            "person.erased",
            actor=by,
            subject=locked.pk,
            changes={"rows": sum(result.rows.values()), "entries": result.audit_entries},
        )
    search.purge_replaced()
    return result


# --- The trust module's own data, and the framework's --------------------------------------------

# An export of their data holds everything about them: it goes.
register(Delete(DataExport, lambda pk: Q(person=pk)))
keep(
    AuditEntry,
    ("changes",),
    "entries about the person are redacted by the audit log itself (trust.audit.redact)",
)
keep(AuditEntry, ("action", "target", "payload_hash", "prev_hash", "hash"), "ids and hashes")
keep(AuditHead, ("hash",), "the hash of the log's last entry")
keep(
    AccessLogEntry,
    ("kind", "path"),
    "the access log names people by id: a kind of data, and a page's address made of ids",
)
keep(Permission, ("name", "codename"), "Django's permissions")
keep(Group, ("name",), "Django's groups of permissions")
keep(ContentType, ("app_label", "model"), "Django's list of models")
keep(
    DBTaskResult,
    ("args_kwargs", "task_path", "worker_ids", "queue_name", "backend_name"),
    "background tasks: their arguments are ids",
)
keep(
    DBTaskResult,
    ("return_value", "exception_class_path", "traceback"),
    "background tasks: what they returned (counts) or raised",
)
