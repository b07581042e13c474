"""Background tasks of Insights (django-tasks: `manage.py db_worker` runs them in production;
the tests run them at once): computing the snapshots on demand, for HR."""

from __future__ import annotations

from django_tasks import task


@task()
def compute_now() -> int:
    """Compute every chart's snapshots now (`insights.compute`); the number written."""
    from django.utils import timezone

    from insights import compute

    return compute.compute(timezone.now()).snapshots
