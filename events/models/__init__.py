"""The models of the `events` app, split by role."""

from events.models.changes import EventChange
from events.models.feeds import Feed, FeedItem, FetchLog
from events.models.gazetteer import CountryAlias
from events.models.merges import EventMerge
from events.models.notices import Notice, NoticeVariant
from events.models.record import (
    EDITABLE_EVENT_FIELDS,
    HISTORY_REASON_LENGTH,
    Authority,
    Event,
    EventQuerySet,
    Platform,
    Source,
    event_version,
    history_reason,
    language_tag_validator,
    normalise_alias,
)
from events.models.redactions import Redaction
from events.models.releases import Release
from events.models.status import Heartbeat, StatusChange
from events.models.targets import Target
from events.models.tokens import ApiToken

__all__ = [
    "EDITABLE_EVENT_FIELDS",
    "HISTORY_REASON_LENGTH",
    "ApiToken",
    "Authority",
    "CountryAlias",
    "Event",
    "EventChange",
    "EventMerge",
    "EventQuerySet",
    "Feed",
    "FeedItem",
    "FetchLog",
    "Heartbeat",
    "Notice",
    "NoticeVariant",
    "Platform",
    "Redaction",
    "Release",
    "Source",
    "StatusChange",
    "Target",
    "event_version",
    "history_reason",
    "language_tag_validator",
    "normalise_alias",
]
