"""The API's CSV export written by PostgreSQL itself (COPY … TO STDOUT).

The cells are those of events.api.representation.csv_row, computed in SQL;
tests check both give the same bytes. PostgreSQL formats rows several times
faster than Python can, and COPY streams them without a cursor round trip per
chunk, so an export of the whole record runs near the database's own rate in
constant memory.

Text cells are made safe for spreadsheets in SQL as events.csv_cells does in
Python (SpreadsheetSafe); the cells the tracker formats itself (ids, links,
dates, timestamps, the sources' JSON list) never start with a character a
spreadsheet runs and are left as they are.

An event's sources fill two cells, their URLs and their JSON list, which
each event keeps in columns of its own (migration 0015, the same text): the
export is one scan of the events in the list's order, joined to platforms
and authorities.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
from django.db import connection
from django.db.models import (
    Case,
    Expression,
    F,
    Func,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat

from events.masking import names_pattern, real_names
from events.models import EventQuerySet
from events.selectors.api import SOURCE_URLS, SOURCES_JSON

CHUNK_BYTES = 64 * 1024
_TIMESTAMP = """'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'"""
# What events.csv_cells.TRIGGERS holds, as an SQL list.
_TRIGGERS = "('=', '+', '-', '@', E'\\t', E'\\r')"


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


class SpreadsheetSafe(Func):
    """A text cell as events.csv_cells.neutralise writes it: a quote in front
    of a trigger character, or of quotes followed by one."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        (cell, params) = compiler.compile(self.get_source_expressions()[0])
        # Only a cell that starts with a quote is trimmed of its quotes, to
        # look at the character after them.
        sql = (
            f"CASE WHEN left({cell}, 1) IN {_TRIGGERS} THEN '''' || {cell} "
            f"WHEN left({cell}, 1) = '''' AND left(ltrim({cell}, ''''), 1) "
            f"IN {_TRIGGERS} THEN '''' || {cell} ELSE {cell} END"
        )
        return sql, [*params] * 6


def _safe(expression: Expression | str) -> SpreadsheetSafe:
    return SpreadsheetSafe(F(expression) if isinstance(expression, str) else expression)


def _text(expression: Expression | str) -> Coalesce:
    value = F(expression) if isinstance(expression, str) else expression
    return Coalesce(value, Value(""), output_field=TextField())


class RegexpReplace(Func):
    """regexp_replace(text, pattern, replacement, 'g'): every match (the
    pattern spells out case: events.masking.names_pattern)."""

    function = "regexp_replace"
    template = "%(function)s(%(expressions)s, 'g')"
    output_field = TextField()


def _masked_texts(queryset: EventQuerySet) -> dict[str, Expression | str]:
    """target, target_url, summary and notice_text as the public sees them
    (events.masking): each masked event's texts are cleaned of its real names
    by a pattern made here, the same as Python's; one query."""
    rows = (
        queryset.exclude(masked_as="")
        .order_by()
        .values_list("pk", "target", "target_ref__name", "target_ref__key", "masked_as")
    )
    cleaned: dict[str, list[When]] = {"summary": [], "notice_text": []}
    for pk, target, name, key, pseudonym in rows:
        pattern = names_pattern(real_names([target, name, key]))
        if not pattern:
            continue
        replacement = Value(pseudonym.replace("\\", "\\\\"))
        for field in cleaned:
            expression = RegexpReplace(F(field), Value(pattern), replacement)
            cleaned[field].append(When(pk=pk, then=expression))
    masked = ~Q(masked_as="")
    return {
        "target": Case(
            When(masked, then=F("masked_as")),
            default=F("target"),
            output_field=TextField(),
        ),
        "target_url": Case(
            When(masked, then=Value("")),
            default=F("target_url"),
            output_field=TextField(),
        ),
        # An event masked since the query above shows no text rather than
        # its real one.
        **{
            field: Case(
                *whens,
                When(masked, then=Value("")),
                default=F(field),
                output_field=TextField(),
            )
            for field, whens in cleaned.items()
        },
    }


def _columns(
    texts: dict[str, Expression | str],
    api_prefix: str,
    web_prefix: str,
    web_suffix: str,
) -> list[Expression | str]:
    public_id = Cast("public_id", TextField())
    return [
        public_id,
        Concat(Value(api_prefix), public_id, Value("/"), output_field=TextField()),
        Concat(
            Value(web_prefix), public_id, Value(web_suffix), output_field=TextField()
        ),
        *(_safe(name) for name in ("status", "platform__slug", "platform__name")),
        *(_safe(texts.get(n, n)) for n in ("target", "target_type", "target_url")),
        *(_safe(_text(f"authority__{name}")) for name in ("slug", "name", "country")),
        *(_safe(name) for name in ("country", "action")),
        PartialDateText("date", "date_precision"),
        _safe("date_precision"),
        _text(PartialDateText("ended_on", "ended_on_precision")),
        *(
            _safe(texts.get(n, n))
            for n in ("notice_text", "notice_language", "summary")
        ),
        _safe(texts.get("source_urls") or _raw(SOURCE_URLS)),
        texts.get("sources_json") or _raw(SOURCES_JSON),
        _text(TimestampText("published_at")),
        TimestampText("updated_at"),
    ]


def events_csv_copy(
    queryset: EventQuerySet,
    *,
    api_prefix: str,
    web_prefix: str,
    web_suffix: str,
    reveal: bool = False,
) -> Iterator[bytes]:
    """The CSV rows (no header) of `queryset`, in its order, every cell quoted,
    in chunks of about CHUNK_BYTES; masked events as the public sees them
    unless `reveal` (events.masking). PostgreSQL only."""
    texts = _real_texts(queryset) if reveal else _masked_texts(queryset)
    select = _export_sql(queryset, texts, api_prefix, web_prefix, web_suffix)
    statement = f"COPY ({select}) "
    statement += "TO STDOUT (FORMAT csv, FORCE_QUOTE *)"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        buffer = bytearray()
        for data in copy:
            buffer += data
            if len(buffer) >= CHUNK_BYTES:
                yield bytes(buffer)
                buffer.clear()
        if buffer:
            yield bytes(buffer)


def _real_texts(queryset: EventQuerySet) -> dict[str, Expression | str]:
    """The texts as they are, masked or not, and the real sources (for
    curators and editors)."""
    return {
        "source_urls": _raw('"events_event"."source_urls"'),
        "sources_json": _raw('"events_event"."sources_json"'),
    }


def _raw(sql: str) -> RawSQL:
    # Only the constant SQL of this module and events.selectors.api.
    return RawSQL(sql, [], output_field=TextField())  # noqa: S611


def _export_sql(
    queryset: EventQuerySet, texts: dict[str, Expression | str], *links: str
) -> str:
    """The events' cells, in the order of `queryset`; parameters merged, since
    COPY takes none."""
    columns = _columns(texts, *links)
    cells = {f"c{index}": column for index, column in enumerate(columns)}
    rows = queryset.prefetch_related(None).annotate(**cells).values_list(*cells)
    return _merged(rows)


def _merged(queryset: QuerySet) -> str:
    """The SQL of `queryset` with its parameters written in."""
    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    return psycopg.ClientCursor(connection.connection).mogrify(sql, params)
