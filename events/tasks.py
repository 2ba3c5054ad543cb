"""Celery tasks: thin wrappers that take ids and call services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from events.models import Heartbeat


@shared_task(name="events.heartbeat")
def heartbeat(name: str = "worker") -> str:
    """Record that a worker ran a task just now (beat sends this every minute;
    /healthz reads it). Idempotent: it only moves a timestamp."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": now})
    return now.isoformat()
