"""Frameworks for tests: the starter published, and small documents to import."""

from __future__ import annotations

from growth import services
from growth.models import FrameworkVersion


def publish(text: str, note: str = "") -> FrameworkVersion:
    """Publish `text` as the next version, as the command line does."""
    latest = FrameworkVersion.objects.order_by("-number").first()
    return services.publish_as(None, text, note=note, base=latest.number if latest else 0)


def publish_starter(language: str = "en", roles: dict[str, list[str]] | None = None):
    """The starter framework as version 1, its tracks given `roles` ({track key: [names]})."""
    return publish(starter_with_roles(language, roles or {}))


def starter_with_roles(language: str, roles: dict[str, list[str]]) -> str:
    text = services.starter_text(language)
    for track, names in roles.items():
        marker = f"- key: {track}\n"
        head, tail = text.split(marker, 1)
        listed = "".join(f"\n  - {name}" for name in names)
        tail = tail.replace("  roles: []", f"  roles:{listed}", 1)
        text = head + marker + tail
    return text


LEVELS = """levels:
- {level: 1, name: Learning}
- {level: 2, name: Practising}
- {level: 3, name: Proficient}
"""


def competency(key: str, name: str = "", *, replaces: str = "", category: str = "core") -> str:
    """A competency in the file's words, every level described."""
    lines = [
        f"- key: {key}",
        f"  name: {name or key.replace('-', ' ').capitalize()}",
        f"  category: {category}",
    ]
    if replaces:
        lines.append(f"  replaces: [{replaces}]")
    lines.append("  behaviours:")
    for level in (1, 2, 3):
        lines.append(f"  - {{level: {level}, description: {key} at {level}}}")
    return "\n".join(lines) + "\n"


def small(*competencies: str, tracks: str = "") -> str:
    """A framework of three levels and these competencies (made by `competency`)."""
    return LEVELS + "competencies:\n" + "".join(competencies) + tracks


def cast_framework(cast) -> FrameworkVersion:
    """The starter framework, its tracks holding the cast's roles: Alice a software engineer
    at level 2 (Intermediate), Bob an engineering manager at level 4 (Manager)."""
    from people.models import Role

    engineer = Role.objects.create(name="Software engineer")
    manager = Role.objects.create(name="Engineering manager")
    cast.alice.role, cast.alice.level = engineer, 2
    cast.alice.save()
    cast.bob.role, cast.bob.level = manager, 4
    cast.bob.save()
    return publish_starter(
        roles={
            "individual-contributor": ["Software engineer"],
            "management": ["Engineering manager"],
        }
    )
