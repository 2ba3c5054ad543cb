"""Statements read together: on PostgreSQL in one round trip.

A request that needs several independent reads (the record's version, checks
of its filters, a page) pays one network round trip for each when they are
run one after the other. psycopg's pipeline mode sends them all at once and
reads their results as they come: one round trip. Elsewhere (SQLite, in the
same process) they simply run in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

Statement = tuple[str, Sequence[Any]]


def read_all(
    statements: Sequence[Statement], using: str = DEFAULT_DB_ALIAS
) -> list[list[tuple]]:
    """The rows of each statement, in order."""
    connection = connections[using]
    if connection.vendor != "postgresql" or len(statements) < 2:
        results = []
        for sql, params in statements:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
        return results
    with ExitStack() as stack:
        cursors = [stack.enter_context(connection.cursor()) for _ in statements]
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
        return [cursor.fetchall() for cursor in cursors]
