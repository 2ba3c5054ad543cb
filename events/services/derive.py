"""What follows from an event's own fields, computed before its one save.

An event's target (and the mask its target carries) and its notice match are
functions of the fields a curator writes. The services that save one event
(the admin's forms, the API, ingestion drafts) call `event_derive` right
before the save, so the row and its history row are right from the first
write: nothing is repaired after it. `events_written`, which every write path
still calls in its transaction, then finds nothing to change for these
events; it remains the derivation of the bulk paths (the importer's batches,
queryset updates), and it appends the change log, which records a write and
so follows it.
"""

from __future__ import annotations

from events.models import Event
from events.services.notices import notice_match_for
from events.services.targets import event_target


def event_derive(event: Event) -> None:
    """Set the event's target, mask and notice match from its fields (in
    memory; the caller saves). Creates the target when it is new."""
    target_id, mask = event_target(event)
    event.target_ref_id = target_id
    if mask is not None:
        event.masked_as = mask
    match = notice_match_for(event)
    if match is not None:
        event.notice_id, event.notice_match, event.notice_match_score = match
