"""Lumen Database notices (its API's search page JSON)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from events.choices import FeedFormat
from events.ingest.parse import parse_document
from events.ingest.types import ParsedItem, ParseError, ParseResult
from tests.events.ingest.corpus import dataset

LUMEN = "lumen-api-notices-twitter-dmca-2017-04-14.json"


@pytest.fixture(scope="module")
def lumen() -> ParseResult:
    return parse_document(dataset(LUMEN))


def by_guid(result: ParseResult, guid: str) -> ParsedItem:
    (item,) = [item for item in result.items if item.guid == guid]
    return item


def test_every_notice_becomes_one_candidate(lumen: ParseResult) -> None:
    notices = json.loads(dataset(LUMEN))["notices"]
    assert lumen.format == FeedFormat.LUMEN
    assert lumen.warnings == []
    assert len(notices) == len(lumen.items) == 50
    assert [item.guid for item in lumen.items] == [f"lumen:{n['id']}" for n in notices]
    assert all(item.candidate.is_event for item in lumen.items)


def test_a_notice_with_two_infringing_urls(lumen: ParseResult) -> None:
    item = by_guid(lumen, "lumen:14197431")
    candidate = item.candidate
    assert item.link == "https://lumendatabase.org/notices/14197431"
    assert item.title == "Lumen DMCA notice 14197431 to Twitter: 2 URLs removed"
    assert item.published_at == dt.datetime(2017, 4, 14, 21, 58, 58, tzinfo=dt.UTC)
    assert candidate.platform.value == "Twitter"
    assert candidate.authority.value == "Kijamii for Internet Service"
    tweet = "https://twitter.com/masrarabiasport/status/852988222137389058"
    assert (candidate.target.value, candidate.target_url.value) == (tweet, tweet)
    assert candidate.target.confidence == 0.6  # the first of two
    assert candidate.target_type.value == "content_item"
    assert candidate.action.value == "removed"
    assert candidate.date.value == (dt.date(2017, 4, 14), "day")
    assert candidate.country is None  # the notice names no jurisdiction
    assert candidate.notice_text is None  # the API gave no body
    assert candidate.confidence == 0.5  # a private copyright claim
    assert candidate.summary.value.splitlines()[-4:] == [
        "Infringing URLs (2):",
        f"- {tweet}",
        "- https://t.co/kGA6kEjVSr",
        "Source: Lumen notice https://lumendatabase.org/notices/14197431",
    ]


def test_a_placeholder_sender_is_no_authority(lumen: ParseResult) -> None:
    notices = json.loads(dataset(LUMEN))["notices"]
    placeholder = [f"lumen:{n['id']}" for n in notices if n["sender_name"] == " - "]
    assert len(placeholder) == 9
    assert all(by_guid(lumen, g).candidate.authority is None for g in placeholder)


def notices(*notices: object) -> bytes:
    return json.dumps({"notices": list(notices), "meta": {}}).encode()


GOOD = {
    "id": 1,
    "type": "CourtOrder",
    "date_received": "2020-05-01T10:00:00.000Z",
    "action_taken": "Yes",
    "recipient_name": "Twitter, Inc.",
    "sender_name": "Ankara 5th Criminal Judgeship of Peace",
    "jurisdictions": ["TR"],
    "body": "Erişimin engellenmesine karar verilmiştir.",
    "works": [{"infringing_urls": [{"url": "https://twitter.com/someone"}]}],
}


def test_a_court_order_naming_one_country_is_withheld_there() -> None:
    (item,) = parse_document(notices(GOOD)).items
    candidate = item.candidate
    assert candidate.action.value == "withheld_in_country"
    assert candidate.country.value == "TR"
    assert candidate.platform.value == "Twitter"  # ", Inc." dropped
    assert candidate.notice_text.value == GOOD["body"]
    assert candidate.target.confidence == 1.0
    assert candidate.confidence == 0.8


def test_no_action_and_counter_notices_are_kept_as_non_events() -> None:
    result = parse_document(
        notices(
            {**GOOD, "id": 2, "action_taken": "No"},
            {**GOOD, "id": 3, "type": "Counternotice"},
        )
    )
    assert [item.candidate.is_event for item in result.items] == [False, False]
    assert "took no action" in result.items[0].candidate.reason
    assert result.items[0].title == "Lumen CourtOrder notice 2 to Twitter: 1 URL named"
    assert "counter-notice" in result.items[1].candidate.reason


def test_bad_notices_are_warnings_with_their_position() -> None:
    result = parse_document(
        notices(
            GOOD,
            "not a notice",
            {**GOOD, "id": None},
            {**GOOD, "id": 4, "date_received": "yesterday"},
            {**GOOD, "id": 5},
        ),
        declared_format=FeedFormat.LUMEN,
    )
    assert [item.guid for item in result.items] == ["lumen:1", "lumen:5"]
    assert [message for _, message in result.warnings] == [
        "notice 2: a JSON str, not an object",
        "notice 3: no notice id",
        "notice 4: date_received 'yesterday' is not an ISO 8601 date",
    ]


def test_json_without_notices_is_refused_as_lumen() -> None:
    with pytest.raises(ParseError, match="not a Lumen notices search page"):
        parse_document(b'{"meta": {}}', declared_format=FeedFormat.LUMEN)
