"""Domain exceptions raised by services; interfaces turn them into messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class TrackerError(Exception):
    """Base class of the domain's errors."""


class NotPermitted(TrackerError):
    """The user may not do this, whatever path they took to ask."""


class TransitionNotAllowed(TrackerError):
    """The event's current status does not allow the requested transition."""


class EventInvalid(TrackerError):
    """The event cannot enter the requested state as it stands (e.g. no source)."""


class StaleVersion(TrackerError):
    """The event changed since the version the user saw; nothing was done."""


class Redacted(TrackerError):
    """The event was taken down by an editor and cannot be published again."""


class SecondFactorInvalid(TrackerError):
    """The authenticator or backup code given is wrong, used up or throttled."""


class EnrolmentRefused(TrackerError):
    """An authenticator may not be enrolled: no enrolment link, or one that is
    expired, tampered with, revoked, already used or for another account. The
    message says which, in words the user can act on."""


@dataclass(frozen=True)
class DuplicateRef:
    """An event that the one being published likely duplicates, as a user
    must see it to decide: its public id, its title, status and score."""

    public_id: str
    title: str
    status: str
    score: int


class LikelyDuplicate(TrackerError):
    """Publishing was not confirmed although published or in-review events
    score above DUPLICATE_CONFIRM_SCORE as duplicates (in `duplicates`, best
    first); nothing was done. Publishing again with confirm_duplicate goes on."""

    def __init__(self, message: str, duplicates: Sequence[DuplicateRef]) -> None:
        super().__init__(message)
        self.duplicates = tuple(duplicates)
