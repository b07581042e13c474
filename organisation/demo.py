"""The demo organisation's settings: named after the demo company and set up (an installation
with a demo is not waiting for its first administrator); a name or set-up date chosen in the app
is kept. Modules stay on and there is no pilot: the demo shows everything."""

from __future__ import annotations

from datetime import UTC, datetime, time

from organisation import current
from people.demo import COMPANY, DemoOrg, history_builder


@history_builder
def organisation_settings(org: DemoOrg) -> None:
    row = current.row()
    row.name = row.name or COMPANY
    if row.set_up_at is None:
        row.set_up_at = datetime.combine(org.history_start, time(9), tzinfo=UTC)
    row.save(update_fields=["name", "set_up_at", "updated_at"])
    current.forget()
