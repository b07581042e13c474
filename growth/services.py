"""Every write of Growth: publishing a new version of the competency framework (from a file,
or from our starter framework); assessments (start, rate, share, agree, close) and HR's rounds.

Publishing is all or nothing: the file is checked whole (`growth.document.read`), compared with
the current version (`growth.changes`), and written as a new version with its own rows, in one
transaction. Nothing of an earlier version is changed. The change is in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.rules import can, visible
from cadence.refusals import Conflict, Refused, clean_text
from feedback.models import Feedback
from goals.models import Objective
from growth import document as doc
from growth import queries
from growth.changes import Changes, compare
from growth.models import (
    Assessment,
    AssessmentRound,
    Behaviour,
    CarryOver,
    Competency,
    Expectation,
    FrameworkVersion,
    ProficiencyLevel,
    Rating,
    RoleProfile,
    Side,
    Track,
)
from growth.rules import (
    AGREE,
    CLOSE,
    RATES,
    SHARE_WITH_HR,
    publishes_framework,
    round_people,
    round_teams,
    side_of,
    starts_assessment_of,
    starts_rounds,
)
from notifications.kinds import ASSESSMENT_STARTED, LEVELS_AGREED, SELF_ASSESSMENT_SHARED
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


# --- Assessments -------------------------------------------------------------------------------

MAX_EVIDENCE = 4000
MAX_NAME = 120


def _tell(kind: str, assessment: Assessment, recipient_id: int | None) -> None:
    """Queue the notification and e-mail of a step, with the write (one transaction)."""
    from growth.tasks import tell

    if recipient_id is not None:
        tell.enqueue(kind, assessment.pk, recipient_id)


def _current_version() -> FrameworkVersion:
    version = queries.current_version()
    if version is None:
        raise Refused.on("", _("There is no competency framework to assess against yet."))
    return version


def _locked(assessment: Assessment) -> Assessment:
    """The assessment's row, locked, with its subject (for the rules)."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("subject")
        .get(pk=assessment.pk)
    )


def _still(viewer: Viewer, action: str, assessment: Assessment) -> Assessment:
    """Permission first, then the locked row: when it changed meanwhile so that the viewer may
    no longer `action` it (shared, agreed, closed a moment ago), `Conflict`."""
    if not can(viewer, action, assessment):
        raise PermissionDenied
    locked = _locked(assessment)
    if not can(viewer, action, locked):
        raise Conflict(_("This assessment changed meanwhile: reload it."))
    return locked


def start_assessment(viewer: Viewer, person_id: int, *, due_date: date | None = None) -> Assessment:
    """Start an assessment of the person against the current framework: by the person or their
    current manager, one open assessment per person at a time. A manager starting one tells
    the person."""
    person = Person.objects.filter(pk=person_id).select_related("team").first()
    if person is None or not starts_assessment_of(viewer, person):
        raise PermissionDenied
    version = _current_version()
    if due_date is not None and due_date < timezone.localdate():
        raise Refused.on("due_date", _("Choose a day from today on."))
    try:
        with transaction.atomic():
            Person.objects.select_for_update().filter(pk=person.pk).first()  # one at a time
            if _has_open(person.pk):
                raise _already_open(viewer, person)
            assessment = Assessment.objects.create(
                subject=person, version=version, started_by=viewer.person, due_date=due_date
            )
            if viewer.person is not None and viewer.person.pk != person.pk:
                _tell(ASSESSMENT_STARTED, assessment, person.pk)
    except IntegrityError:  # one started meanwhile (a round): the constraint said no
        raise _already_open(viewer, person) from None
    return assessment


def _has_open(person_id: int) -> bool:
    return Assessment.objects.filter(subject=person_id, closed_at__isnull=True).exists()


def _already_open(viewer: Viewer, person: Person) -> Refused:
    """The refusal of a second open assessment (`Assessment`'s constraint), on the API's
    `person`."""
    if viewer.person is not None and viewer.person.pk == person.pk:
        message = _(
            "You already have an open assessment: finish or close it before you start another."
        )
    else:
        message = _(
            "%(name)s already has an open assessment: finish or close it before you start another."
        ) % {"name": person.name}
    return Refused.on("person", message)


def _side(viewer: Viewer, assessment: Assessment) -> tuple[str, str]:
    """The viewer's side of the assessment (`growth.rules.side_of`) and the action it needs;
    on neither side, `PermissionDenied`."""
    side = side_of(viewer, assessment)
    if side is None:
        raise PermissionDenied
    return side, RATES[side]


def _competency(assessment: Assessment, competency_id: int) -> Competency:
    competency = Competency.objects.filter(pk=competency_id, version=assessment.version_id).first()
    if competency is None:
        raise Refused.on("competency", _("Choose a competency of this assessment's framework."))
    return competency


def _level(assessment: Assessment, level: int | None, *, required: bool = False) -> int | None:
    if level is None:
        if required:
            raise Refused.on("level", _("Choose a level."))
        return None
    if not ProficiencyLevel.objects.filter(version=assessment.version_id, number=level).exists():
        raise Refused.on("level", _("Choose one of the framework's levels."))
    return level


def rate(
    viewer: Viewer,
    assessment: Assessment,
    *,
    competency_id: int,
    level: int | None,
    evidence: str = "",
    goal_ids: Sequence[int] = (),
    feedback_ids: Sequence[int] = (),
) -> Rating:
    """The viewer's rating of one competency (the subject's own, or their manager's), with its
    evidence: free text, the subject's goals the viewer may see, and, on the subject's own
    ratings only, feedback the subject received. `level` None: not assessed. Until the side
    is shared, only the viewer sees it."""
    side, action = _side(viewer, assessment)
    if not can(viewer, action, assessment):
        raise PermissionDenied
    competency = _competency(assessment, competency_id)
    level = _level(assessment, level)
    text = clean_text(evidence, "evidence", MAX_EVIDENCE, required=False)
    goals = _goals(viewer, assessment, goal_ids)
    if feedback_ids and side != Side.SELF:
        raise Refused.on("feedback", _("Only the person assessed attaches feedback they received."))
    received = _feedback(viewer, assessment, feedback_ids)
    with transaction.atomic():
        assessment = _still(viewer, action, assessment)
        rating, _created = Rating.objects.update_or_create(
            assessment=assessment,
            competency=competency,
            side=side,
            defaults={
                "level": level,
                "text": text,
                "rated_by": viewer.person,
                "updated_at": timezone.now(),
            },
        )
        rating.goals.set(goals)
        if side == Side.SELF:
            rating.feedback.set(received)
    return rating


def _goals(viewer: Viewer, assessment: Assessment, goal_ids: Sequence[int]) -> list[int]:
    wanted = set(goal_ids)
    if not wanted:
        return []
    found = set(
        visible(viewer, Objective)
        .filter(pk__in=wanted, owner_person=assessment.subject_id)
        .values_list("pk", flat=True)
    )
    if found != wanted:
        raise Refused.on("goals", _("Choose goals of the person assessed that you can see."))
    return sorted(found)


def _feedback(viewer: Viewer, assessment: Assessment, feedback_ids: Sequence[int]) -> list[int]:
    wanted = set(feedback_ids)
    if not wanted:
        return []
    found = set(
        visible(viewer, Feedback)
        .filter(pk__in=wanted, receiver=assessment.subject_id)
        .values_list("pk", flat=True)
    )
    if found != wanted:
        raise Refused.on("feedback", _("Choose feedback you received."))
    return sorted(found)


def share(viewer: Viewer, assessment: Assessment) -> Assessment:
    """The viewer's side is done: the subject's self-ratings reach their manager (who is told),
    the manager's reach the subject. Nothing of that side changes afterwards."""
    side, action = _side(viewer, assessment)
    with transaction.atomic():
        assessment = _still(viewer, action, assessment)
        if not Rating.objects.filter(
            assessment=assessment, side=side, level__isnull=False
        ).exists():
            raise Refused.on("", _("Rate at least one competency before you share."))
        now = timezone.now()
        if side == Side.SELF:
            assessment.self_shared_at = now
            _tell(SELF_ASSESSMENT_SHARED, assessment, assessment.subject.manager_id)
        else:
            assessment.manager_shared_at = now
        assessment.save(update_fields=["self_shared_at", "manager_shared_at"])
    return assessment


def agree(
    viewer: Viewer, assessment: Assessment, *, competency_id: int, level: int, note: str = ""
) -> Rating:
    """The level of one competency the two agreed in their conversation, with a note: written
    by the manager once they shared their ratings, seen by both, until the assessment closes."""
    if not can(viewer, AGREE, assessment):
        raise PermissionDenied
    competency = _competency(assessment, competency_id)
    checked = _level(assessment, level, required=True)
    text = clean_text(note, "note", MAX_EVIDENCE, required=False)
    with transaction.atomic():
        assessment = _still(viewer, AGREE, assessment)
        rating, _created = Rating.objects.update_or_create(
            assessment=assessment,
            competency=competency,
            side=Side.AGREED,
            defaults={
                "level": checked,
                "text": text,
                "rated_by": viewer.person,
                "updated_at": timezone.now(),
            },
        )
    return rating


def record_agreement(viewer: Viewer, assessment: Assessment) -> Assessment:
    """The agreed levels are recorded: the subject is told (once)."""
    with transaction.atomic():
        assessment = _still(viewer, AGREE, assessment)
        if assessment.agreed_at is not None:
            raise Conflict(_("The agreed levels are recorded already."))
        if not Rating.objects.filter(assessment=assessment, side=Side.AGREED).exists():
            raise Refused.on("", _("Agree on the level of at least one competency first."))
        assessment.agreed_at = timezone.now()
        assessment.save(update_fields=["agreed_at"])
        _tell(LEVELS_AGREED, assessment, assessment.subject_id)
    return assessment


def close(viewer: Viewer, assessment: Assessment) -> Assessment:
    """Close it (the subject or the manager): nothing of it changes any more."""
    with transaction.atomic():
        assessment = _still(viewer, CLOSE, assessment)
        assessment.closed_at = timezone.now()
        assessment.save(update_fields=["closed_at"])
    return assessment


def share_with_hr(viewer: Viewer, assessment: Assessment) -> Assessment:
    """The subject shows the shared ratings and the agreed levels to HR in scope."""
    with transaction.atomic():
        assessment = _still(viewer, SHARE_WITH_HR, assessment)
        assessment.hr_shared_at = timezone.now()
        assessment.save(update_fields=["hr_shared_at"])
    return assessment


def start_round(
    viewer: Viewer, *, name: str, team_id: int | None, due_date: date
) -> AssessmentRound:
    """HR asks a team (and the teams within it) or the organisation to assess by `due_date`:
    an assessment starts for each person in it, within HR's scope, who has none open. In the
    audit log."""
    if not starts_rounds(viewer):
        raise PermissionDenied
    teams, whole = round_teams(viewer)
    team = None
    if team_id is not None:
        team = next((t for t in teams if t.pk == team_id), None)
        if team is None:
            raise Refused.on("team_id", _("Choose a team within your HR scope."))
    elif not whole:
        raise Refused.on("team_id", _("Choose a team within your HR scope."))
    title = clean_text(name, "name", MAX_NAME)
    if due_date < timezone.localdate():
        raise Refused.on("due_date", _("Choose a day from today on."))
    version = _current_version()
    with transaction.atomic():
        ids = set(round_people(viewer, team).values_list("pk", flat=True))
        busy = _open_among(ids)
        started = AssessmentRound.objects.create(
            name=title, scope=team, due_date=due_date, started_by=viewer.person
        )
        # Whoever has one open is skipped: those seen above, and any started meanwhile (the
        # constraint of one open assessment per person leaves their row out).
        Assessment.objects.bulk_create(
            (
                Assessment(
                    subject_id=pk,
                    version=version,
                    started_by=viewer.person,
                    round=started,
                    due_date=due_date,
                )
                for pk in sorted(ids - busy)
            ),
            ignore_conflicts=True,
        )
        people = started.assessments.count()
        audit.record(
            "growth.round_started",
            actor=viewer.person,
            target=started,
            changes={
                "name": title,
                "team": team.name if team else None,
                "due_date": due_date.isoformat(),
                "people": people,
                "already_open": len(ids) - people,
            },
        )
    return started


def _open_among(person_ids: set[int]) -> set[int]:
    """Of these people, those with an open assessment."""
    return set(
        Assessment.objects.filter(subject__in=person_ids, closed_at__isnull=True).values_list(
            "subject_id", flat=True
        )
    )
