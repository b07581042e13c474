"""The audit log: `record` appends an entry to the chain, `verify` finds the first broken link.

Each entry's `hash` is SHA-256 over the previous entry's hash and the entry's own fields (with
`payload_hash`, the hash of its `changes`, standing in for them). `prev_hash` is unique, so two
writers cannot both append to the same entry: the chain cannot fork, whatever the database. The
head (`AuditHead`, one row) holds where the chain ends: writers lock it in turn, and `verify`
checks that the chain ends there, so that the newest entries cannot be deleted unnoticed
without rewriting it too (against that, `manage.py verify_audit --head` prints it to keep
elsewhere, and `--expect` checks the chain against such a copy).

`record` (one entry) and `append` (many: an import's people, the demo's history) join the
caller's transaction: the entries land with the change they describe, or not at all.

`changes` holds plain JSON: each field's `[before, after]` (or what else the entry needs: counts,
a file's name). People in it are their ids, never their names or addresses, so that the entries
whose subject a person is hold everything the log says of them: `redact` blanks those for an
erasure; their `payload_hash` (and so the chain) stays as written, and the redaction is an
entry of its own, which `verify` asks of every redacted entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from trust.models import AuditEntry, AuditHead

GENESIS = "0" * 64
REDACTED = "audit.redacted"  # the action of the entry `redact` records
HEAD_RESTORED = "audit.head_restored"  # the head was missing: made again from the chain


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def payload_hash(changes: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(changes)).hexdigest()


def entry_hash(entry: AuditEntry) -> str:
    fields = {
        "prev": entry.prev_hash,
        "at": entry.at.astimezone(UTC).isoformat(),
        "actor": entry.actor_id,
        "action": entry.action,
        "subject": entry.subject_id,
        "target": entry.target,
        "payload": entry.payload_hash,
    }
    return hashlib.sha256(_canonical(fields)).hexdigest()


def target_of(obj: Model | None) -> str:
    """ "app.model:pk", the object an entry is about (besides its subject person)."""
    if obj is None:
        return ""
    return f"{obj._meta.label_lower}:{obj.pk}"


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`[before, after]` of each field of `after` whose value is not the same as before."""
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


def added(after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`[None, value]` of each field set (neither None nor empty), for something new."""
    return {key: [None, value] for key, value in after.items() if value not in (None, "")}


def _id(person: Any) -> int | None:
    return getattr(person, "pk", person)


def new_entry(
    action: str,
    *,
    actor: Any = None,
    subject: Any = None,
    target: Model | str | None = None,
    changes: Mapping[str, Any] | None = None,
    at: Any = None,
) -> AuditEntry:
    """An entry not yet in the chain, for `append` (`record`'s arguments; `at`: when, for a
    history written afterwards, else the time it is appended)."""
    # As the database will give it back (dates as ISO text, tuples as lists), so that the
    # payload's hash reads the same from the stored entry.
    stored = json.loads(_canonical(dict(changes or {})))
    return AuditEntry(
        at=at,
        actor_id=_id(actor),
        action=action,
        subject_id=_id(subject),
        target=target if isinstance(target, str) else target_of(target),
        changes=stored,
        payload_hash=payload_hash(stored),
    )


def record(
    action: str,
    *,
    actor: Any = None,
    subject: Any = None,
    target: Model | str | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: `actor` (a person or their id, None for the system) did `action`
    about `subject` (a person or their id, or None) to `target` (an object or its
    "app.model:pk"); `changes` maps each field to `[before, after]` (or holds what else the
    entry needs: counts, a file's name). Joins the caller's transaction."""
    made = new_entry(action, actor=actor, subject=subject, target=target, changes=changes)
    return append([made])[-1]


def append(entries: Sequence[AuditEntry], *, batch: int = 1000) -> list[AuditEntry]:
    """Chain `entries` (made by `new_entry`), in order, after the head and write them, in the
    caller's transaction; those without `at` get the time now, taken under the head's lock so
    that times follow the chain's order."""
    if not entries:
        return []
    timed = [made.at is not None for made in entries]
    for attempt in range(5):
        try:
            with transaction.atomic():
                head, before = _locked_head()
                now = timezone.now()
                for made, has_time in zip(entries, timed, strict=True):
                    made.at = made.at if has_time else now
                for made in before:
                    made.at = now
                written = [*before, *entries]
                prev = head.hash
                for made in written:
                    made.pk = None
                    made.prev_hash = prev
                    made.hash = prev = entry_hash(made)
                if len(written) == 1:
                    written[0].save(force_insert=True)
                else:
                    AuditEntry.objects.bulk_create(written, batch_size=batch)
                head.count += len(written)
                head.hash = prev
                head.entry_id = written[-1].pk or _last_id()
                head.save()
            return written[-len(entries) :]
        except IntegrityError:
            # Another writer made the head at the same time (the first entry of all): wait for
            # it on the next try.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _last_id() -> int | None:
    """The newest entry's id (for databases that do not return ids from bulk inserts)."""
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()


def _locked_head() -> tuple[AuditHead, list[AuditEntry]]:
    """The head, locked until the transaction ends, with the entries to write before the
    caller's: made for the first entry of all, or, when it has gone missing while there are
    entries, made again from the chain as it stands, with an entry saying so (which the
    audit log shows for good: someone deleted it, the newest entries perhaps with it)."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head, []
    last = AuditEntry.objects.order_by("-id").first()
    if last is None:
        return AuditHead.objects.create(pk=1, hash=GENESIS), []
    count = AuditEntry.objects.count()
    head = AuditHead.objects.create(pk=1, count=count, hash=last.hash, entry_id=last.pk)
    return head, [new_entry(HEAD_RESTORED, changes={"entries": count})]


def redact(subject_id: int, *, by: Any) -> int:
    """Blank the values of the entries about the person `subject_id` (their `changes` keep the
    names of the fields, each value None), for their erasure, and record that as an entry of
    its own by `by` (a person, or None for the system). Returns how many entries it blanked:
    none the second time. People appear in other entries' changes by id only, so the entries
    whose subject they are hold everything the log says of them."""
    with transaction.atomic():
        entries = list(
            AuditEntry.objects.select_for_update()
            .filter(subject_id=subject_id, redacted=False)
            .exclude(action=REDACTED)
            .exclude(changes={})
            .only("pk", "changes")
        )
        for entry in entries:
            entry.changes = dict.fromkeys(entry.changes)
            entry.redacted = True
        AuditEntry.objects.bulk_update(entries, ["changes", "redacted"], batch_size=500)
        if entries:
            record(REDACTED, actor=by, subject=subject_id, changes={"entries": len(entries)})
    return len(entries)


@dataclass(frozen=True)
class Broken:
    """The first entry where the chain does not hold (None: where no entry is), and why."""

    entry_id: int | None
    reason: str


def head() -> tuple[int, str]:
    """Where the chain ends now: (how many entries, the last one's hash), to keep elsewhere and
    check later with `verify(expect=...)`."""
    found = AuditHead.objects.filter(pk=1).first()
    return (found.count, found.hash) if found else (0, GENESIS)


def verify(batch: int = 2000, expect: tuple[int, str] | None = None) -> tuple[int, Broken | None]:
    """Walk the whole chain in order: (entries checked, the first broken link or None).

    Every entry must follow the one before it and hash as written, and the chain must end
    where the head says (entries written meanwhile are left for the next run). `expect`, a
    head kept elsewhere earlier (`head()`), must still be in the chain: the entry at that count
    with that hash. A redacted entry must hold blanks only, and be followed by a redaction
    entry (`redact`) about the same person: otherwise its changes were blanked in SQL; once
    everything else holds, the first such entry is the broken link, with the entries before it
    as checked. (Where a link breaks, that is reported: what comes after it cannot explain a
    redaction.)"""
    stored_head = AuditHead.objects.filter(pk=1).first()
    up_to = stored_head.entry_id if stored_head else None
    expected_prev = GENESIS
    checked = 0
    last_id: int | None = None
    unexplained: dict[int | None, tuple[int, int]] = {}  # subject -> (first id, checked then)
    for entry in _in_order(batch, up_to):
        if entry.prev_hash != expected_prev:
            return checked, Broken(entry.pk, "does not follow the entry before it")
        if entry_hash(entry) != entry.hash:
            return checked, Broken(entry.pk, "was changed after it was written")
        if not _changes_hold(entry):
            return checked, Broken(entry.pk, "its changes were altered")
        if expect is not None and checked + 1 == expect[0] and entry.hash != expect[1]:
            return checked, Broken(entry.pk, "is not the entry of the head kept earlier")
        if entry.redacted:
            unexplained.setdefault(entry.subject_id, (entry.pk, checked))
        elif entry.action == REDACTED:
            unexplained.pop(entry.subject_id, None)
        expected_prev, last_id = entry.hash, entry.pk
        checked += 1
    broken = _end_problem(stored_head, checked, expected_prev, last_id)
    if broken is None and expect is not None and checked < expect[0]:
        broken = Broken(last_id, f"ends the chain, but the head kept earlier had {expect[0]}")
    if broken is None and unexplained:
        entry_id, before = min(unexplained.values())
        return before, Broken(entry_id, "was redacted without an erasure entry")
    return checked, broken


def _changes_hold(entry: AuditEntry) -> bool:
    """Whether the entry's changes are as written: hashing to its `payload_hash`, or, once
    redacted (which the hash no longer covers), blank as `redact` leaves them: every value
    None, so that nothing can be written into a redacted entry unnoticed."""
    if not entry.redacted:
        return payload_hash(entry.changes) == entry.payload_hash
    changes = entry.changes
    return isinstance(changes, dict) and all(value is None for value in changes.values())


def _end_problem(
    stored: AuditHead | None, checked: int, last_hash: str, last_id: int | None
) -> Broken | None:
    """Whether the chain walked ends where the head (read before the walk) says."""
    if stored is None:
        if checked:
            return Broken(last_id, "ends the chain, but the log's head is missing")
        return None
    if (stored.count, stored.hash) != (checked, last_hash):
        return Broken(last_id, f"ends the chain, but the log's head says {stored.count} entries")
    beyond = AuditEntry.objects.filter(id__gt=stored.entry_id or 0).order_by("id").first()
    if beyond is not None:
        now = AuditHead.objects.filter(pk=1).values_list("entry_id", flat=True).first()
        if now is None or now < beyond.pk:  # not written since the walk began
            return Broken(beyond.pk, "comes after the entry the log's head names")
    return None


def _in_order(batch: int, up_to: int | None) -> Iterator[AuditEntry]:
    rows_wanted = AuditEntry.objects.order_by("id")
    if up_to is not None:
        rows_wanted = rows_wanted.filter(id__lte=up_to)
    last_id = 0
    while True:
        rows = list(rows_wanted.filter(id__gt=last_id)[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].pk
