"""RSS and Atom: encodings, gzip, guids, text, dates and ill-formed XML."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from events.choices import FeedFormat
from events.ingest.parse import parse_document
from events.ingest.types import ParseError, ParseResult
from tests.events.ingest.corpus import feed


def parse_feed_file(name: str, **options: str) -> ParseResult:
    return parse_document(feed(name), **options)


def rss(items: str, *, declaration: str = '<?xml version="1.0"?>') -> bytes:
    return (
        f"{declaration}<rss version='2.0'><channel><title>T</title>"
        f"{items}</channel></rss>"
    ).encode()


def test_windows_1251_feed_is_read_as_cyrillic() -> None:
    result = parse_feed_file("rss2-ru-oren-windows1251.xml")
    assert result.title == "Новости Оренбурга и области / Раздел Новости"
    assert result.items[1].title == "ЧОПовцы в Оренбурге избили молодого человека"


def test_gzip_copy_gives_the_same_items_as_the_plain_file() -> None:
    plain = parse_feed_file("rss2-ru-oren-windows1251.xml")
    gzipped = parse_feed_file("rss2-ru-oren-windows1251.xml.gz")
    assert [item.title for item in gzipped.items] == [i.title for i in plain.items]


def test_gzipped_feed_with_invalid_characters_is_read() -> None:
    result = parse_feed_file("rss2-nshipster-invalid-chars.xml.gz")
    assert result.title == "NSHipster"
    assert all(item.title for item in result.items)


def test_undeclared_koi8_r_is_detected() -> None:
    result = parse_feed_file("rss-ru-koi8r-no-encoding-decl.xml")
    assert result.items[0].title == "Как пережить новогоднюю ночь"
    assert result.items[0].text.startswith("Наверное, единственное")
    assert any("koi8-r" in message for _, message in result.warnings)


def test_undeclared_gb2312_is_detected() -> None:
    result = parse_feed_file("rss-zh-gb2312-no-encoding-decl.xml")
    assert result.items[0].title == "不归移民漫画系列：专业工作"


def test_undeclared_big5_is_detected() -> None:
    result = parse_feed_file("atom-zh-big5-no-encoding-decl.xml")
    # The upstream file itself has "?" where characters were lost.
    assert result.title.startswith("我希望")
    assert "翻?成中文" in result.title


def test_declared_euc_kr_is_read_as_korean() -> None:
    assert parse_feed_file("rss2-ko-euc-kr.xml").title == "년"


def test_feed_declared_iso_8859_1_but_encoded_as_utf_8_is_read_as_utf_8() -> None:
    result = parse_feed_file("rss2-mediacontent-dupes.xml")
    assert result.items[0].raw["media_credit"][0]["content"] == "© Bettmann/CORBIS"
    assert result.items[0].title.startswith("Could the infamous Black Dahlia case")


def test_declared_iso_8859_1_is_read_as_latin_1() -> None:
    body = rss("<item><title>Caf\xe9 ferm\xe9</title></item>").replace(
        b"?>", b" encoding='iso-8859-1'?>", 1
    )
    body = body.decode().encode("latin-1")
    assert parse_document(body).items[0].title == "Café fermé"


def test_content_type_charset_is_used_when_the_document_declares_none() -> None:
    body = rss("<item><title>Москва</title></item>").decode().encode("cp1251")
    result = parse_document(body, content_type="application/rss+xml; charset=cp1251")
    assert result.items[0].title == "Москва"


def test_utf_16_feed_is_read() -> None:
    text = rss("<item><title>Überwachung</title></item>").decode()
    body = text.replace("?>", " encoding='utf-16'?>", 1).encode("utf-16")
    assert parse_document(body).items[0].title == "Überwachung"


def test_chinese_feed_with_whitespace_before_the_declaration_is_well_formed() -> None:
    result = parse_feed_file("rss2-zh-ruanyifeng-2025.xml")
    assert result.title == "阮一峰的网络日志"
    assert result.items[0].title == "科技爱好者周刊（第 375 期）：一扇门的 Bug"
    assert result.warnings == []


def test_japanese_title_padded_with_blank_lines_is_collapsed() -> None:
    result = parse_feed_file("rss2-ja-whitespace-title-example.xml")
    assert result.title == "本当に簡単なシンジケーションの例"


def test_known_item_of_a_news_feed() -> None:
    result = parse_feed_file("rss2-guardian-facebook-2017.xml")
    titles = [item.title for item in result.items]
    title = (
        "Facebook blocks Chechnya activist page in latest case of wrongful censorship"
    )
    assert title in titles


def test_item_fields() -> None:
    result = parse_feed_file("rss2-spec-sample-liftoff.xml")
    item = result.items[0]
    assert result.format == FeedFormat.RSS_ATOM
    assert item.title == "Star City"
    assert item.link == "http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp"
    assert item.guid == "http://liftoff.msfc.nasa.gov/2003/06/03.html#item573"
    assert item.published_at == dt.datetime(2003, 6, 3, 9, 39, 21, tzinfo=dt.UTC)
    assert item.text.startswith("How do Americans get ready to work with Russians")
    assert item.candidate is None


def test_html_is_stripped_and_paragraphs_kept() -> None:
    item = parse_feed_file("rss2-braingle-guid-dupes.xml").items[0]
    assert item.text == (
        "What's the Rebus?\n\nHow's that; how's that\n\nCheck Braingle.com for the "
        "answer."
    )


def test_script_content_is_dropped_from_text() -> None:
    body = rss(
        "<item><title>x</title><description>&lt;p&gt;Hello &amp;amp; bye&lt;/p&gt;"
        "&lt;script&gt;alert(1)&lt;/script&gt;</description></item>"
    )
    assert parse_document(body).items[0].text == "Hello & bye"


def test_html_in_atom_titles_is_stripped() -> None:
    result = parse_feed_file("atom-google-alerts.xml")
    assert all("<" not in item.title for item in result.items)
    assert result.items[1].title == (
        "Slack Stock Has a Compelling Story and the Numbers to Back It Up"
    )


def test_guid_is_the_entry_id() -> None:
    item = parse_feed_file("atom-intertwingly-samruby.atom").items[0]
    assert item.guid == "tag:intertwingly.net,2004:3299"
    assert item.link == "/blog/2012/07/16/Inhibiting-Suspend"  # no feed URL given


def test_duplicate_guid_elements_in_one_item_give_one_guid() -> None:
    result = parse_feed_file("rss2-braingle-guid-dupes.xml")
    assert [item.guid for item in result.items] == [
        "http://www.braingle.com/50366.html"
    ]


def test_guid_falls_back_to_the_link() -> None:
    body = rss("<item><title>a</title><link>http://example.org/a</link></item>")
    assert parse_document(body).items[0].guid == "http://example.org/a"


def test_guid_falls_back_to_a_content_hash() -> None:
    body = rss("<item><title>a</title><description>b</description></item>")
    first = parse_document(body).items[0].guid
    assert first.startswith("sha256:") and len(first) == len("sha256:") + 64
    assert parse_document(body).items[0].guid == first
    other = rss("<item><title>a</title><description>c</description></item>")
    assert parse_document(other).items[0].guid != first


def test_repeated_guids_across_items_are_warned_about() -> None:
    result = parse_feed_file("rss2-washingtonpost-world-2017.xml")
    assert result.items[8].guid == result.items[0].guid
    assert (8, "item 9 repeats the guid of item 1") in result.warnings


def test_relative_links_are_made_absolute_with_the_feed_url() -> None:
    url = "https://intertwingly.net/blog/index.atom"
    item = parse_feed_file("atom-intertwingly-samruby.atom", url=url).items[0]
    assert item.link == "https://intertwingly.net/blog/2012/07/16/Inhibiting-Suspend"


def test_ill_formed_feed_keeps_its_good_items_with_a_warning() -> None:
    result = parse_feed_file("rss2-saxerror-unescaped-ampersand.xml")
    assert [item.title for item in result.items] == [
        "Good Item",
        "Bad Item",
        "Item After Error",
    ]
    assert result.warnings[0][0] is None
    assert result.warnings[0][1].startswith("ill-formed XML (line 15, column 44")


def test_illegally_nested_empty_items_are_skipped_with_warnings() -> None:
    result = parse_feed_file("rss2-pcmag-dvorak-illegally-nested.xml")
    assert all(item.title for item in result.items)
    assert (None, "item 2 skipped: it is empty") in result.warnings


def test_truncated_cdata_ends() -> None:
    result = parse_feed_file("rss2-incomplete-cdata.xml")
    assert result.title == "can feedparser read this xml"


def test_dates_are_aware_utc() -> None:
    item = parse_feed_file("rss2-ru-oren-windows1251.xml").items[0]
    # <pubDate>Wed, 22 Jan 2014 20:31:31 +0600</pubDate>
    assert item.published_at == dt.datetime(2014, 1, 22, 14, 31, 31, tzinfo=dt.UTC)


def test_item_without_a_date_has_none() -> None:
    body = rss("<item><title>a</title></item>")
    assert parse_document(body).items[0].published_at is None


def test_raw_entry_is_json_serialisable() -> None:
    item = parse_feed_file("rss2-washingtonpost-wellness.xml").items[0]
    assert json.loads(json.dumps(item.raw))["title"] == item.title
    assert item.raw["published_parsed"].endswith("+00:00")


def test_control_characters_are_removed_from_title_and_text() -> None:
    body = rss(
        "<item><title>a&#1;b\x0bc</title><description>x\x1fy\r\nz</description></item>"
    )
    item = parse_document(body).items[0]
    assert (item.title, item.text) == ("abc", "xy z")  # a description is HTML


def test_rss_1_rdf_feed() -> None:
    result = parse_feed_file("rss1-rdf-w3c-spec-xmlcom.rdf")
    assert result.title == "XML.com"
    assert result.items[0].link == "http://xml.com/pub/2000/08/09/xslt/xslt.html"


def test_rss_0_91_with_the_netscape_dtd_is_accepted() -> None:
    body = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications'
        b'//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
        b"<rss version='0.91'><channel><title>Old</title><item><title>One</title>"
        b"<link>http://example.org/1</link></item></channel></rss>"
    )
    result = parse_document(body)
    assert result.title == "Old"
    assert [item.title for item in result.items] == ["One"]


def test_declared_format_skips_detection() -> None:
    body = rss("<item><title>a</title></item>")
    assert parse_document(body, declared_format="rss_atom").items[0].title == "a"


def test_json_body_declared_as_rss_is_not_a_feed() -> None:
    with pytest.raises(ParseError, match="not a feed"):
        parse_document(feed("jsonfeed-v1-example.json"), declared_format="rss_atom")


def test_xml_that_is_not_a_feed_names_its_root() -> None:
    with pytest.raises(ParseError, match=r"root is <svg>"):
        parse_document(b'<?xml version="1.0"?><svg><g/></svg>')


def test_gzip_body_is_decompressed() -> None:
    body = gzip.compress(rss("<item><title>zipped</title></item>"))
    assert parse_document(body).items[0].title == "zipped"
