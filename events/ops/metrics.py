"""Prometheus metrics: requests (per process), and the record's state read
from the database and the broker at scrape time (the same for every process)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from events.models import Event, Feed, FeedItem, FetchLog

REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "tracker_http_requests_total",
    "HTTP requests served by this process.",
    ["method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "tracker_http_request_seconds",
    "Time to serve a request in this process.",
    registry=REGISTRY,
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


class RecordCollector(Collector):
    """Gauges computed from the database and the broker at each scrape."""

    def collect(self) -> Iterator[Metric]:
        events = GaugeMetricFamily(
            "tracker_events", "Events by status.", labels=["status"]
        )
        for row in Event.objects.values("status").annotate(n=Count("id")):
            events.add_metric([row["status"]], row["n"])
        yield events
        fetches = GaugeMetricFamily(
            "tracker_feed_fetches",
            "Fetches per feed and outcome (fetch log).",
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
        items = GaugeMetricFamily(
            "tracker_feed_items", "Feed items by outcome.", labels=["outcome"]
        )
        for row in FeedItem.objects.values("outcome").annotate(n=Count("id")):
            items.add_metric([row["outcome"]], row["n"])
        yield items
        queue = GaugeMetricFamily(
            "tracker_queue_length", "Tasks waiting in the broker.", labels=["queue"]
        )
        for name, length in _queue_lengths().items():
            queue.add_metric([name], length)
        yield queue


REGISTRY.register(RecordCollector())
