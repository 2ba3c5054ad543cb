"""Prometheus metrics: requests (counted by each web process, summed across
gunicorn's workers in multiprocess mode), and the record's state read from the
database and the broker at scrape time (the same for every process).

Two views: the full one for holders of METRICS_TOKEN, and a public one that
shows only what the public site shows anyway (published events) and request
rates: never drafts, events in review, feed names or the ingestion's state.

Multiprocess mode is on when PROMETHEUS_MULTIPROC_DIR is in the environment
before prometheus_client is imported (gunicorn.conf.py sees to it): each
process writes its counts to files there, and a scrape reads all of them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from events.choices import Status
from events.models import Event, Feed, FeedItem, FetchLog

# Read as prometheus_client reads it (at import): where the counts live.
MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR" in os.environ

REQUEST_REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "tracker_http_requests_total",
    "HTTP requests served (all web processes).",
    ["method", "status"],
    registry=REQUEST_REGISTRY,
)
LATENCY = Histogram(
    "tracker_http_request_seconds",
    "Time to serve a request (all web processes).",
    registry=REQUEST_REGISTRY,
)


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        LATENCY.observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, str(response.status_code)).inc()
        return response


def _queue_lengths() -> dict[str, int]:
    queues = {
        settings.CELERY_TASK_DEFAULT_QUEUE,
        *(route["queue"] for route in settings.CELERY_TASK_ROUTES.values()),
    }
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
        try:
            return {q: int(client.llen(q)) for q in sorted(queues)}
        except redis.RedisError:
            return {}
    folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    files = list(folder.glob("*.msg")) if folder.is_dir() else []
    return {"all": len(files)}


class PublicRecordCollector(Collector):
    """What anyone may see: the number of published events."""

    def collect(self) -> Iterator[Metric]:
        events = GaugeMetricFamily(
            "tracker_events", "Events by status.", labels=["status"]
        )
        published = Event.objects.filter(status=Status.PUBLISHED).count()
        events.add_metric([Status.PUBLISHED.value], published)
        yield events


class RecordCollector(Collector):
    """Gauges computed from the database and the broker at each scrape: every
    status, the feeds (by name) and the queues. For METRICS_TOKEN holders."""

    def collect(self) -> Iterator[Metric]:
        events = GaugeMetricFamily(
            "tracker_events", "Events by status.", labels=["status"]
        )
        for row in Event.objects.values("status").annotate(n=Count("id")):
            events.add_metric([row["status"]], row["n"])
        yield events
        yield from self._feeds()
        queue = GaugeMetricFamily(
            "tracker_queue_length", "Tasks waiting in the broker.", labels=["queue"]
        )
        for name, length in _queue_lengths().items():
            queue.add_metric([name], length)
        yield queue

    def _feeds(self) -> Iterator[Metric]:
        fetches = GaugeMetricFamily(
            "tracker_feed_fetches",
            "Fetches per feed and outcome in the fetch log (FETCH_LOG_KEEP_DAYS).",
            labels=["feed", "outcome"],
        )
        for row in FetchLog.objects.values("feed__name", "outcome").annotate(
            n=Count("id")
        ):
            fetches.add_metric([row["feed__name"], row["outcome"]], row["n"])
        yield fetches
        failing = GaugeMetricFamily(
            "tracker_feed_consecutive_failures",
            "Consecutive failed fetches per feed.",
            labels=["feed"],
        )
        for name, failures in Feed.objects.values_list("name", "consecutive_failures"):
            failing.add_metric([name], failures)
        yield failing
        unhealthy = GaugeMetricFamily(
            "tracker_feed_unhealthy",
            "1 for a feed the admin shows as unhealthy (failing, refused, or "
            "yielding no items), else 0.",
            labels=["feed"],
        )
        sick = set(Feed.objects.unhealthy().values_list("pk", flat=True))
        for pk, name in Feed.objects.values_list("pk", "name"):
            unhealthy.add_metric([name], 1 if pk in sick else 0)
        yield unhealthy
        items = GaugeMetricFamily(
            "tracker_feed_items", "Feed items by outcome.", labels=["outcome"]
        )
        for row in FeedItem.objects.values("outcome").annotate(n=Count("id")):
            items.add_metric([row["outcome"]], row["n"])
        yield items


def exposition(*, full: bool) -> bytes:
    """The metrics in Prometheus' text format: request counts of every web
    process (of this one alone outside multiprocess mode), and the record's
    state, all of it when `full`, else only its public part."""
    registry = CollectorRegistry(auto_describe=False)
    if MULTIPROCESS:
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_REGISTRY)
    registry.register(RecordCollector() if full else PublicRecordCollector())
    return generate_latest(registry)
