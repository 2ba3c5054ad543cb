"""The interchange format (JSON Lines and CSV): reading and writing rows.

Pure functions, no database: `read_rows` turns a file into numbered raw rows,
`parse_row` checks one raw row and returns plain values, `event_to_row` writes
an event back. The format is documented in docs/data-format.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from events.choices import DatePrecision, Status
from events.csv_cells import neutralise, restore
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


def read_rows(
    stream: IO[str], fmt: str
) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """Yield (line number, raw row) pairs, or (line number, RowError) for a line
    that is not a row at all. Reads one line at a time."""
    if fmt == "jsonl":
        yield from _read_jsonl(stream)
    elif fmt == "csv":
        yield from _read_csv(stream)
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _read_jsonl(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, RowError(f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(value, dict):
            yield number, RowError("each line must be a JSON object")
            continue
        yield number, value


def _csv_records(stream: IO[str]) -> Iterator[tuple[int, list[str] | RowError]]:
    """(first line number, cells) per record. A record the csv module cannot
    read (e.g. a cell over its size limit) ends the file: where the next
    record starts is then unknown."""
    reader = csv.reader(stream)
    start = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, RowError(f"not valid CSV ({exc}); the rest was not read")
            return
        yield start, record
        start = reader.line_num + 1


def _read_csv(stream: IO[str]) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    records = _csv_records(stream)
    first = next(records, None)
    if first is None:
        return
    header = first[1]
    if isinstance(header, RowError):
        yield 1, header
        return
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        yield 1, RowError(f"unknown column(s): {', '.join(unknown)}")
        return
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        yield 1, RowError(f"repeated column(s): {', '.join(repeated)}")
        return
    for number, record in records:
        if isinstance(record, RowError):
            yield number, record
            return
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            yield number, RowError(f"expected {len(header)} cells, found {len(record)}")
            continue
        row: dict[str, Any] = {
            k: restore(v) for k, v in zip(header, record, strict=True) if v != ""
        }
        if "sources" in row:
            try:
                row["sources"] = json.loads(row["sources"])
            except json.JSONDecodeError as exc:
                yield number, RowError(f"sources: not a JSON list ({exc.msg})")
                continue
        yield number, row


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
        notice_text=_text(raw, "notice_text", strip=False),
        notice_language=_text(raw, "notice_language"),
        summary=_text(raw, "summary", strip=False),
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


def open_text(stream: IO[bytes]) -> io.TextIOWrapper:
    """Decode a byte stream as UTF-8 (a byte-order mark is allowed), keeping
    line breaks inside values exactly as they are."""
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
