import datetime as dt
import io
import json
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from events.choices import DatePrecision, Status
from events.interchange import open_text, read_rows
from events.models import Authority, Event, Platform, Source, StatusChange
from events.services import events_import
from tests.factories import AuthorityFactory, EventFactory, PlatformFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_gazetteer")]

SEED_ARTICLE = (
    Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seed-article.txt"
)
CCN = "https://www.ccn.com/chinese-government-blocks-cryptocurrency-exchanges"


def row(target: str = "OKEx", *, without: tuple[str, ...] = (), **values) -> dict:
    """An interchange row about `target`; `values` replace or add keys."""
    base = {
        "platform": "WeChat",
        "target": target,
        "target_type": "account",
        "country": "CN",
        "action": "blocked",
        "date": "2018-08",
        "sources": [{"url": f"{CCN}?about={quote(target)}"}],
    }
    base.update(values)
    return {key: value for key, value in base.items() if key not in without}


def jsonl(*lines: dict | str) -> str:
    """JSON Lines text; a str line is written as it is (for broken lines)."""
    return "".join(
        (line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
        for line in lines
    )


def import_text(text: str, fmt: str = "jsonl", **options):
    stream = open_text(io.BytesIO(text.encode("utf-8")))
    return events_import(rows=read_rows(stream, fmt), **options)


def run_import(path: Path, *options: str) -> tuple[int, str]:
    """Run the import command; returns its exit code and standard output."""
    out = io.StringIO()
    try:
        call_command("import_events", str(path), "--no-progress", *options, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def record_counts() -> dict[str, int]:
    return {
        "events": Event.objects.count(),
        "sources": Source.objects.count(),
        "status changes": StatusChange.objects.count(),
        "platforms": Platform.objects.count(),
        "authorities": Authority.objects.count(),
        "event history": Event.history.count(),
        "source history": Source.history.count(),
    }


@pytest.fixture
def wechat():
    return PlatformFactory(name="WeChat", slug="wechat", aliases=["微信", "Weixin"])


@pytest.fixture
def okex_file(tmp_path):
    path = tmp_path / "okex.jsonl"
    path.write_text(jsonl(row("OKEx"), row("Huobi")), encoding="utf-8")
    return path


@pytest.fixture
def okex_notice() -> str:
    assert SEED_ARTICLE.is_file(), f"the seed article is missing: {SEED_ARTICLE}"
    article = SEED_ARTICLE.read_text(encoding="utf-8")
    after = article.split("OKex’s page on WeChat reads:", 1)[1]
    return after.split("“", 1)[1].split("”", 1)[0]


# Rows and their fields


def test_import_creates_an_event_from_each_row():
    report = import_text(jsonl(row("OKEx"), row("Huobi")))
    assert (report.created, Event.objects.count()) == (2, 2)


def test_import_stores_a_month_without_inventing_a_day():
    import_text(jsonl(row(date="2018-08")))
    event = Event.objects.get()
    assert (event.date, event.date_precision) == (
        dt.date(2018, 8, 1),
        DatePrecision.MONTH,
    )


def test_import_accepts_a_date_precision_that_agrees():
    import_text(jsonl(row(date="2018-08-21", date_precision="day")))
    assert Event.objects.get().date == dt.date(2018, 8, 21)


def test_import_stores_an_end_year_containing_the_start():
    import_text(jsonl(row(date="2018-04-16", ended_on="2018")))
    event = Event.objects.get()
    assert (event.ended_on, event.ended_on_precision) == (
        dt.date(2018, 1, 1),
        DatePrecision.YEAR,
    )


def test_import_stores_the_notice_text_untrimmed():
    notice = "  该账号已被屏蔽\r\n内容无法查看。\n\n"
    import_text(jsonl(row(notice_text=notice)))
    assert Event.objects.get().notice_text == notice


def test_import_stores_sources_in_row_order():
    sources = [
        {"url": "https://caixin.example/okex", "publisher": "Caixin"},
        {
            "url": CCN,
            "title": "Chinese Government Blocks Cryptocurrency Exchanges",
            "published_at": "2018-08-21T08:30:00+08:00",
            "archive_url": "https://web.archive.org/web/2018/" + CCN,
        },
    ]
    import_text(jsonl(row(sources=sources)))
    assert [
        (s.url, s.publisher, s.published_at) for s in Source.objects.order_by("id")
    ] == [
        ("https://caixin.example/okex", "Caixin", None),
        (CCN, "", dt.datetime(2018, 8, 21, 0, 30, tzinfo=dt.UTC)),
    ]


def test_imported_row_without_status_is_a_draft():
    import_text(jsonl(row()))
    assert Event.objects.get().status == Status.DRAFT


def test_import_records_the_initial_status_change():
    import_text(jsonl(row(status="in_review")))
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.note) == (
        "",
        Status.IN_REVIEW,
        "import",
    )


def test_imported_published_row_keeps_its_publication_time():
    import_text(jsonl(row(status="published", published_at="2018-08-22T09:00:00Z")))
    assert Event.objects.get().published_at == dt.datetime(
        2018, 8, 22, 9, tzinfo=dt.UTC
    )


def test_imported_published_row_without_publication_time_gets_one():
    import_text(jsonl(row(status="published")))
    assert Event.objects.get().published_at is not None


def test_imported_draft_has_no_publication_time():
    import_text(jsonl(row(status="draft", published_at="2018-08-22T09:00:00Z")))
    assert Event.objects.get().published_at is None


# Platforms and authorities


@pytest.mark.parametrize("name", ["WeChat", "wechat", "微信", "Weixin"])
def test_platform_is_matched_by_name_slug_or_alias(wechat, name):
    import_text(jsonl(row(platform=name)))
    assert (Event.objects.get().platform, Platform.objects.count()) == (wechat, 1)


def test_platform_alias_is_matched_ignoring_case_and_spaces(wechat):
    import_text(jsonl(row(platform="  WEIXIN ")))
    assert Event.objects.get().platform == wechat


def test_unknown_platform_is_created():
    import_text(jsonl(row(platform="Telegram")))
    assert Event.objects.get().platform.name == "Telegram"


def test_unknown_platform_is_created_once_for_many_rows():
    import_text(
        jsonl(row("OKEx", platform="Telegram"), row("Huobi", platform="Telegram"))
    )
    assert Platform.objects.count() == 1


def test_authority_is_matched_by_alias_within_the_country():
    cac = AuthorityFactory(
        name="Cyberspace Administration of China", country="CN", aliases=["CAC"]
    )
    import_text(jsonl(row(authority="cac")))
    assert Event.objects.get().authority == cac


def test_authority_of_that_name_in_another_country_is_not_reused():
    AuthorityFactory(name="Ministry of Communications", country="IR")
    import_text(jsonl(row(authority="Ministry of Communications", country="CN")))
    assert str(Event.objects.get().authority.country) == "CN"


def test_authority_without_country_is_reused_in_any_country():
    apple = AuthorityFactory(name="Apple", country="")
    import_text(jsonl(row(authority="Apple", country="CN")))
    assert Event.objects.get().authority == apple


def test_row_without_authority_has_none():
    import_text(jsonl(row(authority="")))
    assert Event.objects.get().authority is None


# Identity and idempotency


def test_importing_a_file_twice_creates_nothing_new(okex_file):
    run_import(okex_file)
    before = record_counts()
    run_import(okex_file)
    assert record_counts() == before


def test_second_import_of_a_file_reports_every_row_unchanged(okex_file):
    run_import(okex_file)
    assert run_import(okex_file) == (
        0,
        "created 0, updated 0, unchanged 2, failed 0\n",
    )


def test_row_without_id_gets_a_stable_id_from_its_natural_key():
    import_text(jsonl(row("OKEx")))
    first = Event.objects.get().public_id
    Event.objects.all().delete()
    import_text(jsonl(row("OKEx")))
    assert Event.objects.get().public_id == first


def test_natural_key_ignores_case_and_spaces_of_the_target():
    import_text(jsonl(row("OKEx")))
    report = import_text(jsonl(row("  okex ", summary="Exchange account")))
    assert (report.updated, Event.objects.count()) == (1, 1)


def test_same_target_on_another_day_is_another_event():
    import_text(jsonl(row("OKEx", date="2018-08")))
    import_text(jsonl(row("OKEx", date="2018-08-21")))
    assert Event.objects.count() == 2


def test_row_with_id_updates_that_event_in_place():
    event = EventFactory(target="OKEx")
    report = import_text(jsonl(row("OKEx Official", id=str(event.public_id))))
    event.refresh_from_db()
    assert (report.updated, Event.objects.count(), event.target) == (
        1,
        1,
        "OKEx Official",
    )


def test_row_with_new_id_creates_the_event_with_that_id():
    public_id = uuid.uuid4()
    import_text(jsonl(row(id=str(public_id))))
    assert Event.objects.get().public_id == public_id


def test_status_changed_by_a_row_is_recorded():
    event = EventFactory(target="OKEx", status=Status.DRAFT)
    import_text(jsonl(row(id=str(event.public_id), status="rejected")))
    change = StatusChange.objects.get(event=event)
    assert (change.from_status, change.to_status) == (Status.DRAFT, Status.REJECTED)


def test_reimport_without_publication_time_keeps_the_recorded_one():
    import_text(jsonl(row(status="published", published_at="2018-08-22T09:00:00Z")))
    import_text(jsonl(row(status="published", summary="Edited later")))
    assert Event.objects.get().published_at == dt.datetime(
        2018, 8, 22, 9, tzinfo=dt.UTC
    )


def test_reimport_with_another_publication_time_updates_it():
    import_text(jsonl(row(status="published", published_at="2018-08-22T09:00:00Z")))
    import_text(jsonl(row(status="published", published_at="2018-08-23T09:00:00Z")))
    assert Event.objects.get().published_at == dt.datetime(
        2018, 8, 23, 9, tzinfo=dt.UTC
    )


def test_sources_absent_from_a_row_are_kept():
    import_text(jsonl(row(sources=[{"url": "https://caixin.example/okex"}])))
    import_text(jsonl(row(sources=[{"url": CCN}])))
    assert sorted(Source.objects.values_list("url", flat=True)) == [
        "https://caixin.example/okex",
        CCN,
    ]


def test_changed_source_title_is_updated():
    import_text(jsonl(row(sources=[{"url": CCN, "title": "Draft title"}])))
    report = import_text(jsonl(row(sources=[{"url": CCN, "title": "Final title"}])))
    assert (report.updated, Source.objects.get().title) == (1, "Final title")


def test_later_row_about_the_same_event_wins():
    import_text(jsonl(row(summary="first"), row(summary="second")), batch_size=100)
    assert Event.objects.get().summary == "second"


def test_command_attributes_history_to_the_user_and_file(okex_file):
    UserFactory(username="mina")
    run_import(okex_file, "--user", "mina")
    record = Event.history.first()
    assert (record.history_user.username, record.history_change_reason) == (
        "mina",
        "import: okex.jsonl",
    )


def test_command_refuses_an_unknown_user(okex_file):
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        run_import(okex_file, "--user", "nobody")


def test_command_refuses_a_file_it_cannot_tell_the_format_of(tmp_path):
    path = tmp_path / "events.txt"
    path.write_text(jsonl(row()), encoding="utf-8")
    with pytest.raises(CommandError, match="--format"):
        run_import(path)


def test_command_reads_the_format_given(tmp_path):
    path = tmp_path / "events.txt"
    path.write_text(jsonl(row()), encoding="utf-8")
    run_import(path, "--format", "jsonl")
    assert Event.objects.count() == 1


def test_command_refuses_text_that_is_not_utf8(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_bytes(jsonl(row(notice_text="Доступ ограничен")).encode("cp1251"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run_import(path)


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
    with django_assert_max_num_queries(60):
        report = import_text(text, batch_size=100)
    assert report.created == 300


def test_reimport_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    text = jsonl(*(row(f"Exchange {n}", authority="CAC") for n in range(300)))
    import_text(text, batch_size=100)
    with django_assert_max_num_queries(30):
        report = import_text(text, batch_size=100)
    assert report.unchanged == 300
