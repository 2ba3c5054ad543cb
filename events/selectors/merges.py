"""Reads about merges: where a merged event's id leads, and its merge record."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from events.choices import Status
from events.models import Event, EventMerge, Source
from events.selectors.duplicates import source_url_key

# Merges re-point earlier ones, so a chain is never longer than one step; the
# limit only guards against a cycle written by hand.
MAX_REDIRECT_DEPTH = 5


def event_resolve_merged(
    public_id: uuid.UUID, *, all_statuses: bool = False
) -> uuid.UUID | None:
    """The public id a merged event's id now stands for: its survivor's,
    followed through chains. None when the event is not merged, or when the
    survivor is not visible (published, or any status with `all_statuses`),
    so that a redirect never reveals an unpublished event. One query for a
    single merge."""
    current = public_id
    for _ in range(MAX_REDIRECT_DEPTH):
        row = (
            Event.objects.filter(public_id=current, status=Status.MERGED)
            .values_list("merged_into__public_id", "merged_into__status")
            .first()
        )
        if row is None or row[0] is None:
            return None
        current, status = row
        if status != Status.MERGED:
            return current if all_statuses or status == Status.PUBLISHED else None
    return None


def event_active_merge(event: Event) -> EventMerge | None:
    """The merge that absorbed `event` and was not split, with its survivor."""
    return (
        EventMerge.objects.filter(absorbed=event, split_at__isnull=True)
        .select_related("survivor__platform", "user")
        .first()
    )


def sources_partition(
    cited: set[str], sources: Iterable[Source]
) -> tuple[list[Source], list[Source]]:
    """The sources a merge moves to a survivor citing `cited` (URL keys, see
    source_url_key), and those it leaves behind because the survivor already
    cites the same story. `cited` grows by the moving ones, so that several
    absorbed events never bring the same story twice."""
    moving: list[Source] = []
    staying: list[Source] = []
    for source in sources:
        key = source_url_key(source.url)
        (staying if key in cited else moving).append(source)
        cited.add(key)
    return moving, staying


def cited_urls(event: Event) -> set[str]:
    """The URL keys of the sources `event` cites."""
    return {source_url_key(url) for url in event.sources.values_list("url", flat=True)}


def merge_source_moves(survivor: Event, others: list[Event]) -> list[dict[str, Any]]:
    """For each event to merge, the sources a merge would move and those it
    would leave because the survivor already cites the same story."""
    cited = cited_urls(survivor)
    moves = []
    for event in others:
        moving, staying = sources_partition(cited, event.sources.order_by("id"))
        moves.append({"event": event, "moving": moving, "staying": staying})
    return moves
