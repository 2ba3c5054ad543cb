import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from events.choices import DatePrecision, Status, TargetType
from events.models import Authority, Event, Platform, Source, Target
from tests.events.import_support import importer
from tests.factories import (
    AuthorityFactory,
    EventFactory,
    PlatformFactory,
    SourceFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_gazetteer")]

CHINESE_NOTICE = (
    "该账号因违反相关法律法规，已被屏蔽。\n"
    "The account is currently blocked, and content is not available.\n"
)
RUSSIAN_NOTICE = (
    "Доступ к информационному ресурсу ограничен на основании Федерального закона "
    "от 27.07.2006 № 149-ФЗ «Об информации»."
)
PERSIAN_NOTICE = (
    "  دسترسی به این تارنما امکان‌پذیر نمی‌باشد\r\n"
    'بر اساس "قانون جرایم رایانه‌ای", لطفا\rبعدا تلاش کنید  '
)


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def varied_record() -> list[Event]:
    """Events in every status, at every date precision, in several scripts."""
    wechat = PlatformFactory(name="WeChat", slug="wechat", aliases=["微信"])
    telegram = PlatformFactory(name="Telegram", slug="telegram")
    instagram = PlatformFactory(name="Instagram", slug="instagram")
    cac = AuthorityFactory(name="Cyberspace Administration of China", country="CN")
    rkn = AuthorityFactory(name="Roskomnadzor", country="RU", kind="regulator")
    okex = EventFactory(
        platform=wechat,
        authority=cac,
        target="OKEx",
        target_url="https://mp.weixin.qq.com/okex",
        date=dt.date(2018, 8, 1),
        date_precision=DatePrecision.MONTH,
        notice_text=CHINESE_NOTICE,
        notice_language="zh",
        summary='Offshore exchanges, "OKEx" among them,\nlost their accounts.',
        status=Status.PUBLISHED,
        published_at=at(2018, 8, 22, 9, 30, 15, 250000),
    )
    SourceFactory(
        event=okex,
        url="https://www.ccn.com/chinese-government-blocks-exchanges",
        published_at=at(2018, 8, 21, 8, 30),
        archive_url="https://web.archive.org/web/2018/https://www.ccn.com/x",
    )
    SourceFactory(event=okex, url="https://caixin.example/okex", title="", publisher="")
    SourceFactory(
        event=okex, url="https://a.example/okex", published_at=at(2018, 8, 20, 23, 59)
    )
    binance = EventFactory(
        platform=wechat,
        authority=cac,
        target="Binance",
        date=dt.date(2018, 8, 1),
        date_precision=DatePrecision.MONTH,
        ended_on=dt.date(2019, 1, 1),
        ended_on_precision=DatePrecision.YEAR,
        status=Status.PUBLISHED,
        published_at=at(2018, 9, 1),
    )
    SourceFactory(event=binance)
    telegram_ru = EventFactory(
        platform=telegram,
        authority=rkn,
        country="RU",
        target="Telegram",
        target_type=TargetType.WHOLE_PLATFORM,
        date=dt.date(2018, 4, 16),
        ended_on=dt.date(2020, 1, 1),
        ended_on_precision=DatePrecision.YEAR,
        notice_text=RUSSIAN_NOTICE,
        notice_language="ru",
        summary="Blocked by court order.\rLifted in June 2020.",
        status=Status.IN_REVIEW,
    )
    SourceFactory(event=telegram_ru, published_at=at(2018, 4, 16, 12))
    instagram_ir = EventFactory(
        platform=instagram,
        authority=None,
        country="IR",
        target="instagram.com",
        target_type=TargetType.WEBSITE,
        date=dt.date(2018, 1, 1),
        date_precision=DatePrecision.YEAR,
        ended_on=dt.date(2018, 5, 1),
        ended_on_precision=DatePrecision.MONTH,
        notice_text=PERSIAN_NOTICE,
        notice_language="fa",
        status=Status.DRAFT,
    )
    huobi = EventFactory(
        platform=wechat,
        authority=None,
        target="Huobi",
        date=dt.date(2018, 8, 21),
        notice_text="",
        notice_language="",
        status=Status.REJECTED,
    )
    return [okex, binance, telegram_ru, instagram_ir, huobi]


def empty_the_record() -> None:
    """What an empty database holds of the record: nothing."""
    Event.objects.all().delete()
    Target.objects.all().delete()
    Platform.objects.all().delete()
    Authority.objects.all().delete()
    for model in (Event, Source, Platform, Authority):
        model.history.all().delete()


def run_export(path: Path, *options: str) -> str:
    """Run the export command; returns what it wrote on standard error."""
    err = io.StringIO()
    call_command("export_events", str(path), *options, stderr=err)
    return err.getvalue()


def run_import(path: Path) -> int:
    """Import `path` as a user who may publish (the record has published
    events)."""
    options = ["--no-progress", "--user", importer().username]
    try:
        call_command("import_events", str(path), *options, stdout=io.StringIO())
    except SystemExit as exit_:
        return exit_.code
    return 0


def exported_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as lines:
        return [json.loads(line) for line in lines]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_import_export_gives_identical_bytes(tmp_path, fmt):
    varied_record()
    first, second = tmp_path / f"first.{fmt}", tmp_path / f"second.{fmt}"
    run_export(first)
    empty_the_record()
    run_import(first)
    run_export(second)
    assert second.read_bytes() == first.read_bytes()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_of_the_varied_record_imports_cleanly(tmp_path, fmt):
    varied_record()
    path = tmp_path / f"events.{fmt}"
    run_export(path)
    empty_the_record()
    assert (run_import(path), Event.objects.count()) == (0, 5)


def test_export_reports_how_many_events_it_wrote(tmp_path):
    varied_record()
    assert run_export(tmp_path / "events.jsonl") == "exported 5 event(s)\n"


def test_export_orders_by_date_then_id(tmp_path):
    events = varied_record()
    path = tmp_path / "events.jsonl"
    run_export(path)
    expected = sorted(events, key=lambda e: (e.date, str(e.public_id)))
    assert [row["id"] for row in exported_rows(path)] == [
        str(e.public_id) for e in expected
    ]


def test_export_writes_dates_at_their_precision(tmp_path):
    varied_record()
    path = tmp_path / "events.jsonl"
    run_export(path)
    assert {(r["target"], r["date"], r["ended_on"]) for r in exported_rows(path)} == {
        ("OKEx", "2018-08", ""),
        ("Binance", "2018-08", "2019"),
        ("Telegram", "2018-04-16", "2020"),
        ("instagram.com", "2018", "2018-05"),
        ("Huobi", "2018-08-21", ""),
    }


def test_export_writes_an_unknown_authority_as_empty(tmp_path):
    varied_record()
    path = tmp_path / "events.jsonl"
    run_export(path)
    by_target = {r["target"]: r for r in exported_rows(path)}
    assert by_target["Huobi"]["authority"] == ""


def test_export_writes_times_in_utc(tmp_path):
    varied_record()
    path = tmp_path / "events.jsonl"
    run_export(path)
    okex = next(r for r in exported_rows(path) if r["target"] == "OKEx")
    assert (okex["published_at"], okex["sources"][0]["published_at"]) == (
        "2018-08-22T09:30:15.250000Z",
        "2018-08-21T08:30:00Z",
    )


def test_export_writes_sources_in_the_order_they_were_recorded(tmp_path):
    varied_record()
    path = tmp_path / "events.jsonl"
    run_export(path)
    okex = next(r for r in exported_rows(path) if r["target"] == "OKEx")
    assert [s["url"] for s in okex["sources"]] == [
        "https://www.ccn.com/chinese-government-blocks-exchanges",
        "https://caixin.example/okex",
        "https://a.example/okex",
    ]


def test_jsonl_export_keeps_scripts_unescaped(tmp_path):
    varied_record()
    path = tmp_path / "events.jsonl"
    run_export(path)
    assert "该账号因违反相关法律法规" in path.read_text(encoding="utf-8")


def test_csv_export_starts_with_the_header_row(tmp_path):
    varied_record()
    path = tmp_path / "events.csv"
    run_export(path)
    assert path.read_bytes().split(b"\r\n", 1)[0] == (
        b"id,platform,target,target_type,target_url,authority,country,action,date,"
        b"date_precision,ended_on,notice_text,notice_language,summary,sources,"
        b"status,published_at"
    )


def test_csv_export_keeps_every_line_break_inside_its_cell(tmp_path):
    varied_record()
    path = tmp_path / "events.csv"
    run_export(path)
    with path.open(encoding="utf-8", newline="") as cells:
        notices = {r["target"]: r["notice_text"] for r in csv.DictReader(cells)}
    assert notices["instagram.com"] == PERSIAN_NOTICE


def test_csv_export_quotes_a_cell_holding_a_lone_carriage_return(tmp_path):
    varied_record()
    path = tmp_path / "events.csv"
    run_export(path)
    with path.open(encoding="utf-8", newline="") as cells:
        summaries = {r["target"]: r["summary"] for r in csv.DictReader(cells)}
    assert summaries["Telegram"] == "Blocked by court order.\rLifted in June 2020."


def test_csv_export_writes_sources_as_a_json_list(tmp_path):
    varied_record()
    path = tmp_path / "events.csv"
    run_export(path)
    with path.open(encoding="utf-8", newline="") as cells:
        sources = {r["target"]: r["sources"] for r in csv.DictReader(cells)}
    assert (json.loads(sources["Binance"])[0]["publisher"], sources["Huobi"]) == (
        "Example News",
        "[]",
    )


def test_export_status_filter_keeps_only_that_status(tmp_path):
    varied_record()
    path = tmp_path / "events.jsonl"
    run_export(path, "--status", "published")
    assert sorted(r["target"] for r in exported_rows(path)) == ["Binance", "OKEx"]


def test_export_status_filter_is_repeatable(tmp_path):
    varied_record()
    path = tmp_path / "events.jsonl"
    run_export(path, "--status", "draft", "--status", "rejected")
    assert sorted(r["target"] for r in exported_rows(path)) == [
        "Huobi",
        "instagram.com",
    ]


def test_export_refuses_an_unknown_status(tmp_path):
    with pytest.raises(CommandError):
        run_export(tmp_path / "events.jsonl", "--status", "live")


def test_export_to_standard_output_writes_json_lines(db, capsys):
    EventFactory(target="OKEx")
    call_command("export_events", "-", stderr=io.StringIO())
    assert json.loads(capsys.readouterr().out)["target"] == "OKEx"


def test_export_refuses_a_file_it_cannot_tell_the_format_of(tmp_path):
    with pytest.raises(CommandError, match="--format"):
        run_export(tmp_path / "events.txt")


def test_export_writes_the_format_given(tmp_path):
    EventFactory(target="OKEx")
    path = tmp_path / "events.txt"
    run_export(path, "--format", "csv")
    assert path.read_text(encoding="utf-8").startswith("id,platform,")


def test_export_of_an_empty_record_writes_only_the_csv_header(tmp_path):
    path = tmp_path / "events.csv"
    run_export(path)
    assert path.read_bytes().count(b"\r\n") == 1


def test_export_runs_a_bounded_number_of_queries(
    tmp_path, django_assert_max_num_queries
):
    for n in range(40):
        SourceFactory.create_batch(2, event=EventFactory(target=f"Exchange {n}"))
    with django_assert_max_num_queries(10):
        run_export(tmp_path / "events.jsonl")
