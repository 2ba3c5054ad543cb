"""Keyset pagination over (date, id), newest first: every page costs the same.

A cursor names the last event seen, "2018-08-21.4711"; a page is the events
strictly older (`before`) or strictly newer (`after`) than it. No OFFSET, so the
10,000th page reads as few rows as the first.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q

from events.models import Event, EventQuerySet

_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,19})$", re.ASCII)


class CursorError(ValueError):
    """The text is not a cursor of this pagination."""


@dataclass(frozen=True)
class Cursor:
    date: dt.date
    id: int

    def __str__(self) -> str:
        return f"{self.date.isoformat()}.{self.id}"

    @classmethod
    def of(cls, event: Event) -> Cursor:
        return cls(event.date, event.pk)

    @classmethod
    def parse(cls, text: str) -> Cursor:
        match = _CURSOR.match(text)
        if not match:
            raise CursorError(f"{text!r} is not a page cursor")
        try:
            cursor = cls(dt.date.fromisoformat(match[1]), int(match[2]))
        except ValueError as exc:
            raise CursorError(f"{text!r} is not a page cursor") from exc
        if cursor.id >= 2**63:  # past any database's 64-bit primary key
            raise CursorError(f"{text!r} is not a page cursor")
        return cursor


@dataclass(frozen=True)
class Page:
    """One page of events, newest first, with the cursors of its neighbours
    (None where there is nothing further that way)."""

    events: list[Event]
    older: Cursor | None
    newer: Cursor | None


# `date <= d` is implied by the OR but spelled out so the database can start
# an index range scan at the cursor instead of filtering from the newest row.
def _older_than(cursor: Cursor) -> Q:
    return Q(date__lte=cursor.date) & (
        Q(date__lt=cursor.date) | Q(date=cursor.date, id__lt=cursor.id)
    )


def _newer_than(cursor: Cursor) -> Q:
    return Q(date__gte=cursor.date) & (
        Q(date__gt=cursor.date) | Q(date=cursor.date, id__gt=cursor.id)
    )


def keyset_page(
    queryset: EventQuerySet,
    *,
    size: int,
    before: Cursor | None = None,
    after: Cursor | None = None,
) -> Page:
    """The page of `queryset` just older than `before`, just newer than `after`,
    or the newest page. One query, plus one to look the other way from a cursor."""
    if before is not None and after is not None:
        raise ValueError("give before or after, not both")
    if after is not None:
        ahead = queryset.filter(_newer_than(after)).order_by("date", "id")
        rows = list(ahead[: size + 1])
        events = rows[:size][::-1]
        has_newer = len(rows) > size
        has_older = bool(events) and _any(queryset, _older_than(Cursor.of(events[-1])))
        return _page(events, has_older=has_older, has_newer=has_newer)
    behind = queryset.filter(_older_than(before)) if before else queryset
    rows = list(behind.order_by("-date", "-id")[: size + 1])
    events = rows[:size]
    has_newer = bool(before and events) and _any(
        queryset, _newer_than(Cursor.of(events[0]))
    )
    return _page(events, has_older=len(rows) > size, has_newer=has_newer)


def _any(queryset: EventQuerySet, condition: Q) -> bool:
    return queryset.filter(condition).order_by().exists()


def _page(events: list[Event], *, has_older: bool, has_newer: bool) -> Page:
    return Page(
        events=events,
        older=Cursor.of(events[-1]) if has_older and events else None,
        newer=Cursor.of(events[0]) if has_newer and events else None,
    )
