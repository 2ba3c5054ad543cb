"""The PostgreSQL backend (tracker/postgresql): health checks that need no
round trip, and psycopg's own timestamp loader. On SQLite, Django's backend
is used unchanged and the same promises hold."""

from __future__ import annotations

import datetime as dt
import selectors

import psycopg
import pytest
from django.db import connection

from events.models import Event
from tests.factories import EventFactory


def _other_connection() -> psycopg.Connection:
    params = connection.get_connection_params()
    for name in ("context", "cursor_factory", "prepare_threshold"):
        params.pop(name, None)
    return psycopg.connect(**params, autocommit=True)


def _wait_until_readable(seconds: float = 5) -> None:
    with selectors.DefaultSelector() as selector:
        selector.register(connection.connection.fileno(), selectors.EVENT_READ)
        selector.select(timeout=seconds)


@pytest.mark.django_db(transaction=True)
def test_an_idle_connection_is_usable():
    connection.ensure_connection()
    assert connection.is_usable()


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_not_usable():
    connection.ensure_connection()
    if connection.vendor != "postgresql":  # SQLite: no server to end it
        assert connection.is_usable()
        return
    with _other_connection() as other:
        other.execute(
            "SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid]
        )
    _wait_until_readable()
    assert not connection.is_usable()
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_spoke_to_is_asked_and_stays_usable():
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        connection.connection.execute("LISTEN tracker_test")
        with _other_connection() as other:
            other.execute("NOTIFY tracker_test")
        _wait_until_readable()
    assert connection.is_usable()  # asked with SELECT 1, which read the message
    assert connection.is_usable()


@pytest.mark.django_db
def test_timestamps_are_read_aware_in_utc():
    made = EventFactory()
    stamp = Event.objects.values_list("updated_at", flat=True).get(pk=made.pk)
    assert stamp == made.updated_at
    assert stamp.tzinfo is dt.UTC


@pytest.mark.django_db
def test_no_statement_gets_one_generic_plan_for_all_values():
    """A statement run often may be prepared, but is never given one generic
    plan for all values (which for a filtered page can be a hundred times
    slower). psycopg prepares a statement at its fifth run; PostgreSQL would
    choose a generic plan after five custom ones."""
    with connection.cursor() as cursor:
        for _ in range(15):
            cursor.execute(
                "SELECT count(*) FROM events_event WHERE date >= %s",
                [dt.date(2018, 1, 1)],
            )
        assert cursor.fetchone() == (0,)
        if connection.vendor != "postgresql":  # SQLite plans every statement
            return
        cursor.execute(
            "SELECT coalesce(sum(generic_plans), 0) FROM pg_prepared_statements"
        )
        assert cursor.fetchone() == (0,)
