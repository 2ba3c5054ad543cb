"""Streaming exports of a whole filtered list: CSV and JSON Lines.

Rows are read in chunks from a server-side cursor (or COPY, for CSV on
PostgreSQL) and written as they come, so memory stays flat however many events
match. CSV columns: events.api.representation.CSV_COLUMNS. With `as_of`, the
rows are history rows (events.selectors.asof), read the same way: no COPY.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from events.api.renderers import csv_lines, json_line
from events.api.representation import CSV_COLUMNS, Links, csv_row, event_dict
from events.selectors.api import ORDERINGS, ApiEvent, iterate_with_sources
from events.selectors.asof import iterate_as_of, list_rows
from events.selectors.csv_copy import events_csv_copy

CHUNK_ROWS = 1000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
}


def _events(
    rows: QuerySet, as_of: dt.datetime | None = None, reveal: bool = False
) -> Iterator[ApiEvent]:
    """The event rows of `rows` (selectors.asof.list_rows), with their
    sources, a chunk at a time; masked events as the public sees them unless
    `reveal` (see events.masking)."""
    if as_of is None:
        events = iterate_with_sources(rows, chunk_size=CHUNK_ROWS, reveal=reveal)
    else:
        events = iterate_as_of(rows, moment=as_of, chunk_size=CHUNK_ROWS)
    if connection.vendor != "postgresql":
        yield from events
        return
    # Inside a transaction Django's server-side cursor streams; outside one it
    # is WITH HOLD, and PostgreSQL runs the whole query before the first row.
    with transaction.atomic():
        yield from events


def _batched(lines: Iterator[str]) -> Iterator[bytes]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= CHUNK_ROWS:
            yield "".join(batch).encode("utf-8")
            batch.clear()
    if batch:
        yield "".join(batch).encode("utf-8")


def csv_stream(
    queryset: QuerySet,
    ordering: str,
    links: Links,
    as_of: dt.datetime | None = None,
    reveal: bool = False,
) -> Iterator[bytes]:
    yield from _batched(csv_lines([CSV_COLUMNS]))
    if connection.vendor == "postgresql" and as_of is None:
        yield from events_csv_copy(
            queryset.order_by(*ORDERINGS[ordering]),
            api_prefix=links.api_prefix,
            web_prefix=links.web_prefix,
            web_suffix=links.web_suffix,
            reveal=reveal,
        )
        return
    rows = list_rows(queryset, ordering=ordering, as_of=as_of)
    events = _events(rows, as_of, reveal)
    yield from _batched(
        csv_lines(csv_row(event_dict(event, links)) for event in events)
    )


def jsonl_stream(
    queryset: QuerySet,
    ordering: str,
    links: Links,
    as_of: dt.datetime | None = None,
    reveal: bool = False,
) -> Iterator[bytes]:
    rows = list_rows(queryset, ordering=ordering, as_of=as_of)
    events = _events(rows, as_of, reveal)
    yield from _batched(json_line(event_dict(event, links)) for event in events)


def export_response(
    queryset: QuerySet,
    *,
    ordering: str,
    fmt: str,
    links: Links,
    head: bool = False,
    as_of: dt.datetime | None = None,
    reveal: bool = False,
) -> StreamingHttpResponse:
    """Every event of `queryset`, in `ordering`, as a streamed download;
    `queryset` holds history rows (selectors.asof) when `as_of` is given;
    masked events as the public sees them unless `reveal`."""
    stream = {"csv": csv_stream, "jsonl": jsonl_stream}[fmt]
    body = iter(()) if head else stream(queryset, ordering, links, as_of, reveal)
    response = StreamingHttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="events.{fmt}"'
    return response
