"""Background task of the export of a person's data (`trust.services_export.build`)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_export(export_id: int) -> bool:
    from trust.services_export import build

    return build(export_id)
