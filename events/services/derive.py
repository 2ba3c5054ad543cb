"""What follows from an event's own fields, computed before its one save.

An event's target (and the mask its target carries) and its notice match are
functions of the fields a curator writes. The services that save one event
(the admin's forms, the API, ingestion drafts) call `event_derive` right
before the save, and the importer `events_derive` before each batch's bulk
writes, so the rows and their history rows are right from the first write:
nothing is repaired after it. `events_written`, which every write path still
calls in its transaction, then finds nothing to change for these events; it
remains the derivation of queryset updates (a target merge, a re-match after
the registry changed), and it appends the change log, which records a write
and so follows it.
"""

from __future__ import annotations

from collections.abc import Sequence

from events.models import Event
from events.services.notice_matching import current_matcher
from events.services.notices import notice_match_for
from events.services.targets import events_targets


def event_derive(event: Event) -> None:
    """Set the event's target, mask and notice match from its fields (in
    memory; the caller saves). Creates the target when it is new."""
    events_derive([event])


def events_derive(events: Sequence[Event]) -> None:
    """event_derive for a batch (the importer's), targets resolved together."""
    matcher = current_matcher()
    for event, (target_id, mask) in zip(events, events_targets(events), strict=True):
        event.target_ref_id = target_id
        if mask is not None:
            event.masked_as = mask
        match = notice_match_for(event, matcher)
        if match is not None:
            event.notice_id, event.notice_match, event.notice_match_score = match
