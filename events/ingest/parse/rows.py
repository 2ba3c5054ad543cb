"""The tracker's own interchange format (docs/data-format.md), JSON Lines or
CSV: every good row is a ready candidate; a bad row is a warning with its
line number."""

from __future__ import annotations

import io
from typing import Any

from events.choices import FeedFormat
from events.dates import format_partial_date
from events.ingest.parse.guards import warn
from events.ingest.parse.text import clean_text, json_hash, one_line, to_jsonable
from events.ingest.types import Candidate, Guess, ParsedItem, ParseError, ParseResult
from events.interchange import EventRow, RowError, parse_row
from events.interchange_files import read_rows

_FORMATS = {"jsonl": FeedFormat.INTERCHANGE_JSONL, "csv": FeedFormat.INTERCHANGE_CSV}


def parse_interchange(text: str, fmt: str) -> ParseResult:
    """Rows of an interchange document; `fmt` is "jsonl" or "csv"."""
    result = ParseResult(format=_FORMATS[fmt])
    # A lone surrogate (from bytes the fetcher could not decode) makes its
    # line fail as not UTF-8, like any such line of an imported file.
    stream = io.BytesIO(text.encode("utf-8", "surrogatepass"))
    for line, raw in read_rows(stream, fmt):
        if isinstance(raw, RowError):
            if fmt == "csv" and line == 1:
                raise ParseError(f"not tracker interchange CSV: {raw}")
            warn(result, None, f"line {line}: {raw}")
            continue
        try:
            row = parse_row(line, raw)
        except RowError as exc:
            warn(result, None, f"line {line}: {exc}")
            continue
        result.items.append(row_item(row, raw))
    return result


def _guess(value: Any) -> Guess:
    return Guess(value, 1.0)


def _text_guess(value: str) -> Guess | None:
    value = clean_text(value)
    return Guess(value, 1.0) if value.strip() else None


def row_candidate(row: EventRow) -> Candidate:
    """The row's fields as a candidate the curators gave: confidence 1."""
    ended_on = None
    if row.ended_on is not None:
        ended_on = _guess((row.ended_on, str(row.ended_on_precision)))
    return Candidate(
        is_event=True,
        confidence=1.0,
        platform=_guess(one_line(row.platform)),
        target=_guess(one_line(row.target)),
        target_type=_guess(row.target_type),
        target_url=_text_guess(row.target_url),
        authority=_text_guess(one_line(row.authority)),
        country=_guess(row.country),
        action=_guess(row.action),
        date=_guess((row.date, str(row.date_precision))),
        ended_on=ended_on,
        notice_text=_text_guess(row.notice_text),
        notice_language=_text_guess(row.notice_language),
        summary=_text_guess(row.summary),
        reason=f"tracker interchange row (line {row.line})",
    )


def row_item(row: EventRow, raw: dict[str, Any]) -> ParsedItem:
    when = format_partial_date(row.date, row.date_precision)
    return ParsedItem(
        # The row's own id, else its content: a replay maps to the same guid.
        guid=row.id or json_hash(raw),
        link=row.sources[0].url if row.sources else "",
        title=one_line(f"{row.platform}: {row.target} {row.action}, {row.country}")
        + f" ({when})",
        text=clean_text(row.summary or row.notice_text).strip(),
        published_at=row.published_at,
        raw=to_jsonable(raw),
        candidate=row_candidate(row),
    )
