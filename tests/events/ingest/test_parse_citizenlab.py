"""Citizen Lab test lists: a catalogue of sites with categories, never events."""

from __future__ import annotations

import pytest

from events.choices import FeedFormat
from events.ingest.parse import parse_document
from events.ingest.parse.citizenlab import ListEntry, read_test_list
from events.ingest.types import ParseError
from tests.events.ingest.corpus import dataset

LISTS = "citizenlab-test-lists-rows-noted-blocked.csv"
HEADER = "url,category_code,category_description,date_added,source,notes\n"


def test_every_row_of_the_real_file_is_an_entry() -> None:
    entries, result = read_test_list(dataset(LISTS).decode())
    assert result.warnings == []
    assert len(entries) == 127
    assert entries[1] == ListEntry(
        line=3,
        url="https://www.cecc.gov/",
        category_code="GOVT",
        category_description="Government",
        country="CN",
        notes="Reportedly blocked",
    )
    assert len({entry.country for entry in entries}) == 16


def test_as_a_feed_every_row_is_a_non_event() -> None:
    result = parse_document(dataset(LISTS))
    assert result.format == FeedFormat.CITIZENLAB_TEST_LIST
    assert len(result.items) == 127
    assert not any(item.candidate.is_event for item in result.items)
    assert "not a report of blocking" in result.items[0].candidate.reason
    # The keyword hard negative of the corpus: "Blockchain" is no block.
    assert result.items[0].raw["notes"] == "Blockchain community news"


def test_bad_rows_are_warnings_with_their_line() -> None:
    text = HEADER + (
        "https://a.example/,NEWS,News Media,,,\n"
        "not a url,NEWS,News Media,,,\n"
        "https://b.example/,news media!,News Media,,,\n"
        "https://c.example/,HUMR,Human Rights Issues,,,,extra\n"
        "https://d.example/,LGBT,LGBT,,,\n"
    )
    entries, result = read_test_list(text)
    assert [entry.url for entry in entries] == [
        "https://a.example/",
        "https://d.example/",
    ]
    assert [entry.country for entry in entries] == ["", ""]  # no list_file
    assert [message for _, message in result.warnings] == [
        "line 3: url 'not a url' is not a web address",
        "line 4: category_code 'NEWS MEDIA!' is not a category code",
        "line 5: more cells than the header has",
    ]


def test_a_csv_without_the_test_list_header_is_refused() -> None:
    with pytest.raises(ParseError, match="not a Citizen Lab test list"):
        parse_document(
            b"url,notes\nhttps://a.example/,x\n",
            declared_format=FeedFormat.CITIZENLAB_TEST_LIST,
        )
