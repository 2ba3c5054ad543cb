"""Every write to the record goes through a function in this package."""

from events.services.editing import event_create, event_update
from events.services.imports import ImportReport, events_import
from events.services.tokens import api_token_create, api_token_revoke
from events.services.workflow import (
    BulkResult,
    event_can_edit,
    event_publish,
    event_reject,
    event_revise,
    event_submit,
    event_unpublish,
    events_apply_bulk,
)

__all__ = [
    "BulkResult",
    "ImportReport",
    "api_token_create",
    "api_token_revoke",
    "event_can_edit",
    "event_create",
    "event_publish",
    "event_reject",
    "event_revise",
    "event_submit",
    "event_unpublish",
    "event_update",
    "events_apply_bulk",
    "events_import",
]
