"""The competency framework in the API, read-only: the current version (levels, competencies
with their behaviours), the career tracks with their role profiles and expectations, and the
version history. Organisation data, the same for everyone signed in (`growth.rules`)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from growth import queries
from growth.queries import Framework

router = Router(tags=["growth"])


class LevelOut(Schema):
    level: int
    name: str
    description: str


class BehaviourOut(Schema):
    level: int
    description: str
    examples: list[str]


class CompetencyOut(Schema):
    id: int  # this version's row: what an assessment of this version points at
    key: str  # the same competency across versions
    name: str
    category: str
    description: str
    behaviours: list[BehaviourOut]


class FrameworkOut(Schema):
    version: int | None  # None: no framework published yet
    published_at: datetime | None
    levels: list[LevelOut]
    competencies: list[CompetencyOut]


class ExpectationOut(Schema):
    competency: str  # its key
    level: int


class ProfileOut(Schema):
    level: int  # a person's level (`level` of people)
    title: str
    summary: str
    expectations: list[ExpectationOut]


class TrackOut(Schema):
    key: str
    name: str
    description: str
    roles: list[str]
    profiles: list[ProfileOut]


class TracksOut(Schema):
    version: int | None
    tracks: list[TrackOut]


class VersionOut(Schema):
    version: int
    published_at: datetime
    published_by: str | None  # the person's name; None when published from the command line
    note: str


def _version(framework: Framework | None) -> tuple[int | None, datetime | None]:
    if framework is None:
        return None, None
    return framework.version.number, framework.version.published_at


@router.get("/growth/framework", response=FrameworkOut, summary="The competency framework")
def growth_framework(request: HttpRequest) -> dict:
    framework = queries.current()
    number, published_at = _version(framework)
    return {
        "version": number,
        "published_at": published_at,
        "levels": [
            {"level": lv.number, "name": lv.name, "description": lv.description}
            for lv in (framework.levels if framework else [])
        ],
        "competencies": [
            {
                "id": c.pk,
                "key": c.key,
                "name": c.name,
                "category": c.category,
                "description": c.description,
                "behaviours": [
                    {"level": b.level, "description": b.description, "examples": b.examples}
                    for b in c.behaviours.all()
                ],
            }
            for c in (framework.competencies if framework else [])
        ],
    }


@router.get("/growth/tracks", response=TracksOut, summary="Career tracks and role profiles")
def growth_tracks(request: HttpRequest) -> dict:
    framework = queries.current()
    if framework is None:
        return {"version": None, "tracks": []}
    document = framework.document()
    return {
        "version": framework.version.number,
        "tracks": [
            {
                "key": t.key,
                "name": t.name,
                "description": t.description,
                "roles": list(t.roles),
                "profiles": [
                    {
                        "level": p.level,
                        "title": p.title,
                        "summary": p.summary,
                        "expectations": [
                            {"competency": key, "level": level} for key, level in p.expects
                        ],
                    }
                    for p in t.profiles
                ],
            }
            for t in document.tracks
        ],
    }


@router.get(
    "/growth/framework/versions",
    response=list[VersionOut],
    summary="The framework's published versions, the newest first",
)
def growth_framework_versions(request: HttpRequest) -> list[dict]:
    return [
        {
            "version": v.number,
            "published_at": v.published_at,
            "published_by": v.published_by.name if v.published_by else None,
            "note": v.note,
        }
        for v in queries.versions()
    ]
