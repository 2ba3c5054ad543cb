"""Beat stopped: /healthz reports it stale; a restarted beat (django-celery-
beat's DatabaseScheduler) runs the entries it missed at once, so due feeds
are fetched and /healthz is healthy again."""

from __future__ import annotations

import pytest

from tests.events.ingest.corpus import feed
from tests.faults.record import create_feed, progress
from tests.faults.stack import celery_beat, gunicorn
from tests.httpserver import Route, http_server
from tests.worker import celery_worker, wait_for

pytestmark = pytest.mark.faults

ENTRIES = "SELECT count(*) FROM django_celery_beat_periodictask WHERE name = ANY(%s)"
NAMES = ["worker-heartbeat", "dispatch-due-feeds"]


def stopped_minutes_ago(database, minutes: int) -> None:
    """What a beat stopped `minutes` ago leaves: its heartbeat and its
    entries' last runs that old (the worker's heartbeat is fresh)."""
    database.rows(
        "UPDATE django_celery_beat_periodictask "
        "SET last_run_at = now() - make_interval(mins => %s)",
        minutes,
    )
    database.rows("DELETE FROM events_heartbeat")
    database.rows(
        "INSERT INTO events_heartbeat (name, seen_at) VALUES "
        "('beat', now() - make_interval(mins => %s)), ('worker', now())",
        minutes,
    )


def test_a_restarted_beat_catches_up_on_due_feeds(env, database, broker, tmp_path):
    log = tmp_path / "worker.log"
    beat_log = tmp_path / "beat.log"
    with (
        http_server() as server,
        gunicorn(env, tmp_path / "web.log") as web,
        celery_worker(log, queue="celery", env=env),
    ):
        server.routes["/nyt"] = Route(
            body=feed("rss2-nytimes-technology-2017.xml"),
            content_type="application/rss+xml",
        )
        with celery_beat(env, beat_log):  # installs the schedule in the database
            wait_for(
                lambda: database.scalar(ENTRIES, NAMES) == 2,
                seconds=30,
                log_path=beat_log,
            )
        stopped_minutes_ago(database, 5)
        health = web.get("/healthz")
        assert health.status_code == 503
        assert health.json()["failed"] == ["beat"]

        feed_id = create_feed(env, server.url("/nyt"))
        database.rows("UPDATE events_feed SET next_due_at = now() - interval '1 min'")
        with celery_beat(env, beat_log):
            wait_for(
                lambda: progress(database, feed_id) == (38, 0),
                seconds=30,
                log_path=log,
            )
            wait_for(
                lambda: web.get("/healthz").status_code == 200,
                seconds=20,
                log_path=beat_log,
            )
