"""SFLC.in Internet Shutdowns Tracker records (India)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from events.choices import FeedFormat
from events.ingest.parse import parse_document
from events.ingest.types import ParseError, ParseResult
from tests.events.ingest.corpus import dataset

SFLC = "sflc-in-india-internet-shutdowns.json"
DERA = (
    "http://indianexpress.com/article/india/gurmeet-ram-rahim-singh-dera-sacha-"
    "sauda-chief-rape-case-cbi-punjab-haryana-security-dera-followers-live-updates-"
    "4810979/"
)


@pytest.fixture(scope="module")
def sflc() -> ParseResult:
    return parse_document(dataset(SFLC))


def test_every_record_becomes_one_candidate_in_india(sflc: ParseResult) -> None:
    assert sflc.format == FeedFormat.SFLC_IN
    assert sflc.warnings == []
    assert len(sflc.items) == len(json.loads(dataset(SFLC))) == 114
    assert len({item.guid for item in sflc.items}) == 114
    assert len({item.link for item in sflc.items}) == 114
    assert {item.candidate.country.value for item in sflc.items} == {"IN"}
    assert {item.candidate.platform.value for item in sflc.items} == {"Internet"}
    assert {i.candidate.target_type.value for i in sflc.items} == {"whole_platform"}
    assert all(item.candidate.authority is None for item in sflc.items)


def test_the_first_record(sflc: ParseResult) -> None:
    item = sflc.items[0]
    candidate = item.candidate
    assert item.title == (
        "Internet shut down in Kashmir, Jammu and Kashmir, India from 2012-01-26"
    )
    assert item.link.startswith("http://www.hindustantimes.com/india/mobile-phone")
    assert candidate.target.value == "Internet access in Kashmir, Jammu and Kashmir"
    assert candidate.action.value == "blocked"
    assert candidate.date.value == (dt.date(2012, 1, 26), "day")
    assert candidate.ended_on is None  # no duration recorded
    assert candidate.summary.value.splitlines()[0] == (
        "Where: Kashmir (Jammu and Kashmir)"
    )


def test_html_descriptions_and_later_fields(sflc: ParseResult) -> None:
    (item,) = [i for i in sflc.items if i.raw["date"] == "2017-06-05"]
    summary = item.candidate.summary.value
    assert item.candidate.target.value == "Internet access in Nashik, Maharashtra"
    assert "Networks: mobile\nNature: reactive\nDuration: 3 hours" in summary
    assert "<" not in summary and "Mobile Internet services were suspended" in summary
    # Three hours from some hour of 5 June: 5 or 6 June, so only the month.
    assert item.candidate.ended_on.value == (dt.date(2017, 6, 1), "month")


def test_records_sharing_a_source_get_their_own_links(sflc: ParseResult) -> None:
    dera = [item for item in sflc.items if item.link.startswith(DERA)]
    assert [item.link.removeprefix(DERA) for item in dera] == [
        "#sflc-102",
        "#sflc-103",
        "#sflc-104",
    ]
    assert [item.candidate.target.value for item in dera] == [
        "Internet access in 20 districts of Punjab",
        "Internet access in Chandigarh",
        "Internet access in 21 districts of Haryana",
    ]


def test_a_source_without_scheme_is_made_a_url(sflc: ParseResult) -> None:
    assert not [item for item in sflc.items if not item.link.startswith("http")]


def record(**fields: object) -> dict:
    return {"state:name": "Assam", "date": "2019-12-11", "source": "", **fields}


def test_a_whole_day_duration_gives_the_end_day() -> None:
    body = json.dumps([record(duration=48, districts=["Guwahati"])]).encode()
    (item,) = parse_document(body).items
    assert item.candidate.ended_on.value == (dt.date(2019, 12, 13), "day")
    assert item.link == ""


def test_bad_records_are_warnings_with_their_position() -> None:
    body = json.dumps(
        [
            record(),
            record(date="11/12/2019"),
            {"date": "2019-12-11", "state:name": ""},
            7,
            record(districts="Guwahati"),
            record(date="2019-12-12", duration=True),
        ]
    ).encode()
    result = parse_document(body, declared_format=FeedFormat.SFLC_IN)
    assert len(result.items) == 2
    assert result.items[1].candidate.ended_on is None  # true is no duration
    assert [message for _, message in result.warnings] == [
        "record 2: date '11/12/2019' is not YYYY-MM-DD",
        "record 3: no 'state:name'",
        "record 4: a JSON int, not an object",
        "record 5: districts is not a list",
    ]


def test_a_json_object_is_refused_as_sflc() -> None:
    with pytest.raises(ParseError, match="not SFLC.in shutdown records"):
        parse_document(b'{"a": 1}', declared_format=FeedFormat.SFLC_IN)
