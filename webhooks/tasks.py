"""Background tasks of webhooks (django-tasks; the tests run them at once): recording an event's
deliveries, and sending one delivery (its retries are the `webhook-deliveries` job's)."""

from __future__ import annotations

from django_tasks import task


@task()
def record_event(kind: str, ids: list[int]) -> int:
    from webhooks import dispatch

    return len(dispatch.record_event(kind, ids))


@task()
def send_delivery(delivery_id: int) -> str | None:
    from webhooks import sending

    done = sending.attempt(delivery_id)
    return None if done is None else done.status
