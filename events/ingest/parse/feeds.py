"""RSS 0.9x/1.0/2.0 and Atom, read with feedparser once the XML is checked.

The body is decoded here, not by feedparser: without chardet (not a
dependency) feedparser reads an undeclared KOI8-R or GB2312 feed as
windows-1252. Decoding first also lets the XML checks run on UTF-8 whatever
the document's own encoding, and feedparser then gets UTF-8 only.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Mapping
from typing import Any
from xml.sax import SAXParseException

import charset_normalizer
import feedparser

from events.choices import FeedFormat
from events.ingest.parse.guards import MAX_FEED_ITEMS, check_xml, warn
from events.ingest.parse.text import (
    content_hash,
    html_to_text,
    one_line,
    plain_block,
    struct_time_utc,
    to_jsonable,
)
from events.ingest.types import (
    WEB_PAGE,
    HostileInput,
    ParsedItem,
    ParseError,
    ParseResult,
)

_DECLARED = re.compile(r"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_DECLARATION = re.compile(r"""^(<\?xml[^>]*?\bencoding\s*=\s*["'])[^"']*(["'])""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Characters XML 1.0 forbids; a feed that has some is still worth reading.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PROLOG = re.compile(
    r"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.DOTALL | re.I
)
_ELEMENT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_ITEM_START = re.compile(rb"<(?:\w+:)?(?:item|entry)\b")
# Encodings web pages and feeds use (the WHATWG Encoding Standard's, less the
# Mac ones): left free to choose among all it knows, charset-normalizer reads
# a large windows-1251 feed as mac-cyrillic.
_WEB_ENCODINGS = [
    *("big5", "cp866", "cp874", "cp932", "cp949", "cp950", "euc_jp", "euc_kr"),
    *("gb18030", "gb2312", "gbk", "iso2022_jp", "koi8_r", "koi8_u", "latin_1"),
    *(f"cp{number}" for number in range(1250, 1259)),
    *(f"iso8859_{number}" for number in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
    "shift_jis",
]
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030"}  # as feedparser does
# feedparser's own failures on pathological input, beyond the SAX errors it
# catches itself (its lenient parser is sgmllib, which asserts).
_FEEDPARSER_ERRORS = (
    AssertionError,
    IndexError,
    KeyError,
    NotImplementedError,
    RecursionError,
    TypeError,
    UnicodeError,
    ValueError,
)


def parse_feed(body: bytes, *, content_type: str = "", url: str = "") -> ParseResult:
    """Items of an RSS or Atom document (a bad item becomes a warning)."""
    text, notes = decode_xml(body, content_type)
    root = root_element(text)
    if root and root.lower() == "html":
        raise ParseError(WEB_PAGE)
    data = _utf8_document(text)
    check_xml(data)
    if len(_ITEM_START.findall(data)) > MAX_FEED_ITEMS:
        raise HostileInput(f"over {MAX_FEED_ITEMS:,} items: refused")
    parsed = _run_feedparser(data, url)
    if not parsed.get("version") and not parsed.entries:
        raise ParseError(_not_a_feed(root))
    result = ParseResult(format=FeedFormat.RSS_ATOM, title=_title(parsed.feed))
    for note in notes:
        warn(result, None, note)
    if parsed.get("bozo"):
        warn(result, None, _bozo_message(parsed.get("bozo_exception")))
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            item = _item(entry)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            warn(result, None, f"item {number} skipped: {exc}")
            continue
        if item.title or item.text or item.link:
            result.items.append(item)
        else:  # e.g. an <item/> nested in another: feedparser makes an entry of it
            warn(result, None, f"item {number} skipped: it is empty")
    return result


def decode_xml(body: bytes, content_type: str = "") -> tuple[str, list[str]]:
    """The document as text, and notes on how its encoding was chosen.

    Bytes that are valid UTF-8 are read as UTF-8 whatever is declared: feeds
    that declare ISO-8859-1 but are UTF-8 are common, while legacy text that
    happens to be valid UTF-8 is vanishingly rare. Otherwise the XML
    declaration, else the Content-Type charset, else a detected encoding
    (charset-normalizer)."""
    body = body.removeprefix(codecs.BOM_UTF8)
    prefix = body[:512].decode("ascii", "replace").lstrip()
    declared = [_match(_DECLARED, prefix), _match(_CHARSET, content_type)]
    declared = [name for name in dict.fromkeys(declared) if name]
    notes: list[str] = []
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        codec = _codec(declared[0]) if declared else "utf-8"
        if codec and not codec.startswith("utf-") and not body.isascii():
            notes.append(f"declared as {declared[0]} but is UTF-8: read as UTF-8")
        return text, notes
    for name in declared:
        codec = _codec(name)
        if codec is None:
            notes.append(f"unknown encoding {name!r} ignored")
            continue
        try:
            return body.decode(codec), notes
        except UnicodeDecodeError as exc:
            notes.append(f"declared as {name} but not valid {name} ({exc.reason})")
    guess = charset_normalizer.from_bytes(body, cp_isolation=_WEB_ENCODINGS).best()
    codec = _codec(guess.encoding) if guess else None
    if codec is None:
        notes.append("encoding unknown: read as UTF-8, undecodable bytes replaced")
        return body.decode("utf-8", "replace"), notes
    notes.append(f"no usable encoding declared: read as {codec} (detected)")
    return body.decode(codec, "replace"), notes


def root_element(text: str) -> str | None:
    """The name of the first element, after any declaration, processing
    instructions, comments and DOCTYPE; None if there is none."""
    position = 0
    while match := _PROLOG.match(text, position):
        if match.end() == position:
            break
        position = match.end()
    element = _ELEMENT.match(text, position)
    return element.group(1) if element else None


def _match(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    return match.group(1) if match else ""


def _codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(codec, codec)


def _utf8_document(text: str) -> bytes:
    """UTF-8 bytes with a declaration that says so, nothing before it (strict
    XML parsers refuse even whitespace there) and no XML-invalid characters."""
    text = text.lstrip("\ufeff \t\r\n")
    text = _DECLARATION.sub(r"\g<1>utf-8\g<2>", text, count=1)
    return _XML_INVALID.sub("", text).encode("utf-8")


def _run_feedparser(data: bytes, url: str) -> Any:
    # A stream, never bytes or str: feedparser takes a string for a URL or a
    # path and would fetch or open it.
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url  # only to make relative links absolute
    try:
        return feedparser.parse(
            io.BytesIO(data),
            response_headers=headers,
            resolve_relative_uris=False,
            sanitize_html=True,
        )
    except _FEEDPARSER_ERRORS as exc:
        raise ParseError(f"the feed could not be read: {exc!r}") from exc


def _not_a_feed(root: str | None) -> str:
    if root:
        return f"not a feed: an XML document whose root is <{root}>, not RSS or Atom"
    return "not a feed: unrecognised content"


def _bozo_message(exc: Any) -> str:
    if isinstance(exc, SAXParseException):
        return (
            f"ill-formed XML (line {exc.getLineNumber()}, column "
            f"{exc.getColumnNumber()}: {exc.getMessage()}); read leniently, "
            "so some content may be missing"
        )
    return f"feed problem: {exc}"


def _title(node: Mapping[str, Any]) -> str:
    detail = node.get("title_detail") or {}
    return one_line(_as_text(str(node.get("title") or ""), detail.get("type", "")))


def _as_text(value: str, mime_type: str) -> str:
    if "html" in mime_type:
        return html_to_text(value)
    return plain_block(value)


def _entry_text(entry: Mapping[str, Any]) -> str:
    """The entry's content (the longest, if several), else its summary."""
    contents = [
        part
        for part in entry.get("content") or []
        if isinstance(part, Mapping) and part.get("value")
    ]
    if contents:
        best = max(contents, key=lambda part: len(part["value"]))
    elif entry.get("summary"):
        best = entry.get("summary_detail") or {"value": entry["summary"]}
    else:
        return ""
    return _as_text(str(best.get("value", "")), best.get("type", "text/html"))


def _item(entry: Mapping[str, Any]) -> ParsedItem:
    title = _title(entry)
    text = _entry_text(entry)
    link = one_line(str(entry.get("link") or ""))
    guid = one_line(str(entry.get("id") or "")) or link or content_hash(title, text)
    published_at = struct_time_utc(entry.get("published_parsed"))
    return ParsedItem(
        guid=guid,
        link=link,
        title=title,
        text=text,
        published_at=published_at or struct_time_utc(entry.get("updated_parsed")),
        raw=to_jsonable(dict(entry)),
    )
