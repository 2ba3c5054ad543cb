"""The interchange format (JSON Lines and CSV): reading and writing rows.

Pure functions, no database: `parse_row` checks one raw row (as
events.interchange_files reads them from a file) and returns plain values,
`event_to_row` writes an event back, `write_rows` writes a file. The format is
documented in docs/data-format.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from events.choices import DatePrecision, Status
from events.csv_cells import neutralise
from events.dates import PartialDateError, format_partial_date, parse_partial_date

COLUMNS = [
    "id",
    "platform",
    "target",
    "target_type",
    "target_url",
    "authority",
    "country",
    "action",
    "date",
    "date_precision",
    "ended_on",
    "notice_text",
    "notice_language",
    "summary",
    "sources",
    "status",
    "published_at",
]
REQUIRED = ["platform", "target", "target_type", "country", "action", "date"]
SOURCE_KEYS = ["url", "title", "publisher", "published_at", "archive_url"]
FORMATS = ("jsonl", "csv")
# The longest notice_text or summary, in characters (the model's text fields
# have no limit of their own); docs/data-format.md, "Limits".
MAX_TEXT_CHARS = 100_000


class RowError(ValueError):
    """A row that cannot be imported; the message says why."""


@dataclass
class SourceRow:
    url: str
    title: str = ""
    publisher: str = ""
    published_at: dt.datetime | None = None
    archive_url: str = ""


@dataclass
class EventRow:
    """One parsed row; platform and authority are still names to resolve."""

    line: int
    id: str | None
    platform: str
    target: str
    target_type: str
    target_url: str
    authority: str
    country: str
    action: str
    date: dt.date
    date_precision: str
    ended_on: dt.date | None
    ended_on_precision: str
    notice_text: str
    notice_language: str
    summary: str
    status: str
    published_at: dt.datetime | None
    sources: list[SourceRow] = field(default_factory=list)


def guess_format(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lowered.endswith(".csv"):
        return "csv"
    return None


def _text(raw: dict[str, Any], key: str, *, strip: bool = True) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowError(f"{key}: must be text, got {type(value).__name__}")
    if "\x00" in value:
        raise RowError(f"{key}: contains a NUL character")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            # JSON can escape a lone surrogate, which no database can store.
            raise RowError(f"{key}: contains an unpaired surrogate") from exc
    return value.strip() if strip else value


def _long_text(raw: dict[str, Any], key: str) -> str:
    """A text kept exactly as given, of at most MAX_TEXT_CHARS characters."""
    value = _text(raw, key, strip=False)
    if len(value) > MAX_TEXT_CHARS:
        raise RowError(
            f"{key}: {len(value):,} characters, more than the limit of "
            f"{MAX_TEXT_CHARS:,}"
        )
    return value


def _datetime(value: Any, key: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RowError(f"{key}: must be an ISO 8601 date-time string")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise RowError(f"{key}: {value!r} is not an ISO 8601 date-time") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _partial(raw: dict[str, Any], key: str) -> tuple[dt.date | None, str]:
    text = _text(raw, key)
    if not text:
        return None, DatePrecision.DAY
    try:
        return parse_partial_date(text)
    except PartialDateError as exc:
        raise RowError(f"{key}: {exc}") from exc


def _sources(raw: dict[str, Any]) -> list[SourceRow]:
    value = raw.get("sources")
    if value is None:
        return []
    if not isinstance(value, list):
        raise RowError("sources: must be a list of objects")
    result = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            raise RowError(f"sources[{index}]: must be an object with a url")
        extra = set(item) - set(SOURCE_KEYS)
        if extra:
            raise RowError(
                f"sources[{index}]: unknown key(s) {', '.join(sorted(extra))}"
            )
        try:
            url = _text(item, "url")
            if not url:
                raise RowError("url is required")
            result.append(
                SourceRow(
                    url=url,
                    title=_text(item, "title"),
                    publisher=_text(item, "publisher"),
                    published_at=_datetime(item.get("published_at"), "published_at"),
                    archive_url=_text(item, "archive_url"),
                )
            )
        except RowError as exc:
            raise RowError(f"sources[{index}]: {exc}") from exc
    return result


def parse_row(line: int, raw: dict[str, Any]) -> EventRow:
    """Check the shape of one raw row. Field values are checked further by the
    model's own validation when the row is stored."""
    unknown = set(raw) - set(COLUMNS)
    if unknown:
        raise RowError(f"unknown key(s): {', '.join(sorted(unknown))}")
    missing = [key for key in REQUIRED if not _text(raw, key)]
    if missing:
        raise RowError(f"missing required field(s): {', '.join(missing)}")
    date, precision = _partial(raw, "date")
    assert date is not None  # required above
    declared = _text(raw, "date_precision")
    if declared and declared != precision:
        raise RowError(
            f"date_precision: {declared!r} does not agree with date "
            f"{_text(raw, 'date')!r}, which is at {precision} precision"
        )
    ended_on, ended_precision = _partial(raw, "ended_on")
    status = _text(raw, "status") or Status.DRAFT
    # 'merged' is a state only a merge can make (it needs a survivor and a
    # merge record to be split again), so a file cannot set it.
    importable = [value for value in Status.values if value != Status.MERGED]
    if status not in importable:
        raise RowError(f"status: {status!r} is not one of {', '.join(importable)}")
    return EventRow(
        line=line,
        id=_text(raw, "id") or None,
        platform=_text(raw, "platform"),
        target=_text(raw, "target"),
        target_type=_text(raw, "target_type"),
        target_url=_text(raw, "target_url"),
        authority=_text(raw, "authority"),
        country=_text(raw, "country").upper(),
        action=_text(raw, "action"),
        date=date,
        date_precision=precision,
        ended_on=ended_on,
        ended_on_precision=ended_precision,
        notice_text=_long_text(raw, "notice_text"),
        notice_language=_text(raw, "notice_language"),
        summary=_long_text(raw, "summary"),
        status=status,
        published_at=_datetime(raw.get("published_at"), "published_at"),
        sources=_sources(raw),
    )


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def event_to_row(event: Any) -> dict[str, Any]:
    """The interchange row of an event (with platform, authority and sources
    already loaded)."""
    return {
        "id": str(event.public_id),
        "platform": event.platform.name,
        "target": event.target,
        "target_type": event.target_type,
        "target_url": event.target_url,
        "authority": event.authority.name if event.authority else "",
        "country": str(event.country),
        "action": event.action,
        "date": format_partial_date(event.date, event.date_precision),
        "date_precision": event.date_precision,
        "ended_on": (
            format_partial_date(event.ended_on, event.ended_on_precision)
            if event.ended_on
            else ""
        ),
        "notice_text": event.notice_text,
        "notice_language": event.notice_language,
        "summary": event.summary,
        "sources": [
            {
                "url": s.url,
                "title": s.title,
                "publisher": s.publisher,
                "published_at": _iso(s.published_at),
                "archive_url": s.archive_url,
            }
            for s in event.sources.all()
        ],
        "status": event.status,
        "published_at": _iso(event.published_at),
    }


def write_rows(rows: Iterable[dict[str, Any]], out: IO[str], fmt: str) -> int:
    """Write rows as JSON Lines or CSV; returns how many were written."""
    count = 0
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    # CRLF as RFC 4180 says: it also makes the csv module quote a cell that
    # holds a lone carriage return, which it leaves bare with "\n" line ends.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cells = dict(row)
        cells["sources"] = json.dumps(row["sources"], ensure_ascii=False)
        writer.writerow(
            ["" if cells[c] is None else neutralise(cells[c]) for c in COLUMNS]
        )
        count += 1
    return count
