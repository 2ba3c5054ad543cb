"""Request ids, JSON logs and Prometheus metrics."""

import json
import logging

import pytest

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


def test_metrics_report_events_by_status_and_requests(client):
    EventFactory(status="published")
    EventFactory(status="draft")
    client.get("/livez")
    body = client.get("/metrics").content.decode()
    assert 'tracker_events{status="published"} 1.0' in body
    assert 'tracker_events{status="draft"} 1.0' in body
    assert "tracker_http_requests_total" in body
    assert "tracker_queue_length" in body


def test_metrics_need_the_token_when_one_is_set(client, settings):
    settings.METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 401
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret")
    assert ok.status_code == 200
