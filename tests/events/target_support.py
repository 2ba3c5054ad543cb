"""Helpers of the target tests: events linked to their targets."""

from __future__ import annotations

from events.choices import Status
from events.models import Event
from events.services.targets import events_assign_targets
from tests.factories import EventFactory


def make(**fields) -> Event:
    """An event (published unless told), linked to its target."""
    fields.setdefault("status", Status.PUBLISHED)
    event = EventFactory(**fields)
    events_assign_targets(event_ids=[event.pk])
    event.refresh_from_db()
    return event
