"""The Celery beat schedule, in code. django-celery-beat's scheduler installs
it in the database at start-up (idempotently), where the admin shows it."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "worker-heartbeat": {"task": "events.heartbeat", "schedule": 60.0},
    "dispatch-due-feeds": {"task": "events.dispatch_due_feeds", "schedule": 60.0},
    "dispatch-unsent-releases": {
        "task": "events.dispatch_unsent_releases",
        "schedule": 300.0,
    },
    # Daily, at a quiet hour (UTC).
    "prune-fetch-logs": {
        "task": "events.prune_fetch_logs",
        "schedule": crontab(hour=3, minute=17),
    },
}
