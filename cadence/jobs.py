"""Periodic work: a registry of jobs that each app adds to from its own `jobs.py`, run in order
by one command (`manage.py run_jobs`; `run_schedules` is the same command under its old name).

    # growth/jobs.py
    from cadence.jobs import job

    @job("growth-reminders", order=40)
    def send_due_growth_reminders(now):
        sent = reminders.send_due(now)
        return f"growth: {sent} reminders" if sent else None

A job takes the time of the run and returns a line for the command's output, or None when it
has nothing to say. Every job must be idempotent and safe to run twice at once (cron may start
a run while a slow one is still going): keep a unique key per thing done and claim it before
acting, as the reminders do. The runner runs a job again when the database was busy.

No app imports another's periodic work: each registers its own here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import OperationalError
from django.utils.module_loading import autodiscover_modules

ATTEMPTS = 3

Run = Callable[[datetime], str | None]


@dataclass(frozen=True)
class Job:
    name: str
    order: int
    run: Run
    module: str = ""  # the module it belongs to: it does not run while that is switched off


_JOBS: dict[str, Job] = {}
_discovered = False


def job(name: str, order: int = 50, module: str = "") -> Callable[[Run], Run]:
    """Register `run(now) -> str | None` as the periodic job `name` (lower `order` runs first)
    of `module` (`cadence.modules`), if it belongs to one that may be switched off."""

    def register(run: Run) -> Run:
        _JOBS[name] = Job(name, order, run, module)
        return run

    return register


def registered() -> list[Job]:
    """Every app's jobs, in the order they run."""
    global _discovered
    if not _discovered:
        autodiscover_modules("jobs")
        _discovered = True
    return sorted(_JOBS.values(), key=lambda j: (j.order, j.name))


def retrying(step, *args, **kwargs):
    """Run an idempotent step again when the database was busy ("database is locked" on
    SQLite, a serialisation failure elsewhere): running it again is always safe."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return step(*args, **kwargs)
        except OperationalError:
            if attempt == ATTEMPTS:
                raise
            time.sleep(0.5 * attempt)


def run_jobs(now: datetime, names: list[str] | None = None) -> list[str]:
    """Run the registered jobs (all, or those named) at `now`; the lines they report."""
    jobs = registered()
    if names:
        unknown = set(names) - {j.name for j in jobs}
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        jobs = [j for j in jobs if j.name in names]
    from organisation import current

    org = current.settings()
    lines = []
    for each in jobs:
        if each.module and not org.is_on(each.module):
            lines.append(f"{each.name}: not run, its module is switched off")
            continue
        if (line := retrying(each.run, now)) is not None:
            lines.append(line)
    return lines
