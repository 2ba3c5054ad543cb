import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event
from events.selectors.keyset import Cursor, CursorError, keyset_page
from tests.factories import EventFactory, PlatformFactory
from tests.web.conftest import published

pytestmark = pytest.mark.django_db

HOME = reverse("public:timeline")
SIZE = 4


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("events.views.timeline.PAGE_SIZE", SIZE)
    monkeypatch.setattr("events.views.entities.PAGE_SIZE", SIZE)


@pytest.fixture
def ten(db) -> list[Event]:
    """Ten published events, newest first; three share a date (ties by id)."""
    platform = PlatformFactory(name="Pager", slug="pager")
    dates = [dt.date(2020, 1, d) for d in (1, 2, 3, 3, 3, 4, 5, 6, 7, 8)]
    events = [
        published(platform=platform, target=f"Event {n}", date=day)
        for n, day in enumerate(dates)
    ]
    EventFactory(platform=platform, target="Draft in the middle", date=dates[4])
    return sorted(events, key=lambda e: (e.date, e.pk), reverse=True)


def targets(html: str) -> list[str]:
    return re.findall(r'class="entry-title"[^>]*><a href="[^"]+">([^<]+)</a>', html)


def link(html: str, rel: str) -> str | None:
    match = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return match[1].replace("&amp;", "&") if match else None


def test_older_pages_walk_the_whole_record_once_in_order(client, ten, small_pages):
    seen, url = [], HOME
    while url:
        html = client.get(url).content.decode()
        seen += targets(html)
        url = link(html, "next")

    assert seen == [event.target for event in ten]


def test_newer_pages_walk_back_to_the_same_pages(client, ten, small_pages):
    first = client.get(HOME).content.decode()
    second = client.get(link(first, "next")).content.decode()
    third = client.get(link(second, "next")).content.decode()

    back = client.get(link(third, "prev")).content.decode()

    assert targets(back) == targets(second)
    assert targets(client.get(link(back, "prev")).content.decode()) == targets(first)


def test_first_page_has_no_newer_link_and_last_no_older(client, ten, small_pages):
    first = client.get(HOME).content.decode()
    last = client.get(HOME + f"?before={Cursor.of(ten[-2])}").content.decode()

    assert link(first, "prev") is None
    assert link(first, "next") is not None
    assert targets(last) == [ten[-1].target]
    assert link(last, "next") is None


def test_pages_keep_the_filters(client, ten, small_pages):
    html = client.get(HOME + "?platform=pager").content.decode()

    assert link(html, "next") == f"/?platform=pager&before={Cursor.of(ten[3])}"


def test_a_page_is_stable_when_newer_events_are_published(client, ten, small_pages):
    url = HOME + f"?before={Cursor.of(ten[3])}"
    before = targets(client.get(url).content.decode())
    published(platform=ten[0].platform, target="Brand new", date=dt.date(2021, 1, 1))

    assert targets(client.get(url).content.decode()) == before


def test_a_cursor_past_the_end_shows_an_empty_page(client, ten, small_pages):
    html = client.get(HOME + "?before=1900-01-01.1").content.decode()

    assert targets(html) == []
    assert "No published event matches." in html


@pytest.mark.parametrize(
    "query",
    [
        "?before=garbage",
        "?after=2018-13-01.5",
        "?before=2018-01-01",
        "?before=2018-01-01.-3",
        "?before=2018-01-01.1&after=2018-01-01.2",
    ],
)
def test_malformed_cursors_are_400(client, ten, query):
    assert client.get(HOME + query).status_code == 400


def test_pages_never_use_offset(client, ten, small_pages):
    with CaptureQueriesContext(connection) as queries:
        client.get(HOME + f"?before={Cursor.of(ten[5])}")

    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)


def test_keyset_page_after_a_cursor_returns_newer_events_newest_first(ten):
    page = keyset_page(Event.objects.published(), size=3, after=Cursor.of(ten[6]))

    assert page.events == ten[3:6]
    assert page.newer == Cursor.of(ten[3])
    assert page.older == Cursor.of(ten[5])


def test_keyset_page_breaks_date_ties_by_id(ten):
    tied = [event for event in ten if event.date == dt.date(2020, 1, 3)]

    page = keyset_page(Event.objects.published(), size=1, before=Cursor.of(tied[0]))

    assert page.events == [tied[1]]


@pytest.mark.parametrize("text", ["2018-08-21.12", "0001-01-01.1"])
def test_cursor_round_trips(text):
    assert str(Cursor.parse(text)) == text


@pytest.mark.parametrize(
    "text", ["", "2018-02-30.1", "2018-08-21", "x.1", "2018-08-21.1 "]
)
def test_cursor_rejects_garbage(text):
    with pytest.raises(CursorError):
        Cursor.parse(text)
