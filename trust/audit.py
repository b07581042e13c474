"""The audit log: `record` appends an entry to the chain, `verify` finds the first broken link.

Each entry's `hash` is SHA-256 over the previous entry's hash and the entry's own fields (with
`payload_hash`, the hash of its `changes`, standing in for them). `prev_hash` is unique, so two
writers cannot both append to the same entry: the chain cannot fork, whatever the database. On
PostgreSQL an advisory lock makes writers wait their turn; on SQLite writes are serialised
already (transactions begin IMMEDIATE), and a lost race retries.

`record` joins the caller's transaction: the entry lands with the change it describes, or not
at all.

`redact` blanks the values in the entries about a person being erased; their `payload_hash` (and
so the chain) stays as written, and the redaction is an entry of its own, which `verify` asks
of every redacted entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from trust.models import AuditEntry

GENESIS = "0" * 64
REDACTED = "audit.redacted"  # the action of the entry `redact` records
# Any fixed number: the key of the PostgreSQL advisory lock that orders the writers.
_LOCK_KEY = 0x61756469  # "audi"


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def payload_hash(changes: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(changes)).hexdigest()


def entry_hash(entry: AuditEntry) -> str:
    fields = {
        "prev": entry.prev_hash,
        "at": entry.at.isoformat(),
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


def record(
    action: str,
    *,
    actor: Any = None,
    subject: Any = None,
    target: Model | str | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: `actor` (a person or None for the system) did `action` about `subject`
    (a person, or None) to `target` (an object or its "app.model:pk"); `changes` maps each
    field to `[before, after]` (or holds what else the entry needs: counts, a file's name)."""
    changes = dict(changes or {})
    entry = AuditEntry(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", actor),
        action=action,
        subject_id=getattr(subject, "pk", subject),
        target=target if isinstance(target, str) else target_of(target),
        changes=changes,
        payload_hash=payload_hash(changes),
    )
    for attempt in range(5):
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
                last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
                entry.prev_hash = last or GENESIS
                entry.hash = entry_hash(entry)
                entry.save(force_insert=True)
            return entry
        except IntegrityError:
            entry.pk = None
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


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
    """The first entry where the chain does not hold, and why."""

    entry_id: int
    reason: str


def verify(batch: int = 2000) -> tuple[int, Broken | None]:
    """Walk the whole chain in order: (entries checked, the first broken link or None).

    A redacted entry must be followed by a redaction entry (`redact`) about the same person:
    otherwise its changes were blanked in SQL. Once the whole chain holds, the first such entry
    is the broken link, with the entries before it as checked. (Where a link breaks, that is
    reported: what comes after it cannot be relied on to explain a redaction.)"""
    expected_prev = GENESIS
    checked = 0
    unexplained: dict[int | None, tuple[int, int]] = {}  # subject -> (first id, checked then)
    for entry in _in_order(batch):
        if entry.prev_hash != expected_prev:
            return checked, Broken(entry.pk, "does not follow the entry before it")
        if entry_hash(entry) != entry.hash:
            return checked, Broken(entry.pk, "was changed after it was written")
        if not entry.redacted and payload_hash(entry.changes) != entry.payload_hash:
            return checked, Broken(entry.pk, "its changes were altered")
        if entry.redacted:
            unexplained.setdefault(entry.subject_id, (entry.pk, checked))
        elif entry.action == REDACTED:
            unexplained.pop(entry.subject_id, None)
        expected_prev = entry.hash
        checked += 1
    if unexplained:
        entry_id, before = min(unexplained.values())
        return before, Broken(entry_id, "was redacted without an erasure entry")
    return checked, None


def _in_order(batch: int) -> Iterator[AuditEntry]:
    last_id = 0
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].pk
