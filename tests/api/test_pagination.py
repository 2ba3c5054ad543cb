"""Keyset pages: complete, stable while events are added, cheap at any depth."""

from __future__ import annotations

import datetime as dt

import pytest

from events.models import Event
from tests.api.conftest import ids, publish, uid

pytestmark = pytest.mark.django_db


def walk(api, url: str) -> list[str]:
    seen: list[str] = []
    while url:
        page = api.get(url).json()
        seen += [item["id"] for item in page["results"]]
        url = page["next"]
    return seen


@pytest.fixture
def record(db) -> list[Event]:
    """Twelve events on four dates (ties broken by id), newest first."""
    days = [dt.date(2018, 1, 1) + dt.timedelta(days=30 * (i % 4)) for i in range(12)]
    events = [publish(date=day) for day in days]
    return sorted(events, key=lambda e: (e.date, e.pk), reverse=True)


def test_walking_every_page_gives_every_event_once_in_order(api, record):
    assert walk(api, "/api/v1/events/?page_size=5") == [uid(e) for e in record]


def test_previous_link_returns_the_page_before(api, record):
    first = api.get("/api/v1/events/?page_size=5").json()
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert [item["id"] for item in back["results"]] == [
        item["id"] for item in first["results"]
    ]
    assert back["next"] is not None


def test_pages_are_stable_while_newer_events_are_inserted(api, record):
    url, seen = "/api/v1/events/?page_size=4", []
    while url:
        page = api.get(url).json()
        seen += [item["id"] for item in page["results"]]
        url = page["next"]
        publish(date=dt.date(2030, 1, 1))  # newer than everything walked so far
        publish(date=record[0].date)  # a tie with the newest date, higher id
    assert len(seen) == len(set(seen))
    assert [i for i in seen if i in {uid(e) for e in record}] == [
        uid(e) for e in record
    ]


def test_sync_order_walks_changes_oldest_first(api, record):
    stamp = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    changed = {}
    for offset, event in enumerate(reversed(record)):
        changed[event] = stamp + dt.timedelta(seconds=offset // 2)  # pairs of ties
        Event.objects.filter(pk=event.pk).update(updated_at=changed[event])
    expected = sorted(record, key=lambda e: (changed[e], e.pk))
    order = walk(api, "/api/v1/events/?ordering=updated_at&page_size=5")
    assert order == [uid(e) for e in expected]
    later = walk(
        api,
        "/api/v1/events/?ordering=updated_at&updated_after=2024-01-01T00:00:04Z",
    )
    assert later == [uid(e) for e in expected[10:]]


def test_ascending_date_order_pages_too(api, record):
    assert walk(api, "/api/v1/events/?ordering=date&page_size=5") == [
        uid(e) for e in reversed(record)
    ]


def test_page_size_defaults_to_fifty_and_allows_five_hundred(api):
    for _ in range(52):
        publish()
    assert len(ids(api.get("/api/v1/events/"))) == 50
    assert len(ids(api.get("/api/v1/events/?page_size=500"))) == 52


def test_next_link_keeps_the_filters(api, record):
    first = api.get("/api/v1/events/?page_size=2&country=CN").json()
    assert "country=CN" in first["next"]
    assert "page_size=2" in first["next"]


def test_a_cursor_past_the_end_gives_an_empty_page_that_leads_back(api, record):
    last = api.get("/api/v1/events/?ordering=date&page_size=12").json()
    assert last["next"] is None
    for event in record:
        Event.objects.filter(pk=event.pk).update(date=dt.date(2000, 1, 1))
    first = api.get("/api/v1/events/?page_size=6").json()
    Event.objects.all().delete()
    empty = api.get(first["next"]).json()
    assert empty["results"] == []
    assert empty["next"] is None
    assert empty["previous"] is not None
