"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/), on the
standard json module: feedparser 6 has no JSON parser."""

from __future__ import annotations

import datetime as dt
from typing import Any

from events.choices import FeedFormat
from events.ingest.parse.guards import warn
from events.ingest.parse.text import (
    content_hash,
    html_to_text,
    one_line,
    plain_block,
    snippet,
    to_jsonable,
)
from events.ingest.types import ParsedItem, ParseError, ParseResult


def is_json_feed(value: Any) -> bool:
    return isinstance(value, dict) and "jsonfeed.org" in str(value.get("version"))


def parse_json_feed(document: Any) -> ParseResult:
    """Items of a parsed JSON Feed document. Unknown keys are ignored; an item
    that is not an object, or has a bad date, becomes a warning."""
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise ParseError("not a JSON Feed: no list of items")
    result = ParseResult(
        format=FeedFormat.JSON_FEED, title=one_line(_string(document, "title"))
    )
    for number, entry in enumerate(document["items"], start=1):
        if not isinstance(entry, dict):
            warn(result, None, f"item {number} is not an object")
            continue
        item, problem = _item(entry)
        result.items.append(item)
        if problem:
            warn(result, len(result.items) - 1, f"item {number}: {problem}")
    return result


def _string(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    return value if isinstance(value, str) else ""


def _text(entry: dict[str, Any]) -> str:
    if _string(entry, "content_text").strip():
        return plain_block(_string(entry, "content_text"))
    if _string(entry, "content_html").strip():
        return html_to_text(_string(entry, "content_html"))
    return plain_block(_string(entry, "summary"))


def _published(entry: dict[str, Any]) -> tuple[dt.datetime | None, str]:
    """The item's date as aware UTC (RFC 3339), and a problem if unreadable."""
    value = _string(entry, "date_published") or _string(entry, "date_modified")
    if not value:
        return None, ""
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None, f"date {value[:40]!r} is not RFC 3339; ignored"
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC), ""


def _item(entry: dict[str, Any]) -> tuple[ParsedItem, str]:
    text = _text(entry)
    # Microblog items have no title: the start of the text stands in for one.
    title = one_line(_string(entry, "title")) or snippet(text)
    link = one_line(_string(entry, "url") or _string(entry, "external_url"))
    raw_id = entry.get("id")
    # Version 1.0 let an id be a number; 1.1 says string.
    own_id = one_line(str(raw_id)) if isinstance(raw_id, str | int) else ""
    published_at, problem = _published(entry)
    item = ParsedItem(
        guid=own_id or link or content_hash(title, text),
        link=link,
        title=title,
        text=text,
        published_at=published_at,
        raw=to_jsonable(entry),
    )
    return item, problem
