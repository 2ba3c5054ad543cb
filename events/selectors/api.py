"""Reads of the researchers' API: what a client may see, shaped for the serializers.

`all_statuses` is true for a token whose user may view drafts (events.view_event);
everyone else sees published events only, and nothing that exists only through
an unpublished one.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson
from django.db import connections
from django.db.models import Count, F, Func, IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.dateparse import parse_datetime
from django_countries import countries

from events.choices import DatePrecision, Status
from events.models import (
    Authority,
    Event,
    EventChange,
    EventQuerySet,
    Platform,
    Source,
    StatusChange,
)
from events.selectors.batch import read_all
from events.selectors.filters import SlugCheck
from events.selectors.masking import mask_rows
from events.selectors.page_rows import EventRowIterable, read_with

# ordering parameter → a unique key, so that keyset pages never skip or repeat.
ORDERINGS: dict[str, tuple[str, str]] = {
    "-date": ("-date", "-id"),
    "date": ("date", "id"),
    "updated_at": ("updated_at", "id"),
}
DEFAULT_ORDERING = "-date"
GROUPINGS = ("year", "month", "platform", "country", "authority", "action")


def visible_events(*, all_statuses: bool) -> EventQuerySet:
    return Event.objects.all() if all_statuses else Event.objects.published()


# The columns of an event as the API shows it; related names are joined in the
# same query. Rows, not model instances: a page of 500 builds in a few ms.
RELATED = {
    "platform_slug": F("platform__slug"),
    "platform_name": F("platform__name"),
    "authority_slug": F("authority__slug"),
    "authority_name": F("authority__name"),
    "authority_country": F("authority__country"),
}
EVENT_COLUMNS = (
    "id",
    "public_id",
    "status",
    "platform_slug",
    "platform_name",
    "target",
    "target_type",
    "target_url",
    "target_ref_id",
    "authority_slug",
    "authority_name",
    "authority_country",
    "country",
    "action",
    "date",
    "date_precision",
    "ended_on",
    "ended_on_precision",
    "notice_text",
    "notice_language",
    "notice_id",
    "summary",
    "published_at",
    "updated_at",
    # Not shown: the pseudonym when the event is masked (events.masking).
    "masked_as",
)
SOURCE_COLUMNS = ("url", "title", "publisher", "archive_url", "published_at")
# An event's sources as a JSON array, in the shape of the API (timestamps as
# utc_timestamp writes them; keys in the order of SOURCE_COLUMNS). On
# PostgreSQL each event keeps them in a column that triggers on events_source
# maintain (migration 0015): a page reads them with its events, at no cost.
# A masked event's are built here with url, title and archive_url withheld
# (events.masking), so that no public read takes its real sources.
_TIMESTAMP = """'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'"""
_MASKED_SOURCE = (
    """'{"url": "", "title": "", "publisher": ' """
    """|| COALESCE(to_json(s.publisher)::text, 'null') """
    """|| ', "archive_url": "", "published_at": ' """
    """|| COALESCE('"' || to_char(s.published_at AT TIME ZONE 'UTC', """
    f"""{_TIMESTAMP}) || '"', 'null') || '}}'"""
)
# Constant SQL, no values.
SOURCES_JSON = (
    """(CASE WHEN "events_event"."masked_as" = '' """  # noqa: S608
    """THEN "events_event"."sources_json" ELSE (SELECT COALESCE('[' || """
    f"string_agg({_MASKED_SOURCE}, ', ' ORDER BY s.id) || ']', '[]') "
    """FROM "events_source" s WHERE s."event_id" = "events_event"."id") END)"""
)
# Their URLs, separated by spaces (the CSV export's source_urls cell); none
# for a masked event.
SOURCE_URLS = (
    """(CASE WHEN "events_event"."masked_as" = '' """
    """THEN "events_event"."source_urls" ELSE '' END)"""
)


def utc_timestamp(value: dt.datetime | None) -> str | None:
    """UTC, ISO 8601, always with microseconds: '2024-05-01T12:00:00.000000Z'."""
    if value is None:
        return None
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    # %-formatting is twice as fast as isoformat(), six times strftime(): a
    # page of events writes a hundred of these.
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (  # noqa: UP031
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
    )


class ApiEvent(NamedTuple):
    """An event row (EVENT_COLUMNS as attributes) and its sources (dicts of
    SOURCE_COLUMNS, in the order they were given)."""

    row: Any
    sources: list[dict[str, Any]]


def event_rows(queryset: EventQuerySet) -> QuerySet:
    """`queryset` as named rows of EVENT_COLUMNS (and, on PostgreSQL, the
    sources as JSON), in one query."""
    rows = queryset.annotate(**RELATED)
    if connections[queryset.db].vendor == "postgresql":
        rows = rows.annotate(sources_json=RawSQL(SOURCES_JSON, []))  # noqa: S611
        return rows.values_list(*EVENT_COLUMNS, "sources_json", named=True)
    return rows.values_list(*EVENT_COLUMNS, named=True)


def with_sources(rows: Sequence[Any], *, reveal: bool = False) -> list[ApiEvent]:
    """The rows with their sources, as the public sees them (masked events
    masked: events.selectors.masking); with `reveal` (curators and editors)
    as they are. Sources are read with the rows on PostgreSQL, in one more
    query elsewhere (and for the masked events revealed)."""
    if rows and hasattr(rows[0], "sources_json"):
        events = [ApiEvent(row, orjson.loads(row.sources_json)) for row in rows]
        hidden = [event.row for event in events if event.row.masked_as]
        if reveal and hidden:
            real = _sources_of(hidden)
            events = [ApiEvent(e.row, real.get(e.row.id, e.sources)) for e in events]
        return events if reveal else mask_rows(events)
    by_event = _sources_of(rows)
    events = [ApiEvent(row, by_event[row.id]) for row in rows]
    return events if reveal else mask_rows(events)


def _sources_of(rows: Sequence[Any]) -> dict[int, list[dict[str, Any]]]:
    """The real sources of each row's event, in the order given; one query."""
    by_event: dict[int, list[dict[str, Any]]] = {row.id: [] for row in rows}
    if by_event:
        sources = (
            Source.objects.filter(event_id__in=list(by_event))
            .order_by("id")
            .values_list("event_id", *SOURCE_COLUMNS)
        )
        for event_id, *values in sources:
            source = dict(zip(SOURCE_COLUMNS, values, strict=True))
            source["published_at"] = utc_timestamp(source["published_at"])
            by_event[event_id].append(source)
    return by_event


def iterate_with_sources(
    rows: QuerySet, *, chunk_size: int, reveal: bool = False
) -> Iterator[ApiEvent]:
    """Every row of `rows` with its sources (see with_sources), read in
    chunks from a server-side cursor: memory holds one chunk, whatever the
    number of rows."""
    chunk: list[Any] = []
    for row in rows.iterator(chunk_size=chunk_size):
        chunk.append(row)
        if len(chunk) >= chunk_size:
            yield from with_sources(chunk, reveal=reveal)
            chunk = []
    yield from with_sources(chunk, reveal=reveal)


def event_list(queryset: EventQuerySet, *, ordering: str) -> QuerySet:
    """Rows of `queryset` (as event_rows gives them) in the order named by
    `ordering` (see ORDERINGS). A page of them is read with a SELECT compiled
    once (events/selectors/page_rows.py)."""
    rows = queryset.order_by(*ORDERINGS[ordering])
    rows._iterable_class = EventRowIterable
    return rows


def event_get(public_id: uuid.UUID, *, all_statuses: bool) -> ApiEvent:
    """The event, or Event.DoesNotExist when it is unknown or not visible."""
    rows = list(
        event_rows(visible_events(all_statuses=all_statuses)).filter(
            public_id=public_id
        )
    )
    if not rows:
        raise Event.DoesNotExist(public_id)
    return with_sources(rows, reveal=all_statuses)[0]


@dataclass(frozen=True)
class Counted:
    key: str | None
    count: int


def platform_counts() -> QuerySet[Platform]:
    """Platforms with published events, by name, each with `event_count`."""
    return (
        Platform.objects.filter(events__status=Status.PUBLISHED)
        .annotate(event_count=Count("events"))
        .order_by("name", "id")
    )


def authority_counts() -> QuerySet[Authority]:
    """Authorities with published events, by name, each with `event_count`."""
    return (
        Authority.objects.filter(events__status=Status.PUBLISHED)
        .annotate(event_count=Count("events"))
        .order_by("name", "id")
    )


def country_counts() -> list[tuple[str, str, int]]:
    """(code, English name, published events) of each country that has some."""
    rows = (
        Event.objects.published()
        .order_by()
        .values_list("country")
        .annotate(n=Count("pk"))
    )
    return sorted((code, str(countries.name(code)), n) for code, n in rows)


class _DatePart(Func):
    """A part of a date as an integer, computed by the database (Django's
    Extract calls a Python function per row on SQLite). `%%%%` leaves `%` in
    the SQL after both template and parameter formatting."""

    output_field = IntegerField()
    part = ""
    sqlite_format = ""

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        template = f"EXTRACT({self.part} FROM %(expressions)s)"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        template = (
            f"CAST(STRFTIME('%%%%{self.sqlite_format}', %(expressions)s) AS INTEGER)"
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)


class YearOf(_DatePart):
    part, sqlite_format = "YEAR", "Y"


class MonthOf(_DatePart):
    part, sqlite_format = "MONTH", "m"


def _time_counts(queryset: EventQuerySet, by_month: bool) -> list[Counted]:
    fields = {"year": YearOf("date")}
    if by_month:
        fields["month"] = MonthOf("date")
    rows = (
        queryset.order_by()
        .annotate(**fields)
        .values_list(*fields, "date_precision")
        .annotate(n=Count("pk"))
    )
    totals: dict[tuple[int, int], int] = {}
    for year, *month, precision, n in rows:
        # A year-precision event is counted under its year, never given a month.
        by_year = not month or precision == DatePrecision.YEAR
        key = (int(year), 0 if by_year else int(month[0]))
        totals[key] = totals.get(key, 0) + n
    return [
        Counted(f"{year:04d}-{month:02d}" if month else f"{year:04d}", n)
        for (year, month), n in sorted(totals.items())
    ]


def event_stats(queryset: EventQuerySet, *, group_by: str) -> list[Counted]:
    """Counts of the events of `queryset` grouped by `group_by` (one of
    GROUPINGS), in one query: years and months in time order, the others by
    count, largest first."""
    if group_by in ("year", "month"):
        return _time_counts(queryset, by_month=group_by == "month")
    column = {"platform": F("platform__slug"), "authority": F("authority__slug")}.get(
        group_by, F(group_by)
    )
    rows = (
        queryset.order_by()
        .annotate(key=column)
        .values_list("key")
        .annotate(n=Count("pk"))
    )
    ranked = sorted(rows, key=lambda row: (-row[1], row[0] is None, row[0] or ""))
    return [Counted(key, n) for key, n in ranked]


def _newest(queryset: QuerySet, field: str) -> tuple[str, list]:
    query = queryset.order_by(f"-{field}").values(field)[:1].query
    sql, params = query.sql_with_params()
    return f"({sql})", list(params)


@functools.cache
def _version_query(all_statuses: bool) -> tuple[str, tuple]:
    """The SQL of record_version, compiled once per process."""
    parts = [
        _newest(visible_events(all_statuses=all_statuses), "updated_at"),
        _newest(StatusChange.objects.filter(from_status=Status.PUBLISHED), "at"),
        # Every change of the public record, deletions included (a deleted
        # event leaves no row behind for the other parts to see).
        _newest(EventChange.objects.all(), "at"),
        _newest(Platform.history.all(), "history_date"),
        _newest(Authority.history.all(), "history_date"),
    ]
    sql = "SELECT " + ", ".join(part for part, _ in parts)
    return sql, tuple(param for _, params in parts for param in params)


def record_version(*, all_statuses: bool) -> dt.datetime | None:
    """When the part of the record a client can see last changed: its newest
    event change, unpublication, change-log entry (deletions), or platform or
    authority edit. One query over five index lookups, whatever the size of
    the record."""
    return read_list(None, all_statuses=all_statuses)[0]


def read_list(
    page: QuerySet | None,
    *,
    all_statuses: bool,
    checks: Sequence[SlugCheck] = (),
) -> tuple[dt.datetime | None, list[Any] | None]:
    """record_version() and the rows of `page` (a slice of event_list(), when
    given), once the filters' deferred `checks` pass (else FilterError, or
    StaleSlugIds): all read in one round trip to PostgreSQL."""
    statements = [check.statement() for check in checks]
    statements.append(_version_query(all_statuses))
    if page is None:
        results, rows = read_all(statements), None
    else:
        results, rows = read_with(page, statements)
    for check, found in zip(checks, results[:-1], strict=True):
        check.verify(found)
    version = results[-1]
    return _version_of(version[0] if version else None), rows


def _version_of(row: tuple | None) -> dt.datetime | None:
    stamps = [_as_datetime(value) for value in row or () if value is not None]
    return max(stamps, default=None)


def _as_datetime(value: dt.datetime | str) -> dt.datetime:
    """A timestamp as the driver returns it (SQLite gives text) made aware UTC."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        assert parsed is not None, value
        value = parsed
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
