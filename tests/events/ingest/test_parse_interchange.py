"""The tracker's interchange format, JSON Lines and CSV."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import replace

import pytest

from events.choices import FeedFormat
from events.ingest.parse import parse_document
from events.ingest.types import ParseError
from events.interchange import write_rows

ROW = {
    "id": "56802c2f-56ff-5a1c-9c8b-aebe15b91f59",
    "platform": "WeChat",
    "target": "OKEx",
    "target_type": "account",
    "target_url": "",
    "authority": "Cyberspace Administration of China",
    "country": "cn",
    "action": "blocked",
    "date": "2018-08",
    "date_precision": "",
    "ended_on": "",
    "notice_text": "此帐号已被屏蔽\r\n",
    "notice_language": "zh",
    "summary": "",
    "sources": [{"url": "https://example.org/okex", "title": "Report"}],
    "status": "draft",
    "published_at": None,
}


def jsonl(*rows: dict[str, object]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()


def csv_body(*rows: dict[str, object]) -> bytes:
    out = io.StringIO(newline="")
    write_rows(rows, out, "csv")
    return out.getvalue().encode()


def test_jsonl_row_becomes_a_ready_candidate() -> None:
    result = parse_document(jsonl(ROW))
    assert result.format == FeedFormat.INTERCHANGE_JSONL
    item = result.items[0]
    candidate = item.candidate
    assert candidate is not None and candidate.is_event
    assert candidate.confidence == 1.0
    assert candidate.platform.value == "WeChat"
    assert candidate.country.value == "CN"
    assert candidate.date.value == (dt.date(2018, 8, 1), "month")
    assert candidate.authority.value == "Cyberspace Administration of China"
    assert candidate.notice_text.value == "此帐号已被屏蔽\n"
    assert candidate.target_url is None and candidate.ended_on is None
    assert {g.confidence for g in (candidate.platform, candidate.target)} == {1.0}
    assert item.guid == ROW["id"]
    assert item.link == "https://example.org/okex"
    assert item.title == "WeChat: OKEx blocked, CN (2018-08)"


def test_csv_row_becomes_the_same_candidate() -> None:
    from_csv = parse_document(csv_body(ROW))
    from_jsonl = parse_document(jsonl(ROW))
    assert from_csv.format == FeedFormat.INTERCHANGE_CSV
    assert from_csv.items[0].title == from_jsonl.items[0].title
    csv_candidate = from_csv.items[0].candidate
    jsonl_candidate = from_jsonl.items[0].candidate
    assert csv_candidate is not None and jsonl_candidate is not None
    # Only the reason differs: it names the line, 2 in CSV (after the header).
    assert replace(csv_candidate, reason="") == replace(jsonl_candidate, reason="")


def test_row_without_id_gets_a_stable_content_hash() -> None:
    row = {**ROW, "id": None}
    first = parse_document(jsonl(row)).items[0].guid
    assert first.startswith("sha256:")
    assert parse_document(jsonl(row)).items[0].guid == first
    assert parse_document(jsonl({**row, "target": "Huobi"})).items[0].guid != first


def test_bad_rows_are_warnings_with_line_numbers_and_good_rows_stay() -> None:
    bad_date = {**ROW, "id": None, "date": "2018-13"}
    body = jsonl(ROW) + b"{not json\n" + jsonl(bad_date) + jsonl({**ROW, "id": None})
    result = parse_document(body)
    assert len(result.items) == 2
    assert [message.split(":")[0] for _, message in result.warnings] == [
        "line 2",
        "line 3",
    ]
    assert "date" in result.warnings[1][1]


def test_csv_with_a_bad_row_keeps_the_others() -> None:
    row = {**ROW, "notice_text": "one line"}
    body = csv_body(row, {**row, "id": None, "country": ""}, {**row, "id": None})
    result = parse_document(body)
    assert len(result.items) == 2
    assert result.warnings[0][1].startswith("line 3: missing required field")


def test_csv_with_an_unknown_column_is_refused() -> None:
    body = b"platform,target,target_type,country,action,date,colour\n"
    with pytest.raises(ParseError, match="unknown column"):
        parse_document(body, declared_format="interchange_csv")


def test_single_row_on_one_line_is_detected() -> None:
    body = json.dumps({k: v for k, v in ROW.items() if v}).encode()
    assert parse_document(body).format == FeedFormat.INTERCHANGE_JSONL


def test_interchange_must_be_utf_8() -> None:
    with pytest.raises(ParseError, match="not UTF-8"):
        parse_document(jsonl(ROW).replace("帐".encode(), b"\xff"))
