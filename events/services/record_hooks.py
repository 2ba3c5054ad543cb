"""What follows every write to events: one call site for all write paths.

Every code path that writes an event's fields, status or sources (admin save,
API edits, the workflow, ingestion drafts, the importer, merges and splits)
calls `events_written` inside its transaction with the ids it touched. It
links the events to their targets and notices, then appends to the public
change log whatever changed in the public record, so the change feed, target
lifecycles and the notice registry cannot miss a path.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection

from events.services.changes import changes_record_deleted, changes_sync
from events.services.notices import events_match_notices, notices_refresh_seen
from events.services.targets import events_assign_targets


def events_written(*, event_ids: Collection[int]) -> None:
    """Call inside the writing transaction, after the rows are saved."""
    ids = sorted(set(event_ids))
    if not ids:
        return
    events_assign_targets(event_ids=ids)
    events_match_notices(event_ids=ids)
    changes_sync(event_ids=ids)


def events_deleted(
    *, public_ids: Collection[uuid.UUID], notice_ids: Collection[int | None]
) -> None:
    """Call inside the deleting transaction, after the rows are gone: the
    change log says the public ones left, and the notices they showed get
    their first and last sightings again."""
    changes_record_deleted(public_ids=public_ids)
    notices_refresh_seen(notice_ids=notice_ids)
