"""Checks every body passes before any parser sees it: size, compression,
binary content, and (for XML) entity tricks. All bounded in time and memory."""

from __future__ import annotations

import codecs
import re
import zlib
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

import defusedxml.sax
from defusedxml import (
    DefusedXmlException,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)

from events.ingest.types import HostileInput, ParseError, ParseResult

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # the fetcher's limit too
# Parsers hold every item in memory (feedparser ~50 bytes a byte of tiny
# items), so a body of nothing but empty items or values is refused.
MAX_FEED_ITEMS = 10_000
MAX_JSON_CONTAINERS = 1_000_000
MAX_WARNINGS = 200  # a garbage CSV would otherwise give one a line
GZIP_MAGIC = b"\x1f\x8b"
# Signatures of common binary files, for a clear message rather than "not a feed".
_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\xfd7zXZ\x00": "an xz archive",
    b"\x28\xb5\x2f\xfd": "a zstd archive",
}
# Byte-order marks, and "<" in UTF-32 without one (_WIDE_START: UTF-16).
_WIDE = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
)
_WIDE_START = re.compile(rb"^(?:([<{\[])\x00|\x00([<{\[]))")
# The RSS 0.91 DTD is the only external DTD a feed names in practice. Nothing
# here ever fetches a DTD; any other one is refused as an XXE probe.
_KNOWN_DTDS = {
    "-//Netscape Communications//DTD RSS 0.91//EN",
    "http://my.netscape.com/publish/formats/rss-0.91.dtd",
    "http://www.rssboard.org/rss-0.91.dtd",
    "http://www.scripting.com/dtd/rss-0_91.dtd",
}
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
# Where feedparser's own DOCTYPE handling ends the prolog (sanitizer.replace_doctype).
_FIRST_ELEMENT = re.compile(rb"<\w")


def warn(result: ParseResult, index: int | None, message: str) -> None:
    """Add a warning, up to MAX_WARNINGS; the last one says more were dropped."""
    if len(result.warnings) < MAX_WARNINGS:
        result.warnings.append((index, message))
    elif len(result.warnings) == MAX_WARNINGS:
        result.warnings.append((None, "further warnings omitted"))


def check_size(body: bytes, max_bytes: int) -> None:
    if len(body) > max_bytes:
        raise HostileInput(
            f"the body is {len(body):,} bytes, over the {max_bytes:,}-byte limit"
        )


def decompress_bounded(body: bytes, max_bytes: int) -> bytes:
    """Gunzip `body` (one or more gzip members), refusing to produce more than
    `max_bytes`: a gzip bomb is stopped after `max_bytes`, never inflated."""
    if not body.startswith(GZIP_MAGIC):
        raise ParseError("not a gzip body")
    out = bytearray()
    data = body
    while data.startswith(GZIP_MAGIC):
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        pending = data
        try:
            while pending:
                out += inflater.decompress(pending, max_bytes - len(out) + 1)
                if len(out) > max_bytes:
                    raise HostileInput(
                        f"the gzip body inflates to over {max_bytes:,} bytes "
                        "(a decompression bomb?)"
                    )
                pending = inflater.unconsumed_tail
        except zlib.error as exc:
            raise ParseError(f"a corrupt gzip body: {exc}") from exc
        if not inflater.eof:
            raise ParseError("a truncated gzip body")
        data = inflater.unused_data  # a further member, or trailing padding
    return bytes(out)


def widen_to_utf8(body: bytes) -> bytes:
    """Re-encode a UTF-16 or UTF-32 body as UTF-8, so that later byte-level
    checks (NUL bytes, entity declarations) see ASCII as ASCII."""
    encoding = next((name for mark, name in _WIDE if body.startswith(mark)), None)
    if encoding is None:
        match = _WIDE_START.match(body[:2])
        if not match:
            return body
        encoding = "utf-16-le" if match.group(1) else "utf-16-be"
    try:
        return body.decode(encoding).lstrip("\ufeff").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(f"not valid {encoding.upper()} text: {exc.reason}") from exc


def refuse_binary(body: bytes) -> None:
    for signature, what in _SIGNATURES.items():
        if body.startswith(signature):
            raise ParseError(f"binary content ({what}), not a feed")
    position = body.find(b"\x00")
    if position != -1:
        raise HostileInput(
            f"binary content: a NUL byte at offset {position}; text formats "
            "never contain one"
        )


class _Ignore(ContentHandler):
    """Builds nothing: the check only needs the parser's events to run."""


def check_xml(body: bytes) -> None:
    """Refuse entity declarations (billion laughs, quadratic blowup, external
    and parameter entities) and external DTDs other than RSS 0.91's.

    `body` must be UTF-8 (see feeds.decode_xml). An ill-formed document is not
    hostile: feedparser's lenient parser reads it later. The prolog is also
    scanned as bytes, because a document that is ill-formed before its DOCTYPE
    stops the XML parser before it sees any declaration."""
    prolog = body[: _first_element(body)]
    if _ENTITY_DECL.search(prolog):
        raise HostileInput("XML entity declarations are refused (entity expansion)")
    try:
        defusedxml.sax.parseString(
            body,
            _Ignore(),
            forbid_dtd=False,
            forbid_entities=True,
            forbid_external=True,
        )
    except ExternalReferenceForbidden as exc:
        if {exc.pubid, exc.sysid} & _KNOWN_DTDS:
            return  # the DTD ends the prolog: no declaration can follow it
        raise HostileInput(
            f"an external reference is refused: {exc.sysid or exc.pubid}"
        ) from exc
    except EntitiesForbidden as exc:
        raise HostileInput(
            f"XML entity declarations are refused (entity {exc.name!r})"
        ) from exc
    except DefusedXmlException as exc:
        raise HostileInput(f"refused XML: {exc}") from exc
    except SAXException:
        return  # ill-formed, not hostile


def _first_element(body: bytes) -> int:
    match = _FIRST_ELEMENT.search(body)
    return match.start() if match else len(body)
