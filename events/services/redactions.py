"""Takedowns: an editor removes an event from every public read, for good.

A redaction (legal order, a person's safety) is stronger than unpublishing:
the event leaves the live record (it is unpublished if it was published) and
also the past one: `?as_of=` reads leave it out at every moment, the change
feed says `redacted` with no content, future releases leave it out (it can
never be published again: events.services.status refuses), and the ready
releases that contain it are listed so that an editor can withdraw them
(`release_withdraw`). It works on an id whose event was deleted too, since
the history still holds it. The Redaction row is the audit trail and is never
changed or deleted.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from events.choices import RedactionGround, Status
from events.exceptions import EventInvalid, NotPermitted, TransitionNotAllowed
from events.models import Event, Redaction, history_reason
from events.services.changes import changes_record_redacted
from events.services.record_hooks import events_written
from events.services.status import StatusMove, statuses_record

User = AbstractBaseUser | AnonymousUser
PERMISSION = "events.redact_event"
HistoricalEvent = Event.history.model


def _check(user: User, ground: str, reason: str) -> str:
    if not (user.is_active and user.has_perm(PERMISSION)):
        raise NotPermitted("only editors may take events down")
    if ground not in RedactionGround.values:
        raise EventInvalid(f"the ground must be one of {', '.join(RedactionGround)}")
    reason = reason.strip()
    if not reason:
        raise EventInvalid("a reason is required to take an event down")
    return reason


def _unpublish(event: Event, *, user: User, note: str) -> None:
    """Take a published event out of the live record, as the workflow would."""
    event.status, event.published_at = Status.DRAFT, None
    event._history_user = user  # type: ignore[attr-defined]
    event._change_reason = history_reason(note)  # type: ignore[attr-defined]
    event.save(update_fields=["status", "published_at", "updated_at"])
    statuses_record(
        moves=[StatusMove(event, Status.PUBLISHED, Status.DRAFT)], user=user, note=note
    )


@transaction.atomic
def event_redact(
    *, public_id: uuid.UUID, user: User, ground: str, reason: str
) -> Redaction:
    """Take the event with this public id down; raises NotPermitted,
    EventInvalid (no reason, unknown id) or TransitionNotAllowed (already)."""
    reason = _check(user, ground, reason)
    event = Event.objects.select_for_update().filter(public_id=public_id).first()
    if event is None and not HistoricalEvent.objects.filter(public_id=public_id):
        raise EventInvalid(f"no event, present or past, has the id {public_id}")
    if Redaction.objects.filter(event_public_id=public_id).exists():
        raise TransitionNotAllowed("this event was taken down already")
    redaction = Redaction.objects.create(
        event_public_id=public_id, ground=ground, reason=reason, user=user
    )
    if event is not None and event.status == Status.PUBLISHED:
        _unpublish(event, user=user, note=f"taken down: {reason}")
        events_written(event_ids=[event.pk])
    changes_record_redacted(public_id=public_id)
    return redaction


def redacted_ids() -> set[uuid.UUID]:
    """Every redacted public id (a short list: takedowns are rare)."""
    return set(Redaction.objects.values_list("event_public_id", flat=True))
