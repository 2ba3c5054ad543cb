"""End to end with a real Celery worker on the configured broker: the beat
dispatcher claims due feeds served by a local HTTP server, the worker fetches
and processes them; a second run changes nothing; a worker killed mid-fetch
loses no item and duplicates none."""

from __future__ import annotations

import threading

import pytest
from django.db.models import Count

from events.choices import ItemOutcome
from events.models import Event, Feed, FeedItem, FetchLog, Source
from events.tasks import dispatch_due_feeds, fetch_feed
from tests.events.ingest.corpus import dataset, feed
from tests.events.ingest.test_pipeline import TELEGRAM_STORY, WEATHER, json_feed
from tests.httpserver import Route, http_server
from tests.worker import celery_worker, wait_for

pytestmark = [
    pytest.mark.worker,
    # Transactional tests flush the seeded gazetteer; these need it (Telegram…).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_gazetteer"),
]
WORKER_ENV = {"FEED_FETCH_ALLOWED_HOSTS": "127.0.0.1"}


def settled(feeds: list[Feed], fetches: int) -> bool:
    """Every feed fetched `fetches` times and none of its items pending."""
    logs = (
        FetchLog.objects.filter(feed__in=feeds).values("feed").annotate(n=Count("id"))
    )
    done = {row["feed"]: row["n"] for row in logs}
    pending = FeedItem.objects.filter(feed__in=feeds, outcome=ItemOutcome.PENDING)
    return all(done.get(f.pk, 0) >= fetches for f in feeds) and not pending.exists()


def snapshot() -> tuple[int, int, int]:
    return Event.objects.count(), Source.objects.count(), FeedItem.objects.count()


@pytest.fixture
def server():
    with http_server() as srv:
        yield srv


def test_beat_dispatch_and_worker_fill_the_review_queue(server, tmp_path):
    routes = {
        "/guardian": Route(body=feed("rss2-guardian-facebook-2017.xml")),
        "/ooni": Route(
            body=dataset("ooni-webconnectivity-IR-facebook-dns-2022-08-15.json")
        ),
        "/news": Route(body=json_feed(TELEGRAM_STORY, WEATHER), etag='"n1"'),
    }
    server.routes.update(routes)
    feeds = [Feed.objects.create(name=p, url=server.url(p)) for p in routes]
    log = tmp_path / "worker.log"
    with celery_worker(log, env=WORKER_ENV) as worker:
        dispatch_due_feeds.apply_async(queue=worker.queue)
        wait_for(lambda: settled(feeds, 1), seconds=120, log_path=log)
        first = snapshot()
        assert first[2] == 20 + 1 + 2
        assert Event.objects.filter(platform__slug="telegram", country="RU").exists()
        assert Event.objects.filter(platform__slug="facebook", country="IR").exists()
        assert FetchLog.objects.filter(outcome="ok").count() == 3

        Feed.objects.update(next_due_at=None)
        dispatch_due_feeds.apply_async(queue=worker.queue)
        wait_for(lambda: settled(feeds, 2), seconds=120, log_path=log)
    assert snapshot() == first
    assert (
        FetchLog.objects.filter(feed__url__endswith="/news")
        .latest("started_at")
        .outcome
        == "not_modified"
    )


def test_a_worker_killed_mid_fetch_loses_and_duplicates_nothing(server, tmp_path):
    body = feed("rss2-guardian-facebook-2017.xml")
    in_flight = threading.Event()
    release = threading.Event()

    def stall_then_serve(handler):
        in_flight.set()
        release.wait(timeout=60)  # hold the response until the worker is dead
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    server.routes["/slow"] = Route(handler=stall_then_serve)
    slow = Feed.objects.create(name="slow", url=server.url("/slow"))
    log = tmp_path / "worker.log"
    with celery_worker(log, env=WORKER_ENV) as worker:
        fetch_feed.apply_async(args=[slow.pk], queue=worker.queue)
        assert in_flight.wait(timeout=90), log.read_text()
        worker.kill()
    release.set()
    server.routes["/slow"] = Route(body=body, content_type="application/rss+xml")
    with celery_worker(log, env=WORKER_ENV) as worker:
        fetch_feed.apply_async(args=[slow.pk], queue=worker.queue)
        wait_for(lambda: settled([slow], 1), seconds=120, log_path=log)
        fetch_feed.apply_async(args=[slow.pk], queue=worker.queue)
        wait_for(lambda: settled([slow], 2), seconds=120, log_path=log)
    guids = list(FeedItem.objects.filter(feed=slow).values_list("guid", flat=True))
    assert len(guids) == 20
    assert len(set(guids)) == 20
