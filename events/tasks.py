"""Celery tasks: thin wrappers that take ids and call services."""

from __future__ import annotations

from celery import Task, shared_task
from django.db import transaction
from django.utils import timezone

from events.models import Feed, Heartbeat
from events.services.feeds import (
    FeedFetchFailed,
    feed_fetch,
    feed_items_process,
    feeds_claim_due,
)


@shared_task(name="events.heartbeat")
def heartbeat(name: str = "worker") -> str:
    """Record that a worker ran a task just now (beat sends this every minute;
    /healthz reads it). Idempotent: it only moves a timestamp."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": now})
    return now.isoformat()


@shared_task(name="events.dispatch_due_feeds")
def dispatch_due_feeds() -> list[int]:
    """Beat runs this every minute: claim due feeds and enqueue one fetch each
    (after the claim commits)."""
    with transaction.atomic():
        claimed = feeds_claim_due()
        for feed_id in claimed:
            fetch_feed.delay_on_commit(feed_id)
    return claimed


def _retry_delay(retries: int, retry_after: float | None) -> float:
    base = 30 * 2**retries  # 30 s, 60 s, 120 s
    return min(max(base, retry_after or 0), 3600)


@shared_task(
    name="events.fetch_feed",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
)
def fetch_feed(self: Task, feed_id: int) -> dict[str, object]:
    """Fetch one feed and store its new items; then process them. Idempotent:
    items are unique per feed, so a repeated run stores nothing twice."""
    try:
        log = feed_fetch(feed_id=feed_id)
    except Feed.DoesNotExist:
        return {"feed": feed_id, "outcome": "feed deleted"}
    except FeedFetchFailed as exc:
        if exc.transient:
            countdown = _retry_delay(self.request.retries, exc.retry_after)
            raise self.retry(exc=exc, countdown=countdown) from exc
        return {"feed": feed_id, "outcome": "failed", "error": str(exc)}
    process_feed_items.delay(feed_id)
    return {"feed": feed_id, "outcome": log.outcome, "new": log.items_new}


@shared_task(
    name="events.process_feed_items",
    acks_late=True,
    reject_on_worker_lost=True,
)
def process_feed_items(feed_id: int) -> dict[str, int]:
    """Turn a feed's pending items into drafts or sources. Idempotent: each
    item is processed once, in a transaction that locks it."""
    try:
        return feed_items_process(feed_id=feed_id)
    except Feed.DoesNotExist:
        return {}
