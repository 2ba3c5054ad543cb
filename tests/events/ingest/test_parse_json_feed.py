"""JSON Feed 1.0 / 1.1."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from events.choices import FeedFormat
from events.ingest.parse import parse_document
from events.ingest.types import ParseError
from tests.events.ingest.corpus import feed


def json_feed(
    *items: object, version: str = "https://jsonfeed.org/version/1.1"
) -> bytes:
    return json.dumps({"version": version, "title": "F", "items": list(items)}).encode()


def test_example_feed_items() -> None:
    result = parse_document(feed("jsonfeed-v1-example.json"))
    assert result.format == FeedFormat.JSON_FEED
    assert result.title == "My Example Feed"
    first, second = result.items
    assert (first.guid, first.title, first.text) == (
        "2",
        "post 2",
        "This is a second item.",
    )
    assert first.link == "https://example.org/second-item"
    assert first.raw["tags"] == ["test", "JSON"]


def test_script_in_content_html_is_dropped() -> None:
    second = parse_document(feed("jsonfeed-v1-example.json")).items[1]
    assert second.text == "Hello, world!"


def test_microblog_item_without_title_uses_a_snippet() -> None:
    result = parse_document(feed("jsonfeed-v1-microblog-no-titles.json"))
    item = result.items[0]
    assert item.title == "Cats are neat. https://example.org/cats"
    assert item.text == "Cats are neat.\n\nhttps://example.org/cats"
    assert item.published_at == dt.datetime(2016, 2, 9, 21, 22, tzinfo=dt.UTC)
    assert item.guid == "2347259"


def test_long_untitled_item_gets_a_cut_snippet() -> None:
    text = "word " * 40
    item = parse_document(json_feed({"id": "1", "content_text": text})).items[0]
    assert item.title.endswith("…")
    assert len(item.title) <= 81


def test_real_feed_items_have_titles_links_and_dates() -> None:
    result = parse_document(feed("jsonfeed-v1-daringfireball.json"))
    first = result.items[0]
    assert first.title == "Stashword"
    assert first.link == "https://daringfireball.net/linked/2017/05/20/stashword"
    assert first.published_at == dt.datetime(2017, 5, 20, 19, 23, 6, tzinfo=dt.UTC)
    assert first.text.startswith("My thanks to Stashword for sponsoring")


def test_guid_falls_back_to_url_then_hash() -> None:
    result = parse_document(
        json_feed(
            {"url": "https://example.org/a", "content_text": "a"}, {"summary": "b"}
        )
    )
    assert result.items[0].guid == "https://example.org/a"
    assert result.items[1].guid.startswith("sha256:")


def test_numeric_id_of_version_1_0_is_kept_as_text() -> None:
    item = parse_document(json_feed({"id": 42, "content_text": "x"})).items[0]
    assert item.guid == "42"


def test_unknown_keys_are_ignored() -> None:
    result = parse_document(feed("jsonfeed-v1-example.json"))
    assert len(result.items) == 2
    assert result.warnings == []


def test_bad_item_is_a_warning_and_good_ones_stay() -> None:
    result = parse_document(json_feed("not an object", {"id": "ok", "title": "Good"}))
    assert [item.guid for item in result.items] == ["ok"]
    assert result.warnings == [(None, "item 1 is not an object")]


def test_unreadable_date_is_a_warning() -> None:
    result = parse_document(json_feed({"id": "1", "date_published": "yesterday"}))
    assert result.items[0].published_at is None
    assert result.warnings[0][0] == 0
    assert "not RFC 3339" in result.warnings[0][1]


def test_control_characters_and_lone_surrogates_are_cleaned() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1", "items": [{"id": "1",'
    body += b' "title": "a\\u0000b\\ud800", "content_text": "x\\u0007y"}]}'
    item = parse_document(body).items[0]
    assert (item.title, item.text) == ("ab\ufffd", "xy")
    assert "\\u0000" not in json.dumps(item.raw)


def test_json_feed_without_items_is_refused() -> None:
    body = json.dumps({"version": "https://jsonfeed.org/version/1"}).encode()
    with pytest.raises(ParseError, match="no list of items"):
        parse_document(body)
