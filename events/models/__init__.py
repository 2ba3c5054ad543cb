"""The models of the `events` app, split by role."""

from events.models.feeds import Feed, FeedItem, FetchLog
from events.models.gazetteer import CountryAlias
from events.models.record import (
    EDITABLE_EVENT_FIELDS,
    Authority,
    Event,
    EventQuerySet,
    Heartbeat,
    Platform,
    Source,
    StatusChange,
    language_tag_validator,
    normalise_alias,
)
from events.models.tokens import ApiToken

__all__ = [
    "EDITABLE_EVENT_FIELDS",
    "ApiToken",
    "Authority",
    "CountryAlias",
    "Event",
    "EventQuerySet",
    "Feed",
    "FeedItem",
    "FetchLog",
    "Heartbeat",
    "Platform",
    "Source",
    "StatusChange",
    "language_tag_validator",
    "normalise_alias",
]
