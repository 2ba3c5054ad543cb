"""Reads of the record, shaped for their consumers (no lazy loads downstream)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from events.choices import Status
from events.models import Event, EventQuerySet


def events_for_export(*, statuses: Iterable[str] | None = None) -> EventQuerySet:
    """Events in a stable order that does not depend on database row ids, so an
    export of a re-imported record is identical to the original export.

    Merged events are left out: they are redirects to their survivor (which
    carries their sources), and a file cannot recreate a merge; a database
    backup (pg_dump) keeps them, see docs/operations.md."""
    queryset = (
        Event.objects.with_related()
        .exclude(status=Status.MERGED)
        .order_by("date", "public_id")
    )
    if statuses:
        queryset = queryset.filter(status__in=list(statuses))
    return queryset


def iterate(queryset: EventQuerySet, chunk_size: int = 2000) -> Iterator[Event]:
    """Stream a queryset in chunks; prefetches run once per chunk."""
    return queryset.iterator(chunk_size=chunk_size)
