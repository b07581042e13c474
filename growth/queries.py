"""Reading the framework: the current version with everything its pages show, in a fixed
number of queries, as rows (`Framework`) and as a document (`Framework.document`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from growth import document as doc
from growth.models import (
    Behaviour,
    Competency,
    Expectation,
    FrameworkVersion,
    ProficiencyLevel,
    RoleProfile,
    Track,
)


@dataclass
class Step:
    """A role profile on its track, with its expectations by competency key."""

    track: Track
    profile: RoleProfile
    expected: dict[str, int]

    @property
    def id(self) -> str:
        """How a page names the step (in a URL): "management-4"."""
        return f"{self.track.key}-{self.profile.level}"


@dataclass
class Framework:
    version: FrameworkVersion
    levels: list[ProficiencyLevel]
    competencies: list[Competency]  # each with `behaviours` loaded
    tracks: list[Track]  # each with `roles` and `profiles` (with `expectations`) loaded
    steps: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        keys = {competency.pk: competency.key for competency in self.competencies}
        self.steps = [
            Step(
                track,
                profile,
                {keys[e.competency_id]: e.level for e in profile.expectations.all()},
            )
            for track in self.tracks
            for profile in track.profiles.all()
        ]

    def level_name(self, number: int | None) -> str:
        return next((level.name for level in self.levels if level.number == number), "")

    def step(self, step_id: str) -> Step | None:
        return next((step for step in self.steps if step.id == step_id), None)

    def step_of(self, role_id: int | None, level: int | None) -> Step | None:
        """The role profile of someone with this job role and level, if the framework has
        one."""
        if role_id is None or level is None:
            return None
        for step in self.steps:
            if step.profile.level == level and any(r.pk == role_id for r in step.track.roles.all()):
                return step
        return None

    def document(self) -> doc.Document:
        keys = {competency.pk: competency.key for competency in self.competencies}
        order = {competency.pk: index for index, competency in enumerate(self.competencies)}
        return doc.Document(
            levels=tuple(doc.Level(lv.number, lv.name, lv.description) for lv in self.levels),
            competencies=tuple(
                doc.Competency(
                    c.key,
                    c.name,
                    c.category,
                    c.description,
                    tuple(
                        doc.Behaviour(b.level, b.description, tuple(b.examples))
                        for b in c.behaviours.all()
                    ),
                )
                for c in self.competencies
            ),
            tracks=tuple(
                doc.Track(
                    t.key,
                    t.name,
                    t.description,
                    tuple(sorted(role.name for role in t.roles.all())),
                    tuple(
                        doc.Profile(
                            p.level,
                            p.title,
                            p.summary,
                            tuple(
                                (keys[e.competency_id], e.level)
                                for e in sorted(
                                    p.expectations.all(), key=lambda e: order[e.competency_id]
                                )
                            ),
                        )
                        for p in t.profiles.all()
                    ),
                )
                for t in self.tracks
            ),
        )


def current_version() -> FrameworkVersion | None:
    return FrameworkVersion.objects.order_by("-number").first()


def load(version: FrameworkVersion | None) -> Framework | None:
    """The version with its levels, competencies and tracks (8 queries)."""
    if version is None:
        return None
    competencies = Competency.objects.filter(version=version).prefetch_related(
        Prefetch("behaviours", Behaviour.objects.order_by("level"))
    )
    tracks = Track.objects.filter(version=version).prefetch_related(
        "roles",
        Prefetch(
            "profiles",
            RoleProfile.objects.order_by("level").prefetch_related(
                Prefetch("expectations", Expectation.objects.all())
            ),
        ),
    )
    return Framework(
        version=version,
        levels=list(ProficiencyLevel.objects.filter(version=version)),
        competencies=list(competencies),
        tracks=list(tracks),
    )


def current() -> Framework | None:
    return load(current_version())


def versions() -> list[FrameworkVersion]:
    """Every version, the newest first, with who published it."""
    return list(FrameworkVersion.objects.select_related("published_by").order_by("-number"))
