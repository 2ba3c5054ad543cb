"""Reads of the change log for /api/v1/changes/: a page of changes after a
cursor, with the events they name as they are now."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from events.models import Event, EventChange
from events.selectors.api import ApiEvent, event_rows, with_sources

MAX_CHANGES_PAGE = 1000
DEFAULT_CHANGES_PAGE = 100
# The largest cursor a database integer holds; beyond it nothing can follow.
MAX_CURSOR = 2**63 - 1


@dataclass(frozen=True)
class ChangesPage:
    changes: list[EventChange]
    # The published ones among those named (changed events and survivors).
    events: dict[uuid.UUID, ApiEvent]
    has_more: bool


def changes_page(*, since: int, limit: int) -> ChangesPage:
    """The first `limit` changes after cursor `since`, in cursor order, and
    the events they name that are published now. Three queries (two on
    PostgreSQL), whatever the limit."""
    rows = list(EventChange.objects.filter(id__gt=since).order_by("id")[: limit + 1])
    changes = rows[:limit]
    named = [change.event_public_id for change in changes]
    named += [change.merged_into for change in changes if change.merged_into]
    return ChangesPage(
        changes=changes,
        events=published_now(named),
        has_more=len(rows) > limit,
    )


def published_now(public_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ApiEvent]:
    """The published events among these ids, shaped for event_dict."""
    wanted = list(dict.fromkeys(public_ids))
    if not wanted:
        return {}
    rows = list(event_rows(Event.objects.published().filter(public_id__in=wanted)))
    return {event.row.public_id: event for event in with_sources(rows)}


def log_version() -> tuple[int, dt.datetime | None]:
    """The newest cursor and when it was logged: every change of what the
    feed shows (an entry, or an embedded event) adds a row. One query."""
    newest = EventChange.objects.order_by("-id").values_list("id", "at").first()
    return newest if newest is not None else (0, None)
