"""The background work of bulletins, run by ``manage.py db_worker`` (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from stepchange.bulletins import delivery


@task()
def send_bulletin(bulletin_id: int) -> dict[str, int]:
    """Send a bulletin's messages waiting. Safe to run twice or after a stop: a message is only
    ever taken once (stepchange/bulletins/delivery.py)."""
    run = delivery.send_waiting(bulletin_id=bulletin_id)
    return {
        "sent": len(run.sent),
        "skipped": len(run.skipped),
        "retry": len(run.retry),
        "failed": len(run.failed),
        "uncertain": len(run.uncertain),
    }
