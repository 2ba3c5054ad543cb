"""JSON, CSV and JSON Lines, by ?format= or Accept; exports stream every event."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test import RequestFactory

from events.api.exports import CHUNK_ROWS, _batched, _events
from events.api.renderers import csv_lines
from events.api.representation import CSV_COLUMNS, Links, csv_row, event_dict
from events.choices import DatePrecision
from events.models import Event
from events.selectors.api import event_list
from events.selectors.csv_copy import events_csv_copy
from tests.api.conftest import ids, publish, uid
from tests.factories import AuthorityFactory, SourceFactory

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_json_is_the_default(api, published):
    response = api.get("/api/v1/events/")
    assert response["Content-Type"] == "application/json"
    assert ids(response) == [uid(published)]


def test_event_representation(api):
    event = publish(
        date=dt.date(2018, 8, 1),
        date_precision=DatePrecision.MONTH,
        ended_on=dt.date(2019, 1, 1),
        ended_on_precision=DatePrecision.YEAR,
        notice_text="该账号因违反相关法律法规，已被屏蔽。",
    )
    item = api.get(f"/api/v1/events/{event.public_id}/").json()
    assert item["date"] == "2018-08"
    assert item["date_precision"] == "month"
    assert item["ended_on"] == "2019"
    assert item["url"] == f"http://testserver/api/v1/events/{event.public_id}/"
    assert item["web_url"] == f"http://testserver/events/{event.public_id}/"
    assert item["platform"] == {
        "slug": event.platform.slug,
        "name": event.platform.name,
    }
    assert item["authority"]["country"] == "CN"
    assert item["notice_text"] == event.notice_text
    assert set(item["sources"][0]) == {
        "url",
        "title",
        "publisher",
        "published_at",
        "archive_url",
    }
    assert item["updated_at"].endswith("Z")


@pytest.mark.parametrize(("query", "accept"), [("?format=csv", ""), ("", "text/csv")])
def test_csv_streams_every_event_not_one_page(api, query, accept):
    events = [publish() for _ in range(7)]
    response = api.get(f"/api/v1/events/{query}", HTTP_ACCEPT=accept or "*/*")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(body(response))))
    newest_first = sorted(events, key=lambda e: e.pk, reverse=True)
    assert [row["id"] for row in rows] == [uid(e) for e in newest_first]
    assert list(rows[0]) == list(CSV_COLUMNS)


@pytest.mark.parametrize(
    ("query", "accept"), [("?format=jsonl", ""), ("", "application/jsonl")]
)
def test_jsonl_streams_one_event_per_line(api, query, accept):
    events = [publish() for _ in range(5)]
    response = api.get(f"/api/v1/events/{query}", HTTP_ACCEPT=accept or "*/*")
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    lines = body(response).splitlines()
    assert {json.loads(line)["id"] for line in lines} == {uid(e) for e in events}


def test_exports_apply_the_filters(api):
    kept = publish(country="RU")
    publish(country="CN")
    rows = list(
        csv.DictReader(
            io.StringIO(body(api.get("/api/v1/events/?format=csv&country=RU")))
        )
    )
    assert [row["id"] for row in rows] == [uid(kept)]


def test_exports_hold_published_events_only(api, published, draft):
    lines = body(api.get("/api/v1/events/?format=jsonl")).splitlines()
    assert [json.loads(line)["id"] for line in lines] == [uid(published)]


def test_csv_cells_are_flat(api):
    event = publish(notice_text='He said "blocked",\nthen left.', authority=None)
    SourceFactory(event=event, url="https://b.example/2", title="Второй")
    row = next(csv.DictReader(io.StringIO(body(api.get("/api/v1/events/?format=csv")))))
    assert row["notice_text"] == event.notice_text
    assert row["authority"] == row["authority_name"] == ""
    assert row["source_urls"].split(" ")[1] == "https://b.example/2"
    assert json.loads(row["sources"])[1]["title"] == "Второй"
    assert row["ended_on"] == ""


def test_one_event_as_csv_and_jsonl(api, published):
    url = f"/api/v1/events/{published.public_id}/"
    rows = list(
        csv.DictReader(io.StringIO(api.get(url + "?format=csv").content.decode()))
    )
    assert [row["id"] for row in rows] == [uid(published)]
    line = api.get(url + "?format=jsonl").content.decode()
    assert json.loads(line)["id"] == uid(published)


def test_head_of_an_export_sends_no_body(api, published):
    response = api.head("/api/v1/events/?format=csv")
    assert response.status_code == 200
    assert body(response) == ""


def test_stats_and_counts_in_csv(api, published):
    text = api.get("/api/v1/stats/?group_by=year&format=csv").content.decode()
    assert text == '"key","count"\n"2018","1"\n'
    assert (
        api.get("/api/v1/countries/?format=csv")
        .content.decode()
        .startswith('"code","name","count"\n"CN","China","1"')
    )


def test_python_export_reads_in_chunks(published, django_assert_max_num_queries):
    for _ in range(5):
        publish()
    rows = event_list(Event.objects.published(), ordering="-date")
    with django_assert_max_num_queries(4):
        assert len(list(_events(rows))) == 6
    assert CHUNK_ROWS >= 500


def test_served_csv_writes_the_same_bytes_as_python(api):
    """On PostgreSQL the export is COPY's; on SQLite it is Python's. Either
    way it must be byte for byte what the Python writer makes."""
    authority = AuthorityFactory(country="")
    events = [
        publish(notice_text='quotes " and, commas\r\nand lines', summary=""),
        publish(
            date=dt.date(2018, 8, 1),
            date_precision=DatePrecision.MONTH,
            authority=authority,
        ),
        publish(
            date=dt.date(2018, 1, 1),
            date_precision=DatePrecision.YEAR,
            authority=None,
            ended_on=dt.date(2019, 1, 1),
            ended_on_precision=DatePrecision.YEAR,
        ),
        publish(notice_text="该账号因违反相关法律法规，已被屏蔽。\\ \t \x01"),
    ]
    SourceFactory(
        event=events[0],
        title='"quoted" ünïcode',
        published_at=dt.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
    )
    SourceFactory(
        event=events[0],
        title="back\\slash, line\nbreak, tab\t, \x1f, \u2028 and 🙂",
        publisher="",
        published_at=None,
    )
    request = RequestFactory().get("/")
    links = Links.for_request(request)
    queryset = Event.objects.published()
    rows = event_list(queryset, ordering="-date")
    python = b"".join(
        _batched(csv_lines(csv_row(event_dict(e, links)) for e in _events(rows)))
    )
    if connection.vendor == "postgresql":
        copied = b"".join(
            events_csv_copy(
                queryset.order_by("-date", "-id"),
                api_prefix=links.api_prefix,
                web_prefix=links.web_prefix,
                web_suffix=links.web_suffix,
            )
        )
        assert copied.decode() == python.decode()
    served = b"".join(api.get("/api/v1/events/?format=csv").streaming_content)
    assert served.decode().endswith(python.decode())


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_an_empty_list_keeps_its_content_type(api, fmt):
    response = api.get(f"/api/v1/stats/?group_by=year&format={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] in {
        "text/csv",
        "application/jsonl",
        "application/json",
    }
