"""The demo organisation's skills heatmap: counted once the assessments exist (growth's demo
runs before, in INSTALLED_APPS order), so that the organisation heatmap has figures at once,
as the background job would count them."""

from __future__ import annotations

from django.utils import timezone

from people.demo import DemoOrg, flush_step, history_builder
from talent import skills
from talent.models import SkillRun


@history_builder
def skills_heatmap(org: DemoOrg) -> None:
    run = skills.count(timezone.now(), force=True)
    org.counts["skill groups"] = run.groups.count() if run is not None else 0


@flush_step
def delete_skill_counts() -> None:
    """Runs hold on to their framework version and groups to their teams (flushed next)."""
    SkillRun.objects.all().delete()
