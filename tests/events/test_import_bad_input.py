"""Hostile files: deep nesting, bytes that are not UTF-8, rows over the limits.
Each bad row is reported with its line, the good rows are kept, and the
command never shows a traceback (docs/data-format.md, "Limits")."""

import io
import json
import tracemalloc

import pytest

from events.interchange import MAX_TEXT_CHARS
from events.interchange_files import MAX_ROW_BYTES, TOO_LONG, read_rows
from events.models import Event
from tests.events.import_support import import_text, jsonl, row, run_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_gazetteer")]

NESTED = "[" * 100_000 + "]" * 100_000
TWENTY_MB = 20 * 1024 * 1024
CSV_HEADER = "platform,target,target_type,country,action,date,notice_text\r\n"


def csv_line(target: str, notice: str = "") -> str:
    return f'WeChat,{target},account,CN,blocked,2018-08,"{notice}"\r\n'


def targets() -> list[str]:
    return sorted(Event.objects.values_list("target", flat=True))


# Nesting


def test_deeply_nested_json_line_is_reported_with_its_line():
    report = import_text(jsonl(row("OKEx"), row("Huobi"), NESTED, row("Binance")))
    assert report.errors == [(3, "not read: JSON nested too deeply")]


def test_rows_around_a_deeply_nested_line_are_imported():
    import_text(jsonl(row("OKEx"), NESTED, row("Huobi")))
    assert targets() == ["Huobi", "OKEx"]


def test_deeply_nested_csv_sources_cell_is_reported_with_its_line():
    text = "platform,target,target_type,country,action,date,sources\r\n"
    text += f"WeChat,OKEx,account,CN,blocked,2018-08,{NESTED}\r\n"
    text += "WeChat,Huobi,account,CN,blocked,2018-08,\r\n"
    report = import_text(text, "csv")
    assert (report.errors, targets()) == (
        [(2, "sources: not read: JSON nested too deeply")],
        ["Huobi"],
    )


# Bytes that are not UTF-8


def test_jsonl_line_that_is_not_utf8_is_reported_with_its_line():
    data = jsonl(row("OKEx")).encode() + b'{"target": "\xff\xfe"}\n'
    data += jsonl(row("Huobi")).encode()
    report = import_text(data)
    assert (report.errors, targets()) == (
        [(2, "not valid UTF-8 (0xff at byte 13)")],
        ["Huobi", "OKEx"],
    )


def test_csv_row_that_is_not_utf8_is_reported_with_its_line():
    data = (CSV_HEADER + csv_line("OKEx")).encode()
    data += b'WeChat,Huobi,account,CN,blocked,2018-08,"line one\r\nline two \xc3("\r\n'
    data += csv_line("Binance").encode("cp1251") + csv_line("Bitfinex").encode()
    report = import_text(data, "csv")
    assert (report.errors, targets()) == (
        [(3, "not valid UTF-8 (0xc3 at byte 10 of line 4)")],
        ["Binance", "Bitfinex", "OKEx"],
    )


def test_csv_row_in_another_encoding_is_reported_and_the_rest_read():
    data = (CSV_HEADER + csv_line("OKEx")).encode()
    data += csv_line("Роскомнадзор").encode("cp1251") + csv_line("Huobi").encode()
    report = import_text(data, "csv")
    assert ([line for line, _ in report.errors], targets()) == ([3], ["Huobi", "OKEx"])


# Rows over the size limit


def test_jsonl_line_over_the_limit_is_reported_and_the_next_row_kept():
    huge = json.dumps(row("Huge", notice_text="x" * TWENTY_MB))
    report = import_text(jsonl(row("OKEx"), huge, row("Huobi")))
    assert (report.errors, targets()) == ([(2, TOO_LONG)], ["Huobi", "OKEx"])


def test_csv_row_over_the_limit_is_reported_and_the_next_row_kept():
    # Commas, quotes and line breaks inside the huge cell: the next row is
    # still found where it starts.
    notice = 'a, ""b"",\r\nc ' * (TWENTY_MB // 12)
    text = CSV_HEADER + csv_line("OKEx") + csv_line("Huge", notice)
    text += csv_line("Huobi") + "WeChat,Bad,account,CN,blocked,2018-13,\r\n"
    report = import_text(text, "csv")
    last_line = 3 + notice.count("\n") + 2
    assert report.errors[0] == (3, TOO_LONG)
    assert report.errors[1][0] == last_line
    assert targets() == ["Huobi", "OKEx"]


def test_csv_row_over_the_limit_on_one_line_is_reported():
    text = CSV_HEADER + csv_line("Huge", "x" * (MAX_ROW_BYTES + 1)) + csv_line("OKEx")
    report = import_text(text, "csv")
    assert (report.errors, targets()) == ([(2, TOO_LONG)], ["OKEx"])


def test_row_at_the_limit_is_read():
    padding = MAX_ROW_BYTES - len(json.dumps(row("OKEx", notice_text=""))) - 1
    line = json.dumps(row("OKEx", summary=" " * padding))
    rows = list(read_rows(io.BytesIO((line + "\n").encode()), "jsonl"))
    assert [(number, raw["target"]) for number, raw in rows] == [(1, "OKEx")]


def test_reading_a_line_over_the_limit_holds_about_the_limit_in_memory(tmp_path):
    path = tmp_path / "huge.jsonl"
    path.write_bytes(b'{"notice_text": "' + b"x" * TWENTY_MB + b'"}\n')
    with path.open("rb") as binary:
        tracemalloc.start()
        try:
            errors = list(read_rows(binary, "jsonl"))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert (errors[0][0], peak < 4 * MAX_ROW_BYTES) == (1, True)


@pytest.mark.parametrize("key", ["notice_text", "summary"])
def test_text_over_its_limit_is_reported(key):
    report = import_text(jsonl(row("OKEx", **{key: "x" * (MAX_TEXT_CHARS + 1)})))
    assert report.errors == [
        (1, f"{key}: 100,001 characters, more than the limit of 100,000")
    ]


def test_text_at_its_limit_is_imported():
    import_text(jsonl(row("OKEx", notice_text="该" * MAX_TEXT_CHARS)))
    assert len(Event.objects.get().notice_text) == MAX_TEXT_CHARS


# The command


def test_command_reports_each_hostile_line_and_imports_the_rest(tmp_path, capsys):
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(
        jsonl(row("OKEx"), NESTED).encode()
        + b"\xff\n"
        + ("x" * TWENTY_MB + "\n").encode()
        + jsonl(row("Huobi")).encode()
    )
    assert run_import(path) == (1, "created 2, updated 0, unchanged 0, failed 3\n")
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert [line.split(":")[0] for line in err.splitlines()] == [
        "line 2",
        "line 3",
        "line 4",
    ]
