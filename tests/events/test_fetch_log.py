"""Pruning the fetch log: the service, the daily task and its schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from events.models import Feed, FetchLog
from events.services.fetch_log import fetch_logs_prune
from events.tasks import prune_fetch_logs
from tracker.celery import app

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def feed_with_fetches(name: str, *days_ago: float) -> Feed:
    """A feed with one fetch log row started each of `days_ago` before NOW."""
    feed = Feed.objects.create(name=name, url=f"https://example.org/{name}")
    for days in days_ago:
        started = NOW - dt.timedelta(days=days)
        FetchLog.objects.create(feed=feed, started_at=started, outcome="ok")
    return feed


def ages(feed: Feed) -> list[float]:
    """The age in days of the feed's remaining rows, newest first."""
    rows = FetchLog.objects.filter(feed=feed).order_by("-started_at")
    return [(NOW - row.started_at) / dt.timedelta(days=1) for row in rows]


def test_rows_older_than_the_kept_days_are_deleted():
    feed = feed_with_fetches("busy", 1, 2, 29, 31, 40, 100)

    deleted = fetch_logs_prune(now=NOW, keep_days=30, keep_per_feed=2)

    assert deleted == 3
    assert ages(feed) == [1, 2, 29]


def test_each_feed_keeps_its_newest_rows_however_old():
    stopped = feed_with_fetches("stopped", 200, 300, 400, 500)

    fetch_logs_prune(now=NOW, keep_days=30, keep_per_feed=3)

    assert ages(stopped) == [200, 300, 400]


def test_one_feeds_recent_rows_do_not_protect_anothers_old_ones():
    busy = feed_with_fetches("busy", 1, 2, 3)
    quiet = feed_with_fetches("quiet", 50, 60, 70)

    fetch_logs_prune(now=NOW, keep_days=30, keep_per_feed=1)

    assert ages(busy) == [1, 2, 3]
    assert ages(quiet) == [50]


def test_a_second_prune_deletes_nothing_more():
    feed = feed_with_fetches("busy", 1, 40, 50, 60)
    fetch_logs_prune(now=NOW, keep_days=30, keep_per_feed=1)

    assert fetch_logs_prune(now=NOW, keep_days=30, keep_per_feed=1) == 0
    assert ages(feed) == [1]


def test_a_negative_number_to_keep_is_refused():
    feed = feed_with_fetches("busy", 40)

    with pytest.raises(ValueError, match="negative"):
        fetch_logs_prune(now=NOW, keep_days=-1, keep_per_feed=1)

    assert ages(feed) == [40]


def test_the_task_prunes_with_the_configured_days_and_rows(settings):
    settings.FETCH_LOG_KEEP_DAYS = 30
    settings.FETCH_LOG_KEEP_PER_FEED = 1
    now = timezone.now()
    feed = Feed.objects.create(name="task", url="https://example.org/task")
    for days in (1, 45, 46):
        started = now - dt.timedelta(days=days)
        FetchLog.objects.create(feed=feed, started_at=started, outcome="ok")

    assert prune_fetch_logs() == 2
    assert FetchLog.objects.filter(feed=feed).count() == 1


def test_beat_runs_the_prune_once_a_day():
    entry = settings.CELERY_BEAT_SCHEDULE["prune-fetch-logs"]
    schedule = entry["schedule"]

    assert entry["task"] in app.tasks
    assert (len(schedule.hour), len(schedule.minute)) == (1, 1)
    assert (len(schedule.day_of_week), len(schedule.day_of_month)) == (7, 31)
