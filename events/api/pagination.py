"""Keyset (cursor) pagination on a unique key: (date, id) or (updated_at, id).

A cursor is opaque to clients: the ordering it belongs to, the key of the row
it points at and its direction, as URL-safe base64 JSON. A page is the rows
strictly after (or before) that key, so a page 10,000 pages deep costs one index
range scan like the first, and rows inserted elsewhere never shift a page.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import replace_query_param

from events.models import Event
from events.selectors.api import ORDERINGS

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_CURSOR_LENGTH = 300


@dataclass(frozen=True)
class Cursor:
    ordering: str
    value: dt.date | dt.datetime
    pk: int
    backwards: bool = False

    def encode(self) -> str:
        raw = json.dumps(
            [self.ordering, self.value.isoformat(), self.pk, self.backwards]
        )
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def at(cls, row: Any, ordering: str, *, backwards: bool) -> Cursor:
        """The cursor at an event row (with `id` and the ordering's field)."""
        field = ORDERINGS[ordering][0].lstrip("-")
        return cls(ordering, getattr(row, field), row.id, backwards)

    def flipped(self) -> Cursor:
        return Cursor(self.ordering, self.value, self.pk, not self.backwards)


def _bad_cursor(reason: str = "") -> ValidationError:
    detail = "not a cursor of this list: use the next or previous link as given"
    return ValidationError({"cursor": [f"{reason}; {detail}" if reason else detail]})


def decode_cursor(text: str, ordering: str) -> Cursor:
    """The cursor in `text`, made for `ordering`; a 400 naming `cursor` else."""
    if len(text) > MAX_CURSOR_LENGTH or "\x00" in text:
        raise _bad_cursor()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        made_for, value, pk, backwards = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise _bad_cursor() from None
    if made_for != ordering:
        raise _bad_cursor(f"it was made for ordering={made_for!r}")
    if not (
        type(pk) is int and pk > 0 and type(backwards) is bool and type(value) is str
    ):
        raise _bad_cursor()
    try:
        parse = dt.datetime if ordering == "updated_at" else dt.date
        parsed: dt.date | dt.datetime = parse.fromisoformat(value)
    except ValueError:
        raise _bad_cursor() from None
    if isinstance(parsed, dt.datetime) and parsed.tzinfo is None:
        raise _bad_cursor()
    return Cursor(ordering, parsed, pk, backwards)


def page_size(params: Mapping[str, Sequence[str]]) -> int:
    values = list(params.get("page_size", []))
    if not values:
        return DEFAULT_PAGE_SIZE
    text = values[0]
    if len(values) > 1 or not (text.isascii() and text.isdigit()) or len(text) > 6:
        raise ValidationError(
            {"page_size": [f"must be a whole number from 1 to {MAX_PAGE_SIZE}"]}
        )
    size = int(text)
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError(
            {"page_size": [f"must be from 1 to {MAX_PAGE_SIZE}, not {size}"]}
        )
    return size


def _beyond(cursor: Cursor, queryset: QuerySet) -> Q | RawSQL:
    """Rows after the cursor in the direction of travel. `field <= v` is
    implied by the OR but spelled out so the database starts an index range
    scan at the cursor instead of filtering from one end. `id` rather than
    `pk`: on history rows (`?as_of=`) the event's id is not the primary key.
    On live events the condition is written in SQL: the ORM takes as long to
    build it from lookups as the database takes to read a page."""
    first = ORDERINGS[cursor.ordering][0]
    name = first.lstrip("-")
    descending = first.startswith("-") != cursor.backwards
    if queryset.model is Event:
        connection = connections[queryset.db]
        quote = connection.ops.quote_name
        field = Event._meta.get_field(name)
        table = quote(Event._meta.db_table)
        column, pk = f"{table}.{quote(field.column)}", f"{table}.{quote('id')}"
        op = "<" if descending else ">"
        value = field.get_db_prep_value(cursor.value, connection)
        # Names from the model, values bound.
        return RawSQL(  # noqa: S611
            f"({column} {op}= %s AND ({column} {op} %s OR {pk} {op} %s))",
            (value, value, cursor.pk),
            output_field=BooleanField(),
        )
    op, strict = ("lt", "lte") if descending else ("gt", "gte")
    return Q(**{f"{name}__{strict}": cursor.value}) & (
        Q(**{f"{name}__{op}": cursor.value}) | Q(**{f"id__{op}": cursor.pk})
    )


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next: Cursor | None
    previous: Cursor | None


def keyset_page(
    queryset: QuerySet, *, ordering: str, size: int, cursor: Cursor | None
) -> Page:
    """One page of event rows (`queryset` is ordered by ORDERINGS[ordering])
    after the cursor, or the first page. One query."""
    query = keyset_query(queryset, ordering=ordering, size=size, cursor=cursor)
    return keyset_result(list(query), size=size, cursor=cursor, ordering=ordering)


def keyset_query(
    queryset: QuerySet, *, ordering: str, size: int, cursor: Cursor | None
) -> QuerySet:
    """The rows keyset_page reads: `size` + 1 of them (to tell whether there
    are more) after the cursor, in the direction of travel."""
    keys = ORDERINGS[ordering]
    if cursor is not None:
        queryset = queryset.filter(_beyond(cursor, queryset))
        if cursor.backwards:
            queryset = queryset.order_by(
                *(k[1:] if k[0] == "-" else f"-{k}" for k in keys)
            )
    return queryset[: size + 1]


def keyset_result(
    rows: list[Any], *, ordering: str, size: int, cursor: Cursor | None
) -> Page:
    """The page in the rows keyset_query read, with cursors to its neighbours."""
    backwards = bool(cursor and cursor.backwards)
    more, rows = len(rows) > size, rows[:size]
    if backwards:
        rows.reverse()
    if not rows:
        # Nothing beyond the cursor: the way back still starts at the cursor.
        back = cursor.flipped() if cursor is not None else None
        return Page([], back if backwards else None, None if backwards else back)
    later = Cursor.at(rows[-1], ordering, backwards=False)
    earlier = Cursor.at(rows[0], ordering, backwards=True)
    has_next = more if not backwards else True
    has_previous = more if backwards else cursor is not None
    return Page(rows, later if has_next else None, earlier if has_previous else None)


def page_links(page: Page, url: str) -> dict[str, Any]:
    """The page's "next" and "previous" links: `url` with its cursor replaced."""

    def link(cursor: Cursor | None) -> str | None:
        return (
            None
            if cursor is None
            else replace_query_param(url, "cursor", cursor.encode())
        )

    return {"next": link(page.next), "previous": link(page.previous)}
