"""A worker killed with SIGKILL half-way through processing a feed's items
(the fetch case is in tests/events/ingest/test_worker_pipeline.py): after a
restart, every item is present exactly once, none is left pending, and no
draft or source is recorded twice."""

from __future__ import annotations

from contextlib import closing

import pytest

from tests.faults.feeds import many_items
from tests.faults.record import (
    create_feed,
    drafts_match_items,
    duplicates,
    fetches,
    process_half_way,
    progress,
    store_items,
)
from tests.faults.stack import celery_client
from tests.httpserver import Route, http_server
from tests.worker import celery_worker, wait_for

pytestmark = pytest.mark.faults


def test_a_worker_killed_mid_processing_loses_and_duplicates_nothing(
    env, database, broker, tmp_path
):
    body, total = many_items("rss2-guardian-facebook-2017.xml", copies=15)
    log = tmp_path / "worker.log"
    with http_server() as server, celery_client(broker.url) as app:
        server.routes["/many"] = Route(body=body, content_type="application/rss+xml")
        feed_id = create_feed(env, server.url("/many"))
        store_items(env, feed_id)
        with (
            closing(database.cluster.connect(database.name)) as held,
            celery_worker(log, queue="celery", env=env) as worker,
        ):
            process_half_way(app, database, feed_id, held=held, log_path=log)
            worker.kill()
        # The lock is released; the killed worker's transaction rolls back.
        with celery_worker(log, queue="celery", env=env):
            app.send_task("events.process_feed_items", args=[feed_id])
            wait_for(
                lambda: progress(database, feed_id) == (total, 0),
                seconds=45,
                log_path=log,
            )
            app.send_task("events.fetch_feed", args=[feed_id])
            wait_for(lambda: fetches(database, feed_id) == 2, seconds=30, log_path=log)
    assert progress(database, feed_id) == (total, 0)
    assert duplicates(database) == []
    assert drafts_match_items(database)
