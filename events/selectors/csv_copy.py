"""The API's CSV export written by PostgreSQL itself (COPY … TO STDOUT).

The cells are those of events.api.representation.csv_row, computed in SQL;
tests check both give the same bytes. PostgreSQL formats rows several times
faster than Python can, and COPY streams them without a cursor round trip per
chunk, so an export of the whole record runs near the database's own rate in
constant memory.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
from django.db import connection
from django.db.models import Expression, F, Func, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat

from events.models import EventQuerySet
from events.selectors.api import SOURCES_JSON

CHUNK_BYTES = 64 * 1024
_TIMESTAMP = """'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'"""
_SOURCE_URLS = """(
SELECT COALESCE(string_agg(s.url, ' ' ORDER BY s.id), '')
FROM events_source s WHERE s.event_id = events_event.id)"""


class PartialDateText(Func):
    """A date at its precision, as format_partial_date writes it."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        date, precision = (compiler.compile(e) for e in self.get_source_expressions())
        sql = (
            f"CASE {precision[0]} WHEN 'year' THEN to_char({date[0]}, 'YYYY') "
            f"WHEN 'month' THEN to_char({date[0]}, 'YYYY-MM') "
            f"ELSE to_char({date[0]}, 'YYYY-MM-DD') END"
        )
        return sql, [*precision[1], *date[1], *date[1], *date[1]]


class TimestampText(Func):
    """A timestamp as representation.timestamp writes it."""

    output_field = TextField()
    template = f"to_char(%(expressions)s AT TIME ZONE 'UTC', {_TIMESTAMP})"


def _text(expression: Expression | str) -> Coalesce:
    value = F(expression) if isinstance(expression, str) else expression
    return Coalesce(value, Value(""), output_field=TextField())


def _columns(api_prefix: str, web_prefix: str, web_suffix: str) -> list[Expression]:
    public_id = Cast("public_id", TextField())
    return [
        public_id,
        Concat(Value(api_prefix), public_id, Value("/"), output_field=TextField()),
        Concat(
            Value(web_prefix), public_id, Value(web_suffix), output_field=TextField()
        ),
        *(F(name) for name in ("status", "platform__slug", "platform__name")),
        *(F(name) for name in ("target", "target_type", "target_url")),
        *(_text(f"authority__{name}") for name in ("slug", "name", "country")),
        *(F(name) for name in ("country", "action")),
        PartialDateText("date", "date_precision"),
        F("date_precision"),
        _text(PartialDateText("ended_on", "ended_on_precision")),
        *(F(name) for name in ("notice_text", "notice_language", "summary")),
        RawSQL(_SOURCE_URLS, []),  # noqa: S611 (constant SQL)
        RawSQL(SOURCES_JSON, []),  # noqa: S611 (constant SQL)
        _text(TimestampText("published_at")),
        TimestampText("updated_at"),
    ]


def events_csv_copy(
    queryset: EventQuerySet, *, api_prefix: str, web_prefix: str, web_suffix: str
) -> Iterator[bytes]:
    """The CSV rows (no header) of `queryset`, in its order, every cell quoted,
    in chunks of about CHUNK_BYTES. PostgreSQL only."""
    columns = _columns(api_prefix, web_prefix, web_suffix)
    names = [f"c{index}" for index in range(len(columns))]
    rows = (
        queryset.prefetch_related(None)
        .annotate(**dict(zip(names, columns, strict=True)))
        .values_list(*names)
    )
    sql, params = rows.query.sql_with_params()
    connection.ensure_connection()
    # COPY takes no bound parameters: psycopg merges them into the text.
    merged = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    statement = f"COPY ({merged}) TO STDOUT (FORMAT csv, FORCE_QUOTE *)"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        buffer = bytearray()
        for data in copy:
            buffer += data
            if len(buffer) >= CHUNK_BYTES:
                yield bytes(buffer)
                buffer.clear()
        if buffer:
            yield bytes(buffer)
