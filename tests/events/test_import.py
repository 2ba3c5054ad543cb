import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.db import connection

from events.choices import DatePrecision, Status
from events.models import Event, Platform, Source, StatusChange
from events.services import imports
from tests.events.import_support import (
    CCN,
    import_text,
    jsonl,
    record_counts,
    row,
    run_import,
)
from tests.factories import AuthorityFactory, EventFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_gazetteer")]


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


def test_command_attributes_history_to_the_user_and_file(okex_file, curator):
    UserFactory(username="mina", groups=["Curators"])
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


def test_command_reports_a_line_that_is_not_utf8(tmp_path, capsys):
    path = tmp_path / "events.jsonl"
    path.write_bytes(jsonl(row(notice_text="Доступ ограничен")).encode("cp1251"))
    assert run_import(path)[0] == 1
    assert capsys.readouterr().err.startswith("line 1: not valid UTF-8 (0xc4 at")


def planner_rows(table: str) -> int | None:
    """How many rows the database's planner believes `table` holds."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        else:
            cursor.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table]
            )
        row = cursor.fetchone()
    return None if row is None else int(float(str(row[0]).split()[0]))


@pytest.fixture
def small_analyze_threshold(monkeypatch):
    monkeypatch.setattr(imports, "ANALYZE_AFTER", 3)
    with connection.cursor() as cursor:  # sqlite_stat1 exists once analyzed
        cursor.execute("ANALYZE")


def test_a_large_import_refreshes_the_planners_statistics(small_analyze_threshold):
    import_text(jsonl(row("A"), row("B"), row("C")))
    assert planner_rows("events_event") == 3
    assert planner_rows("events_source") == 3


def test_a_small_import_leaves_them_to_the_database(small_analyze_threshold):
    before = planner_rows("events_event")
    import_text(jsonl(row("A"), row("B")))
    assert planner_rows("events_event") == before != 2


def test_a_user_who_may_not_create_events_imports_nothing(okex_file):
    UserFactory(username="guest", groups=[])

    report = import_text(jsonl(row()), user=User.objects.get(username="guest"))

    assert report.errors == [(1, "you may not import this event as draft: it is new")]
    assert not Event.objects.exists()
