"""Request ids, JSON logs and Prometheus metrics."""

import json
import logging

import pytest
from django.utils import timezone

from events.models import Feed, FetchLog
from events.ops.logging import JsonFormatter, RequestIdFilter, request_id
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_responses_carry_a_request_id(client):
    response = client.get("/livez")
    assert len(response["X-Request-ID"]) == 32


def test_a_sane_request_id_from_the_proxy_is_kept(client):
    response = client.get("/livez", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"


def test_an_insane_request_id_is_replaced(client):
    response = client.get("/livez", HTTP_X_REQUEST_ID="<script>" * 20)
    assert response["X-Request-ID"] != "<script>" * 20


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord(
        "events", logging.WARNING, __file__, 1, "hé %s", ("x",), None
    )
    token = request_id.set("rid-1")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hé x"
    assert (line["level"], line["request_id"]) == ("WARNING", "rid-1")


TOKEN = "s3cret-metrics-token-for-tests"


@pytest.fixture
def record(db):
    """Events in two statuses and a feed whose name only curators may see."""
    EventFactory(status="published")
    EventFactory(status="draft")
    feed = Feed.objects.create(name="secret-source", url="https://example.org/f")
    FetchLog.objects.create(feed=feed, started_at=timezone.now(), outcome="ok")


def test_the_token_holder_sees_every_status_feed_and_queue(client, settings, record):
    settings.METRICS_TOKEN = TOKEN
    client.get("/livez")

    body = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content
    text = body.decode()

    assert 'tracker_events{status="published"} 1.0' in text
    assert 'tracker_events{status="draft"} 1.0' in text
    assert 'feed="secret-source"' in text
    assert "tracker_queue_length" in text
    assert 'tracker_http_requests_total{method="GET",status="200"}' in text


def test_the_token_holder_sees_which_feeds_are_unhealthy(client, settings, record):
    settings.METRICS_TOKEN = TOKEN
    Feed.objects.create(name="empty", url="https://e.example/f", consecutive_empty=3)
    body = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content
    text = body.decode()
    assert 'tracker_feed_unhealthy{feed="empty"} 1.0' in text
    assert 'tracker_feed_unhealthy{feed="secret-source"} 0.0' in text


def test_without_a_token_only_published_counts_and_requests_are_shown(client, record):
    client.get("/livez")

    response = client.get("/metrics")
    text = response.content.decode()

    assert response.status_code == 200
    assert 'tracker_events{status="published"} 1.0' in text
    assert 'status="draft"' not in text
    assert "secret-source" not in text
    assert "tracker_feed" not in text
    assert "tracker_queue_length" not in text
    assert "tracker_http_requests_total" in text


def test_public_metrics_beside_a_token_hide_the_curators_part(client, settings, record):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_PUBLIC = True

    text = client.get("/metrics").content.decode()

    assert 'tracker_events{status="published"} 1.0' in text
    assert 'status="draft"' not in text
    assert "secret-source" not in text


def test_metrics_need_the_token_when_one_is_set(client, settings):
    settings.METRICS_TOKEN = TOKEN

    response = client.get("/metrics")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'


def test_a_wrong_token_is_refused_even_where_metrics_are_public(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_PUBLIC = True

    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer guessed")

    assert response.status_code == 401
