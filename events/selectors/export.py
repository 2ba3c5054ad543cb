"""Reads of the record, shaped for their consumers (no lazy loads downstream)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from events.models import Event, EventQuerySet


def events_for_export(*, statuses: Iterable[str] | None = None) -> EventQuerySet:
    """Events in a stable order that does not depend on database row ids, so an
    export of a re-imported record is identical to the original export."""
    queryset = Event.objects.with_related().order_by("date", "public_id")
    if statuses:
        queryset = queryset.filter(status__in=list(statuses))
    return queryset


def iterate(queryset: EventQuerySet, chunk_size: int = 2000) -> Iterator[Event]:
    """Stream a queryset in chunks; prefetches run once per chunk."""
    return queryset.iterator(chunk_size=chunk_size)
