"""Pruning the fetch log: old rows go, what the feed pages show stays."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from events.models import Feed, FetchLog


def fetch_logs_prune(
    *,
    now: dt.datetime | None = None,
    keep_days: int | None = None,
    keep_per_feed: int | None = None,
) -> int:
    """Delete the fetch log rows started more than `keep_days` days before
    `now` (default FETCH_LOG_KEEP_DAYS), except each feed's newest
    `keep_per_feed` rows (default FETCH_LOG_KEEP_PER_FEED), which the feed's
    admin page lists whatever their age: a feed fetched rarely, or stopped,
    keeps its last fetches and errors. Returns how many rows were deleted.

    One feed at a time, each in its own short statement, so a first prune of
    a long log never holds one huge transaction; running it again deletes
    nothing more."""
    now = now or timezone.now()
    days = settings.FETCH_LOG_KEEP_DAYS if keep_days is None else keep_days
    per_feed = (
        settings.FETCH_LOG_KEEP_PER_FEED if keep_per_feed is None else keep_per_feed
    )
    if days < 0 or per_feed < 0:
        raise ValueError("keep_days and keep_per_feed must not be negative")
    cutoff = now - dt.timedelta(days=days)
    deleted = 0
    for feed_id in Feed.objects.values_list("id", flat=True).order_by("id"):
        rows = FetchLog.objects.filter(feed_id=feed_id)
        # fetchlog_feed_started serves both: the newest rows, the old ones.
        newest = list(
            rows.order_by("-started_at", "-id").values_list("id", flat=True)[:per_feed]
        )
        old = rows.filter(started_at__lt=cutoff).exclude(id__in=newest)
        deleted += old.delete()[0]
    return deleted
