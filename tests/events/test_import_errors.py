"""Bad rows: reported with their line and reason, the good rows kept."""

import io
import json

import pytest
from django.core.management import call_command

from events.models import Event, Platform
from tests.events.import_support import (
    CCN,
    import_text,
    importer,
    jsonl,
    record_counts,
    row,
    run_import,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_gazetteer")]

# Bad rows

BAD_ROWS = {
    "invalid JSON": ('{"platform": "WeChat",', "not valid JSON"),
    "not an object": ('["WeChat", "OKEx"]', "each line must be a JSON object"),
    "unknown key": (row("Bad", colour="red"), "unknown key(s): colour"),
    "missing fields": (
        row("Bad", without=("target_type", "country")),
        "missing required field(s): target_type, country",
    ),
    "bad country": (row("Bad", country="XX"), "country: Value 'XX' is not a valid"),
    "bad date": (row("Bad", date="2018-13"), "date: '2018-13' is not a valid date"),
    "precision disagrees": (
        row("Bad", date="2018-08", date_precision="day"),
        "date_precision: 'day' does not agree with date '2018-08'",
    ),
    "end before start": (
        row("Bad", date="2018-04-16", ended_on="2017"),
        "ended_on: The end date is before the start date.",
    ),
    "non-list sources": (
        row("Bad", sources=CCN),
        "sources: must be a list of objects",
    ),
    "object sources": (row("Bad", sources={}), "sources: must be a list of objects"),
    "source without url": (
        row("Bad", sources=[{"title": "Caixin"}]),
        "sources[1]: url is required",
    ),
    "NUL byte": (
        row("Bad", notice_text="blocked\x00"),
        "notice_text: contains a NUL character",
    ),
    "lone surrogate": (
        json.dumps(row("Bad", notice_text="blocked\ud800")),
        "notice_text: contains an unpaired surrogate",
    ),
    "unknown status": (row("Bad", status="live"), "status: 'live' is not one of"),
    "merged status": (row("Bad", status="merged"), "status: 'merged' is not one of"),
    "id not a UUID": (row("Bad", id="okex-1"), "id: 'okex-1' is not a UUID"),
    "platform name too long": (
        row("Bad", platform="P" * 201),
        "platform: Ensure this value has at most 200 characters",
    ),
    "authority name too long": (
        row("Bad", platform="Telegram", authority="A" * 301),
        "authority: Ensure this value has at most 300 characters",
    ),
}


@pytest.fixture(params=BAD_ROWS.values(), ids=BAD_ROWS.keys())
def bad_row(request):
    return request.param


def test_bad_row_is_reported_with_its_line_and_reason(bad_row):
    line, reason = bad_row
    report = import_text(jsonl(row("OKEx"), "", line, row("Huobi")))
    assert [(number, message[: len(reason)]) for number, message in report.errors] == [
        (3, reason)
    ]


def test_rows_around_a_bad_row_are_imported(bad_row):
    line, _ = bad_row
    import_text(jsonl(row("OKEx"), line, row("Huobi")))
    assert sorted(Event.objects.values_list("target", flat=True)) == ["Huobi", "OKEx"]


def test_bad_row_creates_no_platform(bad_row):
    line, _ = bad_row
    import_text(jsonl(line))
    assert Platform.objects.count() == 0


def test_command_exits_with_1_when_a_row_fails(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text(jsonl(row("OKEx"), row("Bad", date="2018-13")), encoding="utf-8")
    assert run_import(path)[0] == 1


def test_command_prints_the_line_and_reason_of_a_bad_row(tmp_path, capsys):
    path = tmp_path / "events.jsonl"
    path.write_text(jsonl(row("OKEx"), row("Bad", date="2018-13")), encoding="utf-8")
    run_import(path)
    assert "line 2: date: '2018-13' is not a valid date" in capsys.readouterr().err


def test_command_imports_the_good_rows_despite_a_bad_one(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text(jsonl(row("OKEx"), row("Bad", date="2018-13")), encoding="utf-8")
    assert run_import(path)[1] == "created 1, updated 0, unchanged 0, failed 1\n"


def test_strict_import_imports_nothing_if_a_row_is_bad(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text(
        jsonl(row("OKEx", platform="Telegram"), row("Bad", country="XX")),
        encoding="utf-8",
    )
    before = record_counts()
    run_import(path, "--strict")
    assert record_counts() == before


def test_strict_import_exits_with_1_if_a_row_is_bad(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text(jsonl(row("OKEx"), row("Bad", country="XX")), encoding="utf-8")
    assert run_import(path, "--strict")[0] == 1


def test_strict_import_of_good_rows_imports_them(okex_file):
    assert run_import(okex_file, "--strict") == (
        0,
        "created 2, updated 0, unchanged 0, failed 0\n",
    )


# CSV

OKEX_CSV = (
    "id,platform,target,target_type,country,action,date,notice_text,sources\r\n"
    ',微信,OKEx,account,CN,blocked,2018-08,"The account is currently blocked,\n'
    'and content is ""not available"".","[{""url"": ""https://caixin.example/okex""'
    ', ""title"": ""Exchanges blocked""}]"\r\n'
    ",WeChat,Huobi,account,cn,blocked,2018-08-21,,\r\n"
)


def test_csv_keeps_line_breaks_and_quotes_inside_a_cell(wechat):
    import_text(OKEX_CSV, "csv")
    assert Event.objects.get(target="OKEx").notice_text == (
        'The account is currently blocked,\nand content is "not available".'
    )


def test_csv_sources_cell_holds_a_json_list(wechat):
    import_text(OKEX_CSV, "csv")
    source = Event.objects.get(target="OKEx").sources.get()
    assert (source.url, source.title) == (
        "https://caixin.example/okex",
        "Exchanges blocked",
    )


def test_csv_empty_cell_is_absent(wechat):
    import_text(OKEX_CSV, "csv")
    event = Event.objects.get(target="Huobi")
    assert (event.notice_text, event.sources.count()) == ("", 0)


def test_csv_bad_row_after_a_multiline_cell_is_reported_with_its_line(wechat):
    text = OKEX_CSV + ",WeChat,Bad,account,CN,blocked,2018-13,,\r\n"
    assert import_text(text, "csv").errors[0][0] == 5


def test_csv_with_an_unknown_column_imports_nothing(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(OKEX_CSV.replace("notice_text", "notice"), encoding="utf-8")
    assert (run_import(path)[0], Event.objects.count()) == (1, 0)


def test_csv_unknown_column_is_reported_on_line_1():
    report = import_text(OKEX_CSV.replace("notice_text", "notice"), "csv")
    assert report.errors == [(1, "unknown column(s): notice")]


def test_csv_repeated_column_is_reported_on_line_1():
    text = "platform,target,target,target_type,country,action,date\r\n"
    assert import_text(text, "csv").errors == [(1, "repeated column(s): target")]


def test_csv_row_with_too_few_cells_is_reported():
    text = "platform,target,target_type,country,action,date\r\nWeChat,OKEx\r\n"
    assert import_text(text, "csv").errors == [(2, "expected 6 cells, found 2")]


def test_csv_sources_cell_that_is_not_json_is_reported():
    text = "platform,target,target_type,country,action,date,sources\r\n"
    text += f"WeChat,OKEx,account,CN,blocked,2018-08,{CCN}\r\n"
    assert import_text(text, "csv").errors[0][1].startswith("sources: not a JSON list")


def test_csv_cell_over_the_size_limit_is_reported_not_raised():
    text = "platform,target,target_type,country,action,date,notice_text\r\n"
    text += f'WeChat,OKEx,account,CN,blocked,2018-08,"{"x" * 200_000}"\r\n'
    assert import_text(text, "csv").errors[0][0] == 2


def test_csv_file_with_only_a_header_imports_nothing():
    report = import_text("platform,target\r\n", "csv")
    assert (report.created, report.failed) == (0, 0)


@pytest.mark.parametrize(
    ("name", "text"), [("events.jsonl", jsonl(row())), ("events.csv", OKEX_CSV)]
)
def test_file_starting_with_a_byte_order_mark_is_read(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert run_import(path)[0] == 0


# The seed event and batching


def test_seed_notice_is_imported_exactly(tmp_path, okex_notice):
    path = tmp_path / "okex.jsonl"
    path.write_text(jsonl(row(notice_text=okex_notice)), encoding="utf-8")
    run_import(path)
    assert Event.objects.get().notice_text == okex_notice


def test_seed_notice_is_exported_exactly(tmp_path, okex_notice):
    source, exported = tmp_path / "okex.jsonl", tmp_path / "export.jsonl"
    source.write_text(jsonl(row(notice_text=okex_notice)), encoding="utf-8")
    run_import(source)
    call_command("export_events", str(exported), stderr=io.StringIO())
    line = exported.read_text(encoding="utf-8").rstrip("\n")
    assert json.loads(line)["notice_text"] == okex_notice


def test_seed_notice_is_the_one_from_the_article(okex_notice):
    assert okex_notice.startswith("The platform may have violated relevant laws")


def test_import_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    text = jsonl(*(row(f"Exchange {n}", authority="CAC") for n in range(300)))
    user = importer()
    # About 29 queries per batch of 100, none per row: the targets and
    # notice matches derived before the write (platform names, targets found
    # or made, the registry's version: ≤ 5), the rows and their history,
    # sources, status changes, then the post-write hook (which finds the
    # targets in place: ≤ 3; notices ≤ 3; change log and history catch-up
    # ≤ 4); and the user's permissions, once.
    with django_assert_max_num_queries(91):
        report = import_text(text, batch_size=100, user=user)
    assert report.created == 300


def test_reimport_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    text = jsonl(*(row(f"Exchange {n}", authority="CAC") for n in range(300)))
    user = importer()
    import_text(text, batch_size=100, user=user)
    with django_assert_max_num_queries(32):
        report = import_text(text, batch_size=100, user=user)
    assert report.unchanged == 300
