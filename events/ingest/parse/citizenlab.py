"""Citizen Lab test lists (https://github.com/citizenlab/test-lists): CSV with
the header url, category_code, category_description, date_added, source,
notes (a combined file may add list_file, e.g. "lists/cn.csv").

A test list is a catalogue of websites worth testing, not a record of
blocking: its rows are never events. read_test_list reads them for
events.services.target_categories, which gives existing website targets
their category; as a feed format each row is kept as a non-event item whose
reason says so.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from events.choices import FeedFormat
from events.ingest.parse.guards import warn
from events.ingest.parse.text import content_hash, one_line
from events.ingest.types import Candidate, ParsedItem, ParseError, ParseResult

HEADER = {"url", "category_code", "category_description"}
_LIST_FILE = re.compile(r"(?:^|/)([a-z]{2})\.csv$")
_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,19}")
NOT_AN_EVENT = (
    "a Citizen Lab test-list entry: a catalogue of sites to test, not a report "
    "of blocking (manage.py import_test_list gives targets its category)"
)


@dataclass(frozen=True)
class ListEntry:
    line: int
    url: str
    category_code: str
    category_description: str
    country: str  # ISO code of the list it came from; "" for global or unknown
    notes: str


def is_test_list_header(cells: list[str]) -> bool:
    return {cell.strip() for cell in cells} >= HEADER


def read_test_list(text: str) -> tuple[list[ListEntry], ParseResult]:
    """The good rows, and a ParseResult holding a warning ("line 7: …") for
    each bad one. ParseError when the text is not a test list at all."""
    result = ParseResult(format=FeedFormat.CITIZENLAB_TEST_LIST)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise ParseError(f"not valid CSV: {exc}") from exc
    if not is_test_list_header(header):
        raise ParseError(
            "not a Citizen Lab test list: the header lacks url, category_code "
            "and category_description"
        )
    reader.fieldnames = [name.strip() for name in header]
    entries: list[ListEntry] = []
    line = 2
    try:
        for row in reader:
            try:
                entries.append(_entry(line, row))
            except ValueError as exc:
                warn(result, None, f"line {line}: {exc}")
            line = reader.line_num + 1
    except csv.Error as exc:
        warn(result, None, f"line {line}: not valid CSV ({exc}); the rest was not read")
    return entries, result


def parse_test_list(text: str) -> ParseResult:
    """The rows as non-event items (see the module's docstring)."""
    entries, result = read_test_list(text)
    result.title = "Citizen Lab test list"
    for entry in entries:
        result.items.append(
            ParsedItem(
                guid=content_hash("citizenlab", entry.country, entry.url),
                link=entry.url,
                title=one_line(f"{entry.url}: {entry.category_description}"),
                text=entry.notes,
                published_at=None,
                raw={
                    "line": entry.line,
                    "url": entry.url,
                    "category_code": entry.category_code,
                    "category_description": entry.category_description,
                    "country": entry.country,
                    "notes": entry.notes,
                },
                candidate=Candidate(
                    is_event=False, confidence=0.0, reason=NOT_AN_EVENT
                ),
            )
        )
    return result


def _entry(line: int, row: dict[str | None, str | list[str] | None]) -> ListEntry:
    if None in row:
        raise ValueError("more cells than the header has")
    cells = {str(k): one_line(v) if isinstance(v, str) else "" for k, v in row.items()}
    url = cells.get("url", "")
    try:
        host = urlsplit(url).hostname if "://" in url else None
    except ValueError:
        host = None
    if not host:
        raise ValueError(f"url {url!r} is not a web address")
    code = cells.get("category_code", "").upper()
    if not _CODE.fullmatch(code):
        raise ValueError(f"category_code {code!r} is not a category code")
    match = _LIST_FILE.search(cells.get("list_file", "").casefold())
    return ListEntry(
        line=line,
        url=url,
        category_code=code,
        category_description=cells.get("category_description", "")[:100],
        country=match.group(1).upper() if match else "",
        notes=cells.get("notes", ""),
    )
