"""Every corpus document goes through parse_document (format "auto") and
comes out as items or as a ParseError, never as any other exception."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from events.choices import FeedFormat
from events.ingest.parse import parse_document
from events.ingest.types import ParseError
from tests.events.ingest.corpus import corpus_files

RSS = FeedFormat.RSS_ATOM
JSON_FEED = FeedFormat.JSON_FEED
OONI = FeedFormat.OONI
UNRECOGNISED = "unrecognised format"
# File name: (format, item count), or the start of the ParseError message.
OUTCOMES: dict[str, tuple[str, int] | str] = {
    "atom-feedburner-xhtml.xml": (RSS, 10),
    "atom-google-alerts.xml": (RSS, 20),
    "atom-intertwingly-samruby.atom": (RSS, 20),
    "atom-talkingpointsmemo-news-2017.atom": (RSS, 20),
    "atom-unknown-namespace.atom": (RSS, 1),
    "atom-xkcd.atom": (RSS, 4),
    "atom-youtube-channel.xml": (RSS, 15),
    "atom-zh-big5-no-encoding-decl.xml": (RSS, 0),
    "atom-zh-ruanyifeng-2025.xml": (RSS, 3),
    "atom-zh-v2ex-2025.xml": (RSS, 50),
    "jsonfeed-v1-daringfireball.json": (JSON_FEED, 48),
    "jsonfeed-v1-example.json": (JSON_FEED, 2),
    "jsonfeed-v1-jsonfeed-org.json": (JSON_FEED, 1),
    "jsonfeed-v1-microblog-no-titles.json": (JSON_FEED, 1),
    "not-a-feed.html": "this address is a web page, not a feed",
    "rss-ru-koi8r-no-encoding-decl.xml": (RSS, 1),
    "rss-zh-gb2312-no-encoding-decl.xml": (RSS, 1),
    "rss1-rdf-sample.rdf": (RSS, 1),
    "rss1-rdf-typepad-hrefconsideredharmful.xml": (RSS, 10),
    "rss1-rdf-w3c-spec-xmlcom.rdf": (RSS, 2),
    "rss2-braingle-guid-dupes.xml": (RSS, 1),
    "rss2-guardian-facebook-2017.xml": (RSS, 20),
    "rss2-huffpost-canada-cdata.xml": (RSS, 2),
    "rss2-incomplete-cdata.xml": (RSS, 0),
    "rss2-ja-whitespace-title-example.xml": (RSS, 1),
    "rss2-ko-euc-kr.xml": (RSS, 0),
    "rss2-mediacontent-dupes.xml": (RSS, 1),
    "rss2-nshipster-invalid-chars.xml.gz": (RSS, 25),
    "rss2-nytimes-technology-2017.xml": (RSS, 38),
    "rss2-ooni-blog-2025-snippet.xml": (RSS, 1),
    "rss2-pcmag-dvorak-illegally-nested.xml": (RSS, 10),
    "rss2-ru-oren-windows1251.xml": (RSS, 10),
    "rss2-ru-oren-windows1251.xml.gz": (RSS, 10),
    "rss2-saxerror-unescaped-ampersand.xml": (RSS, 3),
    "rss2-spec-sample-liftoff.xml": (RSS, 4),
    "rss2-washingtonpost-wellness.xml": (RSS, 29),
    "rss2-washingtonpost-world-2017.xml": (RSS, 25),
    "rss2-zh-meituan-tech.xml": (RSS, 10),
    "rss2-zh-ruanyifeng-2025.xml": (RSS, 6),
    "accessnow-keepiton-stop-2020.csv": (FeedFormat.STOP_CSV, 218),
    "citizenlab-test-lists-rows-noted-blocked.csv": (
        FeedFormat.CITIZENLAB_TEST_LIST,
        127,
    ),
    "lumen-api-notices-twitter-dmca-2017-04-14.json": (FeedFormat.LUMEN, 50),
    "ooni-citizenlab-blocking-fingerprints-dns.json": UNRECOGNISED,
    "ooni-citizenlab-blocking-fingerprints-http.json": UNRECOGNISED,
    "ooni-findings-incidents-api-sample.json": (FeedFormat.OONI_FINDINGS, 3),
    "ooni-telegram-IT-2019-12-03.json": (OONI, 1),
    "ooni-vanilla-tor-CN-2022-08-02.json": (OONI, 1),
    "ooni-webconnectivity-AU-feminist-org-http-failure-2017.json": (OONI, 1),
    "ooni-webconnectivity-CN-efindlove-dns-2017-05-16.json": (OONI, 1),
    "ooni-webconnectivity-ID-archive-org-blockpage-redirect-2025-05-27.json": (
        OONI,
        1,
    ),
    "ooni-webconnectivity-IR-fa-wikipedia-dns-2020-03-02.json": (OONI, 1),
    "ooni-webconnectivity-IR-facebook-dns-2022-08-15.json": (OONI, 1),
    "ooni-webconnectivity-IR-yooz-null-2022-08-15.json": (OONI, 1),
    "ooni-webconnectivity-NL-fa-wikipedia-http-failure-2020.json": (OONI, 1),
    "sflc-in-india-internet-shutdowns.json": (FeedFormat.SFLC_IN, 114),
}
# C0 controls other than tab and newline must never reach the database.
FORBIDDEN = {chr(code) for code in range(32) if chr(code) not in "\t\n"}


@pytest.mark.parametrize("path", corpus_files(), ids=lambda path: path.name)
def test_every_corpus_file_gives_items_or_a_parse_error(path: Path) -> None:
    try:
        result = parse_document(path.read_bytes())
    except ParseError as exc:
        assert str(exc)
        return
    assert result.format in FeedFormat.values
    assert result.format != FeedFormat.AUTO
    for item in result.items:
        json.dumps(item.raw)
        assert item.guid
        assert not FORBIDDEN & set(item.title + item.text)
        assert item.published_at is None or item.published_at.utcoffset() is not None


def test_every_corpus_file_has_an_expected_outcome() -> None:
    assert {path.name for path in corpus_files()} == set(OUTCOMES)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda path: path.name)
def test_corpus_file_outcome(path: Path) -> None:
    expected = OUTCOMES[path.name]
    if isinstance(expected, str):
        with pytest.raises(ParseError, match=f"^{expected}"):
            parse_document(path.read_bytes())
        return
    result = parse_document(path.read_bytes())
    assert (result.format, len(result.items)) == expected
