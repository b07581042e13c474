"""Every write of Growth: publishing a new version of the competency framework (from a file,
or from our starter framework).

Publishing is all or nothing: the file is checked whole (`growth.document.read`), compared with
the current version (`growth.changes`), and written as a new version with its own rows, in one
transaction. Nothing of an earlier version is changed. The change is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadence.refusals import Conflict, Refused
from growth import document as doc
from growth import queries
from growth.changes import Changes, compare
from growth.models import (
    Behaviour,
    CarryOver,
    Competency,
    Expectation,
    FrameworkVersion,
    ProficiencyLevel,
    RoleProfile,
    Track,
)
from growth.rules import publishes_framework
from people.models import Person, Role
from trust import audit

if TYPE_CHECKING:
    from access.viewer import Viewer

MAX_NOTE = 1000
STARTER = Path(__file__).resolve().parent / "starter"
STARTER_LANGUAGES = ("en", "nl")


@dataclass
class Prepared:
    """A file checked against the current version: what publishing it would do."""

    document: doc.Document
    changes: Changes
    base: int  # the number of the version it was compared with (0: none yet)
    new_roles: list[str]


def starter_text(language: str) -> str:
    """Our starter framework in the organisation's language (English where we have none)."""
    code = language.split("-")[0].lower()
    name = code if code in STARTER_LANGUAGES else "en"
    return (STARTER / f"{name}.yaml").read_text(encoding="utf-8")


def prepare(text: str) -> Prepared:
    """Check `text` against the current version: `doc.Invalid` with its problems, or what
    publishing it would change. Writes nothing."""
    current = queries.current()
    document = doc.read(text, current.document() if current else None)
    changes = compare(current.document() if current else None, document)
    wanted = {role for track in document.tracks for role in track.roles}
    existing = set(Role.objects.filter(name__in=wanted).values_list("name", flat=True))
    return Prepared(
        document,
        changes,
        current.version.number if current else 0,
        sorted(wanted - existing),
    )


def publish(viewer: Viewer, text: str, *, note: str, base: int) -> FrameworkVersion:
    """Publish `text` as the next version, for organisation-wide HR. `base` is the version the
    preview was made against: when another was published meanwhile, `Conflict`."""
    if not publishes_framework(viewer):
        raise PermissionDenied
    return publish_as(viewer.person, text, note=note, base=base)


def start_from_starter(viewer: Viewer, language: str) -> FrameworkVersion:
    """Version 1 from our starter framework, through the same checks as any file."""
    if not publishes_framework(viewer):
        raise PermissionDenied
    note = _("Started from Cadence's starter framework.")
    return publish_as(viewer.person, starter_text(language), note=note, base=0)


def publish_as(
    person: Person | None,
    text: str,
    *,
    note: str,
    base: int,
    at: datetime | None = None,
    audited: bool = True,
) -> FrameworkVersion:
    """Publish without asking who may (the command line: `person` None; the demo, `at` a day
    of its history and not `audited`: its audit history is written in time order by
    `trust.demo`, from the versions)."""
    note = note.strip()
    if len(note) > MAX_NOTE or "\x00" in note:
        raise Refused.on("note", _("At most %(count)s characters.") % {"count": MAX_NOTE})
    try:
        with transaction.atomic():
            latest = FrameworkVersion.objects.select_for_update().order_by("-number").first()
            if (latest.number if latest else 0) != base:
                raise Conflict(
                    _(
                        "Another version was published meanwhile: check the changes against it "
                        "before publishing."
                    )
                )
            try:
                prepared = prepare(text)
            except doc.Invalid as invalid:
                raise Refused(("framework", str(problem)) for problem in invalid.problems) from None
            if not prepared.changes.any:
                raise Refused.on(
                    "framework",
                    _("This file is the current version as it is: there is nothing to publish."),
                )
            version = _write(prepared, person, note, at or timezone.now())
            if not audited:
                return version
            audit.record(
                "growth.framework_published",
                actor=person,
                target=version,
                changes={
                    "version": [base or None, version.number],
                    "note": note,
                    "competencies": len(prepared.document.competencies),
                    "tracks": len(prepared.document.tracks),
                    **({} if prepared.changes.first else prepared.changes.counts()),
                    **({"new_roles": prepared.new_roles} if prepared.new_roles else {}),
                },
            )
    except IntegrityError:  # two publishing at once: the version number is taken
        raise Conflict(_("Another version was published meanwhile.")) from None
    return version


def _write(prepared: Prepared, person: Person | None, note: str, at: datetime) -> FrameworkVersion:
    document = prepared.document
    version = FrameworkVersion.objects.create(
        number=prepared.base + 1, published_at=at, published_by=person, note=note
    )
    ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(
            version=version, number=lv.number, name=lv.name, description=lv.description
        )
        for lv in document.levels
    )
    competencies = Competency.objects.bulk_create(
        Competency(
            version=version,
            key=c.key,
            name=c.name,
            category=c.category,
            description=c.description,
            position=position,
        )
        for position, c in enumerate(document.competencies)
    )
    by_key = {competency.key: competency for competency in competencies}
    Behaviour.objects.bulk_create(
        Behaviour(
            competency=by_key[c.key],
            level=b.level,
            description=b.description,
            examples=list(b.examples),
        )
        for c in document.competencies
        for b in c.behaviours
    )
    if prepared.base:
        before = {
            competency.key: competency
            for competency in Competency.objects.filter(version__number=prepared.base)
        }
        CarryOver.objects.bulk_create(
            CarryOver(source=before[carry.source], target=by_key[carry.target], kind=carry.kind)
            for carry in prepared.changes.carries
        )
    Role.objects.bulk_create(Role(name=name) for name in prepared.new_roles)
    wanted = {role for track in document.tracks for role in track.roles}
    roles = dict(Role.objects.filter(name__in=wanted).values_list("name", "pk"))
    tracks = Track.objects.bulk_create(
        Track(version=version, key=t.key, name=t.name, description=t.description, position=index)
        for index, t in enumerate(document.tracks)
    )
    Track.roles.through.objects.bulk_create(
        Track.roles.through(track_id=track.pk, role_id=roles[name])
        for track, t in zip(tracks, document.tracks, strict=True)
        for name in t.roles
    )
    profiles = RoleProfile.objects.bulk_create(
        RoleProfile(track=track, level=p.level, title=p.title, summary=p.summary)
        for track, t in zip(tracks, document.tracks, strict=True)
        for p in t.profiles
    )
    steps = [p for t in document.tracks for p in t.profiles]
    Expectation.objects.bulk_create(
        Expectation(profile=profile, competency=by_key[key], level=level)
        for profile, p in zip(profiles, steps, strict=True)
        for key, level in p.expects
    )
    return version
