"""Celery tasks: thin wrappers that take ids and call services."""

from __future__ import annotations

import datetime as dt

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from events.models import Feed, Heartbeat, Release
from events.selectors.releases import releases_unsent
from events.services.feeds import (
    FeedFetchFailed,
    feed_fetch,
    feed_items_process,
    feeds_claim_due,
    feeds_mark_due,
)
from events.services.fetch_log import fetch_logs_prune
from events.services.notice_curation import notices_rematch
from events.services.queue import enqueue
from events.services.releases import release_build

# A database that is restarting or briefly unreachable: the task is retried
# (every write it makes is idempotent), with backoff, a bounded number of times.
DB_TRANSIENT_ERRORS = (OperationalError, InterfaceError)
DB_MAX_RETRIES = 6


@shared_task(name="events.heartbeat")
def heartbeat(name: str = "worker") -> str:
    """Record that a worker ran a task just now (beat sends this every minute;
    /healthz reads it). Idempotent: it only moves a timestamp."""
    now = timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": now})
    return now.isoformat()


@shared_task(name="events.dispatch_due_feeds")
def dispatch_due_feeds() -> list[int]:
    """Beat runs this every minute: claim due feeds (each claim commits at
    once) and enqueue one fetch each. A feed whose fetch cannot be sent is
    made due again, so the next run sends it instead of a whole interval
    later. Returns the ids whose fetch was sent."""
    claimed = feeds_claim_due()
    unsent = enqueue_fetches(claimed)
    return [feed_id for feed_id in claimed if feed_id not in unsent]


def enqueue_fetches(feed_ids: list[int]) -> list[int]:
    """Enqueue a fetch of each feed. The feeds whose fetch could not be sent
    (the broker is unreachable; after one failure the rest are not tried) are
    made due now, for the next dispatch to send, and returned."""
    unsent: list[int] = []
    for feed_id in feed_ids:
        if unsent or not enqueue(fetch_feed, feed_id):
            unsent.append(feed_id)
    if unsent:
        feeds_mark_due(feed_ids=unsent)
    return unsent


def _retry_delay(retries: int, retry_after: float | None) -> float:
    base = 30 * 2**retries  # 30 s, 60 s, 120 s
    return min(max(base, retry_after or 0), 3600)


def _retry_on_database_error(task: Task, exc: Exception) -> Exception:
    """The retry of a task that met a transient database error: 1 s, 2 s, 4 s…
    up to 30 s, DB_MAX_RETRIES times (then the error is raised)."""
    countdown = min(2**task.request.retries, 30)
    return task.retry(exc=exc, countdown=countdown, max_retries=DB_MAX_RETRIES)


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
    except DB_TRANSIENT_ERRORS as exc:
        raise _retry_on_database_error(self, exc) from exc
    # Unsent (broker unreachable), the items stay pending until the next fetch.
    enqueue(process_feed_items, feed_id)
    return {"feed": feed_id, "outcome": log.outcome, "new": log.items_new}


@shared_task(
    name="events.process_feed_items",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def process_feed_items(self: Task, feed_id: int) -> dict[str, int]:
    """Turn a feed's pending items into drafts or sources. Idempotent: each
    item is processed once, in a transaction that locks it, so a retry after
    a database error goes on with the items still pending."""
    try:
        return feed_items_process(feed_id=feed_id)
    except Feed.DoesNotExist:
        return {}
    except DB_TRANSIENT_ERRORS as exc:
        raise _retry_on_database_error(self, exc) from exc


# A release of a million events writes 1.8 GB in about 80 s (2 cores, measured);
# a larger record or a slower disk must not meet the global limits.
RELEASE_SOFT_TIME_LIMIT = 3600
RELEASE_TIME_LIMIT = RELEASE_SOFT_TIME_LIMIT + 300


@shared_task(
    name="events.cut_release",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=RELEASE_SOFT_TIME_LIMIT,
    time_limit=RELEASE_TIME_LIMIT,
)
def cut_release(self: Task, release_id: int) -> dict[str, object]:
    """Build the files of a pending release. Idempotent: a ready or failed
    release is left alone, and files move into place with the row turning
    ready, once."""
    try:
        release = release_build(release_id=release_id)
    except Release.DoesNotExist:
        return {"release": release_id, "outcome": "release deleted"}
    except DB_TRANSIENT_ERRORS as exc:
        raise _retry_on_database_error(self, exc) from exc
    return {"release": release_id, "number": release.number, "state": release.state}


@shared_task(name="events.dispatch_unsent_releases")
def dispatch_unsent_releases() -> list[int]:
    """Beat runs this every few minutes: send again the build of a release
    that was cut while the broker was down, or whose worker was lost (after
    the build's time limit). Returns the ids sent."""
    stale = releases_unsent(
        pending_for=dt.timedelta(minutes=2),
        building_for=dt.timedelta(seconds=RELEASE_TIME_LIMIT + 600),
    )
    sent: list[int] = []
    for release_id in stale:
        if not enqueue(cut_release, release_id):
            break
        sent.append(release_id)
    return sent


# A million events with notice text are matched in some minutes.
REMATCH_SOFT_TIME_LIMIT = 3600


@shared_task(
    name="events.rematch_notices",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=REMATCH_SOFT_TIME_LIMIT,
    time_limit=REMATCH_SOFT_TIME_LIMIT + 300,
)
def rematch_notices(self: Task) -> int:
    """Match every event against the notice registry as it is now (after
    curators changed it). Idempotent: a second run finds nothing to change.
    Returns how many events changed their notice."""
    try:
        return notices_rematch()
    except DB_TRANSIENT_ERRORS as exc:
        raise _retry_on_database_error(self, exc) from exc


@shared_task(name="events.prune_fetch_logs")
def prune_fetch_logs() -> int:
    """Beat runs this daily: delete fetch log rows older than
    FETCH_LOG_KEEP_DAYS, keeping each feed's newest. Idempotent. Returns how
    many rows were deleted."""
    return fetch_logs_prune()
