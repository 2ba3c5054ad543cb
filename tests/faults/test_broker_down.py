"""Redis stopped: the site, the admin (publishing included) and the health
endpoints keep working, since nothing a request commits depends on the broker;
a fetch asked for meanwhile is left in the database and done by the beat
dispatcher once Redis is back."""

from __future__ import annotations

import json
import time

import pytest

from tests.events.ingest.corpus import feed
from tests.faults.record import fetches, progress
from tests.faults.stack import (
    admin_action,
    admin_login,
    celery_client,
    gunicorn,
    shell,
)
from tests.httpserver import Route, http_server
from tests.worker import celery_worker, wait_for

pytestmark = pytest.mark.faults

SETUP = """
import datetime as dt, json
from django.utils import timezone
from events.models import Feed
from tests.factories import EventFactory, SourceFactory, UserFactory
UserFactory(username="editor", groups=["Editors"])
event = EventFactory(target="Fault-tolerance target")
SourceFactory(event=event)
later = timezone.now() + dt.timedelta(days=1)
feed = Feed.objects.create(name="NYT", url="{url}", next_due_at=later)
print(json.dumps({{"event": event.pk, "public_id": str(event.public_id),
                  "feed": feed.pk}}))
"""


@pytest.fixture
def server():
    with http_server() as srv:
        srv.routes["/nyt"] = Route(
            body=feed("rss2-nytimes-technology-2017.xml"),
            content_type="application/rss+xml",
        )
        yield srv


def record(env, server) -> dict:
    return json.loads(shell(env, SETUP.format(url=server.url("/nyt"))))


def test_the_site_works_while_redis_is_down(env, broker, database, server, tmp_path):
    ids = record(env, server)
    broker.stop()
    with gunicorn(env, tmp_path / "web.log") as web:
        editor = admin_login(web, "editor", "correct-horse-9")
        queue = editor.get(web.url("/admin/events/event/"), timeout=10)
        assert "Fault-tolerance target" in queue.text

        published = admin_action(
            editor, web, "event", "publish_selected", [ids["event"]], queue.text
        )
        assert "Published 1 event." in published.text
        assert web.status(f"/events/{ids['public_id']}/") == 200
        assert web.status("/") == 200
        api = web.get("/api/v1/events/")
        assert api.status_code == 200
        assert ids["public_id"] in api.text
        assert web.status("/livez") == 200
        health = editor.get(web.url("/healthz"), timeout=10)
        assert health.status_code == 503
        assert "broker" in health.json()["failed"]

        started = time.monotonic()
        fetch = admin_action(editor, web, "feed", "fetch_now", [ids["feed"]])
        assert time.monotonic() - started < 10
        assert "The task queue is unreachable" in fetch.text
    assert (
        database.scalar("SELECT status FROM events_event WHERE id = %s", ids["event"])
        == "published"
    )


def test_a_fetch_asked_for_while_redis_is_down_is_done_when_it_is_back(
    env, broker, database, server, tmp_path
):
    ids = record(env, server)
    broker.stop()
    with gunicorn(env, tmp_path / "web.log") as web:
        editor = admin_login(web, "editor", "correct-horse-9")
        admin_action(editor, web, "feed", "fetch_now", [ids["feed"]])
        assert progress(database, ids["feed"]) == (0, 0)

        broker.start()
        log = tmp_path / "worker.log"
        with (
            celery_worker(log, queue="celery", env=env),
            celery_client(broker.url) as app,
        ):
            app.send_task("events.dispatch_due_feeds")
            wait_for(
                lambda: progress(database, ids["feed"]) == (38, 0),
                seconds=45,
                log_path=log,
            )
            again = admin_action(editor, web, "feed", "fetch_now", [ids["feed"]])
            assert "Queued a fetch of 1 feed(s)." in again.text
            wait_for(
                lambda: fetches(database, ids["feed"]) == 2, seconds=30, log_path=log
            )
    assert progress(database, ids["feed"]) == (38, 0)
