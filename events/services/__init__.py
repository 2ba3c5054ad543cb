"""Every write to the record goes through a function in this package."""

from events.services.imports import ImportReport, events_import
from events.services.workflow import (
    BulkResult,
    event_can_edit,
    event_publish,
    event_reject,
    event_submit,
    event_unpublish,
    events_apply_bulk,
)

__all__ = [
    "BulkResult",
    "ImportReport",
    "event_can_edit",
    "event_publish",
    "event_reject",
    "event_submit",
    "event_unpublish",
    "events_apply_bulk",
    "events_import",
]
