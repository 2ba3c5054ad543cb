"""Access Now #KeepItOn STOP CSV rows."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from events.choices import FeedFormat
from events.ingest.parse import parse_document
from events.ingest.types import ParsedItem, ParseError, ParseResult
from tests.events.ingest.corpus import dataset

STOP = "accessnow-keepiton-stop-2020.csv"


@pytest.fixture(scope="module")
def stop() -> ParseResult:
    return parse_document(dataset(STOP))


def items_of_row(result: ParseResult, row_id: str) -> list[ParsedItem]:
    return [item for item in result.items if item.raw["ID"] == row_id]


def test_every_row_is_read(stop: ParseResult) -> None:
    assert stop.format == FeedFormat.STOP_CSV
    assert stop.warnings == []
    assert len({item.raw["ID"] for item in stop.items}) == 155
    assert len(stop.items) == 218  # service-based rows give one item per platform
    assert len({item.guid for item in stop.items}) == 218


def test_full_network_shutdown_row(stop: ParseResult) -> None:
    (item,) = items_of_row(stop, "3")
    candidate = item.candidate
    assert candidate is not None and candidate.is_event
    assert candidate.platform.value == "Internet"
    assert candidate.target.value == (
        "Internet access in Kashmir Valley, Jammu and Kashmir"
    )
    assert candidate.target_type.value == "whole_platform"
    assert candidate.country.value == "IN"
    assert candidate.date.value == (dt.date(2019, 8, 3), "day")
    assert candidate.ended_on.value == (dt.date(2020, 1, 25), "day")
    assert candidate.authority.value == "State government"
    assert candidate.action.value == "blocked"
    assert "Legal basis: Section 144 CrPC" in candidate.summary.value
    assert item.link.startswith("https://www.news18.com/news/india/omar-abdullah")
    assert item.title == (
        "Internet shut down in Kashmir Valley, Jammu and Kashmir, India from 2019-08-03"
    )
    assert item.raw["line"] == 5


def test_ongoing_end_and_throttling(stop: ParseResult) -> None:
    (item,) = items_of_row(stop, "2")
    assert item.candidate.ended_on is None
    assert item.candidate.action.value == "throttled"
    assert item.candidate.country.value == "MM"


def test_service_based_row_gives_one_candidate_per_platform(stop: ParseResult) -> None:
    items = items_of_row(stop, "9")
    assert [item.candidate.platform.value for item in items] == [
        "Facebook",
        "Twitter",
        "Instagram",
    ]
    assert {item.candidate.country.value for item in items} == {"VE"}
    assert items[0].title == (
        "Facebook blocked in Venezuela (Bolivarian Republic of) from 2020-01-05"
    )


def test_full_and_service_based_row_gives_both(stop: ParseResult) -> None:
    platforms = [item.candidate.platform.value for item in items_of_row(stop, "82")]
    assert platforms[:3] == ["Facebook", "WhatsApp", "Telegram"]
    assert {"imo", "Tango", "LINE", "Viber"} <= set(platforms)
    both = [item.candidate.platform.value for item in items_of_row(stop, "7")]
    assert both == ["Internet", "Facebook", "Twitter", "WhatsApp"]


def test_unknown_ordering_authority_is_none(stop: ParseResult) -> None:
    unknown = [i for i in stop.items if i.raw["ordered_by"] == "Unknown"]
    assert unknown
    assert all(item.candidate.authority is None for item in unknown)


def test_country_name_fallback(stop: ParseResult) -> None:
    tanzania = [i for i in stop.items if i.raw["country"].startswith("Tanzania")]
    assert {item.candidate.country.value for item in tanzania} == {"TZ"}
    assert {item.candidate.country.confidence for item in tanzania} == {0.9}


def test_spreadsheet_day_number_end_date(stop: ParseResult) -> None:
    (item,) = items_of_row(stop, "144")
    assert item.candidate.ended_on.value == (dt.date(2020, 12, 1), "day")


def stop_csv(*rows: dict[str, str]) -> bytes:
    header = ["ID", "start_date", "end_date ", "country ", "area_name ", "ordered_by "]
    header += ["full or service-based", "Facebook_affected", "shutdown_type_new"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["A note row"] + [""] * (len(header) - 1))
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name.strip(), "") for name in header])
    return out.getvalue().encode()


GOOD = {
    "ID": "1",
    "start_date": "3/2/2021",
    "country": "Ethiopia",
    "area_name": "National",
    "ordered_by": "Executive government",
    "full or service-based": "Full network",
    "shutdown_type_new": "Shutdown",
}


def test_bad_rows_are_warnings_with_line_numbers() -> None:
    result = parse_document(
        stop_csv(
            GOOD,
            {**GOOD, "ID": "2", "country": "Atlantis"},
            {**GOOD, "ID": "3", "start_date": "soon"},
            {**GOOD, "ID": "4", "full or service-based": "Service-based"},
            {**GOOD, "ID": "5"},
        )
    )
    assert [item.raw["ID"] for item in result.items] == ["1", "5"]
    assert [message.split(":")[0] for _, message in result.warnings] == [
        "line 4",
        "line 5",
        "line 6",
    ]
    assert result.items[0].candidate.target.value == "Internet access in Ethiopia"


def test_csv_without_the_stop_header_is_refused() -> None:
    with pytest.raises(ParseError, match="not a #KeepItOn STOP CSV"):
        parse_document(b"a,b\n1,2\n", declared_format="stop_csv")
