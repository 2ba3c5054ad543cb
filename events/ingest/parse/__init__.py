"""The parsing stage: a fetched body to format-independent items.

Pure functions, no database, no network. parse_document is the entry point;
it refuses an unusable or hostile document with ParseError / HostileInput and
otherwise returns every good item, with a warning for each bad one.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from events.choices import FeedFormat
from events.ingest.parse.blockpages import (
    Fingerprints,
    default_fingerprints,
    load_fingerprints,
)
from events.ingest.parse.citizenlab import parse_test_list
from events.ingest.parse.detect import detect_format
from events.ingest.parse.document import JSON_LINES, Document
from events.ingest.parse.feeds import parse_feed
from events.ingest.parse.guards import (
    DEFAULT_MAX_BYTES,
    GZIP_MAGIC,
    check_size,
    decompress_bounded,
    refuse_binary,
    warn,
    widen_to_utf8,
)
from events.ingest.parse.json_feed import parse_json_feed
from events.ingest.parse.lumen import parse_lumen
from events.ingest.parse.ooni import parse_ooni
from events.ingest.parse.ooni_findings import parse_findings
from events.ingest.parse.rows import parse_interchange
from events.ingest.parse.sflc import parse_sflc
from events.ingest.parse.stop import parse_stop
from events.ingest.types import ParseError, ParseResult

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Fingerprints",
    "decompress_bounded",
    "default_fingerprints",
    "load_fingerprints",
    "parse_document",
    "prepare_body",
]


def parse_document(
    body: bytes,
    *,
    declared_format: str = FeedFormat.AUTO,
    content_type: str = "",
    url: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    fingerprints: Fingerprints | None = None,
) -> ParseResult:
    """Parse `body` in `declared_format` (a FeedFormat value; "auto" sniffs
    the body, then looks at `content_type`). `url` only makes relative feed
    links absolute. OONI measurements are checked against `fingerprints`,
    by default the list shipped with the tracker.

    Raises ParseError when the document as a whole is unusable, HostileInput
    (a ParseError) when it is refused as dangerous."""
    document = Document(prepare_body(body, max_bytes), content_type, url)
    if declared_format == FeedFormat.AUTO:
        declared_format = detect_format(document)
    parser = _PARSERS.get(declared_format)
    if parser is None:
        raise ParseError(f"unknown format {declared_format!r}")
    result = parser(document, fingerprints or default_fingerprints())
    _flag_repeated_guids(result)
    return result


def prepare_body(body: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The body checked for size, gunzipped (bounded), re-encoded as UTF-8 if
    it was UTF-16/32, and refused if empty or binary."""
    check_size(body, max_bytes)
    if body.startswith(GZIP_MAGIC):
        body = decompress_bounded(body, max_bytes)
        if body.startswith(GZIP_MAGIC):
            raise ParseError("a body compressed twice (gzip inside gzip) is refused")
    body = widen_to_utf8(body)
    if not body.removeprefix(codecs.BOM_UTF8).strip():
        raise ParseError("an empty body")
    refuse_binary(body)
    return body


def _rss_atom(document: Document, _: Fingerprints) -> ParseResult:
    return parse_feed(
        document.body, content_type=document.content_type, url=document.url
    )


def _json_feed(document: Document, _: Fingerprints) -> ParseResult:
    return parse_json_feed(document.json)


def _interchange_jsonl(document: Document, _: Fingerprints) -> ParseResult:
    return parse_interchange(document.text, "jsonl")


def _interchange_csv(document: Document, _: Fingerprints) -> ParseResult:
    return parse_interchange(document.text, "csv")


def _ooni(document: Document, fingerprints: Fingerprints) -> ParseResult:
    value = document.json
    if value is JSON_LINES:
        labelled = [(f"line {n}", v) for n, v in document.json_lines()]
    elif isinstance(value, list):
        labelled = [(f"measurement {n}", v) for n, v in enumerate(value, start=1)]
    else:
        labelled = [("the measurement", value)]
    return parse_ooni(labelled, fingerprints)


def _stop_csv(document: Document, _: Fingerprints) -> ParseResult:
    return parse_stop(document.text)


def _lumen(document: Document, _: Fingerprints) -> ParseResult:
    return parse_lumen(document.json)


def _ooni_findings(document: Document, _: Fingerprints) -> ParseResult:
    return parse_findings(document.json)


def _sflc_in(document: Document, _: Fingerprints) -> ParseResult:
    return parse_sflc(document.json)


def _citizenlab_test_list(document: Document, _: Fingerprints) -> ParseResult:
    return parse_test_list(document.text)


_PARSERS: dict[str, Callable[[Document, Fingerprints], ParseResult]] = {
    FeedFormat.RSS_ATOM: _rss_atom,
    FeedFormat.JSON_FEED: _json_feed,
    FeedFormat.INTERCHANGE_JSONL: _interchange_jsonl,
    FeedFormat.INTERCHANGE_CSV: _interchange_csv,
    FeedFormat.OONI: _ooni,
    FeedFormat.STOP_CSV: _stop_csv,
    FeedFormat.LUMEN: _lumen,
    FeedFormat.OONI_FINDINGS: _ooni_findings,
    FeedFormat.SFLC_IN: _sflc_in,
    FeedFormat.CITIZENLAB_TEST_LIST: _citizenlab_test_list,
}


def _flag_repeated_guids(result: ParseResult) -> None:
    """Warn about items that share a guid: the store keeps only one of them."""
    first_seen: dict[str, int] = {}
    for index, item in enumerate(result.items):
        first = first_seen.setdefault(item.guid, index)
        if first != index:
            warn(
                result, index, f"item {index + 1} repeats the guid of item {first + 1}"
            )
