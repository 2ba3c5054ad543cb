"""Domain exceptions raised by services; interfaces turn them into messages."""


class TrackerError(Exception):
    """Base class of the domain's errors."""


class NotPermitted(TrackerError):
    """The user may not do this, whatever path they took to ask."""


class TransitionNotAllowed(TrackerError):
    """The event's current status does not allow the requested transition."""


class EventInvalid(TrackerError):
    """The event cannot enter the requested state as it stands (e.g. no source)."""
