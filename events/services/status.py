"""The one recorder of status changes: who may move an event from one status
to another, and the StatusChange row that says they did.

Every path that gives an event a status calls `statuses_record` inside its
transaction, after the rows are saved: creation (admin, API, ingestion, the
importer), the workflow's transitions, merges and splits, and takedowns. The
permission a move needs is decided here, once, from the statuses alone, so a
new path cannot quietly let a curator publish:

- into `published` (from anything, creation included): `publish_event`;
- out of `published` (unpublish, merge, redaction): `unpublish_event`;
- into `rejected`: `reject_event`; into `in_review`: `submit_event`;
- a new draft: `add_event` (ingestion, which has no user, may create drafts
  and nothing else);
- anything else (a rejected event revised, a merge of drafts, a split, a note
  on an unchanged status): `change_event`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from events.choices import Status
from events.exceptions import NotPermitted, Redacted
from events.models import Event, Redaction, StatusChange

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class StatusMove:
    """An event that went (or stays, for a note) from one status to another;
    `previous` is "" for a new event."""

    event: Event
    previous: str
    current: str


def status_permissions(previous: str, current: str) -> set[str]:
    """The permissions a move from `previous` to `current` needs."""
    needed: set[str] = set()
    if current == Status.PUBLISHED and previous != Status.PUBLISHED:
        needed.add("events.publish_event")
    if previous == Status.PUBLISHED and current != Status.PUBLISHED:
        needed.add("events.unpublish_event")
    if current == Status.REJECTED and previous != Status.REJECTED:
        needed.add("events.reject_event")
    if current == Status.IN_REVIEW and previous != Status.IN_REVIEW:
        needed.add("events.submit_event")
    if not previous:
        needed.add("events.add_event")
    return needed or {"events.change_event"}


def status_user_may(user: User | None, previous: str, current: str) -> bool:
    """Whether `user` may move an event from `previous` to `current`; no user
    (ingestion) may only create drafts."""
    if user is None:
        return previous == "" and current == Status.DRAFT
    if not user.is_authenticated:
        return False
    return bool(
        user.is_active and user.has_perms(status_permissions(previous, current))
    )


def status_check(*, user: User | None, previous: str, current: str) -> None:
    """Raise NotPermitted unless `user` may make this move."""
    if status_user_may(user, previous, current):
        return
    if not previous:
        what = (
            "events" if current == Status.DRAFT else f"{Status(current).label} events"
        )
        raise NotPermitted(f"you may not create {what}")
    before, after = Status(previous).label, Status(current).label
    raise NotPermitted(f"you may not move an event from {before} to {after}")


def _check_not_redacted(moves: list[StatusMove]) -> None:
    """A taken-down event is never published again, whatever the path."""
    publishing = [
        move.event.public_id
        for move in moves
        if move.current == Status.PUBLISHED and move.previous != Status.PUBLISHED
    ]
    found = Redaction.objects.filter(event_public_id__in=publishing).first()
    if publishing and found is not None:
        raise Redacted(
            f"event {found.event_public_id} was taken down on {found.at:%Y-%m-%d} "
            f"({found.get_ground_display()}) and cannot be published again"
        )


def statuses_record(
    *, moves: Iterable[StatusMove], user: User | None, note: str = ""
) -> list[StatusChange]:
    """Check each move against `user`'s permissions and the takedowns (all or
    none: NotPermitted or Redacted before anything is written) and write
    their StatusChange rows in one statement. Call inside the transaction
    that saved the events."""
    moves = list(moves)
    for move in moves:
        status_check(user=user, previous=move.previous, current=move.current)
    _check_not_redacted(moves)
    who = user if user is not None and user.is_authenticated else None
    return StatusChange.objects.bulk_create(
        [
            StatusChange(
                event=move.event,
                from_status=move.previous,
                to_status=move.current,
                user=who,
                note=note,
            )
            for move in moves
        ]
    )
