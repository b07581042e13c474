"""`manage.py compute_insights [--kind KIND ...]`: compute Insights' snapshots now (every
chart, or those named), whatever their age. The job "insights" of `run_jobs` does the same when
they are due."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from insights import charts, compute


class Command(BaseCommand):
    help = "Compute Insights' figures now (every chart, or those named with --kind)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", default=[], help="a chart's kind")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = options["kind"] or None
        known = {c.kind for c in charts.registered()}
        unknown = set(kinds or ()) - known
        if unknown:
            raise CommandError(f"No such chart: {', '.join(sorted(unknown))}")
        done = compute.compute(timezone.now(), kinds)
        self.stdout.write(
            f"insights: {done.snapshots} snapshots of {done.scopes} scopes ({done.removed} removed)"
        )
