"""One page of the API's event rows with a SELECT compiled once per process.

A page of the API is the named rows of events.selectors.api.event_rows: some
twenty columns over three tables and the sources as JSON. Building and
compiling that queryset costs the ORM about half a millisecond on every
request, as long as PostgreSQL takes to run it. The SELECT and FROM clauses
never change, so they are compiled once (by the ORM, from event_rows itself);
per request only the WHERE clause of the filtered events (one table, compiled
in tens of microseconds), the ORDER BY and the LIMIT are added.

Only pages (sliced querysets) of plain filtered events on PostgreSQL take this
way; anything else (joins or annotations in the filter, SQLite, a streamed
export) is read through the ORM as before. Both give the same rows, in the
same named tuples (tests/api/test_page_rows.py).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, FullResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import BaseIterable
from django.db.models.sql import Query
from django.db.models.utils import create_namedtuple_class

from events.models import Event
from events.selectors.batch import Statement, read_all

Reorder = Callable[[tuple], tuple]


class EventRowIterable(BaseIterable):
    """What an event_list() queryset yields: named rows (see module doc)."""

    def __iter__(self) -> Iterator[Any]:
        queryset = self.queryset
        page = None if self.chunked_fetch else _page_sql(queryset)
        if page is None:
            from events.selectors.api import event_rows

            rows = event_rows(queryset)
            if self.chunked_fetch:
                yield from rows.iterator(chunk_size=self.chunk_size)
            else:
                yield from rows
            return
        if not page:  # a WHERE that matches nothing
            return
        sql, params = page
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        yield from _named(queryset.db, rows)


def read_with(
    queryset: QuerySet, statements: Sequence[Statement]
) -> tuple[list[list[tuple]], list[Any]]:
    """The rows of each statement and of `queryset` (a page of event_list()),
    read together: in one round trip to PostgreSQL when the page takes the
    compiled SELECT (events.selectors.batch); otherwise one after the other."""
    page = _page_sql(queryset)
    if not page:
        return read_all(statements, queryset.db), list(queryset)
    *results, rows = read_all([*statements, page], queryset.db)
    return results, list(_named(queryset.db, rows))


def _named(using: str, rows: list[tuple]) -> Iterator[Any]:
    """Rows of the compiled SELECT as event_rows() names them."""
    _, names, order = _select(using)
    row_class = create_namedtuple_class(*names)
    new = tuple.__new__
    for row in rows:
        yield new(row_class, order(row))


def _page_sql(queryset: QuerySet) -> tuple[str, list[Any]] | None:
    """The SQL and parameters of the page `queryset` asks for; () when it can
    match nothing; None when it is not a page of plain events."""
    query = queryset.query
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or not _plain(query):
        return None
    order = _order_by(query, connection)
    select = _select(queryset.db)[0]
    if order is None or select is None:
        return None
    try:
        where, params = query.get_compiler(queryset.db).compile(query.where)
        where = f" WHERE {where}"
    except FullResultSet:
        where, params = "", []
    except EmptyResultSet:
        return ()
    limit = f" LIMIT {query.high_mark - query.low_mark} OFFSET {query.low_mark}"
    return f"{select}{where} ORDER BY {order}{limit}", list(params)


def _plain(query: Query) -> bool:
    """A slice of events filtered on their own columns: one table, no
    annotations, grouping, distinct, extra SQL or combined queries."""
    return (
        query.model is Event
        and query.high_mark is not None
        and not any(
            query.alias_refcount[alias]  # joins the ORM trimmed away count 0
            for alias in query.alias_map
            if alias != query.base_table
        )
        and not query.annotations
        and not query.extra
        and not query.distinct
        and not query.combinator
        and query.group_by is None
        and not query.select
        and not query.values_select
        and not query.select_for_update
    )


def _order_by(query: Query, connection: Any) -> str | None:
    """ORDER BY for own columns named as in ORDERINGS; None for anything else."""
    if not query.order_by or query.extra_order_by:
        return None
    quote = connection.ops.quote_name
    table = quote(Event._meta.db_table)
    terms = []
    for name in query.order_by:
        if not isinstance(name, str):
            return None
        field_name = name.lstrip("-")
        try:
            field = Event._meta.get_field("id" if field_name == "pk" else field_name)
        except FieldDoesNotExist:
            return None
        if not getattr(field, "concrete", False) or field.is_relation:
            return None
        direction = "DESC" if name.startswith("-") else "ASC"
        terms.append(f"{table}.{quote(field.column)} {direction}")
    return ", ".join(terms)


@functools.cache
def _select(using: str) -> tuple[str | None, tuple[str, ...], Reorder]:
    """SELECT … FROM … JOIN … of event_rows as the ORM compiles it (None if
    its values need converting in Python, which this way would skip), the
    names of its rows' fields and a function that puts a row of the SELECT in
    their order (as ValuesListIterable does when the two orders differ)."""
    from events.selectors.api import event_rows

    rows = event_rows(Event.objects.using(using).order_by())
    compiler = rows.query.get_compiler(using)
    sql, params = compiler.as_sql()
    assert not (params or rows.query.where or rows.query.order_by), sql
    if compiler.get_converters([column for column, _, _ in compiler.select]):
        return None, (), _same
    selected = [alias for _, _, alias in compiler.select]
    names = tuple(rows._fields)
    if list(names) == selected:
        return sql, names, _same
    return sql, names, operator.itemgetter(*(selected.index(n) for n in names))


def _same(row: tuple) -> tuple:
    return row
