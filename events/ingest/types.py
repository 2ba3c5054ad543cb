"""Plain data passed between the ingestion stages. No database, no network."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


class ParseError(Exception):
    """The whole document is unusable (not a feed, hostile, unknown format).
    The message is shown to curators in the fetch log."""


# The refusal of an HTML document, saying what to do instead.
WEB_PAGE = (
    "this address is a web page, not a feed (an HTML page): give the address of "
    "the site's RSS, Atom or JSON feed, which the page often links to"
)


class HostileInput(ParseError):
    """The document tries something dangerous (entity expansion, external
    entities, oversized or binary content) and was refused."""


@dataclass(frozen=True)
class Guess:
    """One extracted field value with the extractor's confidence (0 to 1)."""

    value: Any
    confidence: float


@dataclass
class Candidate:
    """Candidate event fields, each a Guess or None when nothing was found.

    Structured formats (interchange rows, OONI measurements, STOP rows) fill
    these directly with high confidence; news items get them from the
    extractor. `platform` and `authority` are names to resolve against the
    gazetteer; `country` is an ISO alpha-2 code; `date` is a (datetime.date,
    precision) pair with precision "day", "month" or "year"; `action`,
    `target_type` are values of events.choices.
    """

    is_event: bool
    confidence: float
    platform: Guess | None = None
    target: Guess | None = None
    target_type: Guess | None = None
    target_url: Guess | None = None
    authority: Guess | None = None
    country: Guess | None = None
    action: Guess | None = None
    date: Guess | None = None
    ended_on: Guess | None = None
    notice_text: Guess | None = None
    notice_language: Guess | None = None
    summary: Guess | None = None
    reason: str = ""  # why it is (not) an event, for curators


@dataclass
class ParsedItem:
    """One item of a parsed document, format-independent."""

    guid: str  # the item's own id, else its link, else a content hash
    link: str
    title: str
    text: str  # plain text: HTML tags removed, entities decoded
    published_at: dt.datetime | None  # aware, UTC
    raw: dict[str, Any]  # JSON-serialisable original, for curators
    candidate: Candidate | None = None  # set by structured formats only


@dataclass
class ParseResult:
    format: str  # a events.choices.FeedFormat value (never "auto")
    title: str = ""
    items: list[ParsedItem] = field(default_factory=list)
    # Problems that did not stop parsing: (item index or None, message).
    warnings: list[tuple[int | None, str]] = field(default_factory=list)


@dataclass(frozen=True)
class GazetteerEntry:
    name: str  # canonical name (Platform.name, Authority.name)
    country: str = ""  # ISO alpha-2, for authorities


@dataclass
class GazetteerSnapshot:
    """The gazetteers as plain dicts, keyed by normalised alias
    (events.models.normalise_alias: casefolded, spaces collapsed)."""

    platforms: dict[str, GazetteerEntry] = field(default_factory=dict)
    platform_domains: dict[str, GazetteerEntry] = field(default_factory=dict)
    authorities: dict[str, GazetteerEntry] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)  # alias -> ISO code


@dataclass(frozen=True)
class Hints:
    """A feed's defaults for items that name no platform or country."""

    platform: str = ""
    country: str = ""


_CANDIDATE_FIELDS = (
    "platform",
    "target",
    "target_type",
    "target_url",
    "authority",
    "country",
    "action",
    "date",
    "ended_on",
    "notice_text",
    "notice_language",
    "summary",
)
_DATE_FIELDS = ("date", "ended_on")


def candidate_to_json(candidate: Candidate) -> dict[str, Any]:
    """A JSON-serialisable form of a candidate (dates as ISO strings)."""
    data: dict[str, Any] = {
        "is_event": candidate.is_event,
        "confidence": candidate.confidence,
        "reason": candidate.reason,
    }
    for name in _CANDIDATE_FIELDS:
        guess = getattr(candidate, name)
        if guess is None:
            continue
        value = guess.value
        if name in _DATE_FIELDS:
            value = [value[0].isoformat(), value[1]]
        data[name] = [value, guess.confidence]
    return data


def candidate_from_json(data: dict[str, Any]) -> Candidate:
    candidate = Candidate(
        is_event=bool(data["is_event"]),
        confidence=float(data["confidence"]),
        reason=data.get("reason", ""),
    )
    for name in _CANDIDATE_FIELDS:
        if name not in data:
            continue
        value, confidence = data[name]
        if name in _DATE_FIELDS:
            value = (dt.date.fromisoformat(value[0]), value[1])
        setattr(candidate, name, Guess(value, float(confidence)))
    return candidate
