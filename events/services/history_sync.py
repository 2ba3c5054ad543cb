"""Keep the history of published events complete, so that `?as_of=` is exact.

`?as_of=` rebuilds the published record from the history tables, and a history
row is written by each save. But some writes change an event after, or
without, a save: the post-write hooks link it to its target and notice with
queryset updates (and the notice hook moves `updated_at`), ingestion and the
importer bump `updated_at` when they attach a source, deleting a notice
unlinks its events. After them a published event differs from its latest
history row, and the record as of a later moment would be stale.

events_written ends with a catch-up (changes_sync calls it):

- the latest row was written by this same transaction (the save the hooks
  followed): it is amended in place to the final values, so one write keeps
  one history row, by its user and with its reason;
- otherwise (an update that bypassed save() in a later transaction) a new
  row is added, dated now: the change became public then.

Which rows this transaction wrote is noted as they are written: saves through
simple-history's post_create_historical_record signal (a bookkeeping side
effect, not domain flow), bulk writes by events_history_recorded. The notes
last as long as the transaction: Django replaces `connection.run_on_commit`
when a transaction or a savepoint ends, by commit or rollback.

Events that are not published need no catch-up: as_of shows only published
versions, and the save that publishes an event writes a complete row.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from typing import Any

from django.db import connection
from django.db.models import Max, OuterRef, Subquery
from simple_history.signals import post_create_historical_record

from events.models import Event

HistoricalEvent = Event.history.model
TRACKED = tuple(field.attname for field in HistoricalEvent.tracked_fields)
CATCH_UP_REASON = "recorded after a write that bypassed save()"
_written = threading.local()


def _written_now() -> set[int]:
    """Ids of the events whose latest history row this transaction wrote."""
    marker = connection.run_on_commit
    if getattr(_written, "marker", None) is not marker:
        _written.marker, _written.ids = marker, set()
    return _written.ids


def events_history_recorded(*, event_ids: Collection[int]) -> None:
    """Note that this transaction has just written the latest history row of
    each event (for bulk writes, which send no signal)."""
    _written_now().update(event_ids)


def _on_history_row(sender: Any, instance: Event, **kwargs: Any) -> None:
    _written_now().add(instance.pk)


post_create_historical_record.connect(
    _on_history_row, sender=HistoricalEvent, dispatch_uid="events_history_written"
)


def _latest_rows(ids: list[int]) -> dict[int, dict[str, Any]]:
    latest = (
        HistoricalEvent.objects.filter(id__in=ids)
        .order_by()
        .values("id")
        .annotate(last=Max("history_id"))
        .values("last")
    )
    rows = HistoricalEvent.objects.filter(history_id__in=latest)
    return {row["id"]: row for row in rows.values("history_id", *TRACKED)}


def _amend(history_ids: list[int], fields: set[str]) -> None:
    """Set these history rows' `fields` to their event's current values, in
    one UPDATE however many rows."""
    current = Event.objects.filter(pk=OuterRef("id"))
    HistoricalEvent.objects.filter(history_id__in=history_ids).update(
        **{name: Subquery(current.values(name)[:1]) for name in sorted(fields)}
    )


def events_history_catch_up(
    *, event_ids: Collection[int], states: Sequence[dict[str, Any]]
) -> None:
    """Bring the history of the published events among `states` (dicts of
    every TRACKED column, read in the writing transaction) up to their
    current values; `event_ids` are all the events of the write. A query,
    plus one UPDATE and one INSERT at most, whatever the number of events."""
    written = _written_now()
    recorded = _latest_rows([state["id"] for state in states]) if states else {}
    amended: list[int] = []
    fields: set[str] = set()
    added: list[Event] = []
    for state in states:
        row = recorded.get(state["id"])
        changed = {name for name in TRACKED if row is None or row[name] != state[name]}
        if not changed:
            continue
        if row is not None and state["id"] in written:
            amended.append(row["history_id"])
            fields |= changed
        else:
            added.append(Event(**{name: state[name] for name in TRACKED}))
    written.difference_update(event_ids)
    if amended:
        _amend(amended, fields)
    if added:
        Event.history.bulk_history_create(
            added, update=True, default_change_reason=CATCH_UP_REASON
        )
