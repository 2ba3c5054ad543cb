"""Domain exceptions raised by services; interfaces turn them into messages."""


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
