"""Which format a body is in, by sniffing it first and then, only if that
says nothing, by its Content-Type."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable
from typing import Any

from events.choices import FeedFormat
from events.ingest.parse.citizenlab import is_test_list_header
from events.ingest.parse.document import JSON_LINES, BadLine, Document
from events.ingest.parse.json_feed import is_json_feed
from events.ingest.parse.lumen import is_lumen_search
from events.ingest.parse.ooni import is_measurement
from events.ingest.parse.ooni_findings import is_findings
from events.ingest.parse.sflc import is_sflc_records
from events.ingest.parse.stop import is_stop_header
from events.ingest.types import WEB_PAGE, ParseError
from events.interchange import COLUMNS, REQUIRED

_SNIFF_BYTES = 64 * 1024
# JSON datasets recognised by their shape, after the formats above.
_DATASETS: tuple[tuple[Callable[[Any], bool], str], ...] = (
    (is_lumen_search, FeedFormat.LUMEN),
    (is_findings, FeedFormat.OONI_FINDINGS),
    (is_sflc_records, FeedFormat.SFLC_IN),
)
_XML_TYPES = ("xml", "rss", "atom", "rdf")


def detect_format(document: Document) -> str:
    """A FeedFormat value (never "auto"); ParseError names what the body
    seems to be when it is no format we read."""
    start = document.body.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    if start.startswith(b"<"):
        return FeedFormat.RSS_ATOM  # the feed parser also refuses HTML pages
    if start.startswith((b"{", b"[")):
        return _json_format(document)
    records = _first_records(start)
    if records and _is_interchange_header(records[0]):
        return FeedFormat.INTERCHANGE_CSV
    if any(is_stop_header(record) for record in records):
        return FeedFormat.STOP_CSV
    if records and is_test_list_header(records[0]):
        return FeedFormat.CITIZENLAB_TEST_LIST
    media_type = document.content_type.split(";")[0].strip().lower()
    if "html" in media_type:
        raise ParseError(WEB_PAGE)
    if any(word in media_type for word in _XML_TYPES):
        return FeedFormat.RSS_ATOM
    raise ParseError(_unrecognised_text(records, start))


def _json_format(document: Document) -> str:
    value = document.json
    if value is JSON_LINES:
        first = document.first_json_line()
        if is_measurement(first):
            return FeedFormat.OONI
        if _is_interchange_row(first):
            return FeedFormat.INTERCHANGE_JSONL
        raise ParseError(
            "unrecognised format: JSON Lines whose first line is neither an "
            f"OONI measurement nor an interchange row ({_describe(first)})"
        )
    if is_json_feed(value):
        return FeedFormat.JSON_FEED
    first = value[0] if isinstance(value, list) and value else value
    if is_measurement(first):
        return FeedFormat.OONI
    if isinstance(value, dict) and _is_interchange_row(value):
        return FeedFormat.INTERCHANGE_JSONL  # a single row on one line
    for is_format, name in _DATASETS:
        if is_format(value):
            return name
    raise ParseError(
        f"unrecognised format: {_describe(value)}; not a JSON Feed (no jsonfeed.org "
        "version), an OONI measurement (no test_keys), interchange rows, Lumen "
        "notices, OONI Findings incidents nor SFLC.in shutdown records"
    )


def _is_interchange_row(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) <= set(COLUMNS)
        and len(set(value) & set(REQUIRED)) >= 3
    )


def _is_interchange_header(cells: list[str]) -> bool:
    return _is_interchange_row(dict.fromkeys(cell.strip() for cell in cells))


def _first_records(start: bytes) -> list[list[str]]:
    """The first two CSV records of the body, or [] if it is not CSV."""
    text = start[:_SNIFF_BYTES].decode("utf-8", "replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(itertools.islice(reader, 2))
    except csv.Error:
        return []


def _describe(value: Any) -> str:
    if isinstance(value, BadLine):
        return value.message
    if isinstance(value, dict):
        keys = ", ".join(sorted(str(key) for key in value)[:8])
        return f"a JSON object with keys {keys}"
    if isinstance(value, list):
        inner = _describe(value[0]) if value else "nothing"
        return f"a JSON list of {len(value)} values, the first {inner}"
    return f"a JSON {type(value).__name__}"


def _unrecognised_text(records: list[list[str]], start: bytes) -> str:
    if records and len(records[0]) > 2:
        header = ", ".join(cell.strip() for cell in records[0][:6])
        return (
            f"unrecognised format: a CSV file whose header ({header}, …) is "
            "not the tracker interchange columns, the #KeepItOn STOP header nor a "
            "Citizen Lab test list's"
        )
    return f"not a feed: unrecognised content starting {start[:40]!r}"
