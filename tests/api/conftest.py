"""Fixtures of the API tests: clients with and without tokens, published events."""

from __future__ import annotations

import contextlib
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from events.choices import Status
from events.services import api_token_create
from tests.factories import EventFactory, SourceFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test counts requests in a cache namespace of its own (the Redis
    cache is shared with other runs and with Celery: never flushed)."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": uuid.uuid4().hex}
    }


@pytest.fixture
def api():
    return APIClient()


def token_client(user) -> APIClient:
    _, key = api_token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def curator_api(curator):
    return token_client(curator)


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


def publish(**fields) -> object:
    """A published event with one source."""
    event = EventFactory(status=Status.PUBLISHED, **fields)
    SourceFactory(event=event)
    return event


def ids(response) -> list[str]:
    """The event ids of a JSON list response, in order."""
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def uid(event) -> str:
    return str(event.public_id)


@pytest.fixture
def pipelines(monkeypatch):
    """How many statements each pipeline (one round trip) sent to PostgreSQL."""
    sent: list[int] = []
    if connection.vendor != "postgresql":
        return sent
    connection.ensure_connection()
    psycopg_connection = connection.connection
    real = psycopg_connection.pipeline

    @contextlib.contextmanager
    def counted():
        statements = []

        def count(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count), real() as pipeline:
            yield pipeline
        sent.append(len(statements))

    monkeypatch.setattr(psycopg_connection, "pipeline", counted)
    return sent
