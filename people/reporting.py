"""Reporting lines: the rule on who may change them, and telling a person their manager changed.

A place in someone's management chain is a read right (their employment details, goals shared
with the chain; the direct manager also sees private goals and what is shared with them). So
whoever changes a reporting line must not end up in the chain above the people it moves: HR
cannot make themselves anyone's manager, nor the manager of their manager or of anyone higher
up. A team's lead reads what the team shares with it, so nobody makes themselves a lead either
(`LEAD_REFUSAL`, in the team form), nobody moves themselves into another team
(`SELF_MOVE_REFUSAL`: team-mates read what the team shares), and nobody moves someone into
their own team (`TEAM_MATE_REFUSAL`: they would read what that person shared with their team
so far, praise included; someone new, added to it, has shared nothing yet). Every path that
sets managers (the person form and the CSV import; the API and the admin cannot) asks
`runs_through_editor`, and tells each person whose manager changed through
`announce_manager_changes`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from django.utils.translation import gettext_lazy as _

REFUSAL = _(
    "You cannot change a reporting line so that it runs through you (as the manager, or "
    "anyone above the manager): ask a colleague to make this change."
)

LEAD_REFUSAL = _(
    "You cannot make yourself a team's lead: a lead reads what the team shares with it. Ask a "
    "colleague to make this change."
)

TEAM_MATE_REFUSAL = _(
    "You cannot move someone into your own team: team-mates read what the team shares. Ask a "
    "colleague to make this change."
)

SELF_MOVE_REFUSAL = _(
    "You cannot move yourself to another team: team-mates read what the team shares. Ask a "
    "colleague to make this change."
)


def runs_through_editor(
    editor: Hashable | None,
    new_manager: Hashable | None,
    manager_of: Callable[[Hashable], Hashable | None],
) -> bool:
    """Would the editor be in the chain above someone who gets `new_manager` as manager?

    `manager_of(key)` gives a person's manager as it will be after the change (keys are ids or
    e-mail addresses, whichever the caller works with). A change by nobody in particular (a
    command on the server) has no editor to refuse.
    """
    if editor is None:
        return False
    seen = set()
    key = new_manager
    while key is not None and key not in seen:
        if key == editor:
            return True
        seen.add(key)
        key = manager_of(key)
    return False


def announce_manager_changes(changes: Iterable[tuple[int, int | None, int | None]]) -> None:
    """Queue one e-mail per person whose manager changed: (person id, old id, new id)."""
    from people.tasks import notify_manager_changed

    for person_id, old, new in changes:
        if old != new:
            notify_manager_changed.enqueue(person_id, old, new)
