"""PostgreSQL restarted in the middle of an import: the worker's tasks retry
on the named transient database errors and the import ends complete, every
item stored and processed exactly once; the web tier, never restarted,
serves again (its persistent connections are health-checked)."""

from __future__ import annotations

import threading
from contextlib import closing

import pytest

from tests.faults.feeds import many_items
from tests.faults.record import (
    create_feed,
    drafts_match_items,
    duplicates,
    process_half_way,
    progress,
    store_items,
)
from tests.faults.stack import celery_client, gunicorn
from tests.httpserver import Route, http_server
from tests.worker import celery_worker, wait_for

pytestmark = pytest.mark.faults


def retried(log, task: str) -> bool:
    """The worker's log shows `task` retried (Celery logs the retry after the
    task's name)."""
    return any(
        task in line and "retry: Retry in" in line
        for line in log.read_text().splitlines()
    )


def test_processing_survives_a_postgresql_restart(env, database, broker, tmp_path):
    body, total = many_items("rss2-guardian-facebook-2017.xml", copies=15)
    log = tmp_path / "worker.log"
    with http_server() as server, gunicorn(env, tmp_path / "web.log") as web:
        server.routes["/many"] = Route(body=body, content_type="application/rss+xml")
        feed_id = create_feed(env, server.url("/many"))
        store_items(env, feed_id)
        with (
            closing(database.cluster.connect(database.name)) as held,
            celery_worker(log, queue="celery", env=env),
            celery_client(broker.url) as app,
        ):
            process_half_way(app, database, feed_id, held=held, log_path=log)
            database.cluster.restart()
            for _ in range(
                4
            ):  # whichever worker answers, its connection predates the restart
                assert web.status("/livez") == 200
                assert web.status("/admin/login/") == 200
            wait_for(
                lambda: progress(database, feed_id) == (total, 0),
                seconds=45,
                log_path=log,
            )
    assert retried(log, "events.process_feed_items")
    assert duplicates(database) == []
    assert drafts_match_items(database)


def test_a_fetch_survives_a_postgresql_restart(env, database, broker, tmp_path):
    body, total = many_items("rss2-nytimes-technology-2017.xml", copies=1)
    log = tmp_path / "worker.log"
    in_flight, release = threading.Event(), threading.Event()

    def stall_then_serve(handler):
        in_flight.set()
        release.wait(timeout=30)
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    with http_server() as server:
        server.routes["/slow"] = Route(handler=stall_then_serve)
        feed_id = create_feed(env, server.url("/slow"))
        with (
            celery_worker(log, queue="celery", env=env),
            celery_client(broker.url) as app,
        ):
            app.send_task("events.fetch_feed", args=[feed_id])
            assert in_flight.wait(timeout=30), log.read_text()
            database.cluster.restart()
            release.set()
            wait_for(
                lambda: progress(database, feed_id) == (total, 0),
                seconds=45,
                log_path=log,
            )
    assert retried(log, "events.fetch_feed")
    assert duplicates(database) == []
